// Opens the store the configuration names (issue #16): SQLite at DATABASE_PATH by default, or
// Postgres when DATABASE_URL is a postgres:// URL.
import type { Config } from '../config/config.js';
import { createSearchIndex } from '../store/sqlite-search/index-writer.js';
import { createPgSearch } from '../store/pg/search-engine.js';
import type { SearchDeps } from '../search/request.js';
import { openDatabase, type Db } from '../store/database.js';
import { searchIndexDeps } from '../store/pg/search-index.js';
import { openPgStore } from '../store/pg/store.js';
import type { Store } from '../store/ports.js';
import { createSqliteStore } from '../store/sqlite-store.js';

/** A SQLite store over its file, with the connection for what only SQLite has (backups, FTS maintenance). */
export function openSqliteStore(path: string): { store: Store; db: Db; index: ReturnType<typeof createSearchIndex> } {
  const db = openDatabase(path);
  const index = createSearchIndex(db);
  return { store: createSqliteStore(db, { index }), db, index };
}

/** Connects, migrates and returns the Postgres store; a DatabaseUrlError names DATABASE_URL, never the password. */
export function openPostgresStore(url: string, options: { migrate?: boolean; max?: number; search?: SearchDeps } = {}): Promise<Store> {
  const { search, ...pool } = options;
  return openPgStore(url, { ...pool, search: searchIndexDeps(), searchEngine: (p) => createPgSearch(p, search ?? {}), applicationName: 'xiangxun' });
}

/** The configured store's kind, for messages and role checks. */
export const storeKind = (config: Pick<Config, 'databaseUrl'>): Store['kind'] => (config.databaseUrl ? 'postgres' : 'sqlite');
