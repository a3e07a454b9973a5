// Search pages on Postgres against the SQLite search runner over the same invented articles:
// newest-first pages (with region, feed and date filters, page after page) list the same
// articles in the same order; relevance ranks title matches first and pages without repeats.
// Skipped without TEST_DATABASE_URL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSearchIndex } from '../../src/store/sqlite-search/index-writer.js';
import { createPgSearch } from '../../src/store/pg/search-engine.js';
import { createSearch } from '../../src/store/sqlite-search/query.js';
import { compileQuery } from '../../src/search/query-syntax.js';
import { feedToken, regionToken } from '../../src/search/tokens.js';
import { openDatabase, type Db } from '../../src/store/database.js';
import { openPgPool, type PgPool } from '../../src/store/pg/connection.js';
import { migratePg } from '../../src/store/pg/migrate.js';
import { createPgSearchIndex, searchIndexDeps } from '../../src/store/pg/search-index.js';
import { pgHitRows, pgSearchNewest, pgSearchRelevant, type PgSearchPlan } from '../../src/store/pg/search-run.js';
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from '../helpers/postgres.js';

const T = Date.UTC(2026, 2, 1);
const HOUR = 3_600_000;
// Invented sentences; each article takes a few, so terms recur across articles and scripts.
const PIECES = ['防汛演练在河堤举行', '臺灣農會舉辦稻米節', '新建学校今天开学', '學校師生參觀農場', '社区咖啡馆 cafe 开业', '水利工程进入收尾阶段', '交通管制 G60 高速', '医院开设夜间门诊', '稻米收成穩定', '志愿者清理河道'];
const REGIONS = ['330400', '330500', '710000'];

function article(i: number) {
  const pick = (k: number) => PIECES[(i * 7 + k * 3) % PIECES.length]!;
  return {
    id: i + 1,
    title: `${pick(0)}（第${i}期）`,
    body: `${pick(1)}。${pick(2)}。${i % 4 === 0 ? pick(3) : ''}`,
    region: REGIONS[i % 3]!,
    feed: i % 2 ? 'f1' : 'f2',
    at: T + i * HOUR - (i % 5) * 1000,
  };
}
const ARTICLES = Array.from({ length: 60 }, (_, i) => article(i));

describe.skipIf(!TEST_DATABASE_URL)('Postgres search pages (real server)', () => {
  let tdb: TestDatabase;
  let pool: PgPool;
  let lite: Db;
  const liteDb = () => lite;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    pool = await openPgPool(tdb.url);
    await migratePg(pool);
    lite = openDatabase(':memory:');
    const liteIndex = createSearchIndex(lite);
    const pgIndex = createPgSearchIndex(searchIndexDeps());
    for (const f of ['f1', 'f2']) {
      lite.prepare(`INSERT INTO feeds (id, name, url, region, created_at) VALUES (?, ?, ?, '330400', 0)`).run(f, f, `https://${f}.example/rss`);
      await pool.query(`INSERT INTO feeds (id, name, url, region, created_at) VALUES ($1, $1, $2, '330400', 0)`, [f, `https://${f}.example/rss`]);
    }
    for (const a of ARTICLES) {
      lite.prepare('INSERT INTO stories (id, title_key, first_seen_at) VALUES (?, ?, ?)').run(a.id, a.title, a.at);
      lite.prepare(`INSERT INTO articles (id, feed_id, story_id, item_key, title, html, text, published_at, first_seen_at, script) VALUES (?, ?, ?, ?, ?, '', ?, ?, ?, 'simplified')`).run(a.id, a.feed, a.id, `k${a.id}`, a.title, a.body, a.at, a.at);
      lite.prepare(`INSERT INTO story_regions (story_id, code, confidence, source) VALUES (?, ?, 1, 'feed')`).run(a.id, a.region);
      liteIndex.indexArticle({ id: a.id, title: a.title, body: a.body });
      await pool.query('INSERT INTO stories (id, title_key, first_seen_at) VALUES ($1, $2, $3)', [a.id, a.title, a.at]);
      await pool.query(`INSERT INTO articles (id, feed_id, story_id, item_key, title, html, text, published_at, first_seen_at, script) VALUES ($1, $2, $1, $3, $4, '', $5, $6, $6, 'simplified')`, [a.id, a.feed, `k${a.id}`, a.title, a.body, a.at]);
      await pool.query(`INSERT INTO story_regions (story_id, code, confidence, source) VALUES ($1, $2, 1, 'feed')`, [a.id, a.region]);
      await pgIndex.indexArticle(pool, { id: a.id, title: a.title, body: a.body });
    }
  });
  afterAll(async () => {
    await pool?.end();
    await tdb?.drop();
    lite?.close();
  });

  const cases: Array<{ query: string; regions?: string[]; feedIds?: string[]; since?: number; until?: number }> = [
    { query: '学校' },
    { query: '農會' },
    { query: '稻' },
    { query: '防汛演练' },
    { query: '"收成 穩定"' },
    { query: '学校 -农会' },
    { query: 'cafe' },
    { query: 'g60' },
    { query: '河', regions: ['330400'] },
    { query: '学校', feedIds: ['f1'], regions: ['710000', '330500'] },
    { query: '稻米', since: T + 10 * HOUR, until: T + 40 * HOUR },
  ];

  it('lists the same articles, page after page, as the SQLite runner', async () => {
    const search = createSearch(lite, { now: () => T + 100 * HOUR });
    let nonEmpty = 0;
    for (const c of cases) {
      const want: number[] = [];
      let cursor: string | null = null;
      do {
        const r = search.search({ ...c, limit: 7, cursor });
        if (!r.ok) throw new Error(`${c.query}: ${r.message}`);
        want.push(...r.items.map((h) => h.articleId));
        cursor = r.nextCursor;
      } while (cursor);

      const compiled = compileQuery(c.query);
      if (!compiled.ok) throw new Error(compiled.message);
      // Read whole, and walked in key windows (a cap of 2 makes any query with 3 matches walk).
      for (const wholeReadCap of [undefined, 2]) {
        const got: number[] = [];
        let below: number | null = null;
        for (;;) {
          const plan: PgSearchPlan = {
            match: compiled.match,
            chars: compiled.plan.table === 'chars' ? compiled.plan.match : null,
            regionTokens: (c.regions ?? []).map(regionToken),
            feedTokens: (c.feedIds ?? []).map(feedToken),
            since: c.since ?? null,
            until: c.until ?? null,
            below,
            limit: 7,
            ...(wholeReadCap ? { wholeReadCap } : {}),
          };
          const page = await pgSearchNewest(pool, plan, 10_000);
          expect(page.stop).toBe('done');
          got.push(...page.docs.map((d) => d.articleId));
          if (page.docs.length < 7) break;
          below = page.docs[page.docs.length - 1]!.doc;
        }
        expect(got, `${JSON.stringify(c)} cap ${wholeReadCap}`).toEqual(want);
      }
      if (want.length) nonEmpty++;
    }
    expect(nonEmpty).toBeGreaterThanOrEqual(9);
  });

  it('answers whole requests as the SQLite engine does: items, snippets, scripts, pages and errors', async () => {
    const lite = createSearch(liteDb(), { now: () => T + 100 * HOUR });
    const engine = createPgSearch(pool, { now: () => T + 100 * HOUR });
    const strip = (r: Awaited<ReturnType<typeof engine.search>>) => (r.ok ? { ...r, items: r.items.map(({ score: _s, ...h }) => h) } : r);
    const requests = [
      ...cases.map((c) => ({ ...c, limit: 6 })),
      { query: '学校', script: 'tw' as const, limit: 4 },
      { query: '農會', script: 'cn' as const },
      { query: '学校', feedIds: ['nope'] },
      { query: '学校', regions: ['12'] },
      { query: '   ' },
      { query: '学校', since: T + 50 * HOUR, until: T },
    ];
    for (const req of requests) {
      let cursor: string | null = null;
      let pages = 0;
      do {
        const want = lite.search({ ...req, cursor });
        const got = await engine.search({ ...req, cursor });
        expect(strip(got), JSON.stringify(req)).toEqual(strip(want));
        cursor = want.ok ? want.nextCursor : null;
        pages++;
      } while (cursor && pages < 20);
    }
  });

  it('ranks by relevance: a title match first, every match once across pages', async () => {
    const compiled = compileQuery('稻米');
    if (!compiled.ok) throw new Error(compiled.message);
    const plan = { match: compiled.match, limit: 4 };
    const rel = { pool: 1000, now: T + 100 * HOUR, titleWeight: 4, boost: 0.5, halfLifeMs: 30 * 86_400_000 };
    const seen: number[] = [];
    let after: { score: number; doc: number } | null = null;
    const scores: number[] = [];
    for (;;) {
      const page = await pgSearchRelevant(pool, plan, { ...rel, after }, 10_000);
      if (page.docs.length === 0) break;
      seen.push(...page.docs.map((d) => d.articleId));
      scores.push(...page.docs.map((d) => d.score!));
      const last = page.docs[page.docs.length - 1]!;
      after = { score: last.score!, doc: last.doc };
    }
    const all = (await pgSearchNewest(pool, { ...plan, limit: 1000 }, 10_000)).docs.map((d) => d.articleId);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort((a, b) => a - b)).toEqual([...all].sort((a, b) => a - b));
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const titled = (id: number) => ARTICLES[id - 1]!.title.includes('稻米');
    expect(titled(seen[0]!)).toBe(true);
    const hits = await pgHitRows(pool, [...(await pgSearchNewest(pool, { ...plan, limit: 2 }, 10_000)).docs.map((d) => d.doc)]);
    expect(hits.map((h) => [h.feedName, h.regions.length])).toEqual(hits.map((h) => [h.feedId, 1]));

    // Through the engine: every page ranked from the same candidates, no article twice.
    const engine = createPgSearch(pool, { now: () => T + 100 * HOUR });
    const ids: number[] = [];
    let cursor: string | null = null;
    do {
      const r = await engine.search({ query: '稻米', sort: 'relevance', limit: 3, cursor });
      if (!r.ok) throw new Error(r.message);
      ids.push(...r.items.map((i) => i.articleId));
      cursor = r.nextCursor;
    } while (cursor);
    expect([...ids].sort((a, b) => a - b)).toEqual([...all].sort((a, b) => a - b));
  });
});
