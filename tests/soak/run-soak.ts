// The soak: the real bot process against the fake Discord and feed server, with faults
// injected at random, then the invariants. Used by `npm run soak` and by a 60 s test.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/store/database.js';
import { createSubscriptionsRepo } from '../../src/store/subscriptions-repo.js';
import { startFakeDiscord } from '../fakes/fake-discord.js';
import { startFeedServer, type Route } from '../fakes/feed-server.js';
import { buildFeeds, buildGuilds, buildSubscriptions, newStory, publish, serve, wants, type Story } from './world.js';

export interface SoakReport {
  readonly seconds: number;
  readonly stories: number;
  readonly expectedDeliveries: number;
  readonly delivered: number;
  readonly lost: number;
  readonly duplicates: number;
  readonly afterPause: number;
  readonly faults: Record<string, number>;
  readonly restarts: number;
  readonly unhandled: number;
  readonly tokenLeaks: number;
  readonly rss: { warmMB: number; endMB: number; growth: number };
  readonly integrity: string;
  readonly rateLimitHits: number;
  readonly posts: number;
  readonly digests: number;
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
  let rnd = opts.seed ?? 20261128;
  const random = () => ((rnd = (rnd * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const dir = mkdtempSync(join(tmpdir(), 'xiangxun-soak-'));
  const faults: Record<string, number> = {};
  const count = (k: string) => (faults[k] = (faults[k] ?? 0) + 1);

  const probe = await startFakeDiscord();
  const appId = probe.applicationId;
  await probe.close();
  const { guilds, channels } = buildGuilds(appId);
  const fake = await startFakeDiscord({ guilds, rateLimit: { perChannel: 5, windowMs: 5000 } });
  const server = await startFeedServer();
  const feeds = buildFeeds(opts.feeds ?? 50);
  feeds.forEach((f) => serve(server, f));
  writeFileSync(join(dir, 'feeds.json'), JSON.stringify({ feeds: feeds.map((f) => ({ id: f.id, name: f.id, url: server.url(`/${f.id}.xml`), region: f.region, fullText: 'never' })) }));
  const subs = buildSubscriptions(channels);
  const db = openDatabase(join(dir, 'bot.db'));
  const repo = createSubscriptionsRepo(db);
  for (const s of subs) repo.subscribe({ guildId: guilds[s.guild]!.id, channelId: s.channelId, regionCode: s.region, mode: 'instant', include: s.include, exclude: s.exclude, createdBy: 'soak' }, Date.now());
  db.close();

  const env = {
    ...process.env,
    DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: fake.applicationId, DISCORD_API_BASE: fake.apiBase,
    DATABASE_PATH: join(dir, 'bot.db'), FEEDS_FILE: join(dir, 'feeds.json'), POLL_CRON: '*/3 * * * * *',
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

  const stories: Story[] = [];
  const pausedAt = new Map<string, number>();
  const started = Date.now();
  const end = started + opts.seconds * 1000;
  let n = 0;
  let lastKill = started;
  while (Date.now() < end) {
    // Publishing: one or two new stories, sometimes the same story in a second feed.
    for (let k = 0; k < 1 + Math.floor(random() * 2); k++) {
      const feed = pick(feeds);
      const story = newStory(++n, feed);
      stories.push(story);
      publish(feed, story);
      serve(server, feed);
      if (random() < 0.2) {
        const twin = feeds.find((f) => f !== feed && f.region === feed.region);
        if (twin) {
          publish(twin, story, '-twin');
          serve(server, twin);
          count('duplicate across feeds');
        }
      }
    }
    // Faults.
    const r = random();
    const feedFault = (kind: string, route: Route) => {
      server.setRoute(`/${pick(feeds).id}.xml`, route);
      count(kind);
    };
    const discordFault = (kind: string, status: 429 | 502) => {
      fake.failNext('POST /channels/:id/messages', 1, status === 429 ? { status, retryAfter: 0.3 } : { status });
      count(kind);
    };
    if (r < 0.06) feedFault('feed timeout', { fault: 'timeout' });
    else if (r < 0.12) feedFault('feed 5xx', { status: 503, body: 'down' });
    else if (r < 0.16) feedFault('malformed XML', { body: '<rss><channel><item><title>x</title></channel>' });
    else if (r < 0.22) discordFault('Discord 429', 429);
    else if (r < 0.28) discordFault('Discord 5xx', 502);
    else if (r < 0.31) await fake.reconnect(5_000).then(() => count('gateway reconnect + resume'), () => count('gateway reconnect (bot was restarting)'));
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
    if (!pausedAt.size && Date.now() - started > opts.seconds * 300) {
      const [deleted, denied] = [channels[1]![2]!, channels[2]![3]!];
      fake.deleteChannel(deleted);
      fake.denyPermission(denied);
      pausedAt.set(deleted, Date.now()).set(denied, Date.now());
      count('channel deleted (10003)');
      count('permission removed (50013)');
    }
    // Healing: faulty feeds recover on the next publish of that feed.
    if (random() < 0.3) serve(server, pick(feeds));
    rssSamples.push({ pid: bot!.pid!, at: Date.now(), mb: rssOf(bot!.pid) });
    await sleep(1000);
  }

  // Quiesce: every feed healthy again, and feeds in backoff resumed (as `xiangxun feeds resume`
  // does), so the check need not wait out a backoff of several minutes; then every delivery.
  feeds.forEach((f) => serve(server, f));
  fake.clearFaults();
  const ops = openDatabase(join(dir, 'bot.db'), { migrate: false });
  ops.prepare('UPDATE feeds SET next_poll_at = NULL').run();
  ops.close();
  const active = channels.flat().filter((c) => !pausedAt.has(c));
  const expected = new Map<string, Set<number>>(active.map((c) => [c, new Set(stories.filter((s) => wants(subs, c, s)).map((s) => s.n))]));
  // The story numbers each message carries (a post names its story in the title and summary).
  const seen = (c: string) => fake.messages(c).flatMap((m) => [...new Set([...JSON.stringify(m.body).matchAll(/【S(\d+)】/g)].map((x) => Number(x[1])))]);
  // Each channel's messages are read once per check: this process also serves the feeds, and a
  // check that blocked it for seconds would make the bot see feed timeouts that no fault caused.
  const missing = () =>
    active.reduce((sum, c) => {
      const got = new Set(seen(c));
      return sum + [...expected.get(c)!].filter((x) => !got.has(x)).length;
    }, 0);
  const deadline = Date.now() + 180_000; // a burst digest waits a minute to gather stories
  while (missing() > 0 && Date.now() < deadline) await sleep(1000);
  await sleep(3000);

  const warm = rssSamples.filter((s) => s.pid === bot!.pid && s.mb > 0);
  const endMb = rssOf(bot!.pid);
  bot!.kill('SIGTERM');
  await new Promise((res) => bot!.once('exit', res));
  const check = openDatabase(join(dir, 'bot.db'), { migrate: false });
  const integrity = String(check.pragma('integrity_check', { simple: true }));
  check.close();

  const all = output.join('');
  const delivered = active.reduce((sum, c) => sum + seen(c).length, 0);
  const duplicates = active.reduce((sum, c) => sum + seen(c).length - new Set(seen(c)).size, 0);
  const afterPause = [...pausedAt].reduce((sum, [c, at]) => sum + fake.messages(c).filter((m) => m.createdAt > at).length, 0);
  const warmMB = warm.length ? warm[Math.floor(warm.length / 3)]!.mb : endMb;
  const report: SoakReport = {
    seconds: Math.round((Date.now() - started) / 1000),
    stories: stories.length,
    expectedDeliveries: [...expected.values()].reduce((s, x) => s + x.size, 0),
    delivered,
    lost: missing(),
    duplicates,
    afterPause,
    faults,
    restarts,
    unhandled: (all.match(/unhandled rejection|uncaughtException/gi) ?? []).length,
    tokenLeaks: all.split(fake.token).length - 1,
    rss: { warmMB: Math.round(warmMB), endMB: Math.round(endMb), growth: warmMB ? Math.round(((endMb - warmMB) / warmMB) * 100) : 0 },
    integrity,
    rateLimitHits: fake.rateLimitHits,
    posts: fake.allMessages().filter((m) => !String(m.nonce ?? '').startsWith('xxg')).length,
    digests: fake.allMessages().filter((m) => String(m.nonce ?? '').startsWith('xxg')).length,
  };
  log(JSON.stringify(report, null, 2));
  await fake.close();
  await server.close();
  return report;
}
