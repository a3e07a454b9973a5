// The ingest over the store's ports (issue #16): a feed is polled only under its lease, so two
// pollers never fetch one feed at once, and storing a story and routing it are one unit of
// work, so a failure while routing stores neither. Real SQLite store, parser and feed server.
import { describe, expect, it } from 'vitest';
import { pollMany } from '../../src/ingest/poll-many.js';
import { rssFeed } from '../fakes/feed-server.js';
import { useIngestWorld } from '../helpers/ingest-env.js';

const world = useIngestWorld();

const items = (feed: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({ title: `${feed}:嘉兴市第${i}条民生新闻发布`, guid: `${feed}-${i}`, date: new Date(Date.UTC(2026, 11, 4, i)).toUTCString(), description: `<p>第${i}条</p>` }));

function serve(...ids: string[]) {
  for (const id of ids) world.server.setRoute(`/${id}.xml`, { body: rssFeed(items(id, 2), { title: id }) });
  world.env.writeFeeds(ids.map((id) => ({ id, url: world.server.url(`/${id}.xml`), interval: 30 })));
}
const count = (sql: string) => world.env.services.db.prepare(sql).pluck().get() as number;

describe('poll leases', () => {
  it('skips a feed another poller holds, polls it once the lease is released, and releases its own', async () => {
    serve('a', 'b');
    const { store } = world.env.services;
    const now = world.env.clock.now;
    expect(await store.leases.acquire('a', 'other-poller', now, 60_000)).toBe(true);
    const first = await pollMany(world.env.services.ingestDeps({}), world.env.services.feeds.list());
    expect(first.map((r) => r.feedId)).toEqual(['b']);
    expect(count("SELECT count(*) FROM articles WHERE feed_id = 'a'")).toBe(0);

    await store.leases.release('a', 'other-poller');
    const second = await pollMany(world.env.services.ingestDeps({}), [world.env.services.feeds.get('a')!]);
    expect(second.map((r) => [r.feedId, r.items.length])).toEqual([['a', 2]]);
    // The poller let go of its lease when the poll ended: another takes it at once.
    expect(await store.leases.acquire('a', 'other-poller', now, 60_000)).toBe(true);
  });

  it('a lease past its time no longer keeps a feed from being polled', async () => {
    serve('a');
    const { store } = world.env.services;
    expect(await store.leases.acquire('a', 'crashed-poller', world.env.clock.now, 1000)).toBe(true);
    world.env.clock.now += 1001;
    const reports = await pollMany(world.env.services.ingestDeps({}), world.env.services.feeds.list());
    expect(reports.map((r) => r.feedId)).toEqual(['a']);
  });

  it('skips a feed polled since the caller read it and not due again (another poller was first)', async () => {
    serve('a');
    const stale = world.env.services.feeds.get('a')!;
    expect(await pollMany(world.env.services.ingestDeps({}), [stale])).toHaveLength(1);
    expect(await pollMany(world.env.services.ingestDeps({}), [stale])).toEqual([]);
  });
});

describe('storing and routing are one unit of work', () => {
  it('a routing failure stores neither the stories of its chunk nor their outbox rows; the next poll stores them', async () => {
    serve('a');
    let calls = 0;
    const failing = world.env.services.ingestDeps({
      onNewStory: async (storyId, _facts, tx) => {
        await tx.outbox.enqueue({ storyId, guildId: 'g', channelId: 'c', subscriptionId: null, mode: 'instant', state: 'pending', reason: null }, world.env.clock.now);
        if (++calls === 2) throw new Error('routing failed');
      },
    });
    const [report] = await pollMany(failing, world.env.services.feeds.list());
    expect(report!.status).toBe('error');
    expect(count('SELECT count(*) FROM stories')).toBe(0);
    expect(count('SELECT count(*) FROM articles')).toBe(0);
    expect(count('SELECT count(*) FROM deliveries')).toBe(0);

    world.env.clock.now += 24 * 3_600_000; // past the failure's back-off
    const routed: number[] = [];
    const [again] = await pollMany(world.env.services.ingestDeps({ onNewStory: (id) => void routed.push(id) }), world.env.services.feeds.list());
    expect(again!.items).toHaveLength(2);
    expect(routed).toHaveLength(2);
    expect(count('SELECT count(*) FROM stories')).toBe(2);
  });
});
