// Which terms relevance weighs. FTS5's bm25 counts, once per statement, every article of the
// whole index holding each phrase of its MATCH (the idf). For a common word that is a read
// of most of the index: at a million articles, twelve common words cost a second. So bm25
// weighs only the rarest terms, while their counts together stay under a bound. What that
// leaves out weighs least in bm25 anyway (idf ln((N − n) / n) falls to 0 as n nears N/2,
// where FTS5 floors it), and every term stays required by the search itself.
import type { Db } from '../database.js';
import { KEY_HI, KEY_LO } from './scan.js';

export interface Term {
  /** A MATCH expression. */
  readonly expr: string;
  /** Articles holding it, when already known (rare characters counted in search_chars). */
  readonly docs?: number;
}

export interface WeighBounds {
  /** Estimated articles, summed over the terms weighed; the rarest term is weighed anyway. */
  readonly docs: number;
  /** Terms weighed at most. */
  readonly terms: number;
}

// Articles are counted in a few key windows spread over the index, never over all of it:
// a word common years ago but rare lately is still seen as common.
const SAMPLES = 4;
const SAMPLE_KEYS = 8192;
const CACHE_MAX = 4096;

export function createWeigher(db: Db) {
  const countIn = db.prepare<{ match: string; lo: number; hi: number }, number>(`SELECT count(*) FROM search_fts WHERE search_fts MATCH @match AND rowid BETWEEN ${KEY_LO} AND ${KEY_HI}`).pluck();
  const cache = new Map<string, number>();

  /** Articles holding `expr` in the whole key range [lo, hi], estimated from samples. */
  function estimate(expr: string, lo: number, hi: number): number {
    const keys = hi - lo + 1;
    const key = `${expr}\u0000${Math.floor(Math.log2(Math.max(1, keys)))}`;
    let n = cache.get(key);
    if (n !== undefined) return n;
    if (keys <= SAMPLES * SAMPLE_KEYS) n = countIn.get({ match: expr, lo, hi })!;
    else {
      let found = 0;
      const stride = Math.floor(keys / SAMPLES);
      for (let i = 0; i < SAMPLES; i++) {
        const top = hi - i * stride;
        found += countIn.get({ match: expr, lo: top - SAMPLE_KEYS + 1, hi: top })!;
      }
      n = Math.round((found * keys) / (SAMPLES * SAMPLE_KEYS));
    }
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(key, n);
    return n;
  }

  /**
   * The terms bm25 scores with, as a bit mask over `terms`: the rarest within the bounds.
   * Counts are cached, so the pages of one search weigh the same terms.
   */
  function choose(terms: readonly Term[], lo: number, hi: number, bounds: WeighBounds): number {
    // A lone term is weighed whatever its count (the rarest always is): nothing to count.
    if (terms.length <= 1) return terms.length;
    const counted = terms.map((t, i) => ({ i, n: t.docs ?? estimate(t.expr, lo, hi) })).sort((a, b) => a.n - b.n || a.i - b.i);
    let mask = 0;
    let chosen = 0;
    let sum = 0;
    for (const t of counted) {
      if (chosen > 0 && (chosen >= bounds.terms || sum + t.n > bounds.docs)) break;
      mask |= 1 << t.i;
      chosen++;
      sum += t.n;
    }
    return mask;
  }

  /** The MATCH of the terms in `mask` (all of them when the mask names none that exist). */
  function matchOf(terms: readonly Term[], mask: number): string {
    const picked = terms.filter((_, i) => mask & (1 << i));
    return (picked.length ? picked : terms).map((t) => `(${t.expr})`).join(' AND ');
  }

  return { choose, matchOf };
}
