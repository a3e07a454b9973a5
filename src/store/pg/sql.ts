// How the Postgres repositories run SQL. Statements are written with SQLite's placeholders
// (`?` in order, or `@name`), so each reads like its SQLite twin, and turned into $n once.
//
// A Runner is bound either to the pool (each call on any free connection; the store first waits
// for its open unit of work, as the SQLite store does) or to one transaction's client.
import type { PgPool, PgQueryable } from './connection.js';
import { withTransaction } from './connection.js';

type Params = readonly unknown[] | Record<string, unknown>;

interface Compiled {
  /** The prepared statement's name: each connection parses and plans a statement once. */
  readonly name: string;
  readonly text: string;
  /** For named statements: the name of each $n, in order. */
  readonly names: readonly string[] | null;
}

const compiled = new Map<string, Compiled>();

/** `?` → $1, $2…; `@name` → $n (one number per distinct name). Quoted text is left alone. */
export function compile(sql: string): Compiled {
  let c = compiled.get(sql);
  if (c) return c;
  const names: string[] = [];
  let n = 0;
  let named = false;
  let out = '';
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i]!;
    if (ch === "'") {
      const end = sql.indexOf("'", i + 1);
      const stop = end < 0 ? sql.length : end + 1;
      out += sql.slice(i, stop);
      i = stop - 1;
    } else if (ch === '?') out += `$${++n}`;
    else if (ch === '@' && /[A-Za-z_]/u.test(sql[i + 1] ?? '')) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/u.exec(sql.slice(i + 1))!;
      named = true;
      let k = names.indexOf(m[0]);
      if (k < 0) k = names.push(m[0]) - 1;
      out += `$${k + 1}`;
      i += m[0].length;
    } else out += ch;
  }
  if (named && n > 0) throw new Error('a statement mixes ? and @name placeholders');
  c = { name: `xiangxun_${compiled.size}`, text: out, names: named ? names : null };
  compiled.set(sql, c);
  return c;
}

function values(c: Compiled, params: Params | undefined): unknown[] {
  if (!params) return [];
  if (Array.isArray(params)) return [...params];
  const obj = params as Record<string, unknown>;
  return (c.names ?? []).map((name) => {
    if (!(name in obj)) throw new Error(`missing SQL parameter @${name}`);
    return obj[name] ?? null;
  });
}

export interface Runner {
  all<T>(sql: string, params?: Params): Promise<T[]>;
  get<T>(sql: string, params?: Params): Promise<T | undefined>;
  /** Runs a statement; returns the rows it changed. */
  run(sql: string, params?: Params): Promise<number>;
  /** Runs `fn` atomically: in the open transaction, or in a new one. */
  atomic<T>(fn: (r: Runner) => Promise<T>): Promise<T>;
  /** As atomic, handing `fn` the connection itself (for code written against PgQueryable). */
  atomicQuery<T>(fn: (q: PgQueryable) => Promise<T>): Promise<T>;
  readonly inTransaction: boolean;
}

function over(db: PgQueryable, before: () => Promise<void>, atomic: Runner['atomic'], atomicQuery: Runner['atomicQuery'], inTransaction: boolean): Runner {
  const query = async (sql: string, params?: Params) => {
    await before();
    const c = compile(sql);
    return db.query({ name: c.name, text: c.text, values: values(c, params) });
  };
  return {
    all: async <T>(sql: string, params?: Params) => (await query(sql, params)).rows as T[],
    get: async <T>(sql: string, params?: Params) => (await query(sql, params)).rows[0] as T | undefined,
    run: async (sql: string, params?: Params) => (await query(sql, params)).rowCount ?? 0,
    atomic,
    atomicQuery,
    inTransaction,
  };
}

const ready = () => Promise.resolve();

/** A runner inside one transaction (its client). */
export function txRunner(client: PgQueryable): Runner {
  const self: Runner = over(client, ready, (fn) => fn(self), (fn) => fn(client), true);
  return self;
}

/** A runner on the pool; `before` runs ahead of every statement (the store's gate). */
export function poolRunner(pool: PgPool, before: () => Promise<void> = ready): Runner {
  const inTx = <T>(fn: (client: PgQueryable) => Promise<T>) => before().then(() => withTransaction(pool, fn));
  return over(pool, before, (fn) => inTx((client) => fn(txRunner(client))), inTx, false);
}
