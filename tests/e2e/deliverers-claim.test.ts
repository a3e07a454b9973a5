// Two deliverers in claim mode over one store (issue #16), each with its own discord.js client
// on REST only, against the fake Discord with Discord's per-channel limit: every row posted
// exactly once, each channel by one deliverer, no 429; and the rows a deliverer left 'sending'
// when it stopped mid-send are posted by the other once their lease has run out (the clock
// is injected; the nonce makes the fake Discord answer a repeat with the first message).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSearchIndex } from '../../src/store/sqlite-search/index-writer.js';
import { openDatabase, type Db } from '../../src/store/database.js';
import type { Store } from '../../src/store/ports.js';
import { createSqliteStore } from '../../src/store/sqlite-store.js';
import { defaultGuildSeed, snowflake, startFakeDiscord, type FakeDiscord } from '../fakes/fake-discord.js';
import { queueStories, startDeliverer, type Deliverer } from '../helpers/deliverers.js';

const CHANNELS = 8;
const PER_CHANNEL = 6;
// The fake's windows are short; the deliverers are told the same, with their usual margin.
const limits = { perChannel: { limit: 5, windowMs: 1_100 }, global: { limit: 45, windowMs: 1_000 } };
// Heartbeats and looks fast enough for a test; the lease long, so only the injected clock ends it.
const claim = { renewMs: 50, ttlMs: 400, lookMs: 50, leaseMs: 60_000 };
const LEASE_MS = claim.leaseMs;

let fake: FakeDiscord;
let db: Db;
let store: Store;
let channels: string[];
let deliverers: Deliverer[] = [];
let skew = 0;
const now = () => Date.now() + skew;

beforeEach(async () => {
  const seed = defaultGuildSeed();
  const extra = Array.from({ length: CHANNELS }, (_, i) => ({ id: snowflake(), name: `news-${i + 1}`, type: 0 as const }));
  channels = extra.map((c) => c.id);
  fake = await startFakeDiscord({ guilds: [{ ...seed, channels: [...seed.channels, ...extra] }], rateLimit: { perChannel: 5, windowMs: 1000 } });
  db = openDatabase(':memory:');
  store = createSqliteStore(db, { index: createSearchIndex(db) });
  skew = 0;
});
afterEach(async () => {
  for (const d of deliverers) await d.close();
  deliverers = [];
  await fake.close();
  db.close();
});

const start = (id: string, wrap?: Parameters<typeof startDeliverer>[0]['wrap']) =>
  startDeliverer({ id, store, fake, limits, now, worker: { tickMs: 20, burstCap: 1000, claim }, wrap }).then((d) => (deliverers.push(d), d));
const titlesIn = (channelId: string) => fake.messages(channelId).filter((m) => !m.deleted).map((m) => String((m.body.embeds as Array<{ title?: string }>)[0]?.title));
const states = () => db.prepare('SELECT state, count(*) AS n FROM deliveries GROUP BY state ORDER BY state').all() as Array<{ state: string; n: number }>;

// Each step waits up to 30 s on a busy machine; a test has several.
describe('two deliverers share the outbox', { timeout: 120_000 }, () => {
  it('post every row exactly once, each channel from one deliverer, without a 429 and without a gateway session', async () => {
    const [a, b] = [await start('deliverer-a'), await start('deliverer-b')];
    queueStories(db, fake.guildId, channels, PER_CHANNEL, now());
    await fake.waitFor(() => channels.every((c) => titlesIn(c).length >= PER_CHANNEL), 30_000, 'every story posted');
    await fake.waitFor(() => states().every((s) => s.state === 'sent'), 5_000, 'every row recorded sent');
    for (const c of channels) {
      const titles = titlesIn(c);
      expect(titles).toHaveLength(PER_CHANNEL);
      expect(new Set(titles).size).toBe(PER_CHANNEL);
    }
    expect(states()).toEqual([{ state: 'sent', n: CHANNELS * PER_CHANNEL }]);
    // Both worked, on disjoint channels: a channel's posts keep one sender and one window.
    expect(a.channels.size).toBeGreaterThan(0);
    expect(b.channels.size).toBeGreaterThan(0);
    expect([...a.channels].filter((c) => b.channels.has(c))).toEqual([]);
    expect(a.channels.size + b.channels.size).toBe(CHANNELS);
    expect([a.worker.share(), b.worker.share()].map((s) => s?.count)).toEqual([2, 2]);
    expect(fake.rateLimitHits).toBe(0);
    expect(fake.identifies).toEqual([]);
    expect(fake.liveShards()).toEqual([]);
  });

  it('a held row skipped meanwhile (its channel paused elsewhere) is not sent', async () => {
    // A long window keeps three of eight rows held while the channel is paused.
    const d = await startDeliverer({ id: 'deliverer-a', store, fake, limits: { ...limits, perChannel: { limit: 5, windowMs: 5_000 } }, now, worker: { tickMs: 20, burstCap: 1000, claim } });
    deliverers.push(d);
    const [paused, other] = channels as [string, string];
    queueStories(db, fake.guildId, [paused], 8, now());
    // Five sent and recorded (pausing also skips a row whose send is under way).
    await fake.waitFor(() => states().some((x) => x.state === 'sent' && x.n === 5), 30_000, 'five posts recorded');
    expect(await store.outbox.skipChannel(paused, 'channel paused: test')).toBe(3);
    skew += 10_000; // the channel's window is over for the deliverer
    queueStories(db, fake.guildId, [other], 1, now(), 1);
    await fake.waitFor(() => states().some((x) => x.state === 'sent' && x.n === 6), 30_000, 'a later post elsewhere, recorded');
    expect(titlesIn(other)).toHaveLength(1);
    expect(titlesIn(paused)).toHaveLength(5);
    expect(states()).toEqual([{ state: 'sent', n: 6 }, { state: 'skipped', n: 3 }]);
  });

  it('keeps the burst cap as the one-process path does: the rows past it become one digest', async () => {
    const d = await startDeliverer({ id: 'deliverer-a', store, fake, limits, now, worker: { tickMs: 20, burstCap: 10, burstDigestDelayMs: 300, claim } });
    deliverers.push(d);
    const [channel] = channels as [string];
    queueStories(db, fake.guildId, [channel], 15, now());
    await fake.waitFor(() => (db.prepare("SELECT count(*) FROM digests WHERE state = 'sent'").pluck().get() as number) === 1, 30_000, 'the burst digest sent');
    expect(states()).toEqual([{ state: 'digested', n: 5 }, { state: 'sent', n: 10 }]);
    expect(fake.messages(channel).filter((m) => !m.deleted)).toHaveLength(11);
    expect(fake.rateLimitHits).toBe(0);
  });

  it('a deliverer that stops mid-send leaves its rows sending; the other posts them once after the lease', async () => {
    // Deliverer a posts, and then never hears back (its process is killed before recording it).
    let hung = 0;
    const never = new Promise<never>(() => {});
    const a = await start('deliverer-a', (p) => ({
      ...p,
      post: async (req) => {
        await p.post!(req);
        hung++;
        return never;
      },
    }));
    queueStories(db, fake.guildId, channels, PER_CHANNEL, now());
    await fake.waitFor(() => hung >= 3, 30_000, 'a few posts by deliverer a');
    await a.worker.stop(0);
    const sendingIds = () => db.prepare("SELECT id FROM deliveries WHERE state = 'sending' ORDER BY id").pluck().all() as number[];
    const stuck = sendingIds();
    expect(stuck.length).toBeGreaterThanOrEqual(3);

    const b = await start('deliverer-b');
    // Everything else goes out; the rows a left sending wait for their lease (a send of a's
    // still under way may yet fail and be retried, so the rows left are among the stuck ones).
    const settled = () => states().every((s) => s.state === 'sent' || s.state === 'sending') && sendingIds().every((id) => stuck.includes(id));
    await fake.waitFor(settled, 30_000, 'all but the stuck rows sent');
    expect(sendingIds().length).toBeGreaterThanOrEqual(3);

    skew += LEASE_MS + 1;
    await fake.waitFor(() => states().every((s) => s.state === 'sent'), 30_000, 'the stuck rows sent after the lease');
    for (const c of channels) {
      const titles = titlesIn(c);
      expect(titles).toHaveLength(PER_CHANNEL);
      expect(new Set(titles).size).toBe(PER_CHANNEL);
    }
    // Deliverer a's posts that it never recorded came back as the same messages.
    expect(fake.nonceReplays).toBeGreaterThanOrEqual(hung);
    expect(b.channels.size).toBe(CHANNELS);
    expect(fake.rateLimitHits).toBe(0);
  });
});
