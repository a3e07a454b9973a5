// Issue #11: no search may read the whole index. These tests count work (rows read, windows,
// candidates scored, keys probed), never time: the time figures live in bench/search.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyBase } from '../../../../src/store/sqlite-search/index-writer.js';
import { compileQuery, QUERY_BOUNDS } from '../../../../src/search/query-syntax.js';
import { createScanner } from '../../../../src/store/sqlite-search/scan.js';
import { createSearch, type SearchDeps, type SearchRequest, type SearchResponse } from '../../../../src/store/sqlite-search/query.js';
import { createTestStore, T0, type TestStore } from '../../../helpers/articles.js';

// Every article says 发展; each also holds one of the six "common" characters below, so any
// two of them never meet in one article: the hostile shape of issue #11 (common word plus
// common single characters that rarely co-occur), in miniature.
const COMMON = ['甲', '乙', '丙', '丁', '戊', '己'];
const N = 1200;
let store: TestStore;

beforeAll(() => {
  store = createTestStore();
  for (let i = 0; i < N; i++) {
    const ch = COMMON[i % COMMON.length]!;
    // The newest ten also carry 稀 (rare): a narrowing word that should be found at once.
    store.add({ title: `发展${ch}报道`, body: `${ch}地发展经济。${i >= N - 10 ? '稀有' : ''}`, publishedAt: T0 + i * 60_000 });
  }
});
afterAll(() => store.close());

function run(deps: SearchDeps, q: SearchRequest): { res: SearchResponse; work: ReturnType<ReturnType<typeof createSearch>['lastWork']> } {
  const s = createSearch(store.db, { now: () => T0 + N * 60_000, inlineCharDocs: 50, ...deps });
  const res = s.search(q);
  return { res, work: s.lastWork() };
}

describe('query bounds', () => {
  it('refuses more single characters, excluded words or terms than the bounds allow', () => {
    const chars = (n: number) => ['发展', ...'的了在是和与及等也都'.slice(0, n)].join(' ');
    expect(compileQuery(chars(QUERY_BOUNDS.maxSingleChars)).ok).toBe(true);
    const many = compileQuery(chars(QUERY_BOUNDS.maxSingleChars + 1));
    expect(many.ok ? null : many.error).toBe('too-many-terms');
    const negated = ['发展', ...Array.from({ length: QUERY_BOUNDS.maxExcluded + 1 }, (_, i) => `-词${i}语`)].join(' ');
    expect(compileQuery(negated).ok).toBe(false);
    const words = Array.from({ length: QUERY_BOUNDS.maxTerms + 1 }, (_, i) => `w${i}`).join(' ');
    expect(compileQuery(words).ok).toBe(false);
  });

  it('counts the characters of a quoted phrase as one phrase, not as lookups', () => {
    expect(compileQuery('"的 了 在 是 和 与 及 等"').ok).toBe(true);
  });

  it('a search over the bound is refused with a typed error, before reading the index', () => {
    const { res } = run({}, { query: `发展 ${'的了在是和与及'.split('').join(' ')}`, limit: 5 });
    expect(res.ok ? null : res.error).toBe('too-many-terms');
  });
});

describe('bounded walk', () => {
  const hostile = `发展 ${COMMON.join(' ')}`; // all six required: no article has them all

  it('a common word plus common characters that never meet stops at the row budget: too broad', () => {
    const rows = 600;
    const { res, work } = run({ budget: { rows, firstSpan: 64, maxSpan: 256, ms: 1e9 } }, { query: hostile, limit: 5 });
    expect(res.ok ? null : res.error).toBe('too-broad');
    expect(work.stop).toBe('rows');
    expect(work.filterChars).toBe(6);
    // It stops at the first window boundary past the budget: one window more at most.
    expect(work.rows).toBeLessThan(rows + 2 * 256);
    expect(work.rows).toBeLessThan(N);
  });

  it('the same search with the whole index in budget says there is nothing, not too broad', () => {
    const { res, work } = run({ budget: { rows: 1e9, ms: 1e9 } }, { query: hostile, limit: 5 });
    expect(res).toMatchObject({ ok: true, items: [], nextCursor: null });
    expect(work.stop).toBe('end');
  });

  it('stops at the time budget between windows, on an injected clock', () => {
    let t = 0;
    const clock = () => (t += 200); // each look at the clock: one window's worth of time
    const { res, work } = run({ clock, budget: { ms: 150, rows: 1e9, firstSpan: 64, maxSpan: 64 } }, { query: hostile, limit: 5 });
    expect(res.ok ? null : res.error).toBe('too-broad');
    expect(work.stop).toBe('time');
    expect(work.windows).toBe(1);
  });

  it('a statement grows only as far as the time left allows, and shrinks when it would not fit', () => {
    // Each look at the clock costs 30 of a budget of 100: without a filter the walk reads
    // statements of 64 matches, then 64 × 40/30 = 85 (not 128), then 85 × 10/30 = 28 (not
    // 256), and stops.
    const { lo, hi } = store.db.prepare<[], { lo: number; hi: number }>('SELECT min(doc) AS lo, max(doc) AS hi FROM search_docs').get()!;
    let t = 0;
    const clock = () => (t += 30);
    const plan = { table: 'search_fts' as const, match: '("发展")', filter: null, times: null, lo, hi };
    const out = createScanner(store.db).scan(plan, { need: 1e9, maxRows: 1e9, clock, deadline: 100, firstSpan: 64, maxSpan: 1 << 20 });
    expect(out.stop).toBe('time');
    expect(out.windows).toBe(3);
    expect(out.rows).toBe(64 + 85 + 28);
    expect(out.reached).toBe(out.docs[out.docs.length - 1]);
  });

  it('without a filter, a walk whose words never meet reads the index once, not once per window', () => {
    // FTS5 reads past a range's far end to its next match: one statement per key window
    // would each read to the end of the index. 甲地 and 乙地 are in different articles.
    const { res, work } = run({ budget: { firstSpan: 64, maxSpan: 64, rows: 1e9, ms: 1e9 } }, { query: '甲地 乙地', limit: 5 });
    expect(res).toMatchObject({ ok: true, items: [], nextCursor: null });
    expect(work).toMatchObject({ stop: 'end', statements: 1, rows: 0, filterChars: 0 });
  });

  it('answers with what it found, marked partial, and its cursor goes on looking further back', () => {
    const deps: SearchDeps = { budget: { rows: 150, firstSpan: 32, maxSpan: 32, ms: 1e9 } };
    const s = createSearch(store.db, { now: () => T0, inlineCharDocs: 50, ...deps });
    const first = s.search({ query: '发展 甲', limit: 25 });
    if (!first.ok) throw new Error(first.message);
    expect(first.partial).toBeDefined();
    expect(first.items.length).toBeLessThan(25);
    expect(first.partial!.searchedBackTo).toBeGreaterThan(T0);
    // Following the cursors finds every article with 甲, each once, newest first.
    const seen: number[] = first.items.map((h) => h.articleId);
    let cursor = first.nextCursor;
    for (let pages = 0; cursor && pages < 200; pages++) {
      const next = s.search({ query: '发展 甲', limit: 25, cursor });
      if (!next.ok) break; // a window with none of them at the budget: too broad for that page
      seen.push(...next.items.map((h) => h.articleId));
      cursor = next.nextCursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(N / COMMON.length);
  });

  it('a rare character joins the MATCH (rarest first) and the page fills in one window', () => {
    const { res, work } = run({}, { query: '发展 稀', limit: 5 });
    expect(res.ok && res.items.length).toBe(5);
    expect(work.inlineChars).toBe(1);
    expect(work.filterChars).toBe(0);
    expect(work.windows).toBe(1);
  });

  it('an ordinary search reads about one page, not the index', () => {
    const { res, work } = run({}, { query: '发展', limit: 10 });
    expect(res.ok && res.items.length).toBe(10);
    expect(work.rows).toBe(11);
    expect(work.statements).toBe(1);
  });

  it('a date range bounds the keys walked', () => {
    const since = T0 + (N - 100) * 60_000;
    const { res, work } = run({ budget: { firstSpan: 10_000 } }, { query: '发展', limit: 25, since });
    expect(res.ok && res.items.every((h) => h.publishedAt! >= since)).toBe(true);
    expect(work.rows).toBeLessThanOrEqual(26);
    expect(keyBase(since)).toBeGreaterThan(0);
  });
});

describe('bounded relevance', () => {
  it('scores at most the pool of newest matches, and pages through exactly them', () => {
    const pool = 40;
    const s = createSearch(store.db, { now: () => T0 + N * 60_000, budget: { relevancePool: pool } });
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = s.search({ query: '发展', sort: 'relevance', limit: 25, cursor });
      if (!res.ok) throw new Error(res.message);
      expect(s.lastWork().scored).toBeLessThanOrEqual(pool);
      seen.push(...res.items.map((h) => h.articleId));
      cursor = res.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(new Set(seen).size).toBe(pool);
    // The pool is the newest matches.
    const newest = store.db.prepare('SELECT id FROM articles ORDER BY published_at DESC LIMIT ?').pluck().all(pool) as number[];
    expect(new Set(seen)).toEqual(new Set(newest));
  });

  it('reads and scores the pool in one statement, with the scores and order of a walk then a scoring pass', () => {
    const s = createTestStore();
    try {
      // Titles and bodies repeat the word a varying number of times in texts of varying
      // length, in two regions and two feeds, so bm25 and the recency boost both vary.
      for (let i = 0; i < 120; i++) {
        const word = '秀洲'.repeat(1 + (i % 4));
        s.add({
          title: i % 3 ? `${word}新闻${i}` : `新闻${i}`,
          body: `${'经济发展'.repeat(1 + (i % 7))}${word}。${'服务'.repeat(i % 5)}`,
          regions: [i % 2 ? '330411' : '440106'],
          feedId: i % 5 ? 'a' : 'b',
          publishedAt: T0 + i * 3_600_000,
        });
      }
      const search = createSearch(s.db, { now: () => T0 + 200 * 3_600_000, budget: { relevancePool: 50 } });
      const pages = (q: SearchRequest) => {
        const out: { id: number; score?: number }[] = [];
        let cursor: string | null = null;
        let statements = 0;
        do {
          const res = search.search({ ...q, sort: 'relevance', limit: 7, cursor });
          if (!res.ok) throw new Error(res.message);
          out.push(...res.items.map((h) => ({ id: h.articleId, score: h.score })));
          statements = Math.max(statements, search.lastWork().statements);
          cursor = res.nextCursor;
        } while (cursor);
        return { out, statements };
      };
      for (const q of [{ query: '秀洲' }, { query: '秀洲', regions: ['330400'] }, { query: '秀洲 经济', feedIds: ['a'] }, { query: '秀洲', regions: ['440000', '330411'] }]) {
        const fused = pages(q);
        // A date range makes it walk first and score after (the range is checked per key).
        const walked = pages({ ...q, since: 0 });
        expect(fused.statements).toBe(1);
        expect(walked.statements).toBeGreaterThan(1);
        expect(fused.out.length).toBeGreaterThan(7);
        expect(fused.out).toEqual(walked.out);
      }
      // A facet too large for bm25 to count cheaply: a walk, then scoring without the facet.
      const big = createSearch(s.db, { now: () => T0 + 200 * 3_600_000, budget: { relevancePool: 50 }, fuseFacetDocs: 10 });
      const once = search.search({ query: '秀洲', regions: ['330400'], sort: 'relevance', limit: 7 });
      const split = big.search({ query: '秀洲', regions: ['330400'], sort: 'relevance', limit: 7 });
      expect(big.lastWork().statements).toBe(2);
      expect(split).toEqual(once);
    } finally {
      s.close();
    }
  });

  it('a relevance search whose characters never meet is too broad within its budget', () => {
    const { res, work } = run({ budget: { rows: 300, firstSpan: 64, maxSpan: 128, ms: 1e9 } }, { query: `发展 ${COMMON.join(' ')}`, sort: 'relevance', limit: 5 });
    expect(res.ok ? null : res.error).toBe('too-broad');
    expect(work.scored).toBe(0);
  });
});

describe('key allocation', () => {
  it('undated items that share one time unit cost O(1) key reads each, not a rescan', () => {
    const s = createTestStore();
    try {
      const n = 2000;
      for (let i = 0; i < n; i++) s.add({ title: `无日期 ${i}`, publishedAt: null, firstSeenAt: T0 });
      const keys = s.db.prepare('SELECT doc FROM search_docs ORDER BY doc').pluck().all() as number[];
      expect(new Set(keys).size).toBe(n);
      expect(keys[0]).toBe(keyBase(T0));
      // Quadratic would be ~n²/2 = 2,000,000 keys read; each allocation here reads at most one.
      expect(s.index.stats().keysRead).toBeLessThanOrEqual(n);
    } finally {
      s.close();
    }
  });
});
