// The soak: the real bot process against the fake Discord and feed server, with faults
// injected at random, then the invariants. Used by `npm run soak` and by a 60 s test.
// Text, announcement and forum channels; feeds re-serve some posted items corrected (the
// posts must be edited in place, never posted again) or trivially changed (left alone).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/store/database.js';
import { createSubscriptionsRepo } from '../../src/store/subscriptions-repo.js';
import { storedRevisions, type CorrectionCheck } from './corrections.js';
import { soakChecks, type SoakOutcome } from './soak-checks.js';
import { createSoakWorld, seededRandom, soakLife } from './soak-step.js';

/** The one-process soak's report: the invariants' outcome (soak-checks.ts) and what the run saw. */
export interface SoakReport extends Omit<SoakOutcome, 'corrections'> {
  readonly seconds: number;
  readonly stories: number;
  readonly faults: Record<string, number>;
  readonly restarts: number;
  readonly unhandled: number;
  readonly tokenLeaks: number;
  readonly rss: { warmMB: number; endMB: number; growth: number };
  readonly integrity: string;
  readonly rateLimitHits: number;
  readonly corrections: { readonly injected: number; readonly stories: number; readonly trivial: number; readonly editStates: Record<string, number> } & CorrectionCheck;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rssOf = (pid: number | undefined): number => {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
};

export async function runSoak(opts: { seconds: number; feeds?: number; seed?: number; log?: (s: string) => void }): Promise<SoakReport> {
  const log = opts.log ?? (() => {});
  const { random, pick } = seededRandom(opts.seed);
  const dir = mkdtempSync(join(tmpdir(), 'xiangxun-soak-'));
  const world = await createSoakWorld(dir, { feeds: opts.feeds });
  const { fake, guilds, subs } = world;
  const db = openDatabase(join(dir, 'bot.db'));
  const repo = createSubscriptionsRepo(db);
  for (const s of subs) repo.subscribe({ guildId: guilds[s.guild]!.id, channelId: s.channelId, regionCode: s.region, mode: 'instant', include: s.include, exclude: s.exclude, createdBy: 'soak' }, Date.now());
  db.close();

  const env = {
    ...process.env,
    DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: fake.applicationId, DISCORD_API_BASE: fake.apiBase,
    DATABASE_PATH: join(dir, 'bot.db'), FEEDS_FILE: world.feedsFile, POLL_CRON: '*/3 * * * * *',
    // The default burst cap (10 posts per channel per 10 minutes): the soak publishes far more
    // than Discord's 5 posts per 5 s per channel allow, so the overflow must arrive as digests.
    FIRST_POLL_BACKLOG: '100000', MAX_ITEM_AGE_HOURS: '0', ALLOW_PRIVATE_NETWORK: 'true',
    FETCH_TIMEOUT_MS: '2000', LOG_LEVEL: 'info',
  };
  const output: string[] = [];
  let bot: ChildProcess | null = null;
  let restarts = 0;
  const rssSamples: Array<{ pid: number; at: number; mb: number }> = [];
  const start = () => {
    bot = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    bot.stdout!.on('data', (d: Buffer) => output.push(d.toString()));
    bot.stderr!.on('data', (d: Buffer) => output.push(d.toString()));
  };
  start();
  await fake.waitFor(() => fake.identifies.length >= 1, 30_000);

  // The bot's database, read only: whether it stored every copy of a story (see corrections.ts).
  const botDb = openDatabase(join(dir, 'bot.db'), { migrate: false });
  const started = Date.now();
  const life = soakLife(world, { random, pick, stored: (story) => storedRevisions(botDb, story), started, seconds: opts.seconds });
  const { stories, faults, count } = life;
  const end = started + opts.seconds * 1000;
  let lastKill = started;
  while (Date.now() < end) {
    await life.tick();
    if (Date.now() - lastKill > Math.max(15_000, (opts.seconds * 1000) / 4) && Date.now() < end - 10_000) {
      const pid = bot!.pid;
      rssSamples.push({ pid: pid!, at: Date.now(), mb: rssOf(pid) });
      bot!.kill('SIGKILL');
      await new Promise((res) => bot!.once('exit', res));
      restarts++;
      count('SIGKILL + restart');
      lastKill = Date.now();
      start();
    }
    life.settle();
    rssSamples.push({ pid: bot!.pid!, at: Date.now(), mb: rssOf(bot!.pid) });
    await sleep(1000);
  }

  botDb.close();
  // Quiesce: every feed healthy again, and feeds in backoff resumed (as `xiangxun feeds resume`
  // does), so the check need not wait out a backoff of several minutes; then every delivery.
  life.heal();
  const ops = openDatabase(join(dir, 'bot.db'), { migrate: false });
  ops.prepare('UPDATE feeds SET next_poll_at = NULL').run();
  ops.close();
  const checks = soakChecks(world, life);
  await checks.drain(180_000); // a burst digest waits a minute to gather stories
  await sleep(3000);

  const warm = rssSamples.filter((s) => s.pid === bot!.pid && s.mb > 0);
  const endMb = rssOf(bot!.pid);
  bot!.kill('SIGTERM');
  await new Promise((res) => bot!.once('exit', res));
  const check = openDatabase(join(dir, 'bot.db'), { migrate: false });
  const integrity = String(check.pragma('integrity_check', { simple: true }));
  const editStates = Object.fromEntries(check.prepare<[], { state: string; n: number }>('SELECT state, count(*) AS n FROM edits GROUP BY state').all().map((x) => [x.state, x.n]));
  check.close();

  const all = output.join('');
  const { corrections: checked, ...outcome } = checks.outcome();
  const { corrections } = life;
  const warmMB = warm.length ? warm[Math.floor(warm.length / 3)]!.mb : endMb;
  const report: SoakReport = {
    seconds: Math.round((Date.now() - started) / 1000),
    stories: stories.length,
    ...outcome,
    faults,
    restarts,
    unhandled: (all.match(/unhandled rejection|uncaughtException/gi) ?? []).length,
    tokenLeaks: all.split(fake.token).length - 1,
    rss: { warmMB: Math.round(warmMB), endMB: Math.round(endMb), growth: warmMB ? Math.round(((endMb - warmMB) / warmMB) * 100) : 0 },
    integrity,
    rateLimitHits: fake.rateLimitHits,
    corrections: { injected: corrections.injected, stories: corrections.material.size, trivial: corrections.trivialInjected, editStates, ...checked },
  };
  log(JSON.stringify(report, null, 2));
  await world.close();
  return report;
}
