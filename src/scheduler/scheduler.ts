// Cron jobs. Nothing runs until start(); stop() waits for the running tick to finish.
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../shared/logger.js';

export interface Job {
  readonly name: string;
  readonly cron: string; // five fields, or six with seconds
  /** The signal aborts when the scheduler stops; a tick should wind down promptly. */
  run(signal: AbortSignal, tick: { periodMs: number }): Promise<void>;
}

export interface Scheduler {
  start(): void;
  stop(): Promise<void>;
}

export function createScheduler(jobs: readonly Job[], opts: { timeZone: string; logger: Logger }): Scheduler {
  const controller = new AbortController();
  const running = new Set<Promise<void>>();
  const tasks: ScheduledTask[] = [];

  const runOnce = (job: Job, task: ScheduledTask) => {
    const next = task.getNextRuns(2);
    const periodMs = next.length === 2 ? next[1]!.getTime() - next[0]!.getTime() : 60_000;
    const p = job
      .run(controller.signal, { periodMs })
      .catch((err: unknown) => opts.logger.error({ err, job: job.name }, 'scheduled job failed'))
      .finally(() => running.delete(p));
    running.add(p);
    return p;
  };

  return {
    start() {
      for (const job of jobs) {
        // noOverlap: a slow tick is skipped rather than run twice at once.
        const task: ScheduledTask = cron.createTask(job.cron, () => runOnce(job, task), { timezone: opts.timeZone, name: job.name, noOverlap: true });
        tasks.push(task);
        void task.start();
        opts.logger.info({ job: job.name, cron: job.cron, next: task.getNextRun() }, 'job scheduled');
      }
    },
    async stop() {
      controller.abort();
      await Promise.all(tasks.map(async (t) => t.destroy()));
      await Promise.allSettled([...running]);
    },
  };
}

/**
 * The average time between a cron expression's next runs (over the next 48 of them): the
 * cadence POLL_CRON stands for, whose request cost the adaptive schedule keeps.
 */
export function cronPeriodMs(expr: string, timeZone: string): number {
  const task = cron.createTask(expr, () => undefined, { timezone: timeZone });
  try {
    const runs = task.getNextRuns(48).map((d) => d.getTime());
    if (runs.length < 2) return 24 * 3_600_000;
    return Math.max(1_000, (runs.at(-1)! - runs[0]!) / (runs.length - 1));
  } finally {
    void task.destroy();
  }
}
