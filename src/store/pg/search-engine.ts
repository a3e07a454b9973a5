// The search engine over a Postgres store (issue #16): the same requests, checks, cursors,
// snippets and answers as the SQLite engine (store/sqlite-search/query.ts), over the tsvector
// index that holds the same tokens (search-run.ts runs the pages). Newest-first pages list the
// same articles as SQLite; relevance ranks with Postgres's ts_rank instead of FTS5's bm25, so
// its order may differ where the two weigh a match differently.
import type { PgPool } from './connection.js';
import { pgHitRows, pgSearchNewest, pgSearchRelevant, type PgSearchPage, type PgSearchPlan } from './search-run.js';
import type { SearchPort } from '../ports.js';
import { convert } from '../../text/script.js';
import { check, encodeCursor, fail, quote, SEARCH_BUDGET, type Checked, type SearchDeps, type SearchHit } from '../../search/request.js';
import { makeSnippet } from '../../search/snippet.js';
import { feedToken, regionToken } from '../../search/tokens.js';

const TITLE_WEIGHT = 4.0;
const BOOST = 0.5;
const HALF_LIFE_MS = 30 * 86_400_000;
// Ranking reads every candidate's tokens: tiers smaller than SQLite's pool keep a page inside
// the budget (search-run.ts ranks the matches tier by tier, so none is left out).
const PG_RELEVANCE_POOL = 2_000;

const TOO_BROAD = 'This search is too broad to finish: add a word, a region or a shorter date range.';

/** The whole query as one MATCH expression: the separable single characters joined back in. */
function planOf(c: Checked, limit: number, below: number | null): PgSearchPlan {
  let match = `(${c.plan.match})`;
  let chars: string | null = null;
  if (c.plan.table === 'chars') chars = c.plan.match;
  else {
    for (const ch of c.plan.require) match = `${match} AND (${quote(ch)} *)`;
    for (const ch of c.plan.exclude) match = `(${match}) NOT (${quote(ch)} *)`;
  }
  return { match, chars, regionTokens: c.regions.map(regionToken), feedTokens: c.feeds.map(feedToken), since: c.since, until: c.until, below, limit };
}

export function createPgSearch(pool: PgPool, deps: SearchDeps = {}): SearchPort {
  const now = deps.now ?? (() => Date.now());
  const budget = { ...SEARCH_BUDGET, ...deps.budget };
  // Statements are timed by the server in wall time; the budget counts CPU, so it gets more.
  const timeoutMs = Math.max(budget.ms * 5, 250);

  async function hits(c: Checked, page: PgSearchPage): Promise<SearchHit[]> {
    const rows = await pgHitRows(pool, page.docs.map((d) => d.doc));
    const scores = new Map(page.docs.map((d) => [d.doc, d.score]));
    return rows.map((h) => {
      const score = scores.get(h.doc);
      return {
        articleId: h.articleId,
        storyId: h.storyId,
        title: convert(h.title, c.script),
        url: h.url,
        feedId: h.feedId,
        feedName: h.feedName,
        publishedAt: h.publishedAt,
        firstSeenAt: h.firstSeenAt,
        regions: h.regions,
        snippet: makeSnippet(h.body, c.needles, c.script),
        ...(score !== undefined ? { score } : {}),
      };
    });
  }

  return {
    async search(q) {
      // check() asks about feeds synchronously: the ones named are looked up first.
      const named = Array.isArray(q.feedIds) ? q.feedIds.filter((id): id is string => typeof id === 'string') : [];
      const known = new Set<string>();
      if (named.length) for (const r of (await pool.query<{ id: string }>('SELECT id FROM feeds WHERE id = ANY($1::text[])', [named])).rows) known.add(r.id);
      const c = check(q, deps, (id) => known.has(id));
      if ('ok' in c) return c;

      if (!c.relevance) {
        const cursor = c.cursor?.k === 'n' ? c.cursor : null;
        const page = await pgSearchNewest(pool, planOf(c, c.limit + 1, cursor ? cursor.d : null), timeoutMs);
        if (page.stop === 'time') return fail('too-broad', TOO_BROAD);
        const shown = { ...page, docs: page.docs.slice(0, c.limit) };
        const next = page.docs.length > c.limit ? encodeCursor({ k: 'n', d: shown.docs[shown.docs.length - 1]!.doc }) : null;
        return { ok: true, items: await hits(c, shown), nextCursor: next };
      }

      // Relevance pages keep the first page's clock and top key, so every page ranks the same
      // candidates with the same recency boost.
      const cursor = c.cursor?.k === 'r' ? c.cursor : null;
      const t = cursor ? cursor.t : now();
      const top = cursor ? cursor.h : null;
      const rel = {
        pool: Math.min(budget.relevancePool, PG_RELEVANCE_POOL),
        now: t,
        titleWeight: TITLE_WEIGHT,
        boost: BOOST,
        halfLifeMs: HALF_LIFE_MS,
        after: cursor ? { score: cursor.s, doc: cursor.d } : null,
      };
      const page = await pgSearchRelevant(pool, planOf(c, c.limit + 1, top === null ? null : top + 1), rel, timeoutMs);
      if (page.stop === 'time') return fail('too-broad', TOO_BROAD);
      const shown = { ...page, docs: page.docs.slice(0, c.limit) };
      const last = shown.docs[shown.docs.length - 1];
      // The top key of the tier of candidates the last shown article was ranked in: later
      // pages rank no newer article, and go on in that tier.
      const h = last?.tierTop ?? top ?? page.top ?? null;
      const next = page.docs.length > c.limit && last ? encodeCursor({ k: 'r', d: last.doc, s: last.score!, t, h }) : null;
      return { ok: true, items: await hits(c, shown), nextCursor: next };
    },
  };
}
