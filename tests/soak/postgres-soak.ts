// The multi-process soak (issue #16): the bot split into a gateway, 2 pollers and 2 deliverers
// (`xiangxun start --role …`, each its own process) over one real Postgres database, against
// the fake Discord and the local feed server of the one-process soak, with that soak's world,
// corrections and faults (soak-step.ts), and every process SIGKILLed at random and started
// again. Then the one-process soak's invariants on what Discord holds (soak-checks.ts), and
// integrity checks on Postgres (postgres-db.ts). `npm run soak -- --postgres --minutes 3`.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BotRole } from '../helpers/bot-process.js';
import type { CorrectionCheck } from './corrections.js';
import { checkIntegrity, prepareDatabase, soakDatabase, soakReader, type PgIntegrity } from './postgres-db.js';
import { startFleet, type FleetMember, type UnexpectedExit } from './postgres-fleet.js';
import { soakChecks, type SoakOutcome } from './soak-checks.js';
import { createSoakWorld, seededRandom, soakLife } from './soak-step.js';

export interface PostgresSoakReport extends Omit<SoakOutcome, 'corrections'> {
  readonly seconds: number;
  readonly database: string;
  readonly processes: Record<string, number>;
  readonly stories: number;
  readonly faults: Record<string, number>;
  /** SIGKILLs (each followed by a restart), per role. */
  readonly kills: Record<string, number>;
  /** Processes that exited on their own (each restarted after a pause). */
  readonly unexpectedExits: readonly UnexpectedExit[];
  /** Processes that did not stop within the grace period after SIGTERM. */
  readonly forcedStops: string[];
  readonly unhandled: number;
  /** Log lines at level fatal (60) and error (50), all processes together. */
  readonly fatalLogs: number;
  readonly errorLogs: number;
  readonly tokenLeaks: number;
  /** 429 answers the deliverers got: all of them, those the soak injected, those earned by exceeding a limit. */
  readonly rateLimits: { answered: number; injected: number; earned: number };
  readonly integrity: PgIntegrity;
  /**
   * Digests that ended 'failed', by whether their channel was one the soak paused on purpose
   * (deleted, or its permission removed: failing there is right) and by last error.
   */
  readonly failedDigests: { readonly inPausedChannels: number; readonly elsewhere: Record<string, number> };
  /** Rows by state after the run. */
  readonly states: Record<'deliveries' | 'edits' | 'digests', Record<string, number>>;
  /** Nothing was left to send when the drain ended. */
  readonly drained: boolean;
  /** A bot process wrote the SQLite file at DATABASE_PATH although DATABASE_URL was set. */
  readonly sqliteWritten: boolean;
  readonly rssMB: { peak: Record<string, number>; end: Record<string, number> };
  /**
   * A member runs /news search every 10 s while a gateway session is up: answered, interrupted
   * (the gateway was killed before it answered), unanswered within 20 s otherwise.
   */
  readonly commands: { asked: number; answered: number; interrupted: number; unanswered: number };
  /** Lost deliveries by where they stand in the outbox (a row's state, no row, story not stored). */
  readonly lostWhy: Record<string, number>;
  /** Where every process's output was written. */
  readonly logFile: string;
  readonly corrections: { readonly injected: number; readonly stories: number; readonly trivial: number } & CorrectionCheck;
}

export interface PostgresSoakOptions {
  readonly seconds: number;
  readonly feeds?: number;
  readonly seed?: number;
  readonly pollers?: number;
  readonly deliverers?: number;
  /** A Postgres server to make the database on (default TEST_DATABASE_URL, else one started for the run). */
  readonly serverUrl?: string;
  readonly log?: (s: string) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runPostgresSoak(opts: PostgresSoakOptions): Promise<PostgresSoakReport> {
  const log = opts.log ?? (() => {});
  const { random, pick } = seededRandom(opts.seed);
  // Kills draw from their own sequence, so the world is the same whatever the kill schedule.
  const killDice = seededRandom((opts.seed ?? 20261128) + 1);
  const dir = mkdtempSync(join(tmpdir(), 'xiangxun-pgsoak-'));
  const world = await createSoakWorld(dir, { feeds: opts.feeds, reader: true });
  const { fake } = world;
  const database = await soakDatabase(opts.serverUrl);
  const reader = soakReader(database.url);
  const plan: Array<[BotRole, number]> = [['gateway', 1], ['poller', opts.pollers ?? 2], ['deliverer', opts.deliverers ?? 2]];
  let fleet: ReturnType<typeof startFleet> | null = null;
  try {
    log(`database on ${database.server}; migrating and subscribing`);
    await prepareDatabase(database.url, world);
    const sqlitePath = join(dir, 'must-not-exist.db');
    const env = {
      ...process.env,
      DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: fake.applicationId, DISCORD_API_BASE: fake.apiBase,
      DATABASE_URL: database.url,
      // Never read with DATABASE_URL set: a file appearing here means some part still opened SQLite.
      DATABASE_PATH: sqlitePath,
      FEEDS_FILE: world.feedsFile, POLL_CRON: '*/3 * * * * *',
      // As in the one-process soak: the default burst cap, so the overflow arrives as digests.
      FIRST_POLL_BACKLOG: '100000', MAX_ITEM_AGE_HOURS: '0', ALLOW_PRIVATE_NETWORK: 'true',
      FETCH_TIMEOUT_MS: '2000', LOG_LEVEL: 'info', HTTP_PORT: '',
    };
    fleet = startFleet(env, plan);
    log(`started ${fleet.members.map((m) => m.name).join(', ')}; waiting for the gateway session`);
    await fake.waitFor(() => fake.identifies.length >= 1, 90_000, 'the gateway process to identify');

    const started = Date.now();
    const life = soakLife(world, { random, pick, stored: (story) => reader.stored(story), started, seconds: opts.seconds });
    const { stories, count } = life;
    const end = started + opts.seconds * 1000;
    // Every role is killed once before any is killed twice; then any process at random.
    const killEvery = Math.max(10_000, (opts.seconds * 1000) / 12);
    const roleOrder = (['deliverer', 'poller', 'gateway'] as const).slice().sort(() => killDice.random() - 0.5);
    let lastKill = started;
    let killsMade = 0;
    // The gateway's part: a member's command is answered (from the store the others write).
    const commands = { asked: 0, answered: 0, interrupted: 0, unanswered: 0 };
    const answers: Array<Promise<void>> = [];
    let gatewayKilledAt = 0;
    let lastAsked = started;
    const ask = () => {
      if (fake.liveShards().length === 0) return;
      const at = Date.now();
      commands.asked++;
      const h = fake.slash({ name: 'news', subcommand: 'search', options: { query: '嘉兴' }, guildId: world.guilds[0]!.id, channelId: world.channels[0]![0]!, user: world.readerId, locale: 'zh-CN' });
      answers.push(h.waitForResponse(20_000).then(() => void commands.answered++, () => void (gatewayKilledAt >= at - 5_000 ? commands.interrupted++ : commands.unanswered++)));
    };
    const peak: Record<string, number> = {};
    while (Date.now() < end) {
      await reader.refresh(stories.slice(-120));
      await life.tick();
      if (Date.now() - lastKill > killEvery && Date.now() < end - 10_000) {
        const role = roleOrder[killsMade] ?? killDice.pick(fleet.members).role;
        const victim: FleetMember = killDice.pick(fleet.members.filter((m) => m.role === role));
        log(`SIGKILL ${victim.name} (pid ${victim.proc.pid})`);
        if (role === 'gateway') gatewayKilledAt = Date.now();
        await fleet.kill(victim);
        count(`SIGKILL + restart (${role})`);
        killsMade++;
        lastKill = Date.now();
      }
      life.settle();
      if (Date.now() - lastAsked >= 10_000) {
        lastAsked = Date.now();
        ask();
      }
      for (const [name, mb] of Object.entries(fleet.rss())) peak[name] = Math.max(peak[name] ?? 0, mb);
      await sleep(1000);
    }

    // Quiesce as the one-process soak does, then wait for Discord to show every story and for
    // the outbox to be empty: a killed deliverer's claimed rows come back when their lease ends.
    log('faults ended; draining');
    life.heal();
    await reader.resumeFeeds();
    const checks = soakChecks(world, life);
    await checks.drain(300_000, async () => (await reader.outstanding()) === 0);
    const drained = (await reader.outstanding()) === 0;
    await Promise.all(answers);
    await sleep(3000);
    const endRss = fleet.rss();
    const forcedStops = await fleet.stop();
    const all = fleet.output();
    // Every process's output, kept for reading after the run (the temp folder is removed).
    const logFile = join(tmpdir(), `xiangxun-pgsoak-${started}.log`);
    writeFileSync(logFile, fleet.transcript());
    const kills = fleet.kills();
    const unexpectedExits = [...fleet.unexpectedExits];
    fleet = null;

    const integrity = await checkIntegrity(database.url, fake);
    const states = await reader.states();
    const failed = await reader.failedDigests();
    const elsewhere: Record<string, number> = {};
    for (const f of failed.filter((d) => !life.pausedAt.has(d.channelId))) elsewhere[f.error ?? 'no error'] = (elsewhere[f.error ?? 'no error'] ?? 0) + 1;
    const failedDigests = { inPausedChannels: failed.filter((d) => life.pausedAt.has(d.channelId)).length, elsewhere };
    const byNumber = new Map(stories.map((x) => [x.n, x]));
    const lostWhy = await reader.whyLost(checks.missingPairs().map((p) => ({ story: byNumber.get(p.n)!, channelId: p.channelId })));
    const { corrections: checked, ...outcome } = checks.outcome();
    const { corrections } = life;
    const requests429 = fake.requests.filter((r) => r.status === 429).length;
    const report: PostgresSoakReport = {
      seconds: Math.round((Date.now() - started) / 1000),
      database: database.server,
      processes: Object.fromEntries(plan),
      stories: stories.length,
      ...outcome,
      faults: life.faults,
      kills,
      unexpectedExits,
      forcedStops,
      unhandled: (all.match(/unhandled rejection|uncaughtException/gi) ?? []).length,
      fatalLogs: (all.match(/"level":60/g) ?? []).length,
      errorLogs: (all.match(/"level":50/g) ?? []).length,
      tokenLeaks: all.split(fake.token).length - 1,
      rateLimits: { answered: requests429, injected: life.faults['Discord 429'] ?? 0, earned: fake.rateLimitHits },
      integrity,
      states,
      failedDigests,
      drained,
      sqliteWritten: existsSync(sqlitePath),
      rssMB: { peak, end: endRss },
      commands,
      logFile,
      lostWhy,
      corrections: { injected: corrections.injected, stories: corrections.material.size, trivial: corrections.trivialInjected, ...checked },
    };
    log(JSON.stringify(report, null, 2));
    return report;
  } finally {
    await fleet?.stop(5_000);
    await reader.close().catch(() => undefined);
    await database.close();
    await world.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}
