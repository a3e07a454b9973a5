// What both soaks share (the one-process soak on SQLite, run-soak.ts, and the multi-process
// one on Postgres, postgres-soak.ts): the world they build (fake Discord, feed server, feeds,
// channels and subscriptions) and one second of their life — publishing, corrections, moderator
// deletes, faults at Discord and at the feeds, the pause of two channels, feeds healing.
// Where the bot process(es) run and which database they keep is the caller's business; what
// this needs from the database is one question: which copies of a story are stored (`stored`).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { snowflake, startFakeDiscord, type FakeDiscord, type FaultSpec, type GuildSeed } from '../fakes/fake-discord.js';
import { startFeedServer, type FeedServer, type Route } from '../fakes/feed-server.js';
import { correct, lateSource, newCorrections, storyOf, trivialChange, type Corrections } from './corrections.js';
import { buildFeeds, buildGuilds, buildSubscriptions, newStory, publish, serve, type ChannelKind, type SoakFeed, type Story, type Sub } from './world.js';

export interface SoakWorld {
  readonly fake: FakeDiscord;
  readonly server: FeedServer;
  readonly feeds: SoakFeed[];
  readonly guilds: GuildSeed[];
  readonly channels: string[][];
  readonly kinds: Map<string, ChannelKind>;
  readonly subs: Sub[];
  /** FEEDS_FILE for the bot: every feed on the local feed server. */
  readonly feedsFile: string;
  /** A member of the first server who runs commands (with `reader`), else ''. */
  readonly readerId: string;
  close(): Promise<void>;
}

/** The fake Discord (Discord's per-channel limits), the feed server serving `feeds` feeds, and FEEDS_FILE in `dir`. */
export async function createSoakWorld(dir: string, opts: { feeds?: number; reader?: boolean } = {}): Promise<SoakWorld> {
  const probe = await startFakeDiscord();
  const appId = probe.applicationId;
  await probe.close();
  const { guilds, channels, kinds } = buildGuilds(appId);
  const readerId = opts.reader ? snowflake() : '';
  if (readerId) guilds[0]!.members.push({ user: { id: readerId, username: 'reader' }, roles: [] });
  const fake = await startFakeDiscord({ guilds, rateLimit: { perChannel: 5, windowMs: 5000 } });
  const server = await startFeedServer();
  const feeds = buildFeeds(opts.feeds ?? 50);
  feeds.forEach((f) => serve(server, f));
  const feedsFile = join(dir, 'feeds.json');
  writeFileSync(feedsFile, JSON.stringify({ feeds: feeds.map((f) => ({ id: f.id, name: f.id, url: server.url(`/${f.id}.xml`), region: f.region, fullText: 'never' })) }));
  const subs = buildSubscriptions(channels);
  return {
    fake, server, feeds, guilds, channels, kinds, subs, feedsFile, readerId,
    close: async () => {
      await fake.close();
      await server.close();
    },
  };
}

/** The soak's seeded random numbers (the same sequence in both soaks for one seed). */
export function seededRandom(seed = 20261128): { random: () => number; pick: <T>(xs: readonly T[]) => T } {
  let rnd = seed;
  const random = () => ((rnd = (rnd * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  return { random, pick: <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]! };
}

export interface SoakLife {
  readonly stories: Story[];
  readonly corrections: Corrections;
  /** Channels paused on purpose (deleted; permission removed), and when. */
  readonly pausedAt: Map<string, number>;
  /** Faults and events injected, by kind. */
  readonly faults: Record<string, number>;
  count(kind: string): void;
  /** Publishing, corrections, moderator deletes and one fault at random. */
  tick(): Promise<void>;
  /** Two channels lose the bot (once, 30 % into the run), and a random feed heals. */
  settle(): void;
  /** Every feed healthy again and every Discord fault cleared: the end of the faults. */
  heal(): void;
}

export function soakLife(
  world: SoakWorld,
  opts: {
    readonly random: () => number;
    readonly pick: <T>(xs: readonly T[]) => T;
    /** What the bot stored of each copy of a story (corrections.ts storedRevisions), undefined while not stored. */
    readonly stored: (story: Story) => Array<number | undefined>;
    readonly started: number;
    readonly seconds: number;
  },
): SoakLife {
  const { fake, server, feeds, channels, kinds } = world;
  const { random, pick } = opts;
  const stories: Story[] = [];
  const corrections = newCorrections();
  const pausedAt = new Map<string, number>();
  const faults: Record<string, number> = {};
  const count = (k: string) => (faults[k] = (faults[k] ?? 0) + 1);
  const fixed = (story: Story) => {
    story.sources.forEach((s) => serve(server, s.feed));
    return true;
  };
  const allStored = (story: Story) => opts.stored(story).every((r) => r !== undefined);
  let n = 0;

  async function tick(): Promise<void> {
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
      const story = older.find((s) => s.sources.length === 1 && corrections.material.has(s.n) && !corrections.late.has(s.n) && (opts.stored(s)[0] ?? 0) > 0);
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
  }

  function settle(): void {
    if (!pausedAt.size && Date.now() - opts.started > opts.seconds * 300) {
      const [deleted, denied] = [channels[1]![2]!, channels[2]![3]!];
      fake.deleteChannel(deleted);
      fake.denyPermission(denied);
      pausedAt.set(deleted, Date.now()).set(denied, Date.now());
      count('channel deleted (10003)');
      count('permission removed (50013)');
    }
    // Healing: faulty feeds recover on the next publish of that feed.
    if (random() < 0.3) serve(server, pick(feeds));
  }

  return {
    stories, corrections, pausedAt, faults, count, tick, settle,
    heal: () => {
      feeds.forEach((f) => serve(server, f));
      fake.clearFaults();
    },
  };
}
