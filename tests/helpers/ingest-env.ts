// A real ingest stack for tests: temp SQLite file, real fetcher, real text pipeline.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServices, type SqliteServices } from '../../src/app/services.js';
import { loadConfig } from '../../src/config/config.js';
import { silentLogger } from '../../src/shared/logger.js';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { startFeedServer, type FeedServer } from '../fakes/feed-server.js';

export interface TestFeed {
  id: string;
  name?: string;
  url: string;
  region?: string;
  interval?: number;
  fullText?: 'auto' | 'always' | 'never';
}

export interface IngestEnv {
  readonly dir: string;
  readonly dbPath: string;
  readonly feedsFile: string;
  services: SqliteServices;
  clock: { now: number };
  writeFeeds(feeds: readonly TestFeed[]): void;
  /** Closes and reopens everything on the same files, as a process restart would. */
  restart(): void;
  close(): void;
}

export function createIngestEnv(env: Record<string, string> = {}): IngestEnv {
  const dir = mkdtempSync(join(tmpdir(), 'xiangxun-test-'));
  const dbPath = join(dir, 'test.db');
  const feedsFile = join(dir, 'feeds.json');
  const clock = { now: Date.now() };
  const config = loadConfig({ DATABASE_PATH: dbPath, FEEDS_FILE: feedsFile, FETCH_TIMEOUT_MS: '1500', ALLOW_PRIVATE_NETWORK: 'true', ...env });
  const open = () => createServices(config, silentLogger, { fetcher: { minHostGapMs: 0, perHostConcurrency: 8 }, now: () => clock.now });
  const self: IngestEnv = {
    dir,
    dbPath,
    feedsFile,
    clock,
    services: null as unknown as SqliteServices,
    writeFeeds(feeds) {
      // Test items link to hosts that do not exist: pages are never fetched unless a test asks.
      writeFileSync(feedsFile, JSON.stringify({ feeds: feeds.map((f) => ({ name: f.id, region: '330400', fullText: 'never', ...f })) }));
      self.services.syncCatalog();
    },
    restart() {
      self.services.close();
      self.services = open();
    },
    close() {
      self.services.close();
    },
  };
  self.services = open();
  return self;
}

/** Settings most ingest tests want: every item of a first poll stored and postable, any age. */
export const STORE_EVERYTHING = { FIRST_POLL_BACKLOG: '1000', MAX_ITEM_AGE_HOURS: '0' } as const;

export interface IngestWorld {
  /** One local feed server for the whole file. */
  readonly server: FeedServer;
  /** A fresh ingest stack for each test. */
  readonly env: IngestEnv;
  /** Replaces this test's stack with one built from other settings (the old one is closed). */
  reopen(env: Record<string, string>): IngestEnv;
}

/** Registers the hooks every ingest test file needs: a feed server per file, a stack per test. */
export function useIngestWorld(env: Record<string, string> = STORE_EVERYTHING): IngestWorld {
  let server: FeedServer | null = null;
  let current: IngestEnv | null = null;
  beforeAll(async () => {
    server = await startFeedServer();
  });
  afterAll(async () => {
    await server?.close();
  });
  beforeEach(() => {
    current = createIngestEnv(env);
  });
  afterEach(() => current?.close());
  return {
    get server() {
      return server!;
    },
    get env() {
      return current!;
    },
    reopen(settings) {
      current?.close();
      current = createIngestEnv(settings);
      return current;
    },
  };
}
