// The bounded walk behind every search. Keys are unique and time-ordered (index-writer.ts):
// the walk reads the index newest-first in statements that each return a bounded number of
// rows (a LIMIT; with a character filter also a key window, which bounds what the filter
// reads). Between statements the walk counts the rows it has read and looks at the clock,
// and stops at either budget, so a query whose terms match most articles but rarely
// together ends with what it found instead of reading the whole index.
import type { Db } from '../database.js';

/** A window filter on search_chars: keep the candidates it matches, or drop them. */
export interface CharFilter {
  readonly keep: boolean;
  readonly match: string;
}

export interface ScanPlan {
  readonly table: 'search_fts' | 'search_chars';
  /** The MATCH expression that finds candidates (facets and rare characters included). */
  readonly match: string;
  /** Common single characters, checked per window against search_chars. */
  readonly filter: CharFilter | null;
  /** Article times (ms, inclusive) checked per candidate when a date range was asked. */
  readonly times: { readonly since: number; readonly until: number } | null;
  /** Key range to walk, inclusive; the walk goes from hi down to lo. */
  readonly lo: number;
  readonly hi: number;
}

export interface ScanLimits {
  /** Stop when this many keys have been found. */
  readonly need: number;
  /** Index rows (candidates plus filter rows) read before the walk gives up. */
  readonly maxRows: number;
  /** Monotonic clock (ms) and the time by which the walk gives up. */
  readonly clock: () => number;
  readonly deadline: number;
  /**
   * Width of the first key window (with a filter) or the first statement's LIMIT (without);
   * each next one doubles, up to maxSpan.
   */
  readonly firstSpan: number;
  readonly maxSpan: number;
}

export type ScanStop = 'full' | 'end' | 'rows' | 'time';

export interface ScanOutcome {
  /** Keys found, newest first. */
  readonly docs: number[];
  /** Why the walk ended: enough found, range walked, or a budget spent. */
  readonly stop: ScanStop;
  /** Every key ≥ this was examined (for a 'full' stop: down to the last key returned). */
  readonly reached: number;
  /** Work done, for tests and the bench: index rows read, windows, statements run. */
  readonly rows: number;
  readonly windows: number;
  readonly statements: number;
}

// better-sqlite3 binds a JS number as a REAL, and FTS5 takes a rowid bound only from an
// INTEGER: given 5.0 it reads the term's whole doclist and lets SQLite drop the rows
// outside the range (at 1M articles, ~20 ms per common term per statement instead of
// a seek). The casts make every key range a seek.
export const KEY_LO = 'CAST(@lo AS INTEGER)';
export const KEY_HI = 'CAST(@hi AS INTEGER)';

// Up to this many candidates, the character filter seeks each one instead of reading a range.
const FEW = 64;
// The first statement's LIMIT without a filter (see scan()).
const FIRST_ROWS = 256;

export function createScanner(db: Db) {
  const statements = new Map<string, ReturnType<Db['prepare']>>();
  const prepared = (sql: string) => {
    let st = statements.get(sql);
    if (!st) statements.set(sql, (st = db.prepare(sql)));
    return st;
  };

  function candidates(p: ScanPlan, lo: number, hi: number, limit: number | null): number[] {
    const where = [`${p.table} MATCH @match`, `rowid BETWEEN ${KEY_LO} AND ${KEY_HI}`];
    const params: Record<string, number | string> = { match: p.match, lo, hi };
    if (p.times) {
      where.push(`(SELECT at FROM search_docs WHERE doc = ${p.table}.rowid) BETWEEN @since AND @until`);
      params.since = p.times.since;
      params.until = p.times.until;
    }
    let sql = `SELECT rowid FROM ${p.table} WHERE ${where.join(' AND ')} ORDER BY rowid DESC`;
    if (limit !== null) {
      sql += ' LIMIT @limit';
      params.limit = limit;
    }
    return prepared(sql).pluck().all(params) as number[];
  }

  /**
   * The candidates the filter matches. A few candidates spread over a wide range are looked
   * up one by one (a seek each); many are read as one range of the characters' doclists.
   */
  function filtered(f: CharFilter, found: readonly number[]): Set<number> {
    if (found.length <= FEW) {
      const sql = 'SELECT rowid FROM search_chars WHERE search_chars MATCH @match AND rowid IN (SELECT value FROM json_each(@ids))';
      return new Set(prepared(sql).pluck().all({ match: f.match, ids: JSON.stringify(found) }) as number[]);
    }
    const sql = `SELECT rowid FROM search_chars WHERE search_chars MATCH @match AND rowid BETWEEN ${KEY_LO} AND ${KEY_HI}`;
    return new Set(prepared(sql).pluck().all({ match: f.match, lo: found[found.length - 1]!, hi: found[0]! }) as number[]);
  }

  /** Walks the plan's range newest-first until `need` keys are found or a budget is spent. */
  function scan(p: ScanPlan, limits: ScanLimits): ScanOutcome {
    const docs: number[] = [];
    let rows = 0;
    let windows = 0;
    let statements = 0;
    let hi = p.hi;
    let span = Math.max(1, limits.firstSpan);
    // Without a filter a statement returns up to this many matches: it starts smaller than a
    // relevance pool, since a statement cannot stop halfway and one finding 2048 matches of a
    // dozen common words reads a third of the index (~100 ms cold at 1M); it grows with the
    // time left.
    let rowsCap = Math.max(1, Math.min(span, FIRST_ROWS));
    // With a filter, a window also stops at this many candidates: when most pass (a common
    // character), a page fills after reading a few dozen, not the whole window.
    let cap = Math.max(32, 2 * limits.need);
    const outcome = (stop: ScanStop, reached: number): ScanOutcome => ({ docs, stop, reached, rows, windows, statements });
    let before = limits.clock();
    while (hi >= p.lo) {
      if (windows > 0) {
        if (rows >= limits.maxRows) return outcome('rows', hi + 1);
        const now = limits.clock();
        if (now >= limits.deadline) return outcome('time', hi + 1);
        // A window costs about in proportion to its width. Doubling blindly lets the last
        // window before the deadline cost as much as all before it (a 2× overshoot); grow
        // only as far as the time left allows, and shrink when even the last width won't fit.
        const growth = Math.min(2, (limits.deadline - now) / Math.max(now - before, 1e-9));
        before = now;
        span = Math.max(1, Math.min(limits.maxSpan, Math.floor(span * growth)));
        cap = Math.max(1, Math.min(limits.maxSpan, Math.floor(cap * growth)));
        rowsCap = Math.max(1, Math.min(limits.maxSpan, Math.floor(rowsCap * growth)));
      }
      // FTS5 checks a rowid range's far end only against the matches it yields: a statement
      // that finds fewer than its LIMIT reads on to the next match below the range (at 1M
      // articles, a rare phrase with a region read to the end of the index in each of ten
      // windows). Without a filter, a statement is therefore bounded by a count of matches,
      // not by a key window: each reads on from where the last one stopped, and reads the
      // index once in all. With a filter, key windows still bound what the filter reads.
      const need = limits.need - docs.length;
      const lo = p.filter ? Math.max(p.lo, hi - span + 1) : p.lo;
      const limit = p.filter ? Math.min(cap, span) : Math.min(need, rowsCap);
      const found = candidates(p, lo, hi, limit);
      statements++;
      windows++;
      rows += found.length;
      // A window cut at its limit was examined down to its last candidate only.
      const covered = found.length === limit ? found[found.length - 1]! : lo;
      let passed = found;
      if (p.filter && found.length > 0) {
        const hits = filtered(p.filter, found);
        statements++;
        rows += hits.size;
        passed = found.filter((d) => hits.has(d) === p.filter!.keep);
      }
      if (passed.length >= need) {
        docs.push(...passed.slice(0, need));
        return outcome('full', docs[docs.length - 1]!);
      }
      docs.push(...passed);
      hi = covered - 1;
    }
    return outcome('end', p.lo);
  }

  return { scan };
}
