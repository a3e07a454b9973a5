// The Postgres store's foundations on a real server (TEST_DATABASE_URL; skipped without it):
// start-up errors that name DATABASE_URL and never the password, the migrations (same tables
// and columns as SQLite's, a newer schema refused), and search answering every compiled query
// exactly as the SQLite FTS5 index does, two-character queries in either script included.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { openDatabase, SchemaTooNewError, type Db } from '../../src/store/database.js';
import { DatabaseUrlError, openPgPool, redactDatabaseUrl, type PgPool } from '../../src/store/pg/connection.js';
import { migratePg, pgSchemaVersion } from '../../src/store/pg/migrate.js';
import { PG_MIGRATIONS } from '../../src/store/pg/migrations/index.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { createPgSearchIndex, searchIndexDeps } from '../../src/store/pg/search-index.js';
import { newestMatches } from '../../src/store/pg/search-match.js';
import { createSearchIndex, MAX_SHIFT_KEY } from '../../src/store/sqlite-search/index-writer.js';
import { regionToken } from '../../src/search/tokens.js';
import { compileQuery } from '../../src/search/query-syntax.js';
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from '../helpers/postgres.js';

const SECRET = 'pa55-w0rd-never-shown';

async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function startupError(url: string): Promise<DatabaseUrlError> {
  const err = await openPgPool(url, { connectTimeoutMs: 5_000 }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DatabaseUrlError);
  const e = err as DatabaseUrlError;
  expect(e.message).toContain('DATABASE_URL');
  expect(e.message).not.toContain(SECRET);
  expect(String(e.stack)).not.toContain(SECRET);
  return e;
}

describe('Postgres start-up errors', () => {
  it('a URL that is not a Postgres URL is refused before connecting, without echoing it', async () => {
    expect((await startupError(`postgres://app:${SECRET}@db.example:port/x`)).problem).toBe('invalid-url');
    expect((await startupError(`mysql://app:${SECRET}@127.0.0.1/x`)).problem).toBe('invalid-url');
    expect((await startupError(`app:${SECRET}@127.0.0.1/x`)).problem).toBe('invalid-url');
  });

  it('an unreachable server is named by host and port', async () => {
    const port = await closedPort();
    const e = await startupError(`postgres://app:${SECRET}@127.0.0.1:${port}/x`);
    expect(e.problem).toBe('unreachable');
    expect(e.message).toContain(`127.0.0.1:${port}`);
  });

  it('redacts the password of a URL shown in logs', () => {
    expect(redactDatabaseUrl(`postgres://app:${SECRET}@h:5432/db?password=${SECRET}`)).not.toContain(SECRET);
    expect(redactDatabaseUrl(`postgres://app:${SECRET}@h:5432/db`)).toBe('postgres://app:***@h:5432/db');
  });
});

describe.skipIf(!TEST_DATABASE_URL)('Postgres schema and search (real server)', () => {
  let tdb: TestDatabase;
  let pool: PgPool;
  let lite: Db;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    pool = await openPgPool(tdb.url);
    lite = openDatabase(':memory:');
  });
  afterAll(async () => {
    await pool?.end();
    await tdb?.drop();
    lite?.close();
  });

  it('bad credentials and a missing database are told apart, password unseen', async () => {
    const u = new URL(tdb.url);
    const noUser = await startupError(`postgres://nobody_here:${SECRET}@${u.host}${u.pathname}`);
    expect(noUser.problem).toBe('credentials');
    expect(noUser.message).toContain('nobody_here');
    const noDb = await startupError(`postgres://postgres:${SECRET}@${u.host}/no_such_database_xx`);
    expect(noDb.problem).toBe('no-database');
  });

  it('migrates to the same version as SQLite, once, with the same tables and columns', async () => {
    expect(PG_MIGRATIONS.map((m) => [m.version, m.name])).toEqual(MIGRATIONS.map((m) => [m.version, m.name]));
    expect(await migratePg(pool)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(await migratePg(pool)).toEqual([]);
    expect(await pgSchemaVersion(pool)).toBe(MIGRATIONS.at(-1)!.version);

    const liteTables = lite
      .prepare<[], { name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'search_fts%' AND name NOT LIKE 'search_chars%' AND name NOT LIKE 'sqlite_%'`)
      .all()
      .map((r) => r.name);
    for (const table of liteTables) {
      const liteCols = lite.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table}')`).all().map((r) => r.name).sort();
      const pgCols = (await pool.query<{ c: string }>(`SELECT column_name AS c FROM information_schema.columns WHERE table_name = $1`, [table])).rows.map((r) => r.c).sort();
      // search_docs also holds the tokens (SQLite keeps them in FTS5 tables).
      const extra = table === 'search_docs' ? ['exact', 'terms', 'tokens'] : [];
      expect(pgCols, table).toEqual([...liteCols, ...extra].sort());
    }
  });

  it('refuses a schema newer than the code', async () => {
    await pool.query(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'from the future', 0)`);
    await expect(migratePg(pool)).rejects.toBeInstanceOf(SchemaTooNewError);
    await pool.query('DELETE FROM schema_migrations WHERE version = 999');
  });

  // Invented articles: Simplified and Traditional, Latin with a diacritic, kana, a long body.
  const docs: Array<{ title: string; body: string; region: string; at: number }> = [
    { title: '嘉禾县新建学校开学', body: '今天上午，嘉禾县第三小学举行开学典礼。', region: '431024', at: 1 },
    { title: '臺灣農會舉辦稻米節', body: '農會表示，今年稻米收成穩定，學校師生參觀。', region: '710000', at: 2 },
    { title: '城东社区 café 开业', body: '社区咖啡馆由志愿者经营，cafe 与书店相邻。', region: '431024', at: 3 },
    { title: '东京の祭りが始まる', body: 'まつりの会場には多くの人。', region: '431024', at: 4 },
    { title: '长文测试', body: `${'水利工程'.repeat(9000)}结尾出现防汛演练`, region: '431024', at: 5 },
    { title: '防汛演练在河堤举行', body: '应急管理局组织防汛演练。', region: '710000', at: 6 },
  ];
  const queries = ['学校', '學校', '稻米', '稲米', '农会', '防汛', '防汛演练', '"演练 在"', '嘉', '校', 'cafe', 'café', 'まつり', '学校 -农会', '-嘉禾 学校', '"社区 cafe"', '水利', '结尾出现'];

  it('answers compiled queries exactly as the SQLite index does, in either script', async () => {
    const deps = searchIndexDeps();
    const pgIndex = createPgSearchIndex(deps);
    const liteIndex = createSearchIndex(lite);
    const T = Date.UTC(2026, 0, 5);
    for (const db of ['lite', 'pg'] as const) {
      const feed = [`INSERT INTO feeds (id, name, url, region, created_at) VALUES ('f1', 'F', 'https://f.example/rss', '431024', 0)`];
      if (db === 'lite') lite.exec(feed[0]!);
      else await pool.query(feed[0]!);
    }
    for (const [i, d] of docs.entries()) {
      const published = T + d.at * 3_600_000;
      const id = i + 1;
      lite.prepare('INSERT INTO stories (id, title_key, first_seen_at) VALUES (?, ?, ?)').run(id, d.title, published);
      lite.prepare(`INSERT INTO articles (id, feed_id, story_id, item_key, title, html, text, published_at, first_seen_at, script) VALUES (?, 'f1', ?, ?, ?, '', ?, ?, ?, 'simplified')`).run(id, id, `k${id}`, d.title, d.body, published, published);
      lite.prepare(`INSERT INTO story_regions (story_id, code, confidence, source) VALUES (?, ?, 1, 'feed')`).run(id, d.region);
      liteIndex.indexArticle({ id, title: d.title, body: d.body });
      await pool.query('INSERT INTO stories (id, title_key, first_seen_at) VALUES ($1, $2, $3)', [id, d.title, published]);
      await pool.query(`INSERT INTO articles (id, feed_id, story_id, item_key, title, html, text, published_at, first_seen_at, script) VALUES ($1, 'f1', $1, $2, $3, '', $4, $5, $5, 'simplified')`, [id, `k${id}`, d.title, d.body, published]);
      await pool.query(`INSERT INTO story_regions (story_id, code, confidence, source) VALUES ($1, $2, 1, 'feed')`, [id, d.region]);
      await pgIndex.indexArticle(pool, { id, title: d.title, body: d.body });
    }
    // The long body lost positions past tsvector's limits: flagged, so its phrases still match.
    expect((await pool.query('SELECT article_id FROM search_docs WHERE NOT exact')).rows).toEqual([{ article_id: 5 }]);

    const liteMatch = lite.prepare<[string], { id: number }>('SELECT d.article_id AS id FROM search_fts f JOIN search_docs d ON d.doc = f.rowid WHERE search_fts MATCH ? ORDER BY f.rowid DESC');
    const liteChars = lite.prepare<[string], { id: number }>('SELECT d.article_id AS id FROM search_chars c JOIN search_docs d ON d.doc = c.rowid WHERE search_chars MATCH ? ORDER BY c.rowid DESC');
    let nonEmpty = 0;
    for (const q of queries) {
      const c = compileQuery(q);
      if (!c.ok) throw new Error(`${q}: ${c.message}`);
      const want = liteMatch.all(c.match).map((r) => r.id);
      const got = (await newestMatches(pool, c.match, { limit: 50 })).map((m) => m.articleId);
      expect(got, q).toEqual(want);
      if (want.length) nonEmpty++;
      if (c.plan.table === 'chars') {
        const wantChars = liteChars.all(c.plan.match).map((r) => r.id);
        expect((await newestMatches(pool, c.plan.match, { limit: 50, table: 'chars' })).map((m) => m.articleId), `${q} (chars)`).toEqual(wantChars);
      }
      // A region facet narrows alike.
      const inRegion = `(${c.match}) AND ("${regionToken('710000')}")`;
      expect((await newestMatches(pool, inRegion, { limit: 50 })).map((m) => m.articleId), `${q} in 710000`).toEqual(liteMatch.all(inRegion).map((r) => r.id));
    }
    expect(nonEmpty).toBeGreaterThan(10);
    // Two characters in either script find both spellings' articles.
    const trad = compileQuery('學校');
    if (!trad.ok) throw new Error(trad.message);
    expect((await newestMatches(pool, trad.match, { limit: 9 })).map((m) => m.articleId)).toEqual([2, 1]);
  });

  it('gives articles of one time unit the same keys as SQLite does, past the first 64', async () => {
    const deps = searchIndexDeps();
    const pgIndex = createPgSearchIndex(deps);
    const liteIndex = createSearchIndex(lite);
    const at = Date.UTC(2026, 5, 1);
    for (let i = 0; i < 150; i++) {
      const id = 1000 + i;
      lite.prepare('INSERT INTO stories (id, title_key, first_seen_at) VALUES (?, ?, ?)').run(id, `flood ${i}`, at);
      lite.prepare(`INSERT INTO articles (id, feed_id, story_id, item_key, title, html, text, first_seen_at, script) VALUES (?, 'f1', ?, ?, ?, '', '', ?, 'simplified')`).run(id, id, `flood-${i}`, `通知第${i}号`, at);
      liteIndex.indexArticle({ id, title: `通知第${i}号`, body: '' });
      await pool.query('INSERT INTO stories (id, title_key, first_seen_at) VALUES ($1, $2, $3)', [id, `flood ${i}`, at]);
      await pool.query(`INSERT INTO articles (id, feed_id, story_id, item_key, title, html, text, first_seen_at, script) VALUES ($1, 'f1', $1, $2, $3, '', '', $4, 'simplified')`, [id, `flood-${i}`, `通知第${i}号`, at]);
      await pgIndex.indexArticle(pool, { id, title: `通知第${i}号`, body: '' });
    }
    const liteKeys = lite.prepare<[], { article_id: number; doc: number }>('SELECT article_id, doc FROM search_docs WHERE article_id >= 1000 ORDER BY article_id').all();
    const pgKeys = (await pool.query<{ article_id: number; doc: number }>('SELECT article_id, doc FROM search_docs WHERE article_id >= 1000 ORDER BY article_id')).rows;
    expect(pgKeys).toEqual(liteKeys);
    expect(pgKeys.at(-1)!.doc - pgKeys[0]!.doc).toBe(149);
    const shift = (await pool.query<{ value: string }>('SELECT value FROM meta WHERE key = $1', [MAX_SHIFT_KEY])).rows[0]?.value;
    expect(shift).toBe(lite.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(MAX_SHIFT_KEY)?.value);
    // A second writer (another process) that does not know the keys taken walks past them.
    const other = createPgSearchIndex(deps);
    await pool.query(`INSERT INTO stories (id, title_key, first_seen_at) VALUES (2000, 'late', $1)`, [at]);
    await pool.query(`INSERT INTO articles (id, feed_id, story_id, item_key, title, html, text, first_seen_at, script) VALUES (2000, 'f1', 2000, 'late', '迟到', '', '', $1, 'simplified')`, [at]);
    await other.indexArticle(pool, { id: 2000, title: '迟到', body: '' });
    expect((await pool.query('SELECT doc FROM search_docs WHERE article_id = 2000')).rows[0]).toEqual({ doc: pgKeys.at(-1)!.doc + 1 });
    expect(other.stats().keysRead).toBeGreaterThan(64);
  });

  it('re-indexing, stale marks and article deletion keep the index in step', async () => {
    const pgIndex = createPgSearchIndex(searchIndexDeps());
    await pool.query(`UPDATE articles SET title = '嘉禾县新建医院开业' WHERE id = 1`);
    expect((await pool.query('SELECT article_id FROM search_stale')).rows).toEqual([{ article_id: 1 }]);
    await pool.query(`INSERT INTO story_regions (story_id, code, confidence, source) VALUES (2, '431000', 1, 'feed')`);
    await pool.query(`DELETE FROM story_regions WHERE story_id = 2 AND code = '431000'`);
    expect((await pool.query('SELECT article_id FROM search_stale ORDER BY 1')).rows).toEqual([{ article_id: 1 }, { article_id: 2 }]);
    expect(await pgIndex.refreshStale(pool)).toBe(2);
    expect((await pool.query('SELECT count(*) AS n FROM search_stale')).rows[0]).toEqual({ n: 0 });
    const hospital = compileQuery('医院');
    if (!hospital.ok) throw new Error('query');
    expect((await newestMatches(pool, hospital.match, { limit: 5 })).map((m) => m.articleId)).toEqual([1]);
    await pool.query('DELETE FROM articles WHERE id = 1');
    expect(await newestMatches(pool, hospital.match, { limit: 5 })).toEqual([]);
    expect((await pool.query('SELECT count(*) AS n FROM search_docs WHERE article_id = 1')).rows[0]).toEqual({ n: 0 });
  });
});
