// Wiring shared by the bot, the CLI and the demo: config in, ready services out.
// Nothing happens at import; everything is built by createServices and released by close().
import { readFileSync } from 'node:fs';
import type { FeedAdmin } from '../../commands/feeds-admin.js';
import type { Config } from '../config/config.js';
import type { RegionsFile } from '../domain/types.js';
import { loadCatalog } from '../feeds/catalog.js';
import { createFetcher, type Fetcher, type FetcherOptions } from '../feeds/fetch.js';
import { createUrlGuard } from '../feeds/network-guard.js';
import { createSourceFetcher } from '../feeds/source-fetcher.js';
import { createEnricher } from '../ingest/enrich.js';
import { createFeedReader } from '../ingest/feed-reader.js';
import { reviseKnownItems } from '../ingest/revise.js';
import type { IngestDeps } from '../ingest/poll-feed.js';
import type { ArticleIndexer, NewStoryHook, StoryWidenedHook } from '../ingest/ports.js';
import { createSearchIndex } from '../store/sqlite-search/index-writer.js';
import { applyRetention } from '../store/sqlite-search/maintenance.js';
import { createSearch } from '../store/sqlite-search/query.js';
import type { Logger } from '../shared/logger.js';
import { createArticlesRepo, type ArticlesRepo } from '../store/articles-repo.js';
import { openDatabase, type Db } from '../store/database.js';
import { createFeedsRepo, type FeedsRepo } from '../store/feeds-repo.js';
import { createGuildFeedsRepo, type GuildFeedsRepo } from '../store/guild-feeds-repo.js';
import type { Store } from '../store/ports.js';
import { createSqliteStore } from '../store/sqlite-store.js';
import { createGazetteer, type Gazetteer } from '../text/gazetteer.js';
import { validateRegionsFile } from '../text/regions-schema.js';
import { createExtractiveSummarizer, type Summarizer } from '../text/summary.js';
import { createFeedAdmin } from './feed-admin.js';
import { packageFile } from './paths.js';
import { openPostgresStore } from './store-open.js';

let regionsCache: RegionsFile | null = null;

/** The national gazetteer shipped in data/regions.json (read once per process). */
export function loadRegionsFile(path = packageFile('data/regions.json')): RegionsFile {
  regionsCache ??= validateRegionsFile(JSON.parse(readFileSync(path, 'utf8')));
  return regionsCache;
}

export interface Services {
  readonly config: Config;
  readonly logger: Logger;
  /** The store's async ports (issue #16): SQLite at DATABASE_PATH, or Postgres at DATABASE_URL. */
  readonly store: Store;
  readonly feedAdmin: FeedAdmin;
  readonly fetcher: Fetcher;
  readonly gazetteer: Gazetteer;
  readonly summarizer: Summarizer;
  /** Re-reads FEEDS_FILE and syncs the feeds table; returns the feed ids in catalog order. */
  syncCatalog(): Promise<string[]>;
  ingestDeps(extra?: { onNewStory?: NewStoryHook; onStoryWidened?: StoryWidenedHook }): IngestDeps;
  close(): Promise<void>;
}

/** Services over a SQLite file, with its connection and synchronous repositories (tools, tests, benches). */
export interface SqliteServices extends Services {
  readonly db: Db;
  readonly feeds: FeedsRepo;
  /** Which servers added which feeds (/feeds add). */
  readonly guildFeeds: GuildFeedsRepo;
  readonly articles: ArticlesRepo;
  readonly indexer: ArticleIndexer;
}

export interface ServiceOptions {
  readonly databasePath?: string;
  /** Tests and benchmarks tune politeness (e.g. no gap between requests to 127.0.0.1). */
  readonly fetcher?: Partial<FetcherOptions>;
  readonly now?: () => number;
}

/** The SQLite parts of services that have them; a Postgres deployment has none (a tool says so). */
export function sqliteServices(s: Services): SqliteServices {
  if (!('db' in s)) throw new Error('this needs the SQLite store (DATABASE_PATH); DATABASE_URL selects Postgres');
  return s as SqliteServices;
}

/** What every store's services share: fetching, enrichment, feed admin and ingest over `store`. */
function assemble(config: Config, logger: Logger, store: Store, gazetteer: Gazetteer, opts: ServiceOptions): Services {
  const fetcher = createFetcher({ userAgent: config.fetch.userAgent, timeoutMs: config.fetch.timeoutMs, maxBytes: config.fetch.maxBytes, guard: createUrlGuard({ allowPrivateNetwork: config.allowPrivateNetwork }), ...opts.fetcher });
  const summarizer = createExtractiveSummarizer();
  const enricher = createEnricher({ fetcher, gazetteer, summarizer, timeZone: config.timeZone });
  const now = opts.now ?? (() => Date.now());
  // Large feed documents are read on a worker thread, started on first use and ended with the services.
  const reader = createFeedReader();
  // Polling fetches a server's URL untrusted, and reads a list page into items.
  const pollFetcher = createSourceFetcher(fetcher, { facts: (url) => store.guildFeeds.urlFacts(url), timeZone: config.timeZone, now });
  const feedAdmin = createFeedAdmin({ guildFeeds: store.guildFeeds, fetcher, gazetteer, timeZone: config.timeZone, maxPerGuild: config.maxFeedsPerGuild, now });

  return {
    config,
    logger,
    store,
    feedAdmin,
    fetcher,
    gazetteer,
    summarizer,
    async syncCatalog() {
      const sources = loadCatalog(config.feedsFile, { rsshubBase: config.rsshubBase, knownRegion: (c) => gazetteer.get(c) !== null });
      await store.feeds.sync(sources, now());
      return sources.map((f) => f.id);
    },
    ingestDeps: (extra = {}) => ({
      store,
      fetcher: pollFetcher,
      enricher,
      onNewStory: extra.onNewStory,
      onStoryWidened: extra.onStoryWidened,
      reader,
      gazetteer,
      revise: (feed, known) => reviseKnownItems({ store, enricher, now }, feed, known),
      settings: {
        timeZone: config.timeZone,
        maxItemAgeMs: config.maxItemAgeMs,
        firstPollBacklog: config.firstPollBacklog,
        pauseAfterMs: config.feedPauseAfterMs,
      },
      now,
      logger,
    }),
    close: async () => {
      void reader.close();
      await store.close();
    },
  };
}

/** Services over the SQLite file at DATABASE_PATH (or `opts.databasePath`). */
export function createServices(config: Config, logger: Logger, opts: ServiceOptions = {}): SqliteServices {
  const gazetteer = createGazetteer(loadRegionsFile());
  const db = openDatabase(opts.databasePath ?? config.databasePath);
  const indexer = createSearchIndex(db);
  // Searches see the clock the services run on (tests and the soak move it).
  const search = createSearch(db, { now: opts.now, knownRegion: (c) => gazetteer.get(c) !== undefined });
  const store = createSqliteStore(db, { index: indexer, search, retention: (olderThanMs, at) => applyRetention(db, olderThanMs, at) });
  return { ...assemble(config, logger, store, gazetteer, opts), db, feeds: createFeedsRepo(db), guildFeeds: createGuildFeedsRepo(db), articles: createArticlesRepo(db), indexer };
}

/**
 * The configured store's services: Postgres when DATABASE_URL is set (connected and migrated
 * here; a DatabaseUrlError names the variable, never the password), else SQLite.
 */
export async function openServices(config: Config, logger: Logger, opts: ServiceOptions = {}): Promise<Services> {
  if (!config.databaseUrl) return createServices(config, logger, opts);
  const gazetteer = createGazetteer(loadRegionsFile());
  const store = await openPostgresStore(config.databaseUrl, { search: { now: opts.now, knownRegion: (c) => gazetteer.get(c) !== undefined } });
  return assemble(config, logger, store, gazetteer, opts);
}
