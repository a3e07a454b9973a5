// The Postgres store's checkpoint() merges the search index's pending entries (GIN pending
// lists) off the write path: afterwards the pending list is empty and searches still find what
// was indexed. Skipped without TEST_DATABASE_URL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../../src/app/store-open.js';
import type { Store } from '../../src/store/ports.js';
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from '../helpers/postgres.js';
import pg from 'pg';

const T = Date.UTC(2026, 2, 1);

describe.skipIf(!TEST_DATABASE_URL)('Postgres checkpoint (real server)', () => {
  let tdb: TestDatabase;
  let store: Store;
  let admin: pg.Client;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    store = await openPostgresStore(tdb.url, { search: { now: () => T } });
    admin = new pg.Client({ connectionString: tdb.url });
    await admin.connect();
    await admin.query(`INSERT INTO feeds (id, name, url, region, created_at) VALUES ('f', 'f', 'https://f.example/rss', '330400', 0)`);
  });
  afterAll(async () => {
    await admin?.end();
    await store?.close();
    await tdb?.drop();
  });

  it('empties the pending lists and keeps every article findable', async () => {
    for (let i = 0; i < 5; i++) {
      await store.transaction(async (tx) => {
        const storyId = await tx.articles.insertStory({ titleKey: `k${i}`, publishedAt: T - i, firstSeenAt: T - i, postable: true, holdReason: null });
        const id = await tx.articles.insertArticle({
          feedId: 'f', storyId, itemKey: `i${i}`, guid: null, url: null, canonicalUrl: null, title: `河堤防汛演练第${i}次`, html: '', text: '志愿者清理河道。', body: null,
          author: null, sourceOutlet: null, breadcrumb: [], publishedAt: T - i, firstSeenAt: T - i, script: 'simplified', summary: null,
        });
        await tx.index.indexNewArticle({ id, title: `河堤防汛演练第${i}次`, body: '志愿者清理河道。', feedId: 'f', publishedAt: T - i, firstSeenAt: T - i, regionCodes: ['330400'] });
      });
    }
    // A second merge right after finds no pending pages left.
    await store.maintenance.checkpoint();
    const pending = async () => (await admin.query<{ n: string }>("SELECT gin_clean_pending_list('search_docs_tokens'::regclass)::text AS n")).rows[0]!.n;
    expect(await pending()).toBe('0');
    const r = await store.search.search({ query: '防汛', limit: 10 });
    expect(r.ok && r.items.length).toBe(5);
  });
});
