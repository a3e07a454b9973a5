// Searching the Postgres index: one page of keys, newest first or by relevance, for a query the
// search stage compiled (the same MATCH text it gives FTS5; see search-match.ts). The search
// stage keeps what is not about storage: checking the request, cursors, snippets, scripts.
//
// Each search runs under a statement timeout: one too broad to finish answers 'time' (the
// stage says "too broad", as on SQLite) instead of holding a connection.
import type { PgQueryable } from './connection.js';
import { withTransaction, type PgPool } from './connection.js';
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
  readonly docs: readonly { readonly doc: number; readonly articleId: number; readonly score?: number }[];
  /** 'time': the statement timeout stopped it; nothing was found within the budget. */
  readonly stop: 'done' | 'time';
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

async function timed<T>(pool: PgPool, timeoutMs: number, fn: (q: PgQueryable) => Promise<T>): Promise<{ value: T } | null> {
  try {
    return await withTransaction(pool, async (q) => {
      // READ ONLY: a search never writes, whatever its text.
      await q.query(`SET TRANSACTION READ ONLY`);
      await q.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.round(timeoutMs))}`);
      return { value: await fn(q) };
    });
  } catch (err) {
    if ((err as { code?: unknown }).code === CANCELED) return null;
    throw err;
  }
}

/** Newest first: up to plan.limit keys. */
export async function pgSearchNewest(pool: PgPool, plan: PgSearchPlan, timeoutMs: number): Promise<PgSearchPage> {
  const w = where(plan);
  w.params.push(plan.limit);
  const r = await timed(pool, timeoutMs, (q) =>
    q.query<{ doc: number; article_id: number }>(`SELECT doc, article_id FROM search_docs WHERE ${w.sql} ORDER BY doc DESC LIMIT $${w.params.length}`, w.params),
  );
  if (!r) return { docs: [], stop: 'time' };
  return { docs: r.value.rows.map((row) => ({ doc: row.doc, articleId: row.article_id })), stop: 'done' };
}

/**
 * By relevance: the newest `pool` matches, ranked by ts_rank over title and body (title weighed
 * `titleWeight` times), times a recency boost; higher first, ties newest first.
 */
export async function pgSearchRelevant(pool: PgPool, plan: PgSearchPlan, rel: RelevanceOptions, timeoutMs: number): Promise<PgSearchPage> {
  const w = where(plan);
  const p = (v: unknown) => `$${w.params.push(v)}`;
  // ts_rank's weights are {D, C, B, A}: facets (D) and nothing else (C) weigh 0, body 1.
  const weights = p(`{0,0,${1 / rel.titleWeight},1}`);
  const rankQuery = p(plan.chars ? null : matchCondition(plan.match).params[0]);
  const now = p(rel.now);
  const score = `ts_rank(${weights}::float4[], tokens, coalesce(${rankQuery}::tsquery, ''::tsquery)) * (1.0 + ${Number(rel.boost)} * power(0.5, greatest(0, ${now}::float8 - at) / ${Number(rel.halfLifeMs)}))`;
  const poolSize = p(rel.pool);
  const after = rel.after ? `WHERE (score, doc) < (${p(rel.after.score)}::float8, ${p(rel.after.doc)}::bigint)` : '';
  const limit = p(plan.limit);
  const sql = `WITH m AS (SELECT doc, article_id, tokens, at FROM search_docs WHERE ${w.sql} ORDER BY doc DESC LIMIT ${poolSize}),
    s AS (SELECT doc, article_id, (${score})::float8 AS score FROM m)
    SELECT doc, article_id, score FROM s ${after} ORDER BY score DESC, doc DESC LIMIT ${limit}`;
  const r = await timed(pool, timeoutMs, (q) => q.query<{ doc: number; article_id: number; score: number }>(sql, w.params));
  if (!r) return { docs: [], stop: 'time' };
  return { docs: r.value.rows.map((row) => ({ doc: row.doc, articleId: row.article_id, score: row.score })), stop: 'done' };
}

export interface PgHitRow {
  readonly doc: number;
  readonly articleId: number;
  readonly storyId: number;
  readonly title: string;
  readonly url: string | null;
  readonly feedId: string;
  readonly feedName: string;
  readonly publishedAt: number | null;
  readonly firstSeenAt: number;
  readonly body: string;
  /** The story's regions, highest confidence first. */
  readonly regions: string[];
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
