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

function parsePages(json: string): (string | null)[] {
  try {
    const v: unknown = JSON.parse(json);
    if (Array.isArray(v) && v.every((c) => c === null || typeof c === 'string')) return v as (string | null)[];
  } catch {
    // A damaged row reads as having only its first page.
  }
  return [null];
}

export type SearchesRepo = ReturnType<typeof createSearchesRepo>;

export function createSearchesRepo(db: Db) {
  const insert = db.prepare('INSERT INTO searches (key, user_id, request, pages, created_at) VALUES (?, ?, ?, ?, ?)');
  const byKey = db.prepare<[string], Row>('SELECT key, user_id, request, pages, created_at FROM searches WHERE key = ?');
  // json_set appends when the index is the array's length and changes nothing past it, so
  // a cursor is only ever recorded for the page right after ones already reached.
  const setPage = db.prepare('UPDATE searches SET pages = json_set(pages, ?, ?) WHERE key = ?');
  const prune = db.prepare('DELETE FROM searches WHERE created_at < ?');

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
    /** Deletes searches created before `before`; returns how many. */
    prune: (before: number): number => prune.run(before).changes,
  };
}
