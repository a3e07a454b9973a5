// The soak: the real bot process against the fake Discord and feed server, with faults
// injected at random, then the invariants. Used by `npm run soak` and by a 60 s test.
// Text, announcement and forum channels; feeds re-serve some posted items corrected (the
// posts must be edited in place, never posted again) or trivially changed (left alone).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/store/database.js';
import { createSubscriptionsRepo } from '../../src/store/subscriptions-repo.js';
import { startFakeDiscord, type FaultSpec } from '../fakes/fake-discord.js';
import { startFeedServer, type Route } from '../fakes/feed-server.js';
import { checkCorrections, correct, lateSource, newCorrections, postsOf, storedRevisions, storyOf, trivialChange, type CorrectionCheck } from './corrections.js';
import { buildFeeds, buildGuilds, buildSubscriptions, newStory, publish, serve, wants, type Story } from './world.js';

export interface SoakReport {
  readonly seconds: number;
  readonly stories: number;
  readonly expectedDeliveries: number;
  readonly delivered: number;
  readonly lost: number;
  readonly duplicates: number;
  /** Stories posted again when a second feed first carried them after their correction (a bot bug while > 0). */
  readonly lateReposts: number;
  /** A story both posted and listed in a burst digest in one channel (a bot bug while > 0: see the report). */
  readonly postedAndDigested: number;
  readonly duplicateExamples: string[];
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
  readonly channelKinds: Record<string, number>;
  readonly forumPosts: number;
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
  let rnd = opts.seed ?? 20261128;
  const random = () => ((rnd = (rnd * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const dir = mkdtempSync(join(tmpdir(), 'xiangxun-soak-'));
  const faults: Record<string, number> = {};
  const count = (k: string) => (faults[k] = (faults[k] ?? 0) + 1);

  const probe = await startFakeDiscord();
  const appId = probe.applicationId;
  await probe.close();
  const { guilds, channels, kinds } = buildGuilds(appId);
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
  const corrections = newCorrections();
  const fixed = (story: Story) => {
    story.sources.forEach((s) => serve(server, s.feed));
    return true;
  };
  // The bot's database, read only: whether it stored every copy of a story (see corrections.ts).
  const botDb = openDatabase(join(dir, 'bot.db'), { migrate: false });
  const allStored = (story: Story) => storedRevisions(botDb, story).every((r) => r !== undefined);
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
      // Now and then a story is corrected before the bot read it: it is first seen corrected.
      if (random() < 0.05 && correct(corrections, story) && fixed(story)) count('correction before the first poll');
    }
    // Corrections of stories published a while ago (most of them posted by now), and changes
    // that are not corrections; both only on items the feeds still serve.
    const older = stories.slice(-80, -4).filter(allStored);
    if (older.length && random() < 0.3) {
      const story = pick(older);
      if (correct(corrections, story) && fixed(story)) count('correction (title and text)');
    }
    if (older.length && random() < 0.2) {
      const story = pick(older);
      if (trivialChange(corrections, story) && fixed(story)) count('trivial change (spacing, digit and punctuation width)');
    }
    // A second feed first carries a story after its correction was stored (corrections.ts);
    // twice a run is enough to show whether the bot posts it again.
    if (corrections.late.size < 2 && random() < 0.06) {
      const story = older.find((s) => s.sources.length === 1 && corrections.material.has(s.n) && !corrections.late.has(s.n) && (storedRevisions(botDb, s)[0] ?? 0) > 0);
      const other = story && feeds.find((f) => f.region === story.region && f !== story.sources[0]!.feed);
      if (story && other) {
        lateSource(corrections, story, other);
        serve(server, other);
        count('second source first seen after a correction');
      }
    }
    // A moderator deletes a post, then its story is corrected: the edit must leave it alone.
    if (random() < 0.03) {
      const c = pick(channels.flat().filter((id) => kinds.get(id) !== 'forum' && !pausedAt.has(id)));
      const post = fake.messages(c).findLast((m) => !m.deleted && storyOf(m.body) !== null);
      const story = post ? stories[storyOf(post.body)! - 1] : undefined;
      if (post && story && allStored(story) && correct(corrections, story) && fixed(story)) {
        fake.deleteMessage(post.id);
        count('post deleted by a moderator, then corrected');
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
    const discordFailure = (route: string, fault: FaultSpec, kind: string) => {
      fake.failNext(route, 1, fault);
      count(kind);
    };
    if (r < 0.06) feedFault('feed timeout', { fault: 'timeout' });
    else if (r < 0.12) feedFault('feed 5xx', { status: 503, body: 'down' });
    else if (r < 0.16) feedFault('malformed XML', { body: '<rss><channel><item><title>x</title></channel>' });
    else if (r < 0.22) discordFault('Discord 429', 429);
    else if (r < 0.28) discordFault('Discord 5xx', 502);
    else if (r < 0.31) await fake.reconnect(5_000).then(() => count('gateway reconnect + resume'), () => count('gateway reconnect (bot was restarting)'));
    else if (r < 0.34) discordFailure('POST /channels/:id/threads', { status: 502 }, 'Discord 5xx on a forum post');
    else if (r < 0.37) discordFailure('POST /channels/:id/threads', { status: 'reset', afterProcessing: true }, 'forum post made, answer lost');
    else if (r < 0.40) discordFailure('POST /channels/:id/messages', { status: 'reset', afterProcessing: true }, 'message posted, answer lost');
    else if (r < 0.44) discordFailure('PATCH /channels/:id/messages/:id', { status: 502 }, 'Discord 5xx on an edit');
    else if (r < 0.47) discordFailure('PATCH /channels/:id/messages/:id', { status: 'reset', afterProcessing: true }, 'edit made, answer lost');
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

  botDb.close();
  // Quiesce: every feed healthy again, and feeds in backoff resumed (as `xiangxun feeds resume`
  // does), so the check need not wait out a backoff of several minutes; then every delivery.
  feeds.forEach((f) => serve(server, f));
  fake.clearFaults();
  const ops = openDatabase(join(dir, 'bot.db'), { migrate: false });
  ops.prepare('UPDATE feeds SET next_poll_at = NULL').run();
  ops.close();
  const active = channels.flat().filter((c) => !pausedAt.has(c));
  const expected = new Map<string, Set<number>>(active.map((c) => [c, new Set(stories.filter((s) => wants(subs, c, s)).map((s) => s.n))]));
  // The story numbers each message carries (a post names its story in the title and summary);
  // a forum's messages are its posts' starter messages.
  const seen = (c: string) => postsOf(fake, c, kinds.get(c) ?? 'text').flatMap((m) => [...new Set([...JSON.stringify(m.body).matchAll(/【S(\d+)】/g)].map((x) => Number(x[1])))]);
  const byNumber = new Map(stories.map((s) => [s.n, s]));
  const paused = new Set(pausedAt.keys());
  const checkOpts = { channels: channels.flat(), paused, kinds, stories: byNumber, corrections };
  const stale = () => checkCorrections(fake, { ...checkOpts, final: false }).stale;
  // Each channel's messages are read once per check: this process also serves the feeds, and a
  // check that blocked it for seconds would make the bot see feed timeouts that no fault caused.
  const missing = () =>
    active.reduce((sum, c) => {
      const got = new Set(seen(c));
      return sum + [...expected.get(c)!].filter((x) => !got.has(x)).length;
    }, 0);
  const deadline = Date.now() + 180_000; // a burst digest waits a minute to gather stories
  while ((missing() > 0 || stale() > 0) && Date.now() < deadline) await sleep(1000);
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
  const delivered = active.reduce((sum, c) => sum + seen(c).length, 0);
  // A story in a channel more than once; those a late second source brought are counted apart.
  const duplicateExamples: string[] = [];
  let duplicates = 0;
  let lateReposts = 0;
  let postedAndDigested = 0;
  for (const c of active) {
    const times = new Map<number, number>();
    for (const x of seen(c)) times.set(x, (times.get(x) ?? 0) + 1);
    const posted = new Map<number, number>();
    for (const m of postsOf(fake, c, kinds.get(c) ?? 'text')) if (storyOf(m.body) !== null) posted.set(storyOf(m.body)!, (posted.get(storyOf(m.body)!) ?? 0) + 1);
    for (const [x, k] of times) {
      if (k < 2) continue;
      const why = corrections.late.has(x) ? 'a second source first seen after its correction' : (posted.get(x) ?? 0) === 1 ? 'posted, and listed in a digest' : '';
      if (corrections.late.has(x)) lateReposts += k - 1;
      else if (why) postedAndDigested += k - 1;
      else duplicates += k - 1;
      if (duplicateExamples.length < 10) duplicateExamples.push(`S${x} ×${k} in ${kinds.get(c)} ${c}${why ? ` (${why})` : ''}`);
    }
  }
  const afterPause = [...pausedAt].reduce((sum, [c, at]) => sum + postsOf(fake, c, kinds.get(c) ?? 'text').filter((m) => m.createdAt > at).length, 0);
  const checked = checkCorrections(fake, { ...checkOpts, final: true });
  const tally = <T>(xs: Iterable<T>) => [...xs].reduce<Record<string, number>>((o, k) => ({ ...o, [String(k)]: (o[String(k)] ?? 0) + 1 }), {});
  const warmMB = warm.length ? warm[Math.floor(warm.length / 3)]!.mb : endMb;
  const report: SoakReport = {
    seconds: Math.round((Date.now() - started) / 1000),
    stories: stories.length,
    expectedDeliveries: [...expected.values()].reduce((s, x) => s + x.size, 0),
    delivered,
    lost: missing(),
    duplicates,
    lateReposts,
    postedAndDigested,
    duplicateExamples,
    afterPause,
    faults,
    restarts,
    unhandled: (all.match(/unhandled rejection|uncaughtException/gi) ?? []).length,
    tokenLeaks: all.split(fake.token).length - 1,
    rss: { warmMB: Math.round(warmMB), endMB: Math.round(endMb), growth: warmMB ? Math.round(((endMb - warmMB) / warmMB) * 100) : 0 },
    integrity,
    rateLimitHits: fake.rateLimitHits,
    // A post names one story in its headline; a digest (in a forum, a post of its own) lists several.
    posts: fake.allMessages().filter((m) => storyOf(m.body) !== null).length,
    digests: fake.allMessages().filter((m) => storyOf(m.body) === null).length,
    channelKinds: tally(kinds.values()),
    forumPosts: fake.threads().filter((t) => t.kind === 'forum-post').length,
    corrections: { injected: corrections.injected, stories: corrections.material.size, trivial: corrections.trivialInjected, editStates, ...checked },
  };
  log(JSON.stringify(report, null, 2));
  await fake.close();
  await server.close();
  return report;
}
