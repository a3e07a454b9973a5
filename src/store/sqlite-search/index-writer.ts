// Writes articles into the search index. The ingest calls indexArticle inside the
// transaction that stores the article; deletes are handled by a trigger (migration 002).
import type { Db } from '../database.js';
import type { NewIndexedArticle } from '../ports.js';
import { articleTokens, feedToken, regionToken } from '../../search/tokens.js';

/** Length of one key unit: two per minute keeps keys about as dense as articles arrive. */
export const KEY_UNIT_MS = 30_000;
// Times before this are clamped for the key only (bogus dates would all pile up at 0).
const KEY_EPOCH_MS = Date.UTC(2000, 0, 1);
// A feed date this far after we first saw the item is wrong; trust when we saw it.
const FUTURE_SLACK_MS = 3_600_000;
/** meta key: the largest distance a key was pushed past its time unit by collisions. */
export const MAX_SHIFT_KEY = 'search.max_shift';

/** The key unit of a time: keys are ≥ this, and ≤ this + max shift. */
export const keyBase = (at: number): number => Math.floor(Math.max(at, KEY_EPOCH_MS) / KEY_UNIT_MS);

/** The time an article sorts by: its publication, unless missing or in the future. */
export function sortTime(publishedAt: number | null, firstSeenAt: number): number {
  if (publishedAt === null || publishedAt > firstSeenAt + FUTURE_SLACK_MS) return firstSeenAt;
  return publishedAt;
}

/**
 * The shift written to meta for one that was used: exact up to 256 keys, above that rounded
 * up to a grid of 1/8 of its power of two (at most 12.5 % more than used).
 */
export function recordedShift(shift: number): number {
  if (shift <= 256) return shift;
  const step = 2 ** (Math.floor(Math.log2(shift)) - 3);
  return Math.ceil(shift / step) * step;
}

export interface SearchIndex {
  /** Adds or replaces an article's index rows. The article row must already exist. */
  indexArticle(a: { id: number; title: string; body: string }): void;
  /**
   * Adds the index rows of an article stored in the caller's open transaction, not indexed
   * before, from the facts given (indexArticle reads them back). Its story's regions must
   * all be stored and given.
   */
  indexNewArticle(a: NewIndexedArticle): void;
  /** Takes an article out of the index (deleting the article row does this by itself). */
  removeArticle(id: number): void;
  /** Re-indexes up to `max` articles marked stale by triggers; returns how many. */
  refreshStale(max?: number): number;
  /** Work counters since creation: keys read while looking for free ones. */
  stats(): { keysRead: number };
}

interface ArticleFacts {
  feed_id: string;
  story_id: number;
  published_at: number | null;
  first_seen_at: number;
  codes: string | null; // region codes, space-separated, in no particular order
  doc: number | null; // the article's key, when it is indexed already
  at: number | null; // the time that key was made from
  stale: number | null; // 1 when the article is marked stale
}

export function createSearchIndex(db: Db): SearchIndex {
  // Everything indexing needs to know about an article in one read: its facts, its story's
  // region codes, its key if it has one and whether it is marked stale (a new article has
  // neither, so the ingest path runs no statement for them). The codes are sorted here: an
  // ORDER BY inside group_concat builds a temporary b-tree per article.
  const facts = db.prepare<[number], ArticleFacts>(`SELECT a.feed_id, a.story_id, a.published_at, a.first_seen_at,
    (SELECT group_concat(code, ' ') FROM story_regions WHERE story_id = a.story_id) AS codes, d.doc, d.at,
    (SELECT 1 FROM search_stale WHERE article_id = a.id) AS stale
    FROM articles a LEFT JOIN search_docs d ON d.article_id = a.id WHERE a.id = ?`);
  const existing = db.prepare<[number], { doc: number; at: number }>('SELECT doc, at FROM search_docs WHERE article_id = ?');
  const taken = db.prepare<[number], number>('SELECT doc FROM search_docs WHERE doc >= ? ORDER BY doc LIMIT 64').pluck();
  const insertDoc = db.prepare('INSERT INTO search_docs (doc, article_id, at) VALUES (?, ?, ?)');
  const updateAt = db.prepare('UPDATE search_docs SET at = ? WHERE doc = ?');
  const deleteDoc = db.prepare('DELETE FROM search_docs WHERE doc = ?');
  const insertFts = db.prepare('INSERT INTO search_fts (rowid, title, body, facets) VALUES (?, ?, ?, ?)');
  const insertChars = db.prepare('INSERT INTO search_chars (rowid, terms) VALUES (?, ?)');
  const deleteFts = db.prepare('DELETE FROM search_fts WHERE rowid = ?');
  const deleteChars = db.prepare('DELETE FROM search_chars WHERE rowid = ?');
  const unstale = db.prepare('DELETE FROM search_stale WHERE article_id = ?');
  const staleIds = db.prepare<[number], number>('SELECT article_id FROM search_stale LIMIT ?').pluck();
  const stored = db.prepare<[number], { title: string; body: string }>('SELECT title, coalesce(body, text) AS body FROM articles WHERE id = ?');
  const readShift = db.prepare<[string], string>('SELECT value FROM meta WHERE key = ?').pluck();
  const writeShift = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');

  // The recorded shift only widens a date-bounded search's key range (results are still
  // checked against their time), so recording more than was used is safe. A flood of undated
  // items grows the shift by one key per item: rounding large shifts up to a coarse grid
  // writes meta a few dozen times per 100k items instead of once per item.
  let knownShift = -1;
  function noteShift(shift: number): void {
    if (shift <= knownShift) return;
    knownShift = Math.max(knownShift, Number(readShift.get(MAX_SHIFT_KEY) ?? 0));
    if (shift > knownShift) {
      const recorded = recordedShift(shift);
      writeShift.run(MAX_SHIFT_KEY, String(recorded));
      knownShift = recorded;
    }
  }

  // Runs of keys this writer knows are taken, [from, to). Undated items of one poll share
  // a time unit, so each would rescan every key the ones before it took (quadratic); a run
  // lets the next one start past them. A run may cover keys freed since (a rolled-back
  // transaction, a deleted article): those stay unused, which costs nothing but a larger shift.
  const runs: { from: number; to: number }[] = [];
  let keysRead = 0;
  const MAX_RUNS = 16;

  /** The first free key at or after the time's unit that no known run covers. */
  function allocate(at: number): number {
    const base = keyBase(at);
    // The run used last is the likeliest (a flood's items share a unit): looked at first.
    const last = runs[runs.length - 1];
    const run = last && base >= last.from && base < last.to ? last : runs.find((r) => base >= r.from && base < r.to);
    let key = run ? run.to : base;
    for (;;) {
      const used = taken.all(key);
      keysRead += used.length;
      for (const doc of used) {
        if (doc !== key) break;
        key++;
      }
      if (used.length < 64 || used[used.length - 1]! >= key) break;
    }
    // Every key from the run (or the base) up to this one is now taken. Most recently used
    // last, so the one dropped is the one longest unused.
    if (run === last && last) last.to = key + 1;
    else {
      if (run) runs.splice(runs.indexOf(run), 1);
      runs.push({ from: run ? run.from : base, to: key + 1 });
      if (runs.length > MAX_RUNS) runs.shift();
    }
    noteShift(key - base);
    return key;
  }

  function dropRows(doc: number): void {
    deleteFts.run(doc);
    deleteChars.run(doc);
  }

  // Facet tokens made once per code and feed (a few thousand of each), not once per article;
  // looked up by the code or feed id itself (a composed key would be a new string each time).
  const memo = (tokens: Map<string, string>, key: string, make: (key: string) => string): string => {
    let t = tokens.get(key);
    if (t === undefined) {
      if (tokens.size >= 20_000) tokens.clear();
      tokens.set(key, (t = make(key)));
    }
    return t;
  };
  const regionTokens = new Map<string, string>();
  const feedTokens = new Map<string, string>();
  /** The facet tokens of distinct region codes in code order, then the feed's. */
  function facetsOf(codes: readonly string[], feedId: string): string[] {
    // Codes in code order (as the story_regions key reads them): plain comparison, the same
    // order as SQLite's BINARY collation for these ASCII codes. Sorted by insertion, repeats
    // skipped: a story has a handful of codes, and Array.prototype.sort (or a Set) allocates
    // on every call, nearly a kilobyte per article in a 100k-item ingest.
    const sorted: string[] = [];
    for (const code of codes) {
      let i = sorted.length;
      while (i > 0 && sorted[i - 1]! > code) i--;
      if (sorted[i - 1] === code) continue;
      sorted.push(code);
      for (let k = sorted.length - 1; k > i; k--) sorted[k] = sorted[k - 1]!;
      sorted[i] = code;
    }
    for (let i = 0; i < sorted.length; i++) sorted[i] = memo(regionTokens, sorted[i]!, regionToken);
    sorted.push(memo(feedTokens, feedId, feedToken));
    return sorted;
  }

  function indexRows(id: number, title: string, body: string): void {
    const f = facts.get(id);
    if (!f) throw new Error(`search index: article ${id} is not stored`);
    const at = sortTime(f.published_at, f.first_seen_at);
    const facets = facetsOf(f.codes ? f.codes.split(' ') : [], f.feed_id);
    const tokens = articleTokens(title, body, facets);
    const old = f.doc === null || f.at === null ? undefined : { doc: f.doc, at: f.at };
    let doc: number;
    if (old && keyBase(old.at) === keyBase(at)) {
      dropRows(old.doc);
      if (old.at !== at) updateAt.run(at, old.doc);
      doc = old.doc;
    } else {
      if (old) {
        dropRows(old.doc);
        deleteDoc.run(old.doc);
      }
      doc = allocate(at);
      insertDoc.run(doc, id, at);
    }
    insertFts.run(doc, tokens.title, tokens.body, facets.join(' '));
    insertChars.run(doc, tokens.terms);
    // Nothing between the read and here marks the article stale (the triggers that do
    // watch articles and story_regions, not the index tables).
    if (f.stale !== null) unstale.run(id);
  }
  /** indexRows for an article stored in this transaction: no key, not stale, facts given. */
  function newRows(a: NewIndexedArticle): void {
    if (!db.inTransaction) throw new Error('search index: indexNewArticle runs inside the transaction that stored the article');
    const facets = facetsOf(a.regionCodes, a.feedId);
    const tokens = articleTokens(a.title, a.body, facets);
    const at = sortTime(a.publishedAt, a.firstSeenAt);
    const doc = allocate(at);
    insertDoc.run(doc, a.id, at);
    insertFts.run(doc, tokens.title, tokens.body, facets.join(' '));
    insertChars.run(doc, tokens.terms);
  }

  const indexAlone = db.transaction(indexRows);
  // Inside the caller's transaction (the ingest stores a chunk of articles in one) the rows
  // need no savepoint of their own: an error rolls the caller's transaction back, which holds
  // them. A savepoint per article cost about as much as one of its inserts.
  const index = (id: number, title: string, body: string): void => (db.inTransaction ? indexRows(id, title, body) : indexAlone(id, title, body));

  const remove = db.transaction((id: number) => {
    const old = existing.get(id);
    if (old) {
      dropRows(old.doc);
      deleteDoc.run(old.doc);
    }
    unstale.run(id);
  });

  return {
    indexArticle: (a) => index(a.id, a.title, a.body),
    indexNewArticle: newRows,
    removeArticle: (id) => remove(id),
    stats: () => ({ keysRead }),
    refreshStale(max = 500) {
      const ids = staleIds.all(max);
      db.transaction(() => {
        for (const id of ids) {
          const row = stored.get(id);
          if (row) index(id, row.title, row.body);
          else remove(id);
        }
      })();
      return ids.length;
    },
  };
}
