// The Postgres store behind the async ports (ports.ts), for deployments of several processes
// (pollers, deliverers, a gateway) over one database. Each port runs on the pool; a unit of work
// runs on one client inside BEGIN … COMMIT.
//
// Within one process the store keeps the SQLite store's promise (sqlite-store.ts, gate.ts): units
// of work run one after another, and a call made through the store while one is open waits for
// it to end, so code written against either store sees the same order of effects. Across processes
// Postgres itself arbitrates: row locks, SKIP LOCKED claims and poll leases.
import type { SearchIndexPort, SearchPort, Store, StorePorts } from '../ports.js';
import { Gate } from '../gate.js';
import { pgArticles, pgAudience, pgPosting } from './articles.js';
import { openPgPool, withTransaction, type PgPool, type PoolOptions } from './connection.js';
import { pgBounds, pgFeeds, pgGuildFeeds, pgLeases, pgSchedule } from './feeds.js';
import { pgMaintenance } from './maintenance.js';
import { assertPgSchemaKnown, migratePg, pgSchemaVersion } from './migrate.js';
import { pgDeliverers, pgOutbox } from './outbox.js';
import { createPgSearchIndex, type PgSearchIndex, type SearchIndexDeps } from './search-index.js';
import { poolRunner, txRunner, type Runner } from './sql.js';
import { pgStoreItem } from './store-item.js';
import { pgHealth, pgSearches, pgSettings, pgSubscriptions } from './subscriptions.js';

export interface PgStoreOptions {
  /** How long a call waits for open units of work before it is judged re-entrant (gate.ts; tests shorten it). */
  readonly reentryWaitMs?: number;
  /**
   * What the search index needs from the search stage (tokens and key arithmetic), which sits
   * above the store; without it, index calls fail loudly instead of skipping rows.
   */
  readonly search?: SearchIndexDeps;
  /**
   * The search engine over this store's pool. Like the tokens, checking requests, cursors and
   * snippets belong to the search stage, which builds it on search-run.ts; without it, searches
   * fail loudly.
   */
  readonly searchEngine?: (pool: PgPool) => SearchPort;
}

function indexPort(db: Runner, index: PgSearchIndex | null): SearchIndexPort {
  const missing = () => Promise.reject(new Error('search index not wired into this store'));
  if (!index) return { indexArticle: missing, indexNewArticle: missing, removeArticle: missing, refreshStale: () => Promise.resolve(0) };
  return {
    indexArticle: (a) => db.atomicQuery((q) => index.indexArticle(q, a)),
    indexNewArticle: (a) => db.atomicQuery((q) => index.indexNewArticle(q, a)),
    removeArticle: (id) => db.atomicQuery((q) => index.removeArticle(q, id)),
    refreshStale: (max) => db.atomicQuery((q) => index.refreshStale(q, max)),
  };
}

const noEngine: SearchPort = { search: () => Promise.reject(new Error('search not wired into this store')) };

function ports(db: Runner, index: PgSearchIndex | null, engine: SearchPort): StorePorts {
  return {
    feeds: pgFeeds(db),
    leases: pgLeases(db),
    guildFeeds: pgGuildFeeds(db),
    articles: { ...pgArticles(db), storeItem: pgStoreItem(db, index) },
    posting: pgPosting(db),
    subscriptions: pgSubscriptions(db),
    settings: pgSettings(db),
    outbox: pgOutbox(db),
    deliverers: pgDeliverers(db),
    searches: pgSearches(db),
    search: engine,
    index: indexPort(db, index),
    health: pgHealth(db),
    schedule: pgSchedule(db),
    bounds: pgBounds(db),
    audience: pgAudience(db),
  };
}

/** The store over an open pool whose schema is migrated. Closing the store ends the pool. */
export function createPgStore(pool: PgPool, options: PgStoreOptions = {}): Store {
  const gate = new Gate(options.reentryWaitMs);
  const index = options.search ? createPgSearchIndex(options.search) : null;
  // Searches read committed rows on a connection of their own: inside a unit of work too.
  const engine = options.searchEngine?.(pool) ?? noEngine;
  // idle() also refuses a call through the store from inside its own unit of work (it would wait for itself).
  const runner = poolRunner(pool, () => gate.idle());
  const outside = ports(runner, index, engine);
  const store = {
    ...outside,
    kind: 'postgres' as const,
    // Outside units of work only: retention runs in short units of its own.
    maintenance: pgMaintenance(runner),
    transaction: <T>(fn: (tx: StorePorts) => Promise<T>): Promise<T> =>
      gate.run(() =>
        withTransaction(pool, async (client) => {
          const tx = txRunner(client);
          const out = await fn(ports(tx, index, engine));
          await tx.flush();
          return out;
        }),
      ),
    // Null: "cannot tell cheaply" (ports.ts), so callers assume a change. A cluster-wide mark
    // (the WAL position, the snapshot) moves with every other database on the server, and a
    // counter of our own would be one more write, and a point of contention, per statement.
    changeStamp: () => Promise.resolve(null),
    schemaVersion: () => pgSchemaVersion(pool),
    close: async () => {
      await gate.idle();
      await pool.end();
    },
  };
  return store;
}

export interface OpenPgStoreOptions extends PgStoreOptions, PoolOptions {
  /** Apply pending migrations (default true); a newer schema is refused either way. */
  readonly migrate?: boolean;
}

/**
 * Connects to DATABASE_URL's server (a clear DatabaseUrlError when it cannot), migrates it and
 * returns the store.
 */
export async function openPgStore(url: string, options: OpenPgStoreOptions = {}): Promise<Store> {
  const pool = await openPgPool(url, options);
  try {
    if (options.migrate !== false) await migratePg(pool);
    else await assertPgSchemaKnown(pool);
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }
  return createPgStore(pool, options);
}
