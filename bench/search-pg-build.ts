// The Postgres search bench's corpus (issue #16): the same generator and seed as the SQLite
// bench (search.ts), bulk-loaded into a server whose data folder is kept in .bench-cache/ between
// runs (1M articles take many minutes to write on a busy machine). The rows are the ones the
// store writes (ids in generation order, as SQLite's rowids; search_docs from the same tokens
// and key arithmetic the index writer uses), written a few thousand per statement, with the
// GIN indexes built once at the end.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openPgPool } from '../src/store/pg/connection.js';
import { ftsVector, quoteLexeme, termsVector } from '../src/store/pg/lexemes.js';
import { migratePg } from '../src/store/pg/migrate.js';
import { docVectors, searchIndexDeps } from '../src/store/pg/search-index.js';
import { findPostgresBin, freePort, runServerTool, serverFolder } from '../tests/helpers/postgres.js';
import type { Corpus } from './search.js';

const CORPUS_VERSION = 1;
const FEEDS = 200;
const START = Date.UTC(2024, 0, 1);
const cacheDir = fileURLToPath(new URL('../.bench-cache/', import.meta.url));

/**
 * Keyed like the SQLite cache: corpus version, schema, tokenizer, lexemes, and the key
 * arithmetic. The last two are keyed by what they compute (over fixed inputs), not by their
 * files' bytes: moving a file, its type declarations or a faster way to the same literals
 * leaves the rows the same, and a 1M corpus takes long to rebuild.
 */
export function pgCacheDir(n: number): string {
  const hash = createHash('sha1');
  for (const f of ['../src/store/pg/migrations/001-initial.ts', '../src/store/pg/migrations/002-search.ts', '../src/search/tokens.ts'])
    hash.update(readFileSync(new URL(f, import.meta.url)));
  // Han, folded Latin, quotes and backslashes, repeats past a lexeme's position limit.
  const texts = ['嘉兴 兴市 市秀', 'Café Über naïve', "it's a\\b", Array.from({ length: 300 }, () => '新闻').join(' ')];
  hash.update(JSON.stringify(texts.map((t) => [ftsVector(t, t, ['r330400', 'fa']), termsVector(t), quoteLexeme(t)])));
  const deps = searchIndexDeps();
  const times = [0, Date.UTC(1999, 11, 31), START, START + 29_999, START + 30_000, START + 86_400_000 * 400 + 12_345];
  hash.update(
    JSON.stringify({
      key: deps.maxShiftKey,
      bases: times.map(deps.keyBase),
      sort: times.flatMap((t) => [deps.sortTime(null, t), deps.sortTime(t - 1, t), deps.sortTime(t + 3_599_999, t), deps.sortTime(t + 3_600_001, t)]),
      shifts: [0, 1, 255, 256, 257, 300, 1000, 4097, 100_000].map(deps.recordedShift),
    }),
  );
  return join(cacheDir, `pg-search-${n}-v${CORPUS_VERSION}-${hash.digest('hex').slice(0, 8)}`);
}

export interface BenchServer {
  readonly url: string;
  readonly settings: string;
  stop(): void;
}

/**
 * Starts the server of a kept data folder (made with initdb when absent). `bulk`: no fsync and
 * no full-page writes while the corpus is written (a crash then means rebuilding it); measuring
 * runs with the defaults, durable commits included, and a page cache sized for the corpus.
 */
export async function startBenchServer(dir: string, bulk: boolean): Promise<BenchServer> {
  const bin = findPostgresBin();
  if (!bin) throw new Error('No Postgres server binaries found (install `postgresql`, or set PG_BIN).');
  serverFolder(dir);
  const data = join(dir, 'data');
  if (!existsSync(join(data, 'PG_VERSION'))) runServerTool(bin, 'initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync']);
  const settings = bulk
    ? '-c fsync=off -c full_page_writes=off -c synchronous_commit=off -c shared_buffers=1GB -c maintenance_work_mem=1GB -c max_wal_size=8GB -c checkpoint_timeout=30min'
    : '-c shared_buffers=1GB -c max_wal_size=4GB';
  const port = await freePort();
  runServerTool(bin, 'pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 ${settings}`, '-w', '-t', '120', 'start']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/bench`,
    settings,
    stop: () => void runServerTool(bin, 'pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '300', 'stop']),
  };
}

export async function ensureDatabase(url: string): Promise<void> {
  const admin = new pg.Client({ connectionString: url.replace(/\/bench$/u, '/postgres') });
  await admin.connect();
  try {
    const found = await admin.query("SELECT 1 FROM pg_database WHERE datname = 'bench'");
    if (!found.rowCount) await admin.query('CREATE DATABASE bench');
  } finally {
    await admin.end();
  }
}

const GIN = ['CREATE INDEX search_docs_tokens ON search_docs USING gin (tokens)', 'CREATE INDEX search_docs_terms ON search_docs USING gin (terms)'];

/**
 * Writes articles [0, n) with their stories, regions and index rows, `batch` per statement,
 * generating the next batch while the server writes the one before. Returns the text bytes.
 */
export async function bulkLoad(url: string, corpus: Corpus, n: number, progress?: (done: number) => void): Promise<number> {
  const pool = await openPgPool(url, { max: 2 });
  const deps = searchIndexDeps();
  let bytes = 0;
  try {
    await migratePg(pool);
    const c = await pool.connect();
    try {
      // Triggers and foreign-key checks off for this session: every row is consistent by construction.
      await c.query("SET session_replication_role = replica; SET synchronous_commit = off; SET maintenance_work_mem = '1GB'");
      await c.query('DROP INDEX IF EXISTS search_docs_tokens; DROP INDEX IF EXISTS search_docs_terms');
      await c.query(
        `INSERT INTO feeds (id, name, url, region, created_at) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[]) ON CONFLICT DO NOTHING`,
        [
          Array.from({ length: FEEDS }, (_, f) => `feed-${f}`),
          Array.from({ length: FEEDS }, (_, f) => `${corpus.feedPlace(f).cityName}新闻网 ${f}`),
          Array.from({ length: FEEDS }, (_, f) => `https://news.example/${f}.xml`),
          Array.from({ length: FEEDS }, (_, f) => corpus.feedPlace(f).city),
          Array.from({ length: FEEDS }, () => START),
        ],
      );
      const used = new Set<number>();
      let maxShift = 0;
      let inFlight: Promise<unknown> = Promise.resolve();
      const BATCH = 2000;
      for (let lo = 0; lo < n; lo += BATCH) {
        const hi = Math.min(n, lo + BATCH);
        const cols = { id: [] as number[], title: [] as string[], text: [] as string[], feed: [] as string[], at: [] as number[], script: [] as string[] };
        const reg = { story: [] as number[], code: [] as string[] };
        const docs = { doc: [] as number[], id: [] as number[], at: [] as number[], tokens: [] as string[], terms: [] as string[], exact: [] as boolean[] };
        for (let i = lo; i < hi; i++) {
          const a = corpus.article(i);
          const id = i + 1;
          const feedId = `feed-${a.feed}`;
          cols.id.push(id);
          cols.title.push(a.title);
          cols.text.push(a.body);
          cols.feed.push(feedId);
          cols.at.push(a.at);
          cols.script.push(a.traditional ? 'traditional' : 'simplified');
          const codes = [a.place.county, a.place.city, a.place.province];
          for (const code of new Set(codes)) {
            reg.story.push(id);
            reg.code.push(code);
          }
          // As indexNewArticle: sort time from (published, first seen), the first free key of its unit.
          const at = deps.sortTime(a.at, a.at + 60_000);
          const base = deps.keyBase(at);
          let key = base;
          while (used.has(key)) key++;
          used.add(key);
          maxShift = Math.max(maxShift, key - base);
          const v = docVectors(deps, a.title, a.body, [...new Set(codes)], feedId);
          docs.doc.push(key);
          docs.id.push(id);
          docs.at.push(at);
          docs.tokens.push(v.fts.text);
          docs.terms.push(v.terms);
          docs.exact.push(v.fts.exact);
          bytes += Buffer.byteLength(a.title) + Buffer.byteLength(a.body);
        }
        await inFlight;
        progress?.(lo);
        // One round trip for the batch: stories, regions, articles, index rows.
        inFlight = c.query(
          `WITH s AS (INSERT INTO stories (id, title_key, published_at, first_seen_at, primary_article_id)
              SELECT id, title, at, at + 60000, id FROM unnest($1::bigint[], $2::text[], $3::bigint[]) AS t(id, title, at)),
            r AS (INSERT INTO story_regions (story_id, code, confidence, source) SELECT s, c, 0.9, 'body' FROM unnest($7::bigint[], $8::text[]) AS t(s, c)),
            a AS (INSERT INTO articles (id, feed_id, story_id, item_key, url, title, html, text, published_at, first_seen_at, script)
              SELECT id, feed, id, 'i' || (id - 1), 'https://news.example/a/' || (id - 1), title, '', text, at, at + 60000, script
              FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[]) AS t(id, title, at, feed, text, script))
           INSERT INTO search_docs (doc, article_id, at, tokens, terms, exact)
           SELECT * FROM unnest($9::bigint[], $10::bigint[], $11::bigint[], $12::tsvector[], $13::tsvector[], $14::boolean[])`,
          [cols.id, cols.title, cols.at, cols.feed, cols.text, cols.script, reg.story, reg.code, docs.doc, docs.id, docs.at, docs.tokens, docs.terms, docs.exact],
        );
      }
      await inFlight;
      progress?.(n);
      await c.query(`INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, [deps.maxShiftKey, String(deps.recordedShift(maxShift))]);
      await c.query("SELECT setval(pg_get_serial_sequence('stories', 'id'), $1); SELECT setval(pg_get_serial_sequence('articles', 'id'), $1)".replaceAll('$1', String(n)));
      for (const sql of GIN) await c.query(sql);
      await c.query('VACUUM ANALYZE');
    } finally {
      c.release();
    }
  } finally {
    await pool.end();
  }
  return bytes;
}

/** Builds the kept server folder for n articles (under a temporary name until done). */
export async function buildPgCache(dir: string, corpus: Corpus, n: number): Promise<void> {
  const tmp = `${dir}.building`;
  rmSync(tmp, { recursive: true, force: true });
  const server = await startBenchServer(tmp, true);
  try {
    await ensureDatabase(server.url);
    const started = performance.now();
    const textBytes = await bulkLoad(server.url, corpus, n, (done) => {
      if (done % 50_000 === 0 || done === n) {
        const s = (performance.now() - started) / 1000;
        console.log(`  built ${done.toLocaleString()} / ${n.toLocaleString()} articles in ${s.toFixed(0)} s${done ? ` (ETA ${((s / done) * (n - done)).toFixed(0)} s)` : ''}`);
      }
    });
    const seconds = (performance.now() - started) / 1000;
    const c = new pg.Client({ connectionString: server.url });
    await c.connect();
    await c.query("INSERT INTO meta (key, value) VALUES ('bench.text_bytes', $1), ('bench.build_seconds', $2)", [String(textBytes), seconds.toFixed(1)]);
    await c.query('CHECKPOINT');
    await c.end();
  } finally {
    server.stop();
  }
  // Written without fsync: flush it before the folder counts as built.
  execFileSync('sync');
  renameSync(tmp, dir);
}
