import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { SchemaTooNewError } from './errors.js';
import { MIGRATIONS } from './migrations/index.js';

export type Db = Database.Database;

export interface OpenOptions {
  /** Run pending migrations (default true). */
  readonly migrate?: boolean;
  readonly readonly?: boolean;
}

/** Opens (and creates) a database with the settings every connection needs. */
export function openDatabase(path: string, options: OpenOptions = {}): Db {
  if (path !== ':memory:' && !options.readonly) mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { readonly: options.readonly ?? false });
  // Page size only applies to a new file (or after VACUUM); larger pages suit FTS and text.
  if (!options.readonly) db.pragma('page_size = 8192');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('cache_size = -32000');
  // Checkpoints run on their own timer (see checkpoint()), not inside a commit that happens to
  // cross the default 1000-page mark; this ceiling only bounds the WAL if the timer stops.
  if (!options.readonly) db.pragma('wal_autocheckpoint = 16384');
  if (options.migrate !== false && !options.readonly) migrate(db);
  return db;
}

export { SchemaTooNewError } from './errors.js';

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Applies numbered migrations in order, each in its own transaction, recording the
 * version in `user_version`. Refuses a database written by a newer program.
 */
export function migrate(db: Db, onStep?: (version: number, name: string) => void): number[] {
  const current = schemaVersion(db);
  const latest = MIGRATIONS.at(-1)?.version ?? 0;
  if (current > latest) throw new SchemaTooNewError(current, latest);
  const applied: number[] = [];
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
    applied.push(m.version);
    onStep?.(m.version, m.name);
  }
  return applied;
}

/** Copies committed WAL pages into the database without blocking readers or writers. */
export function checkpoint(db: Db): void {
  db.pragma('wal_checkpoint(PASSIVE)');
}
