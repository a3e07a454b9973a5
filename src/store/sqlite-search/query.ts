// Searching the index. Every search is a bounded walk over time-ordered keys (scan.ts):
// newest-first stops after one page; relevance ranks, by bm25 with a recency boost, the
// newest matches up to a pool size. Single characters too common to join the MATCH as a
// prefix are checked per key window in search_chars. A walk that spends its budget answers
// with what it found (marked partial), or with 'too-broad' when it found nothing.
import type { Db } from '../database.js';
import { convert } from '../../text/script.js';
import { createSearchIndex, KEY_UNIT_MS, keyBase, MAX_SHIFT_KEY } from './index-writer.js';
import { createScanner, KEY_HI, KEY_LO, type CharFilter, type ScanOutcome, type ScanPlan } from './scan.js';
import { makeSnippet } from '../../search/snippet.js';
import { createWeigher, type Term } from './weights.js';
import { check, encodeCursor, fail, quote, SEARCH_BUDGET, type Checked, type SearchDeps, type SearchHit, type SearchRequest, type SearchResponse } from '../../search/request.js';
import { feedToken, regionToken } from '../../search/tokens.js';

export { MAX_LIMIT, SEARCH_BUDGET } from '../../search/request.js';
export type { SearchBudget, SearchDeps, SearchError, SearchHit, SearchRequest, SearchResponse } from '../../search/request.js';
export { QUERY_BOUNDS } from '../../search/query-syntax.js';

const TITLE_WEIGHT = 4.0;
// Below this many articles a character's bigram doclists are cheap to read whole.
const INLINE_CHAR_DOCS = 20_000;
// Relevance is multiplied by up to 1.5 for a new article, the bonus halving every 30 days.
const BOOST = 0.5;
const HALF_LIFE_MS = 30 * 86_400_000;
// Character counts change slowly; a bounded cache saves recounting them on every page.
const CHAR_CACHE_MAX = 4096;
// bm25 counts the articles of every phrase in its MATCH, facet tokens included (at 1M
// articles a province's 400k cost ~13 ms, more than reading the pool twice). Relevance reads
// and scores in one statement only while the facets it would count hold fewer than this.
const FUSE_FACET_DOCS = 50_000;
// Share of the time budget a relevance search's walk may use; scoring the pool takes the rest.
const RELEVANCE_WALK_SHARE = 0.5;

const TOO_BROAD = 'This search is too broad to finish: add a word, a region or a shorter date range.';

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

/** What the last search did, for tests and the bench: counts of work, never times. */
export interface SearchWork {
  readonly stop: ScanOutcome['stop'] | null;
  readonly rows: number;
  readonly windows: number;
  readonly statements: number;
  /** Candidates relevance scored (0 for newest-first). */
  readonly scored: number;
  /** Single characters matched inline (rare) and checked per window (common). */
  readonly inlineChars: number;
  readonly filterChars: number;
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/**
 * The default time budget counts CPU, so a search on a busy machine is not cut short for
 * waiting its turn, and wall time at a quarter, so one waiting on a slow disk still ends.
 */
function effortClock(): () => number {
  const cpu0 = cpuMs();
  const wall0 = performance.now();
  return () => Math.max(cpuMs() - cpu0, (performance.now() - wall0) / 4);
}

export function createSearch(db: Db, deps: SearchDeps = {}) {
  const now = deps.now ?? (() => Date.now());
  const clock = deps.clock ?? null;
  const budget = { ...SEARCH_BUDGET, ...deps.budget };
  const writer = createSearchIndex(db);
  const scanner = createScanner(db);
  const weigher = createWeigher(db);
  const feedExists = db.prepare<[string], number>('SELECT 1 FROM feeds WHERE id = ?').pluck();
  const anyStale = db.prepare<[], number>('SELECT 1 FROM search_stale LIMIT 1').pluck();
  const maxShift = db.prepare<[string], string>('SELECT value FROM meta WHERE key = ?').pluck();
  // Two subqueries: SQLite reads one end of the index for a lone min() or max(), but scans
  // the whole table when both share one SELECT.
  const keyRange = db.prepare<[], { lo: number | null; hi: number | null }>('SELECT (SELECT min(doc) FROM search_docs) AS lo, (SELECT max(doc) FROM search_docs) AS hi');
  const hitRow = db.prepare<[number], HitRow>(`
    SELECT a.id AS article_id, a.story_id, a.title, coalesce(a.url, a.canonical_url) AS url, a.feed_id,
      f.name AS feed_name, a.published_at, a.first_seen_at, coalesce(a.body, a.text) AS body
    FROM search_docs d JOIN articles a ON a.id = d.article_id JOIN feeds f ON f.id = a.feed_id
    WHERE d.doc = ?`);
  const regionsOf = db.prepare<[number], string>('SELECT code FROM story_regions WHERE story_id = ? ORDER BY confidence DESC, code').pluck();
  const docTime = db.prepare<[number], number>('SELECT at FROM search_docs WHERE doc >= ? ORDER BY doc LIMIT 1').pluck();
  // How many articles contain a character, counted only up to the point that matters.
  const inlineBelow = deps.inlineCharDocs ?? INLINE_CHAR_DOCS;
  const charDocs = db.prepare<[string, number], number>('SELECT count(*) FROM (SELECT 1 FROM search_chars WHERE search_chars MATCH ? LIMIT ?)').pluck();
  const charCounts = new Map<string, number>();
  const facetDocs = db.prepare<[string, number], number>('SELECT count(*) FROM (SELECT 1 FROM search_fts WHERE search_fts MATCH ? LIMIT ?)').pluck();
  const facetCounts = new Map<string, number>();
  const fuseBelow = deps.fuseFacetDocs ?? FUSE_FACET_DOCS;
  const score = `bm25(search_fts, ${TITLE_WEIGHT}, 1.0, 0.0) * (1.0 + ${BOOST} * pow(0.5, max(0.0, @now - rowid * ${KEY_UNIT_MS}.0) / ${HALF_LIFE_MS}.0))`;
  // Scores only the pool: `+rowid` keeps the IN list out of FTS5's plan (as a constraint it
  // would restart the query, and bm25's whole-index term counts, once per key), so FTS5 walks
  // the range and bm25 runs only for the keys the IN list lets through.
  const scorePool = db.prepare<{ match: string; lo: number; hi: number; now: number; ids: string }, { doc: number; score: number }>(
    `SELECT rowid AS doc, ${score} AS score FROM search_fts WHERE search_fts MATCH @match AND rowid BETWEEN ${KEY_LO} AND ${KEY_HI}
      AND +rowid IN (SELECT value FROM json_each(@ids))`,
  );
  // The walk and the scoring in one statement (see relevant()): the newest pool of matches,
  // scored as they are read.
  const walkScored = db.prepare<{ match: string; lo: number; hi: number; now: number; pool: number }, { doc: number; score: number }>(
    `SELECT rowid AS doc, ${score} AS score FROM search_fts WHERE search_fts MATCH @match AND rowid BETWEEN ${KEY_LO} AND ${KEY_HI}
      ORDER BY rowid DESC LIMIT @pool`,
  );
  let lastWork: SearchWork = { stop: null, rows: 0, windows: 0, statements: 0, scored: 0, inlineChars: 0, filterChars: 0 };

  /** Index rows the triggers marked stale are refreshed first, so filters see current regions. */
  function refresh(): void {
    if (db.readonly || anyStale.get() === undefined) return;
    try {
      writer.refreshStale(200);
    } catch {
      // Locked by another writer: search the index as it is; the next search tries again.
    }
  }

  function docsWith(ch: string): number {
    let n = charCounts.get(ch);
    if (n === undefined) {
      n = charDocs.get(quote(ch), inlineBelow)!;
      if (charCounts.size >= CHAR_CACHE_MAX) charCounts.clear();
      charCounts.set(ch, n);
    }
    return n;
  }

  /** Whether the facet tokens together hold fewer articles than fuseBelow (each counted once). */
  function fewFacetDocs(facets: readonly string[]): boolean {
    let sum = 0;
    for (const token of facets) {
      let n = facetCounts.get(token);
      if (n === undefined) {
        n = facetDocs.get(token, fuseBelow)!;
        if (facetCounts.size >= CHAR_CACHE_MAX) facetCounts.clear();
        facetCounts.set(token, n);
      }
      sum += n;
      if (sum >= fuseBelow) return false;
    }
    return true;
  }

  /** The walk for a checked request: MATCH, character filter, key range and time range. */
  function plan(c: Checked, top: number | null) {
    const table = c.plan.table === 'chars' ? 'search_chars' : 'search_fts';
    let match = `(${c.plan.match})`;
    let filter: CharFilter | null = null;
    let inline = 0;
    // What relevance may weigh: the positive words, and rare characters matched inline.
    const weigh: Term[] = c.plan.table === 'fts' ? c.plan.positive.map((expr) => ({ expr })) : [];
    const common = { require: [] as { ch: string; n: number }[], exclude: [] as { ch: string; n: number }[] };
    if (c.plan.table === 'fts') {
      // Rarest first: a rare character joins the MATCH as a prefix (FTS5 reads its few
      // bigrams up front and drives the walk with them); a common one, which most
      // candidates pass, is checked once per window in search_chars.
      for (const kind of ['require', 'exclude'] as const) {
        for (const ch of c.plan[kind]) {
          const n = docsWith(ch);
          if (n >= inlineBelow) common[kind].push({ ch, n });
          else {
            inline++;
            if (kind === 'require') weigh.push({ expr: `${quote(ch)} *`, docs: n });
            match = kind === 'require' ? `${match} AND (${quote(ch)} *)` : `(${match}) NOT (${quote(ch)} *)`;
          }
        }
      }
      const require = common.require.sort((a, b) => a.n - b.n).map((x) => quote(x.ch));
      const exclude = common.exclude.map((x) => quote(x.ch));
      if (require.length) filter = { keep: true, match: require.join(' AND ') + (exclude.length ? ` NOT (${exclude.join(' OR ')})` : '') };
      else if (exclude.length) filter = { keep: false, match: exclude.join(' OR ') };
    }
    // What the walk matches before the facets: relevance compares it with what bm25 weighs.
    const terms = match;
    const regions = c.regions.map((r) => quote(regionToken(r)));
    const feeds = c.feeds.map((f) => quote(feedToken(f)));
    if (regions.length) match += ` AND (${regions.join(' OR ')})`;
    if (feeds.length) match += ` AND (${feeds.join(' OR ')})`;
    const range = keyRange.get()!;
    let lo = range.lo ?? 1;
    let hi = Math.min(range.hi ?? 0, top ?? Number.MAX_SAFE_INTEGER);
    if (c.since !== null) lo = Math.max(lo, keyBase(c.since));
    // Collisions push keys past their time unit by at most the recorded shift.
    if (c.until !== null) hi = Math.min(hi, keyBase(c.until) + Number(maxShift.get(MAX_SHIFT_KEY) ?? 0));
    const times = c.since !== null || c.until !== null ? { since: c.since ?? Number.MIN_SAFE_INTEGER, until: c.until ?? Number.MAX_SAFE_INTEGER } : null;
    const scan: ScanPlan = { table, match, filter, times, lo, hi };
    // Facet tokens sit in a column bm25 weighs 0, and excluded terms are absent from every
    // candidate: a separate scoring MATCH leaves both out (no score changes), sparing bm25 a
    // count of an excluded phrase's articles over the whole index.
    const keys = { lo: range.lo ?? 1, hi: range.hi ?? 0 };
    return { scan, terms, facets: [...regions, ...feeds], weigh, keys, inline, filterChars: common.require.length + common.exclude.length };
  }

  // One clock per search, started before anything reads the index: counting characters and
  // weighing terms spend the same budget as the walk.
  let effort: () => number = () => 0;
  let started = 0;
  const startClock = () => {
    effort = clock ?? effortClock();
    started = effort();
  };
  const limitsFor = (need: number, share = 1) => {
    const deadline = started + budget.ms * share;
    return { need, maxRows: budget.rows, clock: effort, deadline, firstSpan: budget.firstSpan, maxSpan: budget.maxSpan };
  };

  /** Keys of one page, newest first, and the cursor of the next. */
  type Found = { p: ReturnType<typeof plan>; out: ScanOutcome; page: { doc: number; score?: number }[]; next: string | null; scored: number };

  function newest(c: Checked): Found {
    const p = plan(c, c.cursor ? c.cursor.d - 1 : null);
    const out = scanner.scan(p.scan, limitsFor(c.limit + 1));
    const page = out.docs.slice(0, c.limit);
    let next: number | null = null;
    if (out.docs.length > c.limit) next = page[page.length - 1]!;
    else if (out.stop === 'rows' || out.stop === 'time') next = out.reached;
    return { p, out, page: page.map((doc) => ({ doc })), next: next === null ? null : encodeCursor({ k: 'n', d: next }), scored: 0 };
  }

  /** Relevance: the newest `relevancePool` matches, scored and sorted; one page of them. */
  function relevant(c: Checked, t: number): Found {
    const top = c.cursor?.k === 'r' ? c.cursor.h : null;
    const p = plan(c, top);
    const mask = weigher.choose(p.weigh, p.keys.lo, p.keys.hi, { docs: budget.weighDocs, terms: budget.weighTerms });
    const match = weigher.matchOf(p.weigh, mask);
    let out: ScanOutcome;
    let rows: { doc: number; score: number }[];
    if (p.scan.table === 'search_fts' && p.scan.filter === null && p.scan.times === null && p.terms === `(${match})` && fewFacetDocs(p.facets)) {
      // The walk's terms are the ones bm25 weighs (no excluded or unweighed term, no filter):
      // one statement reads the pool and scores it, instead of a walk and a second read of the
      // same range that checks each key against the pool. It reads no more than the walk
      // would (at most the pool, or on to the end of the range as a walk statement that finds
      // fewer than its limit does), and scores what the walk would find with the same scores:
      // facet tokens sit in a column bm25 weighs 0, so each adds exactly 0.0 to the sum (but
      // bm25 counts their articles: done only for small facets).
      rows = walkScored.all({ match: p.scan.match, lo: p.scan.lo, hi: p.scan.hi, now: t, pool: budget.relevancePool });
      const docs = rows.map((r) => r.doc);
      const stop = docs.length >= budget.relevancePool ? 'full' : 'end';
      out = { docs, stop, reached: stop === 'full' ? docs[docs.length - 1]! : p.scan.lo, rows: docs.length, windows: 1, statements: 1 };
      if (docs.length === 0) return { p, out, page: [], next: null, scored: 0 };
    } else {
      // Scoring comes after the walk and cannot stop halfway: the walk leaves it part of the budget.
      out = scanner.scan(p.scan, limitsFor(budget.relevancePool, RELEVANCE_WALK_SHARE));
      if (out.docs.length === 0) return { p, out, page: [], next: null, scored: 0 };
      rows = scorePool.all({ match, lo: out.docs[out.docs.length - 1]!, hi: out.docs[0]!, now: t, ids: JSON.stringify(out.docs) });
      out = { ...out, statements: out.statements + 1 };
    }
    rows.sort((a, b) => a.score - b.score || b.doc - a.doc);
    const cur = c.cursor?.k === 'r' ? c.cursor : null;
    const after = cur ? rows.filter((r) => r.score > cur.s || (r.score === cur.s && r.doc < cur.d)) : rows;
    const page = after.slice(0, c.limit);
    const last = page[page.length - 1];
    const h = top ?? out.docs[0]!;
    const next = after.length > c.limit && last ? encodeCursor({ k: 'r', d: last.doc, s: last.score, t, h }) : null;
    return { p, out, page, next, scored: rows.length };
  }

  function search(q: SearchRequest): SearchResponse {
    const c = check(q, deps, (id) => feedExists.get(id) !== undefined);
    if ('ok' in c) return c;
    startClock();
    refresh();
    // Relevance pages keep the first page's clock, so the recency boost does not drift.
    const t = c.cursor?.k === 'r' ? c.cursor.t : now();
    const r = c.relevance ? relevant(c, t) : newest(c);
    lastWork = { stop: r.out.stop, rows: r.out.rows, windows: r.out.windows, statements: r.out.statements, scored: r.scored, inlineChars: r.p.inline, filterChars: r.p.filterChars };
    const stopped = r.out.stop === 'rows' || r.out.stop === 'time';
    if (r.page.length === 0 && stopped) return fail('too-broad', TOO_BROAD);
    const items: SearchHit[] = [];
    for (const row of r.page) {
      const h = hitRow.get(row.doc);
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
        ...(row.score !== undefined ? { score: -row.score } : {}),
      });
    }
    const partial = stopped ? { partial: { searchedBackTo: docTime.get(r.out.reached) ?? r.out.reached * KEY_UNIT_MS } } : {};
    return { ok: true, items, nextCursor: r.next, ...partial };
  }

  return { search, lastWork: (): SearchWork => lastWork };
}
