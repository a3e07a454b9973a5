// The SQLite store behind the async ports (ports.ts). better-sqlite3 is synchronous and fast,
// so each port is the existing repository with its results handed back as settled promises:
// no thread hop and no extra statement on the hot path.
//
// The unit of work needs care because SQLite has one connection here: between two awaits of
// a transaction other code may run, and any statement it issued would land inside that
// transaction (and be rolled back with it). So while a transaction is open, calls through the
// store itself wait for it to end; calls through its `tx` run at once.
import { createArticlesRepo, type ArticlesRepo } from './articles-repo.js';
import { checkpoint, schemaVersion, type Db } from './database.js';
import { createFeedBoundsRepo } from './feed-bounds-repo.js';
import { createFeedsRepo } from './feeds-repo.js';
import { Gate } from './gate.js';
import { channelShare } from './share.js';
import { createGuildFeedsRepo } from './guild-feeds-repo.js';
import { createHealthRepo } from './health-repo.js';
import { createOutboxRepo, type OutboxItem } from './outbox-repo.js';
import type { ArticlesPort, DeliverersPort, DeliveryShare, FeedLeasesPort, ItemToStore, MaintenancePort, OutboxPort, SearchIndexPort, SearchPort, Store, StorePorts, SyncOf } from './ports.js';
import { createPostingRepo } from './posting-repo.js';
import { createScheduleRepo } from './schedule-repo.js';
import { createSearchesRepo } from './searches-repo.js';
import { createStoryAudienceRepo } from './story-audience.js';
import { createSubscriptionsRepo } from './subscriptions-repo.js';

export interface SqliteStoreOptions {
  /** How long a call waits for open units of work before it is judged re-entrant (gate.ts; tests shorten it). */
  readonly reentryWaitMs?: number;
  /** Retention over this connection (store/sqlite-search/maintenance.ts applyRetention, which knows the index). */
  readonly retention?: (olderThanMs: number, now: number) => { articles: number; stories: number; storiesKept: number };
  /**
   * The search index writer over the same connection (sqlite-search/index-writer.ts, built by
   * whoever opens the store: app/store-open.ts); without it, index calls fail loudly instead of
   * skipping rows.
   */
  readonly index?: SyncOf<SearchIndexPort>;
  /** The search engine over the same connection (sqlite-search/query.ts); without it, searches fail loudly. */
  readonly search?: SyncOf<SearchPort>;
}

type AnyFn = (...args: unknown[]) => unknown;

/**
 * The port over a synchronous repository. With a gate, each call first waits out any open
 * unit of work; without one (inside a unit of work) it runs at once. Either way a thrown
 * error becomes a rejected promise, as from a real driver.
 */
function asyncPort<P extends object>(repo: object, gate: Gate | null): P {
  const port: Record<string, AnyFn> = {};
  for (const [name, value] of Object.entries(repo)) {
    if (typeof value !== 'function') continue;
    const fn = value as AnyFn;
    port[name] = (...args: unknown[]) => {
      if (gate?.busy) return gate.idle().then(() => fn(...args));
      try {
        return Promise.resolve(fn(...args));
      } catch (err) {
        return Promise.reject(err as Error);
      }
    };
  }
  return port as P;
}

/** One process holds every lease of a SQLite store (only the `all` role runs on SQLite). */
function memoryLeases(): SyncOf<FeedLeasesPort> {
  const held = new Map<string, { holder: string; until: number }>();
  return {
    acquire(feedId, holder, now, ms) {
      const lease = held.get(feedId);
      if (lease && lease.holder !== holder && lease.until > now) return false;
      held.set(feedId, { holder, until: now + ms });
      return true;
    },
    release(feedId, holder) {
      if (held.get(feedId)?.holder === holder) held.delete(feedId);
    },
  };
}

/** One process, so the deliverers are the ones it started (normally one). */
function memoryDeliverers(): SyncOf<DeliverersPort> {
  const live = new Map<string, number>();
  return {
    heartbeat(id, now, ttlMs) {
      live.set(id, now + ttlMs);
      for (const [other, until] of live) if (until <= now) live.delete(other);
      const ids = [...live.keys()].sort();
      return { index: ids.indexOf(id), count: ids.length };
    },
    leave(id) {
      live.delete(id);
    },
  };
}

const noSearch: SyncOf<SearchPort> = {
  search: () => {
    throw new Error('search not wired into this store');
  },
};

const noIndex: SyncOf<SearchIndexPort> = {
  indexArticle: () => {
    throw new Error('search index not wired into this store');
  },
  indexNewArticle: () => {
    throw new Error('search index not wired into this store');
  },
  removeArticle: () => {
    throw new Error('search index not wired into this store');
  },
  refreshStale: () => 0,
};

/** The articles repository with the ingest's one-step store (ArticlesPort.storeItem) over it and the index. */
function withStoreItem(articles: ArticlesRepo, index: SyncOf<SearchIndexPort>): SyncOf<ArticlesPort> {
  return {
    ...articles,
    storeItem({ story, article, indexedBody }: ItemToStore) {
      let storyId: number;
      if ('id' in story) storyId = story.id;
      else {
        storyId = articles.insertStory(story.create);
        articles.addRegions(storyId, story.regions, { newStory: true });
      }
      const articleId = articles.insertArticleOf(article, storyId);
      // Each object built whole, as one literal: a spread of one into another copied through
      // a slow path (about a kilobyte per article in a 100k-item ingest).
      if ('id' in story) index.indexArticle({ id: articleId, title: article.title, body: indexedBody });
      else index.indexNewArticle({ id: articleId, title: article.title, body: indexedBody, feedId: article.feedId, publishedAt: article.publishedAt, firstSeenAt: article.firstSeenAt, regionCodes: story.regions.map((r) => r.code) });
      return { storyId, articleId };
    },
  };
}

/** The synchronous repositories of one connection, each checked against its port's shape. */
function syncRepos(db: Db, options: SqliteStoreOptions): { [K in keyof StorePorts]: SyncOf<StorePorts[K]> } {
  const outbox = createOutboxRepo(db);
  const subscriptions = createSubscriptionsRepo(db);
  // A claim moves the row's next attempt past its lease, so no other claim takes it until
  // then; a crash mid-send leaves it 'sending' and it comes back when the lease runs out.
  const claimRow = db.prepare("UPDATE deliveries SET state = 'sending', attempts = attempts + 1, next_attempt_at = ? WHERE id = ? AND state IN ('pending', 'sending') AND next_attempt_at <= ?");
  const claim = db.transaction((now: number, limit: number, leaseMs: number, share: DeliveryShare | undefined): OutboxItem[] =>
    // A share reads more rows than it keeps; one process rarely runs more than one deliverer.
    outbox
      .due(now, share && share.count > 1 ? limit * share.count : limit)
      .filter((item) => !share || share.count <= 1 || channelShare(item.channelId, share.count) === share.index)
      .slice(0, limit)
      .filter((item) => claimRow.run(now + leaseMs, item.id, now).changes > 0)
      .map((item) => ({ ...item, state: 'sending' as const, attempts: item.attempts + 1, nextAttemptAt: now + leaseMs })),
  );
  const outboxPort: SyncOf<OutboxPort> = { ...outbox, claim: (now, limit, leaseMs, share) => claim(now, limit, leaseMs, share) };
  const index = options.index ?? noIndex;
  return {
    feeds: createFeedsRepo(db),
    leases: memoryLeases(),
    guildFeeds: createGuildFeedsRepo(db),
    articles: withStoreItem(createArticlesRepo(db), index),
    posting: createPostingRepo(db),
    subscriptions,
    settings: subscriptions,
    outbox: outboxPort,
    deliverers: memoryDeliverers(),
    searches: createSearchesRepo(db),
    index,
    search: options.search ?? noSearch,
    health: createHealthRepo(db),
    schedule: createScheduleRepo(db),
    bounds: createFeedBoundsRepo(db),
    audience: createStoryAudienceRepo(db),
  };
}

function portsOver(repos: ReturnType<typeof syncRepos>, gate: Gate | null): StorePorts {
  const ports = {} as Record<keyof StorePorts, unknown>;
  for (const key of Object.keys(repos) as (keyof StorePorts)[]) ports[key] = asyncPort(repos[key], gate);
  return ports as unknown as StorePorts;
}

/** The store over an open, migrated database. Closing the store closes the connection. */
export function createSqliteStore(db: Db, options: SqliteStoreOptions = {}): Store {
  const repos = syncRepos(db, options);
  const gate = new Gate(options.reentryWaitMs);
  const outside = portsOver(repos, gate);
  const inside = portsOver(repos, null);
  // This connection's row changes and other connections' commits (PRAGMA data_version).
  const changes = db.prepare<[], number>('SELECT total_changes()').pluck();
  const version = db.prepare<[], number>('PRAGMA data_version').pluck();
  return {
    ...outside,
    kind: 'sqlite',
    maintenance: asyncPort<MaintenancePort>(
      {
        applyRetention: (olderThanMs: number, now: number) => (options.retention ? options.retention(olderThanMs, now) : { articles: 0, stories: 0, storiesKept: 0 }),
        checkpoint: () => checkpoint(db),
      },
      gate,
    ),
    transaction<T>(fn: (tx: StorePorts) => Promise<T>): Promise<T> {
      return gate.run(async () => {
        // IMMEDIATE: take the write lock now, so a second process (a CLI import) waits at the
        // start instead of failing at the first write with SQLITE_BUSY mid-way.
        db.exec('BEGIN IMMEDIATE');
        try {
          const result = await fn(inside);
          db.exec('COMMIT');
          return result;
        } catch (err) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw err;
        }
      });
    },
    changeStamp: () => Promise.resolve(`${changes.get()}/${version.get()}`),
    schemaVersion: () => Promise.resolve(schemaVersion(db)),
    // At once when nothing is open, so a caller that does not wait (tests, tools) finds it closed.
    close: () => (gate.busy ? gate.idle().then(() => void (db.open && db.close())) : Promise.resolve(void (db.open && db.close()))),
  };
}
