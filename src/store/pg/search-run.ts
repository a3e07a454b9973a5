// Searching the Postgres index: one page of keys, newest first or by relevance, for a query the
// search stage compiled (the same MATCH text it gives FTS5; see search-match.ts). The search
// stage keeps what is not about storage: checking the request, cursors, snippets, scripts.
//
// Each search runs under a statement timeout: one too broad to finish answers 'time' (the
// stage says "too broad", as on SQLite) instead of holding a connection.
import type { SearchHit } from '../../domain/search.js';
import type { PgQueryable } from './connection.js';
import type { PgPool } from './connection.js';
import { charsCondition, matchCondition, type MatchSql } from './search-match.js';

export interface PgSearchPlan {
  /** The compiled query as one search_fts MATCH expression (facets may be ANDed in). */
  readonly match: string;
  /** Instead of `match`: a search_chars expression (single characters and words only). */
  readonly chars?: string | null;
  /** Region and feed facet tokens: a document must carry one of each list given. */
  readonly regionTokens?: readonly string[];
  readonly feedTokens?: readonly string[];
  /** Keys below this only (the page cursor); and an inclusive range of sort times (ms). */
  readonly below?: number | null;
  readonly since?: number | null;
  readonly until?: number | null;
  readonly limit: number;
  /** Tuning, for tests: at most this many matches are read whole (default WHOLE_READ_CAP). */
  readonly wholeReadCap?: number;
}

export interface RelevanceOptions {
  /** Score the newest this many matches (as the SQLite runner's pool). */
  readonly pool: number;
  readonly now: number;
  /** Weight of title over body; facets weigh nothing. */
  readonly titleWeight: number;
  /** Up to this much extra for a new article, halving every halfLifeMs. */
  readonly boost: number;
  readonly halfLifeMs: number;
  /** Relevance pages after the first: results ranked below (score, doc). */
  readonly after?: { readonly score: number; readonly doc: number } | null;
}

export interface PgSearchPage {
  readonly docs: readonly { readonly doc: number; readonly articleId: number; readonly score?: number; readonly tierTop?: number }[];
  /** 'time': the statement timeout stopped it; nothing was found within the budget. */
  readonly stop: 'done' | 'time';
  /** Relevance: the newest key among the candidates ranked (later pages rank none newer). */
  readonly top?: number | null;
}

const facetQuery = (tokens: readonly string[]) => tokens.map((t) => `'${t.replaceAll("'", "''")}'`).join(' | ');

/** The WHERE clause and its parameters ($1…) for a plan. */
function where(plan: PgSearchPlan): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const parts: string[] = [];
  const add = (m: MatchSql) => {
    parts.push(m.where);
    params.push(...m.params);
  };
  add(plan.chars ? charsCondition(plan.chars, params.length + 1) : matchCondition(plan.match, params.length + 1));
  // Facets sit in both columns; terms has no positions to read, so it is the cheaper test.
  for (const tokens of [plan.regionTokens, plan.feedTokens]) {
    if (!tokens?.length) continue;
    params.push(facetQuery(tokens));
    parts.push(`terms @@ $${params.length}::tsquery`);
  }
  if (plan.below != null) {
    params.push(plan.below);
    parts.push(`doc < $${params.length}`);
  }
  if (plan.since != null) {
    params.push(plan.since);
    parts.push(`at >= $${params.length}`);
  }
  if (plan.until != null) {
    params.push(plan.until);
    parts.push(`at <= $${params.length}`);
  }
  return { sql: parts.join(' AND '), params };
}

const CANCELED = '57014';

interface Searching {
  readonly q: PgQueryable;
  /** The lowest and highest key in the index when the search began. */
  readonly lo: number;
  readonly hi: number;
}

/**
 * Runs a search in a read-only transaction under a statement timeout; null when the timeout
 * stopped it. The transaction, the settings and the key range take one round trip: a search
 * is a handful of short statements, and on a busy server every round trip shows.
 */
async function timed<T>(pool: PgPool, timeoutMs: number, fn: (s: Searching) => Promise<T>): Promise<{ value: T } | null> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    // A lone min() or max() reads one end of the key index.
    const results = (await client.query(
      `BEGIN READ ONLY; SET LOCAL statement_timeout = ${Math.max(1, Math.round(timeoutMs))};
       SELECT (SELECT min(doc) FROM search_docs) AS lo, (SELECT max(doc) FROM search_docs) AS hi`,
    )) as unknown as { rows: { lo: number | null; hi: number | null }[] }[];
    const range = results[2]!.rows[0]!;
    const value = await fn({ q: client, lo: range.lo ?? 0, hi: range.hi ?? -1 });
    await client.query('COMMIT');
    return { value };
  } catch (err) {
    await client.query('ROLLBACK').catch((e: Error) => (broken = e));
    if ((err as { code?: unknown }).code === CANCELED) return null;
    throw err;
  } finally {
    client.release(broken);
  }
}

/**
 * Matches read whole before the newest are picked: below this many, reading them all and
 * sorting is cheapest (the rows are small); a query matching more is walked in key windows.
 */
export const WHOLE_READ_CAP = 500;
/** The newest rows tested one by one when a query has many matches: a common one fills its page there. */
export const NEWEST_ROWS = 300;
// Bitmap scans only where the matches are read through the GIN index: the planner's guess for a
// lexeme it has no statistics for is "rare", and walking the key index while testing every
// row's tokens then reads the whole table. Bitmap scans cost what the matches cost.
const BITMAPS_ONLY = 'SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off';
/** The narrowest first key window of a walk (keys are 30-second units); each next one is twice as wide. */
export const FIRST_WINDOW = 256;

type DocRow = { doc: number; article_id: number };

/**
 * Newest first: up to plan.limit keys. A query with few matches reads them all and keeps the
 * newest; one with many walks back from the newest key in doubling windows, each a bitmap AND
 * of its matches and the key range, until the page is full. The first window is sized from how
 * densely the matches read cover the keys, so a common pair of characters usually fills the
 * page in one window, and a rare one never needs a window.
 */
export async function pgSearchNewest(pool: PgPool, plan: PgSearchPlan, timeoutMs: number): Promise<PgSearchPage> {
  const w = where(plan);
  const r = await timed(pool, timeoutMs, async ({ q, lo, hi }) => {
    let top = Math.min(hi + 1, plan.below ?? Number.MAX_SAFE_INTEGER);
    const n = w.params.length;
    // 1. The newest rows, each tested, reading no index: a common query's page is here, and
    // reading its matches through the GIN index first would decode a posting list of hundreds
    // of thousands of entries (at 1M articles: 60–90 ms for a common pair; this is a few).
    const newest = await q.query<DocRow & { last: number | null }>(
      `WITH r AS (SELECT * FROM search_docs WHERE doc < $${n + 1}::bigint ORDER BY doc DESC LIMIT ${NEWEST_ROWS})
       SELECT doc, article_id, (SELECT min(doc) FROM r) AS last FROM r WHERE ${w.sql} ORDER BY doc DESC LIMIT $${n + 2}`,
      [...w.params, top, plan.limit],
    );
    const found = newest.rows;
    if (found.length >= plan.limit) return found;
    // 2. Few matches in all: read them whole (bitmap scans only) and keep the newest.
    await q.query(BITMAPS_ONLY);
    const cap = plan.wholeReadCap ?? WHOLE_READ_CAP;
    const few = await q.query<DocRow>(`SELECT doc, article_id FROM search_docs WHERE ${w.sql} LIMIT ${cap + 1}`, w.params);
    if (few.rows.length <= cap) return few.rows.sort((a, b) => b.doc - a.doc).slice(0, plan.limit);
    // 3. Walk back from below the rows tested, in windows [top - (2^(k+1) - 1)·S, top - (2^k - 1)·S)
    // for k = 0…, until one reaches lo. The rows read whole came in table order, about key
    // order: how densely they cover the keys they span says how wide a window holds the rest of
    // the page (half again, for the unevenness).
    const last = found[0]?.last ?? null;
    if (last !== null) top = Math.min(top, last);
    const docs = few.rows.map((row) => row.doc);
    const density = few.rows.length / (Math.max(...docs) - Math.min(...docs) + 1);
    const first = Math.max(FIRST_WINDOW, Math.ceil((1.5 * (plan.limit - found.length)) / density));
    const windows = Math.max(1, Math.ceil(Math.log2((top - lo) / first + 1)));
    const params = [...w.params, top, first, plan.limit - found.length, windows - 1];
    const walked = await q.query<DocRow>(
      `SELECT x.doc, x.article_id FROM generate_series(0, $${n + 4}::int) k,
       LATERAL (SELECT doc, article_id FROM search_docs
         WHERE ${w.sql} AND doc < $${n + 1}::bigint - ((1::bigint << k) - 1) * $${n + 2}::bigint
           AND doc >= $${n + 1}::bigint - ((1::bigint << (k + 1)) - 1) * $${n + 2}::bigint
         ORDER BY doc DESC LIMIT $${n + 3}) x
       LIMIT $${n + 3}`,
      params,
    );
    return [...found, ...walked.rows];
  });
  if (!r) return { docs: [], stop: 'time' };
  return { docs: r.value.map((row) => ({ doc: row.doc, articleId: row.article_id })), stop: 'done' };
}

/**
 * By relevance: the matches in tiers of the newest `pool`, each tier ranked by ts_rank over
 * title and body (title weighed `titleWeight` times) times a recency boost, higher first, ties
 * newest first; a page that runs out of one tier goes on with the next-older tier. Ranking reads
 * every candidate's tokens, so a tier stays small enough to rank inside the budget, while every
 * match is still on some page (SQLite ranks one pool of its budget's size; a query matching
 * more than a tier here lists the older ones after, instead of not at all).
 * `plan.below` and `rel.after` say where the cursor's tier and rank are; each doc returned
 * carries the top key of its tier, for the next cursor.
 */
export async function pgSearchRelevant(pool: PgPool, plan: PgSearchPlan, rel: RelevanceOptions, timeoutMs: number): Promise<PgSearchPage> {
  const w = where({ ...plan, below: null });
  const p = (v: unknown) => `$${w.params.push(v)}`;
  // ts_rank's weights are {D, C, B, A}: facets (D) and nothing else (C) weigh 0, body 1.
  const weights = p(`{0,0,${1 / rel.titleWeight},1}`);
  const rankQuery = p(plan.chars ? null : matchCondition(plan.match).params[0]);
  const now = p(rel.now);
  const score = `ts_rank(${weights}::float4[], tokens, coalesce(${rankQuery}::tsquery, ''::tsquery)) * (1.0 + ${Number(rel.boost)} * power(0.5, greatest(0, ${now}::float8 - at) / ${Number(rel.halfLifeMs)}))`;
  const poolSize = p(rel.pool);
  const limit = p(plan.limit);
  const below = p(null);
  const afterScore = p(null);
  const afterDoc = p(null);
  const sql = `WITH m AS (SELECT doc, article_id, tokens, at FROM search_docs WHERE ${w.sql} AND doc < coalesce(${below}::bigint, 9223372036854775807)
      ORDER BY doc DESC LIMIT ${poolSize}),
    s AS (SELECT doc, article_id, (${score})::float8 AS score FROM m),
    t AS (SELECT max(doc) AS top, min(doc) AS bottom, count(*) AS n FROM m)
    SELECT t.top, t.bottom, t.n::int AS n, x.doc, x.article_id, x.score FROM t LEFT JOIN LATERAL (
      SELECT doc, article_id, score FROM s WHERE ${afterScore}::float8 IS NULL OR (score, doc) < (${afterScore}::float8, ${afterDoc}::bigint)
      ORDER BY score DESC, doc DESC LIMIT ${limit}) x ON true ORDER BY x.score DESC, x.doc DESC`;
  type TierRow = { top: number | null; bottom: number | null; n: number; doc: number | null; article_id: number | null; score: number | null };
  const set = (name: string, v: unknown) => (w.params[Number(name.slice(1)) - 1] = v);
  const r = await timed(pool, timeoutMs, async ({ q }) => {
    const docs: { doc: number; articleId: number; score: number; tierTop: number }[] = [];
    let tierBelow = plan.below ?? null;
    let after = rel.after ?? null;
    let first: number | null = null;
    for (;;) {
      set(below, tierBelow);
      set(afterScore, after?.score ?? null);
      set(afterDoc, after?.doc ?? null);
      set(limit, plan.limit - docs.length);
      const rows = (await q.query<TierRow>(sql, w.params)).rows;
      const head = rows[0];
      if (!head || head.top === null) break;
      first ??= head.top;
      for (const row of rows) if (row.doc !== null) docs.push({ doc: row.doc, articleId: row.article_id!, score: row.score!, tierTop: head.top });
      if (docs.length >= plan.limit || head.n < rel.pool) break;
      tierBelow = head.bottom;
      after = null;
    }
    return { docs, first };
  });
  if (!r) return { docs: [], stop: 'time' };
  return { docs: r.value.docs, stop: 'done', top: r.value.first };
}

/** A hit as read from the index: the search's hit without its snippet and score, with its key and text. */
export interface PgHitRow extends Omit<SearchHit, 'snippet' | 'score'> {
  readonly doc: number;
  readonly body: string;
}

/** What a result shows, for the keys of one page, in the order given. */
export async function pgHitRows(db: PgQueryable, docs: readonly number[]): Promise<PgHitRow[]> {
  if (docs.length === 0) return [];
  const r = await db.query<Record<string, unknown>>(
    `SELECT d.doc, a.id AS article_id, a.story_id, a.title, coalesce(a.url, a.canonical_url) AS url, a.feed_id, f.name AS feed_name,
       a.published_at, a.first_seen_at, coalesce(a.body, a.text) AS body,
       (SELECT coalesce(array_agg(code ORDER BY confidence DESC, code COLLATE "C"), '{}') FROM story_regions WHERE story_id = a.story_id) AS regions
     FROM search_docs d JOIN articles a ON a.id = d.article_id JOIN feeds f ON f.id = a.feed_id WHERE d.doc = ANY($1::bigint[])`,
    [docs],
  );
  const byDoc = new Map(r.rows.map((row) => [row.doc as number, row]));
  const out: PgHitRow[] = [];
  for (const doc of docs) {
    const h = byDoc.get(doc);
    if (!h) continue;
    out.push({
      doc,
      articleId: h.article_id as number,
      storyId: h.story_id as number,
      title: h.title as string,
      url: h.url as string | null,
      feedId: h.feed_id as string,
      feedName: h.feed_name as string,
      publishedAt: h.published_at as number | null,
      firstSeenAt: h.first_seen_at as number,
      body: h.body as string,
      regions: h.regions as string[],
    });
  }
  return out;
}
