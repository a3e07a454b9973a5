// The Postgres connection pool, checked once at start-up so a wrong DATABASE_URL fails with a
// sentence that names the variable and says what is wrong, and never shows the password.
import pg from 'pg';

export type PgPool = pg.Pool;
export type PgClient = pg.PoolClient;
/** A pool or a client inside a transaction: anything that runs a query. */
export interface PgQueryable {
  query<R extends pg.QueryResultRow = Record<string, unknown>>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
  /** A named statement is prepared once per connection. */
  query<R extends pg.QueryResultRow = Record<string, unknown>>(config: { name?: string; text: string; values?: unknown[] }): Promise<pg.QueryResult<R>>;
}

/** The variable the URL comes from; every message names it so the operator knows what to fix. */
const VAR = 'DATABASE_URL';

export type DatabaseUrlProblem = 'invalid-url' | 'unreachable' | 'credentials' | 'no-database' | 'refused';

export class DatabaseUrlError extends Error {
  constructor(
    readonly problem: DatabaseUrlProblem,
    message: string,
    /** The driver's or system's error code (ECONNREFUSED, 28P01, …), when there is one. */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'DatabaseUrlError';
  }
}

/** The URL as it may be shown: user, host, port and database, the password replaced. */
export function redactDatabaseUrl(raw: string): string {
  try {
    const u = new URL(raw);
    if (u.password) u.password = '***';
    // Query parameters may carry a password too (?password=…).
    for (const key of [...u.searchParams.keys()]) if (/pass|secret|key/iu.test(key)) u.searchParams.set(key, '***');
    return u.toString();
  } catch {
    return '(not a URL)';
  }
}

interface Target {
  readonly host: string;
  readonly port: string;
  readonly user: string;
  readonly database: string;
}

/** Checks the URL's shape without contacting anyone. Throws DatabaseUrlError('invalid-url'). */
export function parseDatabaseUrl(raw: string): Target {
  const bad = (why: string) =>
    new DatabaseUrlError('invalid-url', `${VAR} is not a usable Postgres URL (${why}); expected postgres://USER:PASSWORD@HOST:5432/DATABASE.`);
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    // The input itself is not repeated: a mistyped URL may still hold a password.
    throw bad('it cannot be parsed as a URL');
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') throw bad(`scheme "${u.protocol.replace(/:$/u, '')}" is not postgres`);
  const host = decodeURIComponent(u.hostname) || u.searchParams.get('host') || '';
  if (!host) throw bad('no host');
  if (u.port && !/^\d+$/u.test(u.port)) throw bad('the port is not a number');
  const database = decodeURIComponent(u.pathname.replace(/^\//u, ''));
  return { host, port: u.port || '5432', user: decodeURIComponent(u.username) || '(default user)', database: database || '(default database)' };
}

// int8 (ids, epoch milliseconds, count(*)) as numbers: every value this schema keeps in one is
// far below 2^53. Per pool, so nothing global changes for other users of the driver.
const INT8_OID = 20;
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary' ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

export interface PoolOptions {
  /** Connections in the pool (default 10). */
  readonly max?: number;
  /** How long connecting may take before it is an error (default 10 s). */
  readonly connectTimeoutMs?: number;
  /** An idle connection failed (server restart, network): the pool replaces it on next use. */
  readonly onIdleError?: (err: Error) => void;
  readonly applicationName?: string;
  /**
   * Wait for each commit to reach disk (Postgres's default). Off by default: the SQLite store
   * runs WAL with synchronous = NORMAL, where a power loss may undo the last commits but never
   * leaves a half one, and synchronous_commit = off is that promise on Postgres (a server crash
   * may lose the last ~0.6 s of commits, whole; a process crash loses nothing), and spares each
   * commit a disk flush (issue #16's 2 ms store + index). A post whose sent mark such a crash
   * undid is resent with its nonce, as after a power loss on SQLite.
   */
  readonly durableCommits?: boolean;
}

/** Maps a connection failure to a DatabaseUrlError that names DATABASE_URL and omits the password. */
export function explainConnectError(err: unknown, t: Target): DatabaseUrlError {
  const code = String((err as { code?: unknown })?.code ?? '');
  const where = `${t.host}:${t.port}`;
  if (code === '28P01' || code === '28000') {
    return new DatabaseUrlError('credentials', `${VAR}: the Postgres server at ${where} refused user "${t.user}" (wrong user name or password).`, code);
  }
  if (code === '3D000') return new DatabaseUrlError('no-database', `${VAR}: database "${t.database}" does not exist on the Postgres server at ${where}.`, code);
  if (['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET'].includes(code) || /timeout/iu.test(String((err as Error)?.message))) {
    return new DatabaseUrlError('unreachable', `${VAR}: cannot reach a Postgres server at ${where} (${code || 'timed out'}).`, code || undefined);
  }
  // Anything else (TLS required, too many connections, server starting up): its code and class only,
  // since a driver message is not ours to vouch for.
  return new DatabaseUrlError('refused', `${VAR}: the Postgres server at ${where} refused the connection (${code || (err as Error)?.name || 'error'}).`, code || undefined);
}

/** Opens a pool and proves it works with one round trip; throws DatabaseUrlError when it does not. */
export async function openPgPool(url: string, options: PoolOptions = {}): Promise<PgPool> {
  const target = parseDatabaseUrl(url);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    application_name: options.applicationName ?? 'xiangxun',
    ...(options.durableCommits ? {} : { options: '-c synchronous_commit=off' }),
    types,
  });
  // Without a listener an idle connection's error would end the process.
  pool.on('error', (err) => options.onIdleError?.(err));
  try {
    await pool.query('SELECT 1');
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw explainConnectError(err, target);
  }
  return pool;
}

/** Runs `fn` in a transaction on one client: committed when it resolves, rolled back when it throws. */
export async function withTransaction<T>(pool: PgPool, fn: (client: PgClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  // A connection whose rollback failed is in an unknown state: it is closed, not reused.
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const out = await fn(client);
    await client.query('COMMIT');
    return out;
  } catch (err) {
    await client.query('ROLLBACK').catch((e: Error) => {
      broken = e;
    });
    throw err;
  } finally {
    client.release(broken);
  }
}
