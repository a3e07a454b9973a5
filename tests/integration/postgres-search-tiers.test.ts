// Relevance on Postgres ranks the matches in tiers of the newest `pool` (search-run.ts): a query
// matching more than one tier still lists every match exactly once across its pages, each tier
// ranked, the newer tier first. Skipped without TEST_DATABASE_URL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgSearch } from '../../src/store/pg/search-engine.js';
import { compileQuery } from '../../src/search/query-syntax.js';
import { openPgPool, type PgPool } from '../../src/store/pg/connection.js';
import { migratePg } from '../../src/store/pg/migrate.js';
import { createPgSearchIndex, searchIndexDeps } from '../../src/store/pg/search-index.js';
import { pgSearchNewest, pgSearchRelevant } from '../../src/store/pg/search-run.js';
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from '../helpers/postgres.js';

const T = Date.UTC(2026, 2, 1);
const HOUR = 3_600_000;
// Invented lines: every article mentions 稻米, some in the title (ranked higher).
const LINES = ['稻米收成稳定', '农场开放参观', '稻米节在广场举行', '河堤防汛演练', '新米上市价格平稳'];

describe.skipIf(!TEST_DATABASE_URL)('Postgres relevance tiers (real server)', () => {
  let tdb: TestDatabase;
  let pool: PgPool;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    pool = await openPgPool(tdb.url);
    await migratePg(pool);
    const index = createPgSearchIndex(searchIndexDeps());
    await pool.query(`INSERT INTO feeds (id, name, url, region, created_at) VALUES ('f', 'f', 'https://f.example/rss', '330400', 0)`);
    for (let i = 0; i < 23; i++) {
      const id = i + 1;
      const title = `${LINES[i % LINES.length]!}（第${i}期）`;
      const body = `${LINES[(i + 2) % LINES.length]!}。稻米${i % 3 === 0 ? '丰收' : '入仓'}。`;
      await pool.query('INSERT INTO stories (id, title_key, first_seen_at) VALUES ($1, $2, $3)', [id, title, T + i * HOUR]);
      await pool.query(`INSERT INTO articles (id, feed_id, story_id, item_key, title, html, text, published_at, first_seen_at, script) VALUES ($1, 'f', $1, $2, $3, '', $4, $5, $5, 'simplified')`, [
        id, `k${id}`, title, body, T + i * HOUR,
      ]);
      await index.indexArticle(pool, { id, title, body });
    }
  });
  afterAll(async () => {
    await pool?.end();
    await tdb?.drop();
  });

  it('lists every match once across pages when the matches fill several tiers', async () => {
    const compiled = compileQuery('稻米');
    if (!compiled.ok) throw new Error(compiled.message);
    const all = (await pgSearchNewest(pool, { match: compiled.match, limit: 100 }, 10_000)).docs;
    expect(all).toHaveLength(23);
    const rel = { pool: 7, now: T + 30 * HOUR, titleWeight: 4, boost: 0.5, halfLifeMs: 30 * 86_400_000 };
    const seen: number[] = [];
    const tiers: number[] = [];
    let below: number | null = null;
    let after: { score: number; doc: number } | null = null;
    for (let pages = 0; pages < 50; pages++) {
      const page = await pgSearchRelevant(pool, { match: compiled.match, limit: 4, below }, { ...rel, after }, 10_000);
      if (page.docs.length === 0) break;
      seen.push(...page.docs.map((d) => d.articleId));
      tiers.push(...page.docs.map((d) => d.tierTop!));
      const last = page.docs[page.docs.length - 1]!;
      below = last.tierTop! + 1;
      after = { score: last.score!, doc: last.doc };
    }
    expect([...seen].sort((a, b) => a - b)).toEqual(all.map((d) => d.articleId).sort((a, b) => a - b));
    // Four tiers of at most 7, newest first.
    expect(new Set(tiers).size).toBe(4);
    expect(tiers).toEqual([...tiers].sort((a, b) => b - a));
  });

  it('through the engine: a small pool still pages through every match once', async () => {
    const engine = createPgSearch(pool, { now: () => T + 30 * HOUR, budget: { relevancePool: 5 } });
    const ids: number[] = [];
    let cursor: string | null = null;
    do {
      const r = await engine.search({ query: '稻米', sort: 'relevance', limit: 3, cursor });
      if (!r.ok) throw new Error(r.message);
      ids.push(...r.items.map((i) => i.articleId));
      cursor = r.nextCursor;
    } while (cursor);
    expect([...ids].sort((a, b) => a - b)).toEqual(Array.from({ length: 23 }, (_, i) => i + 1));
  });
});
