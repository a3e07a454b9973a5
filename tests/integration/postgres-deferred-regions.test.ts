// A new story's regions wait to ride with its first article's insert (one round trip fewer),
// but nothing can read around them: a read in between, an index call, and the commit each
// write them first. Skipped without TEST_DATABASE_URL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { openPostgresStore } from '../../src/app/store-open.js';
import type { Store } from '../../src/store/ports.js';
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from '../helpers/postgres.js';

const T = Date.UTC(2026, 2, 1);
const tags = [
  { code: '330400', confidence: 0.9, source: 'body' as const },
  { code: '330000', confidence: 0.5, source: 'feed' as const },
];
const article = (storyId: number, key: string) => ({
  feedId: 'f', storyId, itemKey: key, guid: null, url: null, canonicalUrl: null, title: '河堤防汛演练', html: '', text: '志愿者清理河道。', body: null,
  author: null, sourceOutlet: null, breadcrumb: [], publishedAt: T, firstSeenAt: T, script: 'simplified' as const, summary: null,
});

describe.skipIf(!TEST_DATABASE_URL)('Postgres new-story regions (real server)', () => {
  let tdb: TestDatabase;
  let store: Store;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    store = await openPostgresStore(tdb.url, { search: { now: () => T } });
    const c = new pg.Client({ connectionString: tdb.url });
    await c.connect();
    await c.query(`INSERT INTO feeds (id, name, url, region, created_at) VALUES ('f', 'f', 'https://f.example/rss', '330400', 0)`);
    await c.end();
  });
  afterAll(async () => {
    await store?.close();
    await tdb?.drop();
  });

  const story = (tx: Parameters<Parameters<Store['transaction']>[0]>[0], key: string) =>
    tx.articles.insertStory({ titleKey: key, publishedAt: T, firstSeenAt: T, postable: true, holdReason: null });

  it('are stored with the article, seen by a read in between, and stored at commit when nothing follows', async () => {
    const [withArticle, readBetween, alone] = await store.transaction(async (tx) => {
      const a = await story(tx, 'a');
      await tx.articles.addRegions(a, tags, { newStory: true });
      await tx.articles.insertArticle(article(a, 'a'));
      const b = await story(tx, 'b');
      await tx.articles.addRegions(b, tags, { newStory: true });
      const counted = await tx.articles.regionCounts(['330400'], 0);
      await tx.articles.insertArticle(article(b, 'b'));
      const c = await story(tx, 'c');
      await tx.articles.addRegions(c, tags, { newStory: true });
      return [a, counted.get('330400'), c] as const;
    });
    expect(readBetween).toBe(2);
    expect((await store.articles.story(withArticle))?.regions.map((r) => r.code)).toEqual(['330400', '330000']);
    expect(alone).toBeGreaterThan(withArticle);
    const counts = await store.articles.regionCounts(['330400', '330000'], 0);
    expect([...counts.values()]).toEqual([3, 3]);
  });
});
