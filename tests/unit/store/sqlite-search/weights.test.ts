// Issue #11: relevance weighs only the rarest terms, and leaving out the rest (facets,
// excluded words) changes no score. Counts of work and scores, never times.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY_UNIT_MS } from '../../../../src/store/sqlite-search/index-writer.js';
import { createSearch } from '../../../../src/store/sqlite-search/query.js';
import { createWeigher } from '../../../../src/store/sqlite-search/weights.js';
import { createTestStore, T0, type TestStore } from '../../../helpers/articles.js';

// Every article has 经济; every third 项目; the tenth 稀有; one in two lies in 330400.
const N = 300;
let store: TestStore;
let lo = 0;
let hi = 0;

beforeAll(() => {
  store = createTestStore();
  for (let i = 0; i < N; i++) {
    const words = ['经济', i % 3 === 0 ? '项目' : '', i % 10 === 0 ? '稀有' : '', i % 7 === 0 ? '经济经济' : ''].join('');
    store.add({ title: `报道${i % 5 === 0 ? '项目' : ''}`, body: `${words}。`, regions: i % 2 ? ['330402'] : ['320102'], publishedAt: T0 + i * 60_000 });
  }
  const r = store.db.prepare<[], { lo: number; hi: number }>('SELECT min(doc) AS lo, max(doc) AS hi FROM search_docs').get()!;
  lo = r.lo;
  hi = r.hi;
});
afterAll(() => store.close());

describe('weighing terms', () => {
  it('picks the rarest terms while their counts fit, and the rarest one always', () => {
    const w = createWeigher(store.db);
    const terms = [{ expr: 'a', docs: 50 }, { expr: 'b', docs: 5 }, { expr: 'c', docs: 500 }];
    expect(w.choose(terms, lo, hi, { docs: 60, terms: 4 })).toBe(0b011);
    expect(w.choose(terms, lo, hi, { docs: 0, terms: 4 })).toBe(0b010);
    expect(w.choose(terms, lo, hi, { docs: 1e9, terms: 2 })).toBe(0b011);
    expect(w.matchOf(terms, 0b011)).toBe('(a) AND (b)');
  });

  it('counts a term in the index exactly when the key range is small', () => {
    const w = createWeigher(store.db);
    const terms = [{ expr: '"经济"' }, { expr: '"稀有"' }, { expr: '"项目"' }];
    // Counts 300, 30 and 140 (title or body): within 170 the two rarer fit.
    expect(w.choose(terms, lo, hi, { docs: 170, terms: 4 })).toBe(0b110);
    expect(w.choose(terms, lo, hi, { docs: 169, terms: 4 })).toBe(0b010);
  });

  it('estimates from spread samples when the range is large, within a few percent', () => {
    const big = createTestStore();
    try {
      // 20,000 articles on every other key, one in four with 稀有: more keys than the samples hold.
      for (let i = 0; i < 20_000; i++) big.add({ title: i % 4 ? '报道' : '稀有报道', publishedAt: T0 + 2 * i * KEY_UNIT_MS });
      const r = big.db.prepare<[], { lo: number; hi: number }>('SELECT min(doc) AS lo, max(doc) AS hi FROM search_docs').get()!;
      const w = createWeigher(big.db);
      const terms = [{ expr: '"稀有"' }, { expr: '"报道"' }];
      expect(w.choose(terms, r.lo, r.hi, { docs: 5_500, terms: 4 })).toBe(0b01);
      expect(w.choose(terms, r.lo, r.hi, { docs: 4_500, terms: 4 })).toBe(0b01);
      expect(w.choose(terms, r.lo, r.hi, { docs: 25_500, terms: 4 })).toBe(0b11);
      expect(w.choose(terms, r.lo, r.hi, { docs: 24_000, terms: 4 })).toBe(0b01);
    } finally {
      big.close();
    }
  }, 120_000);
});

describe('relevance scores', () => {
  /** bm25 with the whole MATCH (facets and excluded words in it), as before weighing. */
  const fullScores = (match: string, now: number) =>
    new Map(
      store.db
        .prepare<[number, string], { doc: number; score: number }>(
          `SELECT d.article_id AS doc, bm25(search_fts, 4.0, 1.0, 0.0) * (1.0 + 0.5 * pow(0.5, max(0.0, ? - search_fts.rowid * ${KEY_UNIT_MS}.0) / ${30 * 86_400_000}.0)) AS score
           FROM search_fts JOIN search_docs d ON d.doc = search_fts.rowid WHERE search_fts MATCH ?`,
        )
        .all(now, match)
        .map((r) => [r.doc, -r.score]),
    );

  it('leaving facets and excluded words out of bm25 changes no score and no order', () => {
    const now = T0 + N * 60_000;
    const s = createSearch(store.db, { now: () => now });
    const res = s.search({ query: '经济 项目 -稀有', regions: ['330400'], sort: 'relevance', limit: 25 });
    if (!res.ok) throw new Error(res.message);
    expect(res.items.length).toBe(25);
    const full = fullScores('(("经济") AND ("项目")) NOT ("稀有") AND ("\uE000330400")', now);
    for (const h of res.items) expect(h.score).toBeCloseTo(full.get(h.articleId)!, 12);
    const order = [...full].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([id]) => id);
    expect(res.items.map((h) => h.articleId)).toEqual(order);
  });
});
