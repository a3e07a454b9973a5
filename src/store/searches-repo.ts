// Stored searches behind /news result buttons (migration 004). The request is opaque JSON
// here: the command that writes it also validates it when reading it back.
import { randomBytes } from 'node:crypto';
import type { Db } from './database.js';

export interface StoredSearch {
  readonly key: string;
  readonly userId: string;
  readonly request: string;
  /** Cursor of each page reached so far; page 0 has none (null). */
  readonly pages: readonly (string | null)[];
  readonly createdAt: number;
}

interface Row {
  key: string;
  user_id: string;
  request: string;
  pages: string;
  created_at: number;
}

/** 8 random bytes: unguessable, and only 11 characters of a 100-character custom id. */
const newKey = (): string => randomBytes(8).toString('base64url');

/** A stored search's page cursors; a damaged row reads as having only its first page. */
export function parsePages(json: string): (string | null)[] {
  try {
    const v: unknown = JSON.parse(json);
    if (Array.isArray(v) && v.every((c) => c === null || typeof c === 'string')) return v as (string | null)[];
  } catch {
    // A damaged row reads as having only its first page.
  }
  return [null];
}

export interface SearchResult {
  /** The result's number on screen, from 1. */
  readonly n: number;
  readonly storyId: number;
}

export type SearchesRepo = ReturnType<typeof createSearchesRepo>;

export function createSearchesRepo(db: Db) {
  const insert = db.prepare('INSERT INTO searches (key, user_id, request, pages, created_at) VALUES (?, ?, ?, ?, ?)');
  const byKey = db.prepare<[string], Row>('SELECT key, user_id, request, pages, created_at FROM searches WHERE key = ?');
  // json_set appends when the index is the array's length and changes nothing past it, so
  // a cursor is only ever recorded for the page right after ones already reached.
  const setPage = db.prepare('UPDATE searches SET pages = json_set(pages, ?, ?) WHERE key = ?');
  const prune = db.prepare('DELETE FROM searches WHERE created_at < ?');
  const addResult = db.prepare('INSERT OR IGNORE INTO search_results (key, n, story_id) VALUES (?, ?, ?)');
  const resultRow = db.prepare<[string, number], { story_id: number; posted_at: number | null }>('SELECT story_id, posted_at FROM search_results WHERE key = ? AND n = ?');
  const claim = db.prepare('UPDATE search_results SET posted_at = ? WHERE key = ? AND n = ? AND posted_at IS NULL');
  const release = db.prepare('UPDATE search_results SET posted_at = NULL WHERE key = ? AND n = ? AND posted_at = ?');
  const addResults = db.transaction((key: string, results: readonly SearchResult[]) => {
    for (const r of results) addResult.run(key, r.n, r.storyId);
  });

  return {
    /** Stores a search and returns its key; `next` is the cursor of page 1, if there is one. */
    create(userId: string, request: string, next: string | null, now: number): string {
      const key = newKey();
      insert.run(key, userId, request, JSON.stringify(next === null ? [null] : [null, next]), now);
      return key;
    },
    get(key: string): StoredSearch | null {
      const r = byKey.get(key);
      return r ? { key: r.key, userId: r.user_id, request: r.request, pages: parsePages(r.pages), createdAt: r.created_at } : null;
    },
    setPageCursor(key: string, page: number, cursor: string): void {
      if (!Number.isSafeInteger(page) || page < 1) throw new RangeError(`page ${page} cannot have a cursor`);
      setPage.run(`$[${page}]`, cursor, key);
    },
    /** Records the stories shown as results (first write wins: a result's story never changes). */
    addResults(key: string, results: readonly SearchResult[]): void {
      addResults(key, results);
    },
    /** The story shown as result `n` of a search, and when it was posted; null if there was none. */
    result(key: string, n: number): { readonly storyId: number; readonly postedAt: number | null } | null {
      const r = resultRow.get(key, n);
      return r ? { storyId: r.story_id, postedAt: r.posted_at } : null;
    },
    /** Marks result `n` posted at `now`; false if it already was (or is not a result). */
    claimPost: (key: string, n: number, now: number): boolean => claim.run(now, key, n).changes === 1,
    /** Undoes claimPost(`key`, `n`, `at`) when the post could not be sent. */
    releasePost(key: string, n: number, at: number): void {
      release.run(key, n, at);
    },
    /** Deletes searches created before `before`; returns how many. */
    prune: (before: number): number => prune.run(before).changes,
  };
}
