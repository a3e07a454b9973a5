// Issue #11: a large document whose every item the poll stores is stored a part at a time,
// while the worker reads the next part. Real SQLite, real parser on the real worker, the
// whole pipeline; the fetcher hands the document over in process. What is stored must be
// what reading the document whole stores; assertions are on counts, never on time.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IngestBounds } from '../../src/ingest/bounds.js';
import { createFeedReader, type FeedReader } from '../../src/ingest/feed-reader.js';
import { pollFeed, type IngestDeps } from '../../src/ingest/poll-feed.js';
import { documentFetcher, rssFeed, type TestItem } from '../fakes/feed-server.js';
import { createIngestEnv, type IngestEnv } from '../helpers/ingest-env.js';

const reader = createFeedReader();
let envs: IngestEnv[] = [];
const newEnv = (): IngestEnv => {
  const env = createIngestEnv({ FIRST_POLL_BACKLOG: '100000', MAX_ITEM_AGE_HOURS: '0' });
  env.writeFeeds([{ id: 'f', url: 'https://feeds.example.cn/f.xml' }]);
  envs.push(env);
  return env;
};
beforeEach(() => void (envs = []));
afterEach(() => {
  for (const env of envs) env.close();
});
afterAll(() => reader.close());

/** The shared reader, counting the parts each poll's document was handed over in. */
function counting(parts: number[]): FeedReader {
  return {
    ...reader,
    readBatches: (doc, opts, b, sliceBytes, onBatch) => {
      parts.push(0);
      return reader.readBatches(doc, opts, b, sliceBytes, (items, end) => {
        parts[parts.length - 1]!++;
        return onBatch(items, end);
      });
    },
  };
}

// Everything read and stored in one poll, documents over 16 KB on the worker, in parts of 8 KB.
const open: Partial<IngestBounds> = { scanItems: 1e6, itemsPerPoll: 1e6, floodItems: 1e6, offThreadBytes: 16 * 1024, sliceBytes: 8 * 1024, chunkItems: 50 };

function depsOf(env: IngestEnv, doc: () => string, bounds: Partial<IngestBounds>, parts: number[], routed: number[] = []): IngestDeps {
  const base = env.services.ingestDeps({ onNewStory: (id) => void routed.push(id) });
  return { ...base, fetcher: documentFetcher(doc, '"v1"'), reader: counting(parts), settings: { ...base.settings, bounds } };
}

const news = (n: number, from = 0): TestItem[] =>
  Array.from({ length: n }, (_, k) => {
    const i = from + k;
    return { title: `海盐县第${i}号通知`, guid: `n${i}`, link: `https://news.example.cn/a/${i}.html`, date: new Date(Date.UTC(2026, 0, 9) - (i % 97) * 60_000).toUTCString(), description: `<p>海盐县第${i}条正文。</p>` };
  });

const stored = (env: IngestEnv) =>
  env.services.db.prepare('SELECT a.item_key, a.title, a.published_at, s.postable, s.hold_reason FROM articles a JOIN stories s ON s.id = a.story_id ORDER BY a.item_key').all();
const count = (env: IngestEnv, sql: string) => env.services.db.prepare(sql).pluck().get() as number;

describe('a large document stored a part at a time', () => {
  it('stores, indexes and routes what reading it whole does, and records the poll once', async () => {
    const xml = rssFeed(news(1200), { title: '海盐新闻', link: 'https://news.example.cn/' });
    const byParts = newEnv();
    const parts: number[] = [];
    const routed: number[] = [];
    const r = await pollFeed(depsOf(byParts, () => xml, open, parts, routed), byParts.services.feeds.get('f')!);
    expect(r.status).toBe('fetched');
    expect(parts[0]).toBeGreaterThan(5);
    expect(r.items).toHaveLength(1200);
    expect(r.chunks).toBeGreaterThanOrEqual(1200 / 50);
    expect(routed).toHaveLength(1200);
    expect(count(byParts, 'SELECT count(*) FROM search_docs')).toBe(1200);
    const feed = byParts.services.feeds.get('f')!;
    expect(feed.bodyHash).not.toBeNull(); // every item stored: the validators advance
    expect(count(byParts, "SELECT item_count FROM feeds WHERE id = 'f'")).toBe(1200);

    const whole = newEnv();
    const once: number[] = [];
    const w = await pollFeed(depsOf(whole, () => xml, { ...open, sliceBytes: Infinity }, once), whole.services.feeds.get('f')!);
    expect(once).toEqual([1]);
    expect(stored(byParts)).toEqual(stored(whole));
    expect(r.warnings).toEqual(w.warnings);
    expect(new Set(r.items.map((i) => i.title))).toEqual(new Set(w.items.map((i) => i.title)));
  });

  it('reads the document whole when the order of storing matters or a key could be narrowed', async () => {
    const env = newEnv();
    const parts: number[] = [];
    // More items than one poll stores: the newest are kept, which only the whole document tells.
    const r = await pollFeed(depsOf(env, () => rssFeed(news(1200), { title: 't' }), { ...open, itemsPerPoll: 300 }, parts), env.services.feeds.get('f')!);
    expect(r.items).toHaveLength(300);
    // Items without a guid of their own: a sibling in another part could narrow a key.
    const noGuid = rssFeed(news(1200, 5000).map(({ guid: _, ...item }) => item), { title: 't' });
    await pollFeed(depsOf(env, () => noGuid, open, parts), env.services.feeds.get('f')!);
    expect(parts).toEqual([1, 1]);
  });

  it('a broken part fails the poll after the parts before it were stored; the mended document stores the rest, none twice', async () => {
    const env = newEnv();
    const parts: number[] = [];
    let xml = rssFeed(news(1200), { title: 't' }).replace('<title>海盐县第900号通知</title>', '<title>海盐县第900号通知</titel>');
    const deps = depsOf(env, () => xml, open, parts);
    const failed = await pollFeed(deps, env.services.feeds.get('f')!);
    expect(failed.status).toBe('error');
    expect(failed.errorKind).toBe('malformed');
    const before = count(env, 'SELECT count(*) FROM articles');
    expect(before).toBeGreaterThan(300);
    expect(before).toBeLessThan(900);
    expect(env.services.feeds.get('f')!.bodyHash).toBeNull();

    xml = rssFeed(news(1200), { title: 't' });
    const mended = await pollFeed(deps, env.services.feeds.get('f')!);
    expect(mended.status).toBe('fetched');
    expect(mended.items).toHaveLength(1200 - before);
    expect(count(env, 'SELECT count(*) FROM articles')).toBe(1200);
    expect(count(env, 'SELECT count(DISTINCT item_key) FROM articles')).toBe(1200);
    expect(count(env, 'SELECT count(*) FROM search_docs')).toBe(1200);
  });
});
