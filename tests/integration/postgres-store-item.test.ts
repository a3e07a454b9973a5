// ArticlesPort.storeItem on Postgres is one statement (store-item.ts): it must write exactly
// the rows the calls it replaces wrote (insertStory, addRegions, insertArticle, then
// indexNewArticle or indexArticle), search keys and meta's shift included, through a flood of
// undated items in one key unit (past the 64 keys one statement looks at) and items joining
// known stories. Two databases take the same items, one each way, and are compared row by row;
// the search keys and the recorded shift are also held to the SQLite store's, the reference.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { openSqliteStore } from '../../src/app/store-open.js';
import { searchIndexDeps } from '../../src/store/pg/search-index.js';
import { openPgPool, type PgPool } from '../../src/store/pg/connection.js';
import { migratePg } from '../../src/store/pg/migrate.js';
import { createPgStore } from '../../src/store/pg/store.js';
import type { ItemToStore, Store, StorePorts } from '../../src/store/ports.js';
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from '../helpers/postgres.js';

const T = Date.UTC(2026, 5, 1, 8, 0, 0);

/** The items: a flood of undated new stories at one time, dated ones, repeats of codes, and joins. */
function items(): Array<{ item: ItemToStore; joins: number | null }> {
  const out: Array<{ item: ItemToStore; joins: number | null }> = [];
  const article = (n: number, publishedAt: number | null) => ({
    feedId: n % 3 === 0 ? 'g' : 'f', itemKey: `item-${n}`, guid: null, url: `https://news.example/a/${n}`, canonicalUrl: null,
    title: `河堤防汛演练第${n}次`, html: '', text: `志愿者清理河道${n}。`, body: n % 5 === 0 ? `正文${n}` : null, author: null, sourceOutlet: null,
    breadcrumb: n % 4 === 0 ? ['新闻', '本地'] : [], publishedAt, firstSeenAt: T, script: 'simplified' as const, summary: null, imageUrl: n % 7 === 0 ? `https://img.example/${n}.jpg` : null,
  });
  for (let n = 0; n < 160; n++) {
    const dated = n % 10 === 9 ? T - n * 40_000 : null;
    const joins = n > 20 && n % 6 === 0 ? n - 5 : null; // the item n - 5 stored (its story)
    const regions = n % 8 === 0 ? [] : [{ code: '330400', confidence: 0.6, source: 'feed' as const }, { code: `33040${n % 3}`, confidence: 0.9, source: 'body' as const }, { code: '330400', confidence: 0.8, source: 'title' as const }];
    const a = article(n, dated);
    out.push({ item: { story: { create: { titleKey: `key ${n}`, publishedAt: dated, firstSeenAt: T, postable: n % 2 === 0, holdReason: n % 2 ? 'held' : null }, regions }, article: a, indexedBody: a.body ?? a.text }, joins });
  }
  return out;
}

/** As the store did before storeItem: one port call after another. */
async function oneByOne(tx: StorePorts, { story, article, indexedBody }: ItemToStore) {
  const created = 'create' in story ? story : null;
  const storyId = created ? await tx.articles.insertStory(created.create) : (story as { id: number }).id;
  if (created) await tx.articles.addRegions(storyId, created.regions, { newStory: true });
  const articleId = await tx.articles.insertArticle({ ...article, storyId });
  const indexed = { id: articleId, title: article.title, body: indexedBody };
  if (created) await tx.index.indexNewArticle({ ...indexed, feedId: article.feedId, publishedAt: article.publishedAt, firstSeenAt: article.firstSeenAt, regionCodes: created.regions.map((r) => r.code) });
  else await tx.index.indexArticle(indexed);
  return { storyId, articleId };
}

async function dump(pool: PgPool) {
  const q = async (sql: string) => (await pool.query(sql)).rows as unknown[];
  return {
    stories: await q('SELECT * FROM stories ORDER BY id'),
    articles: await q('SELECT * FROM articles ORDER BY id'),
    regions: await q('SELECT * FROM story_regions ORDER BY story_id, code'),
    docs: await q('SELECT doc, article_id, at, tokens::text, terms::text, exact FROM search_docs ORDER BY doc'),
    stale: await q('SELECT * FROM search_stale ORDER BY article_id'),
    meta: await q('SELECT * FROM meta ORDER BY key'),
  };
}

describe.skipIf(!TEST_DATABASE_URL)('storeItem on Postgres', () => {
  const dbs: TestDatabase[] = [];
  const pools: PgPool[] = [];
  const stores: Store[] = [];
  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      const tdb = await createTestDatabase();
      dbs.push(tdb);
      const pool = await openPgPool(tdb.url, { max: 3 });
      pools.push(pool);
      await migratePg(pool);
      await pool.query(`INSERT INTO feeds (id, name, url, region, created_at) VALUES ('f', 'F', 'https://f.example/rss', '330400', 0), ('g', 'G', 'https://g.example/rss', '330400', 0)`);
      stores.push(createPgStore(pool, { search: searchIndexDeps() }));
    }
  });
  afterAll(async () => {
    for (const s of stores) await s.close();
    for (const d of dbs) await d.drop();
  });

  it('writes the same stories, articles, regions, search keys and shift as the calls it replaces', async () => {
    const [before, now] = stores as [Store, Store];
    const lite = openSqliteStore(':memory:');
    lite.db.exec(`INSERT INTO feeds (id, name, url, region, created_at) VALUES ('f', 'F', 'https://f.example/rss', '330400', 0), ('g', 'G', 'https://g.example/rss', '330400', 0)`);
    const shift = async (i: number) =>
      i < 2 ? (await pools[i]!.query<{ value: string }>('SELECT value FROM meta')).rows : lite.db.prepare('SELECT value FROM meta').all();
    const shifts: Record<string, unknown[]> = {};
    const ways = [['one by one', before], ['storeItem', now], ['SQLite storeItem', lite.store]] as const;
    for (const [i, [way, store]] of ways.entries()) {
      shifts[way] = [];
      const stories: number[] = [];
      const list = items();
      // A few units of work of several items each, as the ingest's chunks.
      for (let lo = 0; lo < list.length; lo += 25) {
        await store.transaction(async (tx) => {
          for (const { item, joins } of list.slice(lo, lo + 25)) {
            const it = joins === null ? item : { ...item, story: { id: stories[joins]! } };
            const r = way === 'one by one' ? await oneByOne(tx, it) : await tx.articles.storeItem(it);
            stories.push(r.storyId);
          }
        });
        // meta's shift after each unit of work, not only the last (it only grows).
        shifts[way].push(await shift(i));
      }
    }
    expect(shifts['storeItem']).toEqual(shifts['one by one']);
    expect(shifts['storeItem']).toEqual(shifts['SQLite storeItem']);
    const keys = 'SELECT doc, article_id, at FROM search_docs ORDER BY doc';
    expect((await pools[1]!.query(keys)).rows).toEqual(lite.db.prepare(keys).all());
    await lite.store.close();
    const [a, b] = [await dump(pools[0]!), await dump(pools[1]!)];
    expect(a.articles.length).toBe(160);
    expect(a.docs.length).toBe(160);
    // The undated flood went past the first 64 keys of its unit, and the shift was recorded.
    expect(Number((a.meta[0] as { value: string }).value)).toBeGreaterThan(64);
    expect(b).toEqual(a);
  });

  it('stores a new item in one statement inside the unit of work', async () => {
    const pool = pools[1]!;
    const seen: string[] = [];
    // Counted at the driver: every statement the store's connections send from here on.
    const count = (client: pg.PoolClient) => {
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
        const first = args[0];
        seen.push(typeof first === 'string' ? first : String((first as { text?: string }).text));
        return query(...args);
      };
    };
    const clients: pg.PoolClient[] = [];
    for (let i = 0; i < 3; i++) clients.push(await pool.connect());
    for (const c of clients) {
      count(c);
      c.release();
    }
    const a = items()[9]!.item; // dated: its unit is free
    const stored = await stores[1]!.transaction((tx) => tx.articles.storeItem({ ...a, article: { ...a.article, itemKey: 'counted' } }));
    expect(seen.filter((s) => !/^(BEGIN|COMMIT)$/u.test(s))).toHaveLength(1);
    expect(await stores[1]!.articles.story(stored.storyId)).toMatchObject({ articleId: stored.articleId, title: a.article.title });
    expect((await pool.query('SELECT count(*) AS n FROM search_docs WHERE article_id = $1', [stored.articleId])).rows[0]).toEqual({ n: 1 });
  });
});
