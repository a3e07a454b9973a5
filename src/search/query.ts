// Searching the index. Newest-first walks FTS5 rowids (time-ordered keys) downwards and
// stops after one page, so it never sorts the matches; filters are tokens or rowid ranges
// inside the same MATCH. Relevance sorts the matches by bm25 with a recency boost.
import { SCRIPTS, type Script } from '../domain/types.js';
import type { Db } from '../store/database.js';
import { convert } from '../text/script.js';
import { createSearchIndex, KEY_UNIT_MS, keyBase, MAX_SHIFT_KEY } from './index-writer.js';
import { makeSnippet } from './snippet.js';
import { compileQuery, type Needle, type QueryPlan } from './query-syntax.js';
import { feedToken, regionToken } from './tokens.js';

export interface SearchRequest {
  readonly query: string;
  /** Region codes; a region includes its descendants (story_regions holds ancestors). */
  readonly regions?: readonly string[];
  readonly feedIds?: readonly string[];
  /** Epoch ms, inclusive, on the article's publication time (first-seen time when missing). */
  readonly since?: number;
  readonly until?: number;
  readonly sort?: 'newest' | 'relevance';
  readonly script?: Script;
  /** 1–25, default 5. */
  readonly limit?: number;
  readonly cursor?: string | null;
}

export interface SearchHit {
  readonly articleId: number;
  readonly storyId: number;
  readonly title: string;
  readonly url: string | null;
  readonly feedId: string;
  readonly feedName: string;
  readonly publishedAt: number | null;
  readonly firstSeenAt: number;
  readonly regions: string[];
  readonly snippet: string;
  readonly score?: number;
}

export type SearchError = 'empty-query' | 'too-long' | 'no-terms' | 'bad-region' | 'bad-feed' | 'bad-range' | 'bad-script' | 'bad-cursor';

export type SearchResponse =
  | { readonly ok: true; readonly items: SearchHit[]; readonly nextCursor: string | null; readonly total?: number }
  | { readonly ok: false; readonly error: SearchError; readonly message: string };

export interface SearchDeps {
  readonly now?: () => number;
  /** Whether a six-digit code is a real region (the gazetteer); without it any code is tried. */
  readonly knownRegion?: (code: string) => boolean;
  /** Tuning: characters in fewer articles than this are matched as prefixes (default 20,000). */
  readonly inlineCharDocs?: number;
}

export const MAX_LIMIT = 25;
const MAX_FILTER_VALUES = 50;
const TITLE_WEIGHT = 4.0;
// Below this many articles a character's bigram doclists are cheap to read whole.
const INLINE_CHAR_DOCS = 20_000;
// Relevance is multiplied by up to 1.5 for a new article, the bonus halving every 30 days.
const BOOST = 0.5;
const HALF_LIFE_MS = 30 * 86_400_000;

type Cursor = { k: 'n'; d: number } | { k: 'r'; d: number; s: number; t: number };

const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c), 'utf8').toString('base64url');

function decodeCursor(raw: string): Cursor | null {
  try {
    const c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (!Number.isSafeInteger(c.d)) return null;
    if (c.k === 'n') return { k: 'n', d: c.d as number };
    if (c.k === 'r' && Number.isFinite(c.s) && Number.isFinite(c.t)) return { k: 'r', d: c.d as number, s: c.s as number, t: c.t as number };
  } catch {
    // Not base64 or not JSON: reported below as a bad cursor.
  }
  return null;
}

const quote = (t: string) => `"${t.replaceAll('"', '""')}"`;
const fail = (error: SearchError, message: string): SearchResponse => ({ ok: false, error, message });

interface HitRow {
  article_id: number;
  story_id: number;
  title: string;
  url: string | null;
  feed_id: string;
  feed_name: string;
  published_at: number | null;
  first_seen_at: number;
  body: string;
}

/** A request that passed validation, with defaults filled in. */
interface Checked {
  readonly plan: QueryPlan;
  readonly needles: readonly Needle[];
  readonly regions: readonly string[];
  readonly feeds: readonly string[];
  readonly since: number | null;
  readonly until: number | null;
  readonly relevance: boolean;
  readonly script: Script;
  readonly limit: number;
  readonly cursor: Cursor | null;
}

function check(q: SearchRequest, deps: SearchDeps, feedExists: (id: string) => boolean): Checked | SearchResponse {
  const compiled = compileQuery(typeof q.query === 'string' ? q.query : '');
  if (!compiled.ok) return fail(compiled.error, compiled.message);
  const regions = [...new Set(q.regions ?? [])];
  const feeds = [...new Set(q.feedIds ?? [])];
  if (regions.length > MAX_FILTER_VALUES) return fail('bad-region', `At most ${MAX_FILTER_VALUES} regions can be given.`);
  if (feeds.length > MAX_FILTER_VALUES) return fail('bad-feed', `At most ${MAX_FILTER_VALUES} feeds can be given.`);
  for (const code of regions) {
    if (!/^\d{6}$/u.test(code) || deps.knownRegion?.(code) === false) {
      return fail('bad-region', `Unknown region code "${String(code).slice(0, 20)}": use a six-digit code such as 330400.`);
    }
  }
  for (const id of feeds) if (!feedExists(id)) return fail('bad-feed', `Unknown feed "${String(id).slice(0, 60)}".`);
  const since = q.since ?? null;
  const until = q.until ?? null;
  if ((since !== null && !Number.isFinite(since)) || (until !== null && !Number.isFinite(until))) {
    return fail('bad-range', 'The date range is not a valid time.');
  }
  if (since !== null && until !== null && since > until) return fail('bad-range', 'The date range ends before it starts.');
  const script = q.script ?? 'original';
  if (!SCRIPTS.includes(script)) return fail('bad-script', `Unknown script "${String(script).slice(0, 20)}": use one of ${SCRIPTS.join(', ')}.`);
  // bm25 needs positions; search_chars has none, so its relevance order is the newest order.
  const relevance = q.sort === 'relevance' && compiled.plan.table === 'fts';
  const cursor = q.cursor ? decodeCursor(q.cursor) : null;
  if (q.cursor && (!cursor || cursor.k !== (relevance ? 'r' : 'n'))) {
    return fail('bad-cursor', 'This page cursor does not belong to this search; start again without it.');
  }
  const limit = Math.min(MAX_LIMIT, Math.max(1, Math.floor(Number.isFinite(q.limit) ? q.limit! : 5)));
  return { plan: compiled.plan, needles: compiled.needles, regions, feeds, since, until, relevance, script, limit, cursor };
}

export function createSearch(db: Db, deps: SearchDeps = {}) {
  const now = deps.now ?? (() => Date.now());
  const writer = createSearchIndex(db);
  const feedExists = db.prepare<[string], number>('SELECT 1 FROM feeds WHERE id = ?').pluck();
  const anyStale = db.prepare<[], number>('SELECT 1 FROM search_stale LIMIT 1').pluck();
  const maxShift = db.prepare<[string], string>('SELECT value FROM meta WHERE key = ?').pluck();
  const hitRow = db.prepare<[number], HitRow>(`
    SELECT a.id AS article_id, a.story_id, a.title, coalesce(a.url, a.canonical_url) AS url, a.feed_id,
      f.name AS feed_name, a.published_at, a.first_seen_at, coalesce(a.body, a.text) AS body
    FROM search_docs d JOIN articles a ON a.id = d.article_id JOIN feeds f ON f.id = a.feed_id
    WHERE d.doc = ?`);
  const regionsOf = db.prepare<[number], string>('SELECT code FROM story_regions WHERE story_id = ? ORDER BY confidence DESC, code').pluck();
  // How many articles contain a character, counted only up to the point that matters.
  const inlineBelow = deps.inlineCharDocs ?? INLINE_CHAR_DOCS;
  const charDocs = db.prepare<[string, number], number>('SELECT count(*) FROM (SELECT 1 FROM search_chars WHERE search_chars MATCH ? LIMIT ?)').pluck();
  const statements = new Map<string, ReturnType<Db['prepare']>>();
  const prepared = (sql: string) => {
    let st = statements.get(sql);
    if (!st) statements.set(sql, (st = db.prepare(sql)));
    return st;
  };

  /** Index rows the triggers marked stale are refreshed first, so filters see current regions. */
  function refresh(): void {
    if (db.readonly || anyStale.get() === undefined) return;
    try {
      writer.refreshStale(200);
    } catch {
      // Locked by another writer: search the index as it is; the next search tries again.
    }
  }

  /** The MATCH expression and the other WHERE terms; every user value is a parameter or quoted. */
  function conditions(c: Checked) {
    const table = c.plan.table === 'chars' ? 'search_chars' : 'search_fts';
    let match = `(${c.plan.match})`;
    const where: string[] = [];
    const params: Record<string, number | string> = { limit: c.limit + 1 };
    if (c.plan.table === 'fts') {
      // A single character next to longer terms: a rare one joins the MATCH as a prefix
      // (FTS5 reads all its bigrams up front); a common one is looked up per candidate in
      // search_chars, where most candidates pass, so a page fills after a few lookups.
      const lookup = { require: [] as string[], exclude: [] as string[] };
      for (const kind of ['require', 'exclude'] as const) {
        for (const ch of c.plan[kind]) {
          if (charDocs.get(quote(ch), inlineBelow)! >= inlineBelow) lookup[kind].push(quote(ch));
          else match = kind === 'require' ? `${match} AND (${quote(ch)} *)` : `(${match}) NOT (${quote(ch)} *)`;
        }
      }
      const exists = (param: string) => `EXISTS (SELECT 1 FROM search_chars c WHERE c.search_chars MATCH @${param} AND c.rowid = search_fts.rowid)`;
      if (lookup.require.length) {
        where.push(exists('require'));
        params.require = lookup.require.join(' AND ');
      }
      if (lookup.exclude.length) {
        where.push(`NOT ${exists('exclude')}`);
        params.exclude = lookup.exclude.join(' OR ');
      }
    }
    if (c.regions.length) match += ` AND (${c.regions.map((r) => quote(regionToken(r))).join(' OR ')})`;
    if (c.feeds.length) match += ` AND (${c.feeds.map((f) => quote(feedToken(f))).join(' OR ')})`;
    where.unshift(`${table} MATCH @match`);
    params.match = match;
    if (c.since !== null) {
      where.push('rowid >= @lo');
      params.lo = keyBase(c.since);
    }
    if (c.until !== null) {
      // Collisions push keys past their time unit by at most the recorded shift.
      where.push('rowid <= @hi');
      params.hi = keyBase(c.until) + Number(maxShift.get(MAX_SHIFT_KEY) ?? 0);
    }
    if (c.since !== null || c.until !== null) {
      where.push(`(SELECT at FROM search_docs WHERE doc = ${table}.rowid) BETWEEN @since AND @until`);
      params.since = c.since ?? Number.MIN_SAFE_INTEGER;
      params.until = c.until ?? Number.MAX_SAFE_INTEGER;
    }
    return { table, where, params };
  }

  /** One page of index keys (one more than asked, to tell whether another page exists). */
  function keys(c: Checked, t: number): { doc: number; score?: number }[] {
    const { table, where, params } = conditions(c);
    if (!c.relevance) {
      if (c.cursor) {
        where.push('rowid < @after');
        params.after = c.cursor.d;
      }
      return prepared(`SELECT rowid AS doc FROM ${table} WHERE ${where.join(' AND ')} ORDER BY rowid DESC LIMIT @limit`).all(params) as { doc: number }[];
    }
    params.now = t;
    const score = `bm25(search_fts, ${TITLE_WEIGHT}, 1.0, 0.0) * (1.0 + ${BOOST} * pow(0.5, max(0.0, @now - rowid * ${KEY_UNIT_MS}.0) / ${HALF_LIFE_MS}.0))`;
    let after = '';
    if (c.cursor?.k === 'r') {
      after = 'WHERE score > @score OR (score = @score AND doc < @after)';
      params.score = c.cursor.s;
      params.after = c.cursor.d;
    }
    const sql = `SELECT doc, score FROM (SELECT rowid AS doc, ${score} AS score FROM search_fts WHERE ${where.join(' AND ')}) ${after} ORDER BY score, doc DESC LIMIT @limit`;
    return prepared(sql).all(params) as { doc: number; score: number }[];
  }

  function search(q: SearchRequest): SearchResponse {
    const c = check(q, deps, (id) => feedExists.get(id) !== undefined);
    if ('ok' in c) return c;
    refresh();
    // Relevance pages keep the first page's clock, so the recency boost does not drift.
    const t = c.cursor?.k === 'r' ? c.cursor.t : now();
    const rows = keys(c, t);
    const page = rows.slice(0, c.limit);
    const last = page[page.length - 1];
    const nextCursor =
      rows.length > c.limit && last ? encodeCursor(c.relevance ? { k: 'r', d: last.doc, s: last.score!, t } : { k: 'n', d: last.doc }) : null;
    const items: SearchHit[] = [];
    for (const r of page) {
      const h = hitRow.get(r.doc);
      if (!h) continue;
      items.push({
        articleId: h.article_id,
        storyId: h.story_id,
        title: convert(h.title, c.script),
        url: h.url,
        feedId: h.feed_id,
        feedName: h.feed_name,
        publishedAt: h.published_at,
        firstSeenAt: h.first_seen_at,
        regions: regionsOf.all(h.story_id),
        snippet: makeSnippet(h.body, c.needles, c.script),
        ...(c.relevance && r.score !== undefined ? { score: -r.score } : {}),
      });
    }
    return { ok: true, items, nextCursor };
  }

  return { search };
}
