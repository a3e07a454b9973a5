// `xiangxun db copy`: moves an installation from its SQLite file to a Postgres database
// (issue #16). Both schemas use the same table and column names and the same values (epoch
// milliseconds, 0/1 flags, JSON as text), so rows copy across as they are, ids included; only
// the search index differs in form, so it is rebuilt on the target from the copied articles.
import type { Db } from './database.js';
import { withTransaction, type PgPool } from './pg/connection.js';

/** Parents before children, so every foreign key finds its row. */
export const COPIED_TABLES = [
  'meta',
  'feeds',
  'stories',
  'articles',
  'story_regions',
  'story_title_keys',
  'guild_settings',
  'channel_state',
  'subscriptions',
  'guild_feeds',
  'digests',
  'deliveries',
  'edits',
  'searches',
  'search_results',
] as const;

export interface CopyProgress {
  readonly table: string;
  readonly copied: number;
  readonly total: number;
}

export interface CopyResult {
  readonly tables: readonly { table: string; rows: number }[];
  /** Articles queued for indexing on the target (search_stale). */
  readonly toIndex: number;
}

export class CopyRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CopyRefused';
  }
}

// Postgres takes at most 65,535 parameters a statement.
const MAX_PARAMS = 60_000;

async function targetColumns(pool: PgPool, table: string): Promise<Set<string>> {
  const r = await pool.query<{ column_name: string }>('SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1', [table]);
  return new Set(r.rows.map((c) => c.column_name));
}

/**
 * Copies every row of the source's tables into an empty, migrated target in one transaction
 * (all or nothing), sets the identity counters past the copied ids, and queues every article
 * for indexing. The caller then drains the queue with the target store's refreshStale.
 */
export async function copySqliteToPostgres(source: Db, pool: PgPool, onProgress: (p: CopyProgress) => void = () => {}): Promise<CopyResult> {
  const busy = await pool.query<{ n: number }>('SELECT (SELECT count(*) FROM feeds) + (SELECT count(*) FROM articles) + (SELECT count(*) FROM subscriptions) AS n');
  if ((busy.rows[0]?.n ?? 0) > 0) throw new CopyRefused('the target database already holds feeds, articles or subscriptions; copy into a new, empty database');
  const sourceTables = new Set(source.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").all().map((t) => t.name));
  const tables: { table: string; rows: number }[] = [];
  await withTransaction(pool, async (client) => {
    for (const table of COPIED_TABLES) {
      if (!sourceTables.has(table)) continue;
      const wanted = await targetColumns(pool, table);
      const columns = source
        .prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table}')`)
        .all()
        .map((c) => c.name)
        .filter((c) => wanted.has(c));
      const total = (source.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
      const batch = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
      const list = columns.map((c) => `"${c}"`).join(', ');
      let copied = 0;
      let rows: unknown[][] = [];
      const flush = async () => {
        if (rows.length === 0) return;
        const values = rows.map((_, r) => `(${columns.map((__, c) => `$${r * columns.length + c + 1}`).join(', ')})`).join(', ');
        // OVERRIDING SYSTEM VALUE: identity columns keep the ids the source gave them.
        await client.query(`INSERT INTO ${table} (${list}) OVERRIDING SYSTEM VALUE VALUES ${values}`, rows.flat());
        copied += rows.length;
        rows = [];
        onProgress({ table, copied, total });
      };
      // Rows are streamed from the source: a large database never sits in memory whole.
      for (const row of source.prepare(`SELECT ${list} FROM ${table}`).raw().iterate() as IterableIterator<unknown[]>) {
        rows.push(row.map((v) => (typeof v === 'bigint' ? Number(v) : v)));
        if (rows.length >= batch) await flush();
      }
      await flush();
      tables.push({ table, rows: copied });
    }
    // Identity counters continue after the copied ids, so new rows never collide with them.
    const identities = await client.query<{ table_name: string; column_name: string }>(
      "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND is_identity = 'YES'",
    );
    for (const { table_name: t, column_name: c } of identities.rows) {
      await client.query(`SELECT setval(pg_get_serial_sequence($1, $2), greatest((SELECT max("${c}") FROM "${t}"), 1), (SELECT max("${c}") FROM "${t}") IS NOT NULL)`, [t, c]);
    }
    await client.query('INSERT INTO search_stale (article_id) SELECT id FROM articles ON CONFLICT DO NOTHING');
  });
  const toIndex = tables.find((t) => t.table === 'articles')?.rows ?? 0;
  return { tables, toIndex };
}
