// `xiangxun start --role …` as an operator runs it: SQLite refuses every role but `all`,
// before it needs Discord credentials or opens the database.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
/** The CLI's exit code and output (execFile rejects on a non-zero exit; both are kept). */
async function cli(env: Record<string, string>, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const childEnv = { ...process.env, LOG_LEVEL: 'silent', DISCORD_TOKEN: '', DISCORD_APPLICATION_ID: '', DATABASE_URL: '', ...env };
  try {
    const r = await run(process.execPath, ['bin/xiangxun.js', ...args], { env: childEnv, timeout: 60_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

describe('xiangxun start --role on SQLite', () => {
  it('refuses the poller role with the reason, and creates no database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xx-roles-'));
    const db = join(dir, 'bot.db');
    const r = await cli({ DATABASE_PATH: db }, 'start', '--role', 'poller');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('The poller role needs the Postgres store: SQLite is one process\'s file, so with SQLite (DATABASE_URL empty) only --role all can run.');
    expect(r.stderr).toContain('DATABASE_URL=postgres://');
    expect(existsSync(db)).toBe(false);
  });

  it('refuses an unknown role as a usage error', async () => {
    const r = await cli({}, 'start', '--role', 'sender');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown role "sender": use one of all, poller, deliverer, gateway');
    expect(r.stderr).toContain('Usage: xiangxun start [--role all|poller|deliverer|gateway]');
  });

  it('stops at a DATABASE_URL it cannot reach, naming the variable and never the password', async () => {
    const r = await cli({ DATABASE_URL: 'postgres://bot:s3cret-pw@127.0.0.1:1/xiangxun' }, 'start', '--role', 'poller');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('DATABASE_URL: cannot reach a Postgres server at 127.0.0.1:1');
    expect(r.stdout + r.stderr).not.toContain('s3cret-pw');
  });

  it('runs all by default, which still asks for the Discord credentials', async () => {
    const r = await cli({ DATABASE_PATH: join(mkdtempSync(join(tmpdir(), 'xx-roles-')), 'bot.db') }, 'start');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Missing DISCORD_TOKEN and DISCORD_APPLICATION_ID');
  });
});
