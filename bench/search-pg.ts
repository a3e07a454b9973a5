// Postgres search bench (issue #16): the SQLite search bench's measures (search.ts), with its
// labels, on the Postgres store through the Store ports (openPostgresStore), over the same
// generated corpus (same generator, seed and ids, so the queries drawn are the same ones).
// The corpus lives in a server data folder kept in .bench-cache/; the server is started for
// each run and stopped after. Run directly: npx tsx bench/search-pg.ts --articles 1000000
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { openPostgresStore } from '../src/app/store-open.js';
import { searchIndexDeps } from '../src/store/pg/search-index.js';
import { openPgStore } from '../src/store/pg/store.js';
import { compileQuery } from '../src/search/query-syntax.js';
import type { SearchRequest, SearchResponse } from '../src/search/request.js';
import type { ItemToStore, Store } from '../src/store/ports.js';
import { convert, warmConverters } from '../src/text/script.js';
import { matchCondition } from '../src/store/pg/search-match.js';
import { buildPgCache, bulkLoad, ensureDatabase, pgCacheDir, startBenchServer } from './search-pg-build.js';
import { checkRecall, hanWindow, HOSTILE, loadTail, makeCorpus, pct, printRows, printSlowest, timePools, type Corpus, type Row } from './search.js';
import { rng } from './util.js';

// ---------------------------------------------------------------- as search.ts measures

type Search = (q: SearchRequest) => Promise<SearchResponse>;

/** search.ts's CORE vocabulary (not exported there), read from its source so the pools stay the same. */
function coreWords(): string[] {
  const src = readFileSync(new URL('./search.ts', import.meta.url), 'utf8');
  const m = /const CORE = `([^`]*)`/u.exec(src);
  if (!m) throw new Error('bench/search.ts: CORE not found');
  return m[1]!.split(/\s+/u).filter(Boolean);
}

/**
 * The SQLite bench's query pools, drawn with the same random sequence from the same rows (ids
 * are the generation order in both), counting matches on the Postgres index instead of FTS5.
 */
async function queryPools(db: pg.Pool, corpus: Corpus, n: number, r: () => number, coreWords: readonly string[]) {
  const texts = new Map<number, { title: string; text: string }>();
  // Rows are fetched as drawn; the draws depend only on r, so the order stays the SQLite bench's.
  const get = async (id: number) => {
    if (!texts.has(id)) {
      const row = (await db.query<{ title: string; text: string }>('SELECT title, text FROM articles WHERE id = $1', [id])).rows[0]!;
      texts.set(id, row);
    }
    return texts.get(id)!;
  };
  const sample = async () => {
    const row = await get(1 + Math.floor(r() * n));
    return r() < 0.3 ? row.title : row.text;
  };
  const shortName = (name: string) => (name.length > 2 ? name.replace(/(特别行政区|自治州|自治县|地区|新区|省|市|区|县|盟|旗)$/u, '') : name);
  const words = coreWords.filter((w) => w.length === 2);
  const names = corpus.places.map((p) => shortName(p.countyName)).filter((w) => w.length === 2);
  const pool = async (len: number, size: number, extra: readonly string[] = []) => {
    const out: string[] = [];
    while (out.length < size) {
      const w = extra.length && r() < 0.4 ? extra[Math.floor(r() * extra.length)]! : hanWindow(await sample(), len, r);
      if (w) out.push(r() < 0.25 ? convert(w, 'tw') : w);
    }
    return out;
  };
  const relevance: string[] = [];
  let relevanceMaxMatches = 0;
  for (let tries = 0; relevance.length < 100 && tries < 5000; tries++) {
    const w = r() < 0.5 ? names[Math.floor(r() * names.length)]! : hanWindow(await sample(), 2 + Math.floor(r() * 2), r);
    if (!w) continue;
    const c = compileQuery(w);
    if (!c.ok || c.plan.table !== 'fts') continue;
    const m = matchCondition(c.plan.match);
    const matches = Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM (SELECT 1 FROM search_docs WHERE ${m.where} LIMIT 20001) x`, [...m.params])).rows[0]!.n);
    if (matches >= 1 && matches <= 10_000) {
      relevance.push(w);
      relevanceMaxMatches = Math.max(relevanceMaxMatches, matches);
    }
  }
  return { two: await pool(2, 300, [...words, ...names]), four: await pool(4, 200), one: await pool(1, 100), relevance, relevanceMaxMatches };
}

/**
 * One unit of work per article, as the ingest stores a new item: one ArticlesPort.storeItem call
 * (a new story with its regions, the article, its index rows).
 */
export async function measureInserts(store: Store, corpus: Corpus, n: number, count: number, salt: string): Promise<{ times: number[]; cpu: number[] }> {
  const times: number[] = [];
  const cpu: number[] = [];
  for (let k = 0; k < count; k++) {
    const a = corpus.article(n + 1_000_000 + k);
    const at = corpus.end + k * 30_000;
    const codes = [a.place.county, a.place.city, a.place.province];
    const item: ItemToStore = {
      story: { create: { titleKey: a.title, publishedAt: at, firstSeenAt: at, postable: true, holdReason: null }, regions: codes.map((code) => ({ code, confidence: 0.9, source: 'body' as const })) },
      article: {
        feedId: `feed-${a.feed}`, itemKey: `new-${salt}-${k}`, guid: null, url: null, canonicalUrl: null, title: a.title, html: '', text: a.body, body: null,
        author: null, sourceOutlet: null, breadcrumb: [], publishedAt: at, firstSeenAt: at, script: 'simplified', summary: null,
      },
      indexedBody: a.body,
    };
    const c = process.cpuUsage();
    const t = performance.now();
    await store.transaction((tx) => tx.articles.storeItem(item));
    times.push(performance.now() - t);
    const used = process.cpuUsage(c);
    cpu.push((used.user + used.system) / 1000);
  }
  times.sort((x, y) => x - y);
  cpu.sort((x, y) => x - y);
  return { times, cpu };
}


/** Each hostile query three times (the first cold) and its next page: wall time (the server does the work). */
async function measureHostile(search: Search): Promise<void> {
  console.log('  hostile queries (issue #11); wall ms of 3 runs, the first cold (the server works in its own process)');
  const walls: number[] = [];
  const once = async (q: SearchRequest) => {
    const t = performance.now();
    const res = await search(q);
    const wall = performance.now() - t;
    walls.push(wall);
    return { res, wall };
  };
  const show = (label: string, runs: { res: SearchResponse; wall: number }[]) => {
    const r = runs[0]!.res;
    const outcome = r.ok ? `${r.items.length} items${r.partial ? ', partial' : ''}${r.nextCursor ? ', has next' : ''}` : r.error;
    console.log(`    ${label.padEnd(48)} ${runs.map((x) => x.wall.toFixed(0).padStart(5)).join(' ')} ms wall  ${outcome}`);
  };
  for (const h of HOSTILE) {
    const req = { ...h.req, limit: h.limit ?? 10 };
    const first = [await once(req), await once(req), await once(req)];
    show(h.label, first);
    const next = first[0]!.res.ok ? first[0]!.res.nextCursor : null;
    if (next) show('    its next page', [await once({ ...req, cursor: next }), await once({ ...req, cursor: next }), await once({ ...req, cursor: next })]);
  }
  walls.sort((a, b) => a - b);
  console.log(`    wall over ${walls.length} hostile searches: p99 ${pct(walls, 99).toFixed(0)} ms, max ${walls[walls.length - 1]!.toFixed(0)} ms (statement timeout 1000 ms)`);
}

/** search.ts's recall test on the Postgres store: 10k articles (seed 7), every page of 50 queries against brute force. */
async function measureRecall(serverUrl: string, tail: readonly string[]) {
  const n = 10_000;
  const corpus = makeCorpus(n, tail, 7);
  const url = serverUrl.replace(/\/bench$/u, '/recall');
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS recall WITH (FORCE)');
  await admin.query('CREATE DATABASE recall');
  await admin.end();
  await bulkLoad(url, corpus, n);
  const store = await openPostgresStore(url, { search: { now: () => corpus.end } });
  const db = new pg.Pool({ connectionString: url, max: 1 });
  try {
    const rows = (await db.query<{ id: number; title: string; text: string }>('SELECT id::int AS id, title, text FROM articles ORDER BY id')).rows;
    return await checkRecall(rows, (req) => store.search.search(req));
  } finally {
    await db.end();
    await store.close();
  }
}

// ---------------------------------------------------------------- the run

/** `storeOnly`: the store + index rows alone (npx tsx bench/search-pg.ts --articles N --store-only). */
export async function benchSearchPg(opts: { articles: number; storeOnly?: boolean }): Promise<void> {
  const n = Math.max(1000, Math.floor(opts.articles));
  console.log(`search on Postgres (issue #16) — ${n.toLocaleString()} synthetic articles, the SQLite bench's corpus and queries`);
  warmConverters(['t2s', 'cn', 'tw']);
  const tail = await loadTail();
  const corpus = makeCorpus(n, tail);
  const dir = pgCacheDir(n);
  const reused = existsSync(dir);
  if (!reused) {
    console.log(`  building the corpus in ${dir} (a kept server data folder; later runs reuse it)`);
    await buildPgCache(dir, corpus, n);
  }
  const server = await startBenchServer(dir, false);
  try {
    await ensureDatabase(server.url);
    const db = new pg.Pool({ connectionString: server.url, max: 1 });
    const meta = async (k: string) => Number((await db.query<{ value: string }>('SELECT value FROM meta WHERE key = $1', [k])).rows[0]?.value);
    const built = { seconds: await meta('bench.build_seconds'), textBytes: await meta('bench.text_bytes') };
    const sizes = (await db.query<{ t: string; i: string }>(
      "SELECT pg_total_relation_size('search_docs') AS t, pg_indexes_size('search_docs') AS i",
    )).rows[0]!;
    console.log(`  corpus ${reused ? 'reused from cache; it was' : 'was'} built in ${built.seconds.toFixed(0)} s (bulk: rows + tsvectors, GIN indexes, VACUUM ANALYZE)`);
    console.log(`  text ${(built.textBytes / 1e6).toFixed(0)} MB UTF-8, search_docs ${(Number(sizes.t) / 1e6).toFixed(0)} MB with its indexes (${(Number(sizes.t) / built.textBytes).toFixed(2)}×; GIN + keys ${(Number(sizes.i) / 1e6).toFixed(0)} MB)`);
    console.log(`  server: Debian Postgres, ${server.settings}; defaults otherwise (fsync on); the store commits with synchronous_commit off (as SQLite's WAL + synchronous NORMAL)`);
    console.log(`  load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} CPUs (latency tails grow with it)`);

    const store = await openPostgresStore(server.url, { search: { now: () => corpus.end } });
    const search: Search = (q) => store.search.search(q);
    const maxId = Number((await db.query<{ m: string }>('SELECT max(id) AS m FROM articles')).rows[0]!.m);
    const salt = String(Date.now());
    // Each run deletes the rows it measured: their index entries and dead tuples stay until
    // merged and vacuumed. A running bot does both (the minute's maintenance job, autovacuum);
    // done here, every run measures the corpus in that state, not one run's leftovers after another's.
    const tidy = Date.now();
    await store.maintenance.checkpoint();
    await db.query('VACUUM ANALYZE search_docs, articles, stories, story_regions');
    console.log(`  earlier runs' leftovers merged and vacuumed in ${((Date.now() - tidy) / 1000).toFixed(1)} s`);
    let inserts;
    let insertsDurable;
    try {
      // Warm the statements (on every pooled connection), the JIT and the pages first.
      await measureInserts(store, corpus, n, 200, `${salt}-w`);
      inserts = await measureInserts(store, corpus, n, 1000, `${salt}-a`);
      const durable = await openPgStore(server.url, { search: searchIndexDeps(), durableCommits: true });
      insertsDurable = await measureInserts(durable, corpus, n, 1000, `${salt}-b`);
      await durable.close();
    } finally {
      // The rows measured go again, so every run searches the same corpus.
      await db.query('DELETE FROM articles WHERE id > $1', [maxId]);
      await db.query('DELETE FROM stories WHERE id > $1', [maxId]);
    }
    const storeRows: Row[] = [
      { label: 'store + index one article (storeItem, own tx)', target: 'p50 ≤ 2 (Postgres)', times: inserts.times, hits: 0, cpu: inserts.cpu },
      { label: '  same, each commit waits for disk', target: '(for comparison)', times: insertsDurable.times, hits: 0, cpu: insertsDurable.cpu },
    ];
    if (opts.storeOnly) {
      printRows(storeRows);
      console.log(`  load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
      await store.close();
      await db.end();
      return;
    }

    // As the minute's maintenance job would: the inserts' pending index entries merged.
    await store.maintenance.checkpoint();
    const r = rng(2024);
    const pools = await queryPools(db, corpus, n, r, coreWords());
    const county = (await db.query<{ code: string }>(
      "SELECT code FROM story_regions WHERE story_id = (SELECT story_id FROM articles WHERE title LIKE '%海宁%' LIMIT 1) AND code NOT LIKE '%00' LIMIT 1",
    )).rows[0]?.code ?? '330481';
    for (const q of pools.two.slice(0, 20)) await search({ query: q, limit: 20 });
    const rows = await timePools(search, pools, corpus.end, [['330000'], ['330400'], [county], ['440000']], 'the statement timeout');
    rows.push(...storeRows);
    console.log('  (CPU: this process only; the server does most of the work in its own)');
    printRows(rows);
    printSlowest(rows);
    await measureHostile(search);
    console.log(`  load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    await store.close();
    await db.end();

    const recall = await measureRecall(server.url, tail);
    console.log(`  recall on 10k articles, ${recall.queries} queries of 1–6 characters (half in the other script, ${recall.pagesChecked} pages): ` +
      `${recall.misses} missed (target 0), ${recall.extra} found beyond the brute-force set`);
  } finally {
    server.stop();
  }
  console.log('');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const i = process.argv.indexOf('--articles');
  await benchSearchPg({ articles: i > 0 ? Number(process.argv[i + 1]) : 100_000, storeOnly: process.argv.includes('--store-only') });
}
