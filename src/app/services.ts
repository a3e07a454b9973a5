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
import { createSearchIndex } from '../search/index-writer.js';
import { applyRetention } from '../search/maintenance.js';
import { createSearch } from '../search/query.js';
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

let regionsCache: RegionsFile | null = null;

/** The national gazetteer shipped in data/regions.json (read once per process). */
export function loadRegionsFile(path = packageFile('data/regions.json')): RegionsFile {
  regionsCache ??= validateRegionsFile(JSON.parse(readFileSync(path, 'utf8')));
  return regionsCache;
}

export interface Services {
  readonly config: Config;
  readonly logger: Logger;
  readonly db: Db;
  /**
   * The store's async ports (issue #16). Code moves to these from the synchronous repositories
   * below, which the SQLite store wraps over the same connection.
   */
  readonly store: Store;
  readonly feeds: FeedsRepo;
  /** Which servers added which feeds (/feeds add). */
  readonly guildFeeds: GuildFeedsRepo;
  readonly feedAdmin: FeedAdmin;
  readonly articles: ArticlesRepo;
  readonly fetcher: Fetcher;
  readonly gazetteer: Gazetteer;
  readonly summarizer: Summarizer;
  readonly indexer: ArticleIndexer;
  /** Re-reads FEEDS_FILE and syncs the feeds table; returns the feed ids in catalog order. */
  syncCatalog(): string[];
  ingestDeps(extra?: { onNewStory?: NewStoryHook; onStoryWidened?: StoryWidenedHook }): IngestDeps;
  close(): void;
}

export interface ServiceOptions {
  readonly databasePath?: string;
  /** Tests and benchmarks tune politeness (e.g. no gap between requests to 127.0.0.1). */
  readonly fetcher?: Partial<FetcherOptions>;
  readonly now?: () => number;
}

export function createServices(config: Config, logger: Logger, opts: ServiceOptions = {}): Services {
  const gazetteer = createGazetteer(loadRegionsFile());
  const db = openDatabase(opts.databasePath ?? config.databasePath);
  const feeds = createFeedsRepo(db);
  const articles = createArticlesRepo(db);
  const fetcher = createFetcher({ userAgent: config.fetch.userAgent, timeoutMs: config.fetch.timeoutMs, maxBytes: config.fetch.maxBytes, guard: createUrlGuard({ allowPrivateNetwork: config.allowPrivateNetwork }), ...opts.fetcher });
  const summarizer = createExtractiveSummarizer();
  const indexer = createSearchIndex(db);
  // Searches see the clock the services run on (tests and the soak move it).
  const search = createSearch(db, { now: opts.now, knownRegion: (c) => gazetteer.get(c) !== undefined });
  const store = createSqliteStore(db, { index: indexer, search, retention: (olderThanMs, at) => applyRetention(db, olderThanMs, at) });
  const enricher = createEnricher({ fetcher, gazetteer, summarizer, timeZone: config.timeZone });
  const now = opts.now ?? (() => Date.now());
  const guildFeeds = createGuildFeedsRepo(db);
  // Large feed documents are read on a worker thread, started on first use and ended with the services.
  const reader = createFeedReader();
  // Polling fetches a server's URL untrusted, and reads a list page into items.
  const pollFetcher = createSourceFetcher(fetcher, { facts: (url) => store.guildFeeds.urlFacts(url), timeZone: config.timeZone, now });
  const feedAdmin = createFeedAdmin({ guildFeeds: store.guildFeeds, fetcher, gazetteer, timeZone: config.timeZone, maxPerGuild: config.maxFeedsPerGuild, now });

  return {
    config,
    logger,
    db,
    store,
    feeds,
    guildFeeds,
    feedAdmin,
    articles,
    fetcher,
    gazetteer,
    summarizer,
    indexer,
    syncCatalog() {
      const sources = loadCatalog(config.feedsFile, { rsshubBase: config.rsshubBase, knownRegion: (c) => gazetteer.get(c) !== null });
      feeds.sync(sources, now());
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
    close: () => {
      void reader.close();
      if (db.open) db.close();
    },
  };
}
