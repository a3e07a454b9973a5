// Search requests: their types, validation and page cursors. Every user value is checked
// here, so the engines (store/sqlite-search/query.ts, store/pg/search-engine.ts) only see
// requests they can run.
import { SCRIPTS, type Script } from '../domain/types.js';
import type { SearchError, SearchRequest, SearchResponse } from '../domain/search.js';
import { compileQuery, type Needle, type QueryPlan } from './query-syntax.js';

// The request and response shapes are the store's search port's (domain/search.ts).
export type { SearchError, SearchHit, SearchRequest, SearchResponse } from '../domain/search.js';

export interface SearchDeps {
  readonly now?: () => number;
  /** Whether a six-digit code is a real region (the gazetteer); without it any code is tried. */
  readonly knownRegion?: (code: string) => boolean;
  /** Tuning: characters in fewer articles than this are matched as prefixes (default 20,000). */
  readonly inlineCharDocs?: number;
  /** Tuning: relevance reads and scores in one statement while its facets hold fewer articles than this (default 50,000). */
  readonly fuseFacetDocs?: number;
  /** Bounds of one search (defaults: SEARCH_BUDGET); tests make them small. */
  readonly budget?: Partial<SearchBudget>;
  /** Monotonic clock for the time budget (ms), for tests; by default CPU time, wall time at a quarter. */
  readonly clock?: () => number;
}

export interface SearchBudget {
  /** CPU time (ms) one search may take before answering with what it found; wall time counts at a quarter. */
  readonly ms: number;
  /** Index rows one search may read (candidates plus character-filter rows). */
  readonly rows: number;
  /** Relevance ranks at most this many of the newest matches. */
  readonly relevancePool: number;
  /** Key windows: the first one's width, doubled per window up to the largest. */
  readonly firstSpan: number;
  readonly maxSpan: number;
  /** Relevance weighs the rarest terms while their estimated article counts sum under this (the rarest always)... */
  readonly weighDocs: number;
  /** ...and at most this many terms (see store/sqlite-search/weights.ts). */
  readonly weighTerms: number;
}

// Sized on the 1M-article bench (bench/search.ts): a search that uses all of it stays under
// the 300 ms of CPU issue #11 allows, while ordinary searches finish in one window. Windows
// may grow to a year of keys: growth already stops where the time left would not cover it,
// and a rare phrase then walks a million articles in ~10 statements instead of ~50.
export const SEARCH_BUDGET: SearchBudget = { ms: 200, rows: 400_000, relevancePool: 10_000, firstSpan: 2048, maxSpan: 1 << 20, weighDocs: 300_000, weighTerms: 4 };

export const MAX_LIMIT = 25;
export const MAX_FILTER_VALUES = 50;

/**
 * n: newest first, continue below key d. r: relevance, continue after (score s, key d),
 * with the first page's clock t and top key h, so every page ranks the same candidates.
 */
export type Cursor = { k: 'n'; d: number } | { k: 'r'; d: number; s: number; t: number; h: number | null };

export const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c), 'utf8').toString('base64url');

export function decodeCursor(raw: string): Cursor | null {
  try {
    const c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (!Number.isSafeInteger(c.d)) return null;
    if (c.k === 'n') return { k: 'n', d: c.d as number };
    if (c.k === 'r' && Number.isFinite(c.s) && Number.isFinite(c.t)) {
      // Cursors stored before h existed rank up to the newest key, as they did then.
      const h = Number.isSafeInteger(c.h) ? (c.h as number) : null;
      return { k: 'r', d: c.d as number, s: c.s as number, t: c.t as number, h };
    }
  } catch {
    // Not base64 or not JSON: reported below as a bad cursor.
  }
  return null;
}

export const quote = (t: string) => `"${t.replaceAll('"', '""')}"`;
export const fail = (error: SearchError, message: string): SearchResponse => ({ ok: false, error, message });

/** A request that passed validation, with defaults filled in. */
export interface Checked {
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

export function check(q: SearchRequest, deps: SearchDeps, feedExists: (id: string) => boolean): Checked | SearchResponse {
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

