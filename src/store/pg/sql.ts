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
  /**
   * A write whose outcome nothing reads. In a transaction it waits, so the statement it belongs
   * with can carry it in the same round trip (take()); any other statement on this runner, and
   * the commit (flush()), runs it first, so nothing ever reads around it. On the pool it runs now.
   */
  defer(tag: string, data: unknown, run: () => Promise<unknown>): Promise<void>;
  /** The waiting write of `tag` when `accept(data)` says the caller's statement will carry it. */
  take<T>(tag: string, accept: (data: T) => boolean): T | null;
  /** Runs the waiting write, if any. */
  flush(): Promise<void>;
}

type Waiting = Pick<Runner, 'defer' | 'take' | 'flush'>;

const noWaiting: Waiting = { defer: async (_tag, _data, run) => void (await run()), take: () => null, flush: () => Promise.resolve() };

function over(db: PgQueryable, before: () => Promise<void>, atomic: Runner['atomic'], atomicQuery: Runner['atomicQuery'], inTransaction: boolean, waiting = noWaiting): Runner {
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
    ...waiting,
  };
}

const ready = () => Promise.resolve();

/** A runner inside one transaction (its client). */
export function txRunner(client: PgQueryable): Runner {
  let waiting: { tag: string; data: unknown; run: () => Promise<unknown> } | null = null;
  const flush = async () => {
    const w = waiting;
    if (!w) return;
    waiting = null;
    await w.run();
  };
  const defer: Runner['defer'] = async (tag, data, run) => {
    await flush();
    waiting = { tag, data, run };
  };
  const take = <T>(tag: string, accept: (data: T) => boolean): T | null => {
    if (!waiting || waiting.tag !== tag || !accept(waiting.data as T)) return null;
    const data = waiting.data as T;
    waiting = null;
    return data;
  };
  const self: Runner = over(client, flush, (fn) => fn(self), async (fn) => (await flush(), fn(client)), true, { defer, take, flush });
  return self;
}

/** A runner on the pool; `before` runs ahead of every statement (the store's gate). */
export function poolRunner(pool: PgPool, before: () => Promise<void> = ready): Runner {
  const inTx = <T>(fn: (client: PgQueryable) => Promise<T>) => before().then(() => withTransaction(pool, fn));
  return over(pool, before, (fn) => inTx((client) => fn(txRunner(client))), inTx, false);
}
