// The bot's processes in the multi-process soak: each one `xiangxun start --role …` (through
// tests/helpers/bot-process.ts), SIGKILLed at random and started again at once, as a supervisor
// (systemd, compose) would restart it. A process that exits on its own is a finding: it is
// noted with the end of its output and started again after a pause, so one crash on start-up
// does not spin.
import { readFileSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { startBotProcess, type BotRole } from '../helpers/bot-process.js';

export interface FleetMember {
  readonly role: BotRole;
  /** `poller 1`, `deliverer 2`… */
  readonly name: string;
  proc: ChildProcess;
  /** Output of the current run of the process. */
  log: string[];
  starts: number;
  kills: number;
  /** true from a kill or stop until the process has exited. */
  ending: boolean;
}

export interface UnexpectedExit {
  readonly name: string;
  readonly code: number | null;
  readonly signal: string | null;
  readonly at: number;
  /** The end of its output (the token is never in it: the soak checks all output for it). */
  readonly tail: string;
}

export interface Fleet {
  readonly members: readonly FleetMember[];
  /** Everything every process ever printed. */
  output(): string;
  /** The same, each run of each process under a heading of its own (for a log file). */
  transcript(): string;
  /** SIGKILL, wait for the exit, start it again. */
  kill(member: FleetMember): Promise<void>;
  /** Kills per role. */
  kills(): Record<string, number>;
  readonly unexpectedExits: readonly UnexpectedExit[];
  /** Resident memory per process now (MB), by name. */
  rss(): Record<string, number>;
  /** SIGTERM to all; those still running after `graceMs` are SIGKILLed. Returns the names of those. */
  stop(graceMs?: number): Promise<string[]>;
}

const rssOf = (pid: number | undefined): number => {
  try {
    return Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024);
  } catch {
    return 0;
  }
};

const exited = (p: ChildProcess): Promise<void> =>
  p.exitCode !== null || p.signalCode !== null ? Promise.resolve() : new Promise((res) => p.once('exit', () => res()));

/** Starts `plan`'s processes (e.g. `[['gateway', 1], ['poller', 2], ['deliverer', 2]]`) with `env`. */
export function startFleet(
  env: NodeJS.ProcessEnv,
  plan: ReadonlyArray<readonly [BotRole, number]>,
  opts: { restartAfterCrashMs?: number; start?: typeof startBotProcess } = {},
): Fleet {
  const start = opts.start ?? startBotProcess;
  const runs: Array<{ name: string; run: number; log: string[] }> = [];
  const unexpectedExits: UnexpectedExit[] = [];
  let stopping = false;
  const members: FleetMember[] = [];

  const launch = (m: Pick<FleetMember, 'role' | 'name'> & Partial<FleetMember>): FleetMember => {
    const { proc, log } = start(env, m.role);
    const member = m as FleetMember;
    member.proc = proc;
    member.log = log;
    member.starts = (member.starts ?? 0) + 1;
    runs.push({ name: member.name, run: member.starts, log });
    member.kills ??= 0;
    member.ending = false;
    proc.once('exit', (code, signal) => {
      if (member.ending || stopping) return;
      unexpectedExits.push({ name: member.name, code, signal, at: Date.now(), tail: log.join('').slice(-2000) });
      setTimeout(() => {
        if (!stopping && member.proc === proc) launch(member);
      }, opts.restartAfterCrashMs ?? 3000).unref();
    });
    return member;
  };

  for (const [role, n] of plan) for (let i = 1; i <= n; i++) members.push(launch({ role, name: n > 1 ? `${role} ${i}` : role }));

  return {
    members,
    output: () => runs.map((r) => r.log.join('')).join(''),
    transcript: () => runs.map((r) => `===== ${r.name}, run ${r.run} =====\n${r.log.join('')}`).join('\n'),
    async kill(member) {
      member.ending = true;
      member.proc.kill('SIGKILL');
      await exited(member.proc);
      member.kills++;
      launch(member);
    },
    kills: () => members.reduce<Record<string, number>>((o, m) => ({ ...o, [m.role]: (o[m.role] ?? 0) + m.kills }), {}),
    unexpectedExits,
    rss: () => Object.fromEntries(members.map((m) => [m.name, rssOf(m.proc.pid)])),
    async stop(graceMs = 30_000) {
      stopping = true;
      const forced: string[] = [];
      await Promise.all(
        members.map(async (m) => {
          m.ending = true;
          if (m.proc.exitCode !== null || m.proc.signalCode !== null) return;
          m.proc.kill('SIGTERM');
          const timer = setTimeout(() => {
            forced.push(m.name);
            m.proc.kill('SIGKILL');
          }, graceMs);
          await exited(m.proc);
          clearTimeout(timer);
        }),
      );
      return forced;
    },
  };
}
