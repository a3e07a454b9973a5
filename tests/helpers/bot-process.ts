// The real bot as its own process (`src/index.ts` through tsx), for the tests that kill it; with
// a role, the CLI's `xiangxun start --role …` (bin/xiangxun.js), as an operator runs each process
// of a bot split over one Postgres database (issue #16).
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { FakeDiscord } from '../fakes/fake-discord.js';

export type BotRole = 'all' | 'poller' | 'deliverer' | 'gateway';

export function startBotProcess(env: NodeJS.ProcessEnv, role?: BotRole): { proc: ChildProcess; log: string[] } {
  const log: string[] = [];
  const argv = role ? ['bin/xiangxun.js', 'start', '--role', role] : ['--import', 'tsx', 'src/index.ts'];
  const proc = spawn(process.execPath, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout!.on('data', (d: Buffer) => log.push(d.toString()));
  proc.stderr!.on('data', (d: Buffer) => log.push(d.toString()));
  return { proc, log };
}

/**
 * The environment of a bot process on `dir`'s database and feeds, against the fake Discord, polling
 * every second; with `databaseUrl`, on that Postgres database instead (DATABASE_URL).
 */
export function botProcessEnv(fake: FakeDiscord, dir: string, databaseUrl?: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: databaseUrl ?? '',
    DISCORD_TOKEN: fake.token,
    DISCORD_APPLICATION_ID: fake.applicationId,
    DISCORD_API_BASE: fake.apiBase,
    DATABASE_PATH: join(dir, 'bot.db'),
    FEEDS_FILE: join(dir, 'feeds.json'),
    POLL_CRON: '*/1 * * * * *',
    FIRST_POLL_BACKLOG: '1000',
    MAX_ITEM_AGE_HOURS: '0',
    ALLOW_PRIVATE_NETWORK: 'true',
    BURST_CAP: '100',
    LOG_LEVEL: 'warn',
  };
}
