// Issue #11: a hostile feed (a flood of undated items, megabyte titles) costs a poll what a
// normal feed costs. Real SQLite, real parser and pipeline; the fetcher is an in-process
// fake that hands over the document. Assertions are on counts of work, never on time.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IngestBounds } from '../../src/ingest/bounds.js';
import { createFeedReader, inlineFeedReader, type FeedReader } from '../../src/ingest/feed-reader.js';
import { pollFeed, type IngestDeps } from '../../src/ingest/poll-feed.js';
import { createFeedBoundsRepo } from '../../src/store/feed-bounds-repo.js';
import { documentFetcher, rssFeed, type TestItem } from '../fakes/feed-server.js';
import { createIngestEnv, type IngestEnv } from '../helpers/ingest-env.js';

let env: IngestEnv;
beforeEach(() => {
  env = createIngestEnv({ FIRST_POLL_BACKLOG: '100000', MAX_ITEM_AGE_HOURS: '0' });
  env.writeFeeds([{ id: 'f', url: 'https://feeds.example.cn/f.xml' }]);
});
afterEach(() => env.close());

function depsWith(doc: () => string, bounds: Partial<IngestBounds>, routed: number[] = [], reader?: FeedReader): IngestDeps {
  const base = env.services.ingestDeps({ onNewStory: (id) => void routed.push(id) });
  return { ...base, fetcher: documentFetcher(doc, '"v1"'), settings: { ...base.settings, bounds }, ...(reader ? { reader } : {}) };
}

/** A reader that notes where each document was read. */
function watched(reader: FeedReader, where: string[]): FeedReader {
  return {
    ...reader,
    prepare: async (doc, b) => {
      const prepared = await reader.prepare(doc, b);
      where.push(prepared.offThread ? 'worker' : 'main');
      return prepared;
    },
  };
}

const undated = (n: number): TestItem[] => Array.from({ length: n }, (_, i) => ({ title: `无日期的消息${i}号`, guid: `u${i}`, description: `<p>第${i}条</p>` }));
const count = (sql: string) => env.services.db.prepare(sql).pluck().get() as number;

describe('a feed that suddenly carries thousands of undated items', () => {
  const bounds = { scanItems: 300, itemsPerPoll: 50, floodItems: 1000, chunkItems: 20, chunkMs: 1e9 };

  it('is flagged, not swallowed: the newest N stored and held, the rest counted, storing in chunks', async () => {
    const xml = rssFeed(undated(5000), { title: 'flood' });
    const routed: number[] = [];
    const r = await pollFeed(depsWith(() => xml, bounds, routed), env.services.feeds.get('f')!);
    expect(r.status).toBe('fetched');
    expect(r.itemsInFeed).toBe(5000);
    expect(r.items).toHaveLength(50);
    expect(r.itemsDropped).toBe(4950);
    expect(r.flagged).toMatch(/5000 items/);
    expect(r.items.every((i) => !i.postable && i.holdReason === r.flagged)).toBe(true);
    expect(r.chunks).toBe(3); // 20 + 20 + 10: the loop is given back twice
    expect(count('SELECT count(*) FROM articles')).toBe(50);
    expect(count('SELECT count(*) FROM search_docs')).toBe(50);
    expect(routed).toHaveLength(50); // routing ran with each story (it skips held ones itself)
    const recorded = createFeedBoundsRepo(env.services.db).get('f');
    expect(recorded).toMatchObject({ itemsInFeed: 5000, lastDropped: 4950, droppedTotal: 4950, flag: r.flagged });
    expect(createFeedBoundsRepo(env.services.db).all().has('f')).toBe(true);
    // New items wait: the validators stay, so the next poll reads the document again.
    expect(env.services.feeds.get('f')!.bodyHash).toBeNull();
  });

  it('later polls drain what was read, a bounded number each time', async () => {
    const xml = rssFeed(undated(5000), { title: 'flood' });
    const deps = depsWith(() => xml, bounds);
    const sizes: number[] = [];
    for (let i = 0; i < 8; i++) sizes.push((await pollFeed(deps, env.services.feeds.get('f')!)).items.length);
    expect(sizes).toEqual([50, 50, 50, 50, 50, 50, 0, 0]);
    expect(count('SELECT count(*) FROM articles')).toBe(300);
    expect(new Set(env.services.db.prepare('SELECT doc FROM search_docs').pluck().all()).size).toBe(300);
  });

  it('a normal feed is not flagged, drops nothing and is stored in one transaction', async () => {
    const items = undated(20).map((it, i) => ({ ...it, date: new Date(Date.now() - i * 60_000).toUTCString() }));
    const r = await pollFeed(depsWith(() => rssFeed(items, { title: 'ok' }), bounds), env.services.feeds.get('f')!);
    expect(r).toMatchObject({ itemsInFeed: 20, itemsDropped: 0, flagged: null, chunks: 1 });
    expect(r.items.every((i) => i.postable)).toBe(true);
    expect(env.services.feeds.get('f')!.bodyHash).not.toBeNull();
  });
});

describe('a large document', () => {
  it('is decoded, cut and parsed on the worker thread, with the same outcome as on the main thread', async () => {
    const xml = rssFeed(undated(3000), { title: 'flood' });
    const bounds = { scanItems: 300, itemsPerPoll: 500, floodItems: 1000, offThreadBytes: 64 * 1024 };
    expect(Buffer.byteLength(xml)).toBeGreaterThan(bounds.offThreadBytes);
    const worker = createFeedReader();
    const where: string[] = [];
    try {
      const away = await pollFeed(depsWith(() => xml, bounds, [], watched(worker, where)), env.services.feeds.get('f')!, { dryRun: true });
      const here = await pollFeed(depsWith(() => xml, bounds, [], watched(inlineFeedReader(), where)), env.services.feeds.get('f')!, { dryRun: true });
      expect(where).toEqual(['worker', 'main']);
      expect({ ...away, ms: 0 }).toEqual({ ...here, ms: 0 });
      expect(away).toMatchObject({ itemsInFeed: 3000, itemsDropped: 2700 });
      expect(away.items).toHaveLength(300);
      // A second poll of the same document, all items stored by now, skips the parse.
      await pollFeed(depsWith(() => xml, bounds, [], watched(worker, where)), env.services.feeds.get('f')!);
      const again = await pollFeed(depsWith(() => xml, bounds, [], watched(worker, where)), env.services.feeds.get('f')!);
      expect(again).toMatchObject({ status: 'fetched', itemsInFeed: 3000, items: [] });
      expect(count('SELECT count(*) FROM articles')).toBe(300);
    } finally {
      await worker.close();
    }
  });
});

describe('text bounds', () => {
  it('a megabyte title and body are stored and indexed cut, at a character boundary', async () => {
    const huge = '嘉兴'.repeat(200_000); // 1.2 MB of UTF-8
    const xml = rssFeed([{ title: huge, guid: 'big', description: `<p>${huge}</p>`, date: new Date().toUTCString() }], { title: 'big' });
    const r = await pollFeed(depsWith(() => xml, { titleBytes: 300, htmlBytes: 4000, textBytes: 2000 }), env.services.feeds.get('f')!);
    expect(r.items).toHaveLength(1);
    const row = env.services.db.prepare('SELECT title, html, text FROM articles').get() as { title: string; html: string; text: string };
    expect(Buffer.byteLength(row.title)).toBeLessThanOrEqual(300);
    expect(row.title).toBe('嘉兴'.repeat(50));
    expect(Buffer.byteLength(row.html)).toBeLessThanOrEqual(4000);
    expect(Buffer.byteLength(row.text)).toBeLessThanOrEqual(2000);
    expect(row.text).not.toContain('\ufffd');
  });
});
