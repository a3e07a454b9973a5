// Writes articles into the Postgres search index: the same time-ordered keys (search_docs.doc)
// and the same tokens as the SQLite index (store/sqlite-search/index-writer.ts), as tsvectors.
// The tokenizer (search/tokens.ts) and the SQLite writer's key arithmetic are passed in
// (SearchIndexDeps; searchIndexDeps() gives the real ones), so both stores index exactly the
// same thing, and a test can hand in others.
//
// Every function takes the connection to run on: inside the ingest's transaction that is the
// transaction's client, so the article and its index rows commit together.
import { articleTokens, feedToken, regionToken } from '../../search/tokens.js';
import type { NewIndexedArticle } from '../ports.js';
import { keyBase, MAX_SHIFT_KEY, recordedShift, sortTime } from '../sqlite-search/index-writer.js';
import type { PgQueryable } from './connection.js';
import { ftsVector, termsVector } from './lexemes.js';
import { compile } from './sql.js';

/** A prepared statement's name for SQL written with $n placeholders (each connection plans it once). */
export const statementName = (text: string): string => compile(text).name;

export interface SearchIndexDeps {
  articleTokens(title: string, body: string, facets: readonly string[]): { title: string; body: string; terms: string };
  regionToken(code: string): string;
  feedToken(feedId: string): string;
  /** The key unit of a time (keys are ≥ it). */
  keyBase(at: number): number;
  /** The time an article sorts by. */
  sortTime(publishedAt: number | null, firstSeenAt: number): number;
  /** The shift written to meta for one used (rounded up). */
  recordedShift(shift: number): number;
  /** meta key of the largest shift of a key past its unit. */
  readonly maxShiftKey: string;
}

/** The tokens and keys the SQLite index makes: what the Postgres index is built with. */
export const searchIndexDeps = (): SearchIndexDeps => ({ articleTokens, regionToken, feedToken, keyBase, sortTime, recordedShift, maxShiftKey: MAX_SHIFT_KEY });

interface Facts {
  feed_id: string;
  published_at: number | null;
  first_seen_at: number;
  codes: string | null;
  doc: number | null;
  at: number | null;
  stale: boolean;
}

const FACTS = `SELECT a.feed_id, a.published_at, a.first_seen_at,
  (SELECT string_agg(code, ' ') FROM story_regions WHERE story_id = a.story_id) AS codes, d.doc, d.at,
  EXISTS (SELECT 1 FROM search_stale WHERE article_id = a.id) AS stale
  FROM articles a LEFT JOIN search_docs d ON d.article_id = a.id WHERE a.id = $1`;

/** What the ingest knows of an article it has just stored, with its story, in this unit of work. */
export type NewArticleFacts = NewIndexedArticle;

/** Numbers one value of the caller's statement: returns its placeholder, cast to `type`. */
export type AddParam = (value: unknown, type: string) => string;

/** A new article's index row, inserted by the caller's own statement (PgSearchIndex.newDoc). */
export interface NewDoc {
  /** CTEs `d` (the key taken, when one of the next 64 was free) and, when the shift may grow, `m` (meta's new shift). */
  readonly ctes: string;
  /** The select-list items that report them: doc, shift. */
  readonly select: string;
  /** After the statement: the slow way when no key was taken, then the writer's own bookkeeping. */
  settle(db: PgQueryable, articleId: number, got: { doc: number | null; shift: string | null }): Promise<void>;
}

export interface PgSearchIndex {
  indexArticle(db: PgQueryable, a: { id: number; title: string; body: string }): Promise<void>;
  /** indexArticle without reading the facts back: a new article has no key and no stale mark. */
  indexNewArticle(db: PgQueryable, a: NewArticleFacts): Promise<void>;
  /**
   * indexNewArticle as part of the caller's statement (the article, its story and its index
   * rows in one round trip): the article's id is the SQL `idSql`, `regionCodes` its story's.
   */
  newDoc(a: Omit<NewArticleFacts, 'id'>, idSql: string, add: AddParam): NewDoc;
  removeArticle(db: PgQueryable, id: number): Promise<void>;
  /** Re-indexes up to `max` articles marked stale; returns how many were taken. */
  refreshStale(db: PgQueryable, max?: number): Promise<number>;
  stats(): { keysRead: number };
}

/**
 * The two vectors of an article (tokens, terms), as literals. Region codes in code order, as the
 * SQLite writer sorts them. Exported for bulk loaders that write the same rows.
 */
export function docVectors(deps: SearchIndexDeps, title: string, body: string, codes: readonly string[], feedId: string) {
  const facets = [...codes].sort().map(deps.regionToken);
  facets.push(deps.feedToken(feedId));
  const t = deps.articleTokens(title, body, facets);
  return { fts: ftsVector(t.title, t.body, facets), terms: termsVector(t.terms) };
}

export function createPgSearchIndex(deps: SearchIndexDeps): PgSearchIndex {
  let keysRead = 0;
  let knownShift = -1;
  // The run of keys this writer took last, [from, to): an undated flood shares one unit, and
  // each item would otherwise rescan every key the ones before it took.
  let run: { from: number; to: number } | null = null;

  async function noteShift(db: PgQueryable, shift: number): Promise<void> {
    if (shift <= knownShift) return;
    const recorded = deps.recordedShift(shift);
    // GREATEST: another writer may have recorded a larger one meanwhile; a shift only grows.
    const r = await db.query<{ value: string }>(
      `INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key)
       DO UPDATE SET value = GREATEST(meta.value::bigint, excluded.value::bigint)::text RETURNING value`,
      [deps.maxShiftKey, String(recorded)],
    );
    knownShift = Number(r.rows[0]?.value ?? recorded);
  }

  /**
   * The slow way, when the next 64 keys were taken (a flood of undated items) or another writer
   * took the free one first: skip the taken keys 64 at a time, then try the first gap; another
   * writer may take it first, and then the search goes on. Returns the key inserted at.
   */
  async function walkToFreeKey(db: PgQueryable, from: number, row: readonly unknown[]): Promise<number> {
    let key = from;
    for (;;) {
      for (;;) {
        const used = await db.query<{ doc: number }>('SELECT doc FROM search_docs WHERE doc >= $1 ORDER BY doc LIMIT 64', [key]);
        keysRead += used.rows.length;
        for (const { doc } of used.rows) {
          if (doc !== key) break;
          key++;
        }
        if (used.rows.length < 64 || used.rows[used.rows.length - 1]!.doc >= key) break;
      }
      const ins = await db.query(
        'INSERT INTO search_docs (doc, article_id, at, tokens, terms, exact) VALUES ($1, $2, $3, $4::tsvector, $5::tsvector, $6) ON CONFLICT (doc) DO NOTHING',
        [key, ...row],
      );
      if (ins.rowCount === 1) return key;
      key++;
    }
  }

  /** The first key to try for a time's unit: past the run this writer took last when in it. */
  const firstKey = (base: number) => (run && base >= run.from && base < run.to ? run.to : base);

  /** After an insert at `key`: the run it extends or starts, and the shift, if it grew. */
  async function taken(db: PgQueryable, base: number, key: number): Promise<void> {
    run = run && base >= run.from && base < run.to ? { from: run.from, to: key + 1 } : { from: base, to: key + 1 };
    await noteShift(db, key - base);
  }

  // Usually one of the next 64 keys is free: one statement finds the first and takes it. When
  // a key among them would be a larger shift than this writer knows of, meta's shift is raised
  // in the same statement (`m`), with the recorded shift of each of the 64 computed here.
  function newDoc(at: number, tokens: string, terms: string, exact: boolean, idSql: string, add: AddParam): NewDoc {
    const base = deps.keyBase(at);
    const key = firstKey(base);
    const from = add(key, 'bigint');
    const row = [add(at, 'bigint'), add(tokens, 'tsvector'), add(terms, 'tsvector'), add(exact, 'boolean')];
    // The taken keys among the 64 come from one range scan of the key index (usually none),
    // not a probe per key, and the first free one is their min(): no sort of 64 rows.
    let ctes = `d AS (INSERT INTO search_docs (doc, article_id, at, tokens, terms, exact)
       SELECT f.k, ${idSql}, ${row.join(', ')} FROM (SELECT min(k) AS k FROM generate_series(${from}, ${from} + 63) AS k
         WHERE k NOT IN (SELECT x.doc FROM search_docs x WHERE x.doc BETWEEN ${from} AND ${from} + 63)) f
       WHERE f.k IS NOT NULL
       ON CONFLICT (doc) DO NOTHING RETURNING doc)`;
    let select = '(SELECT doc FROM d) AS doc, NULL::text AS shift';
    if (key - base + 63 > knownShift) {
      const recorded = Array.from({ length: 64 }, (_, i) => deps.recordedShift(key - base + i));
      const shifts = add(recorded, 'bigint[]');
      // GREATEST: another writer may have recorded a larger one meanwhile; a shift only grows.
      ctes += `, m AS (INSERT INTO meta (key, value)
       SELECT ${add(deps.maxShiftKey, 'text')}, (${shifts})[d.doc - ${from} + 1]::text FROM d WHERE d.doc - ${add(base, 'bigint')} > ${add(knownShift, 'bigint')}
       ON CONFLICT (key) DO UPDATE SET value = GREATEST(meta.value::bigint, excluded.value::bigint)::text RETURNING value)`;
      select = '(SELECT doc FROM d) AS doc, (SELECT value FROM m) AS shift';
    }
    return {
      ctes,
      select,
      async settle(db, articleId, got) {
        if (got.shift !== null) knownShift = Math.max(knownShift, Number(got.shift));
        const doc = got.doc ?? (await walkToFreeKey(db, key, [articleId, at, tokens, terms, exact]));
        await taken(db, base, doc);
      },
    };
  }

  /** Inserts the row at the first free key at or after the time's unit. */
  async function insertAtFreeKey(db: PgQueryable, id: number, at: number, tokens: string, terms: string, exact: boolean): Promise<void> {
    const values: unknown[] = [];
    const add: AddParam = (v, type) => `$${values.push(v)}::${type}`;
    const d = newDoc(at, tokens, terms, exact, add(id, 'bigint'), add);
    const text = `WITH ${d.ctes} SELECT ${d.select}`;
    const got = await db.query<{ doc: number | null; shift: string | null }>({ name: statementName(text), text, values });
    await d.settle(db, id, got.rows[0] ?? { doc: null, shift: null });
  }

  const vectors = (title: string, body: string, codes: readonly string[], feedId: string) => docVectors(deps, title, body, codes, feedId);

  async function index(db: PgQueryable, id: number, title: string, body: string): Promise<void> {
    const f = (await db.query<Facts>({ name: 'xiangxun_index_facts', text: FACTS, values: [id] })).rows[0];
    if (!f) throw new Error(`search index: article ${id} is not stored`);
    const at = deps.sortTime(f.published_at, f.first_seen_at);
    const { fts, terms } = vectors(title, body, f.codes ? f.codes.split(' ') : [], f.feed_id);
    if (f.doc !== null && f.at !== null && deps.keyBase(f.at) === deps.keyBase(at)) {
      await db.query('UPDATE search_docs SET at = $2, tokens = $3::tsvector, terms = $4::tsvector, exact = $5 WHERE doc = $1', [f.doc, at, fts.text, terms, fts.exact]);
    } else {
      if (f.doc !== null) await db.query('DELETE FROM search_docs WHERE doc = $1', [f.doc]);
      await insertAtFreeKey(db, id, at, fts.text, terms, fts.exact);
    }
    if (f.stale) await db.query('DELETE FROM search_stale WHERE article_id = $1', [id]);
  }

  async function remove(db: PgQueryable, id: number): Promise<void> {
    await db.query('DELETE FROM search_docs WHERE article_id = $1', [id]);
    await db.query('DELETE FROM search_stale WHERE article_id = $1', [id]);
  }

  return {
    indexArticle: (db, a) => index(db, a.id, a.title, a.body),
    async indexNewArticle(db, a) {
      const { fts, terms } = vectors(a.title, a.body, a.regionCodes, a.feedId);
      await insertAtFreeKey(db, a.id, deps.sortTime(a.publishedAt, a.firstSeenAt), fts.text, terms, fts.exact);
    },
    newDoc(a, idSql, add) {
      const { fts, terms } = vectors(a.title, a.body, a.regionCodes, a.feedId);
      return newDoc(deps.sortTime(a.publishedAt, a.firstSeenAt), fts.text, terms, fts.exact, idSql, add);
    },
    removeArticle: remove,
    stats: () => ({ keysRead }),
    async refreshStale(db, max = 500) {
      // SKIP LOCKED: two processes refreshing at once take different articles.
      const stale = await db.query<{ article_id: number; title: string | null; body: string | null }>(
        `SELECT s.article_id, a.title, coalesce(a.body, a.text) AS body FROM search_stale s
         LEFT JOIN articles a ON a.id = s.article_id ORDER BY s.article_id LIMIT $1 FOR UPDATE OF s SKIP LOCKED`,
        [max],
      );
      for (const row of stale.rows) {
        if (row.title !== null && row.body !== null) await index(db, row.article_id, row.title, row.body);
        else await remove(db, row.article_id);
      }
      return stale.rows.length;
    },
  };
}
