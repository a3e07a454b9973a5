// A look at the Postgres database for `xiangxun doctor`: connects, reads the schema version and
// the subscribed channels, and never migrates. Failures name DATABASE_URL, never the password.
import type { DatabaseInspection } from '../inspect.js';
import { DatabaseUrlError, openPgPool } from './connection.js';
import { pgSchemaVersion } from './migrate.js';
import { PG_MIGRATIONS } from './migrations/index.js';

export async function inspectPostgres(url: string): Promise<DatabaseInspection> {
  const known = PG_MIGRATIONS.at(-1)?.version ?? 0;
  let pool;
  try {
    pool = await openPgPool(url, { max: 1, connectTimeoutMs: 5_000 });
    const schema = await pgSchemaVersion(pool);
    const hasSubs = (await pool.query<{ t: string | null }>("SELECT to_regclass('subscriptions')::text AS t")).rows[0]?.t;
    const channels = hasSubs
      ? (await pool.query<{ channelId: string; guildId: string }>('SELECT DISTINCT channel_id AS "channelId", guild_id AS "guildId" FROM subscriptions ORDER BY 2, 1')).rows
      : [];
    // Postgres checks its own pages; "ok" here means it answered and the schema could be read.
    return { exists: schema > 0, schema, known, check: 'ok', freeBytes: null, channels, error: null };
  } catch (e) {
    return { exists: true, schema: null, known, check: null, freeBytes: null, channels: [], error: e instanceof DatabaseUrlError ? e.message : ((e as { code?: string }).code ?? 'cannot query') };
  } finally {
    await pool?.end().catch(() => undefined);
  }
}
