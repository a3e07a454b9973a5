// Schema versions on Postgres: the migrations applied are rows of schema_migrations (SQLite
// keeps one number in user_version). As there, each migration runs in its own transaction and a
// database written by a newer program is refused. Several processes may start at once (pollers,
// deliverers, a gateway): an advisory lock lets one migrate while the others wait, then find
// nothing left to do.
import { SchemaTooNewError } from '../errors.js';
import type { Migration } from '../migrations/index.js';
import { PG_MIGRATIONS } from './migrations/index.js';
import type { PgPool, PgQueryable } from './connection.js';

export { SchemaTooNewError };

// Any constant both sides agree on; "xiangxun" in ASCII, so it is unlikely to meet another's.
const MIGRATION_LOCK = 0x7869616e67;

const CREATE_VERSIONS = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version    INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  applied_at BIGINT NOT NULL
)`;

/** The highest migration applied (0 for an empty database). */
export async function pgSchemaVersion(db: PgQueryable): Promise<number> {
  const exists = await db.query<{ t: string | null }>(`SELECT to_regclass('schema_migrations')::text AS t`);
  if (!exists.rows[0]?.t) return 0;
  const r = await db.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
  return r.rows[0]?.v ?? 0;
}

/** Throws SchemaTooNewError when the database was written by a newer program. */
export async function assertPgSchemaKnown(db: PgQueryable, migrations: readonly Migration[] = PG_MIGRATIONS): Promise<number> {
  const current = await pgSchemaVersion(db);
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) throw new SchemaTooNewError(current, latest);
  return current;
}

/** Applies pending migrations in order; returns the versions applied. */
export async function migratePg(
  pool: PgPool,
  onStep?: (version: number, name: string) => void,
  migrations: readonly Migration[] = PG_MIGRATIONS,
): Promise<number[]> {
  const client = await pool.connect();
  const applied: number[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await client.query(CREATE_VERSIONS);
      const current = await assertPgSchemaKnown(client, migrations);
      for (const m of migrations) {
        if (m.version <= current) continue;
        await client.query('BEGIN');
        try {
          await client.query(m.sql);
          await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, Date.now()]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK');
          throw err;
        }
        applied.push(m.version);
        onStep?.(m.version, m.name);
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
  return applied;
}
