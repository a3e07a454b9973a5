import type { FeedSource, FullTextMode } from '../domain/types.js';
import type { Db } from './database.js';

export type PollStatus = 'fetched' | 'not-modified' | 'unchanged' | 'error';

/** A feed with its polling state, for the scheduler and `/feeds status`. */
export interface FeedState extends FeedSource {
  readonly etag: string | null;
  readonly lastModified: string | null;
  readonly bodyHash: string | null;
  /** Digest of the items' XML at the last full read (quick-keys itemsDigest). */
  readonly itemsHash?: string | null;
  readonly initialized: boolean;
  readonly lastFetchAt: number | null;
  readonly lastSuccessAt: number | null;
  readonly lastStatus: PollStatus | null;
  readonly lastError: string | null;
  readonly lastErrorAt: number | null;
  readonly failureCount: number;
  readonly failingSince: number | null;
  readonly nextPollAt: number | null;
  readonly pausedAt: number | null;
  readonly pauseReason: string | null;
  readonly itemCount: number;
  readonly inCatalog: boolean;
  /** catalog: from FEEDS_FILE, serves every server; guild: added by servers, serves only them. */
  readonly origin: FeedOrigin;
  /** list-page: an HTML column read by the list-page recogniser instead of a feed. */
  readonly kind: FeedKind;
  /** What the last full fetch warned about (a lying charset, replaced bytes), or null. */
  readonly lastWarning?: string | null;
}

export type FeedOrigin = 'catalog' | 'guild';
export type FeedKind = 'feed' | 'list-page';

export interface FeedRow {
  id: string;
  name: string;
  url: string;
  region: string;
  interval_minutes: number | null;
  full_text: string;
  etag: string | null;
  last_modified: string | null;
  body_hash: string | null;
  items_hash?: string | null;
  initialized: number;
  last_fetch_at: number | null;
  last_success_at: number | null;
  last_status: string | null;
  last_error: string | null;
  last_error_at: number | null;
  failure_count: number;
  failing_since: number | null;
  next_poll_at: number | null;
  paused_at: number | null;
  pause_reason: string | null;
  item_count: number;
  in_catalog: number;
  origin?: string;
  kind?: string;
  last_warning?: string | null;
}

export const toState = (r: FeedRow): FeedState => ({
  id: r.id,
  name: r.name,
  url: r.url,
  region: r.region,
  intervalMinutes: r.interval_minutes,
  fullText: r.full_text as FullTextMode,
  etag: r.etag,
  lastModified: r.last_modified,
  bodyHash: r.body_hash,
  itemsHash: r.items_hash ?? null,
  initialized: r.initialized === 1,
  lastFetchAt: r.last_fetch_at,
  lastSuccessAt: r.last_success_at,
  lastStatus: r.last_status as PollStatus | null,
  lastError: r.last_error,
  lastErrorAt: r.last_error_at,
  failureCount: r.failure_count,
  failingSince: r.failing_since,
  nextPollAt: r.next_poll_at,
  pausedAt: r.paused_at,
  pauseReason: r.pause_reason,
  itemCount: r.item_count,
  inCatalog: r.in_catalog === 1,
  origin: r.origin === 'guild' ? 'guild' : 'catalog',
  kind: r.kind === 'list-page' ? 'list-page' : 'feed',
  lastWarning: r.last_warning ?? null,
});

export interface SuccessUpdate {
  readonly status: Exclude<PollStatus, 'error'>;
  readonly now: number;
  readonly nextPollAt: number;
  readonly etag?: string | null;
  readonly lastModified?: string | null;
  readonly bodyHash?: string | null;
  readonly newItems?: number;
  /** A fetched document's warnings joined (null: none); left as it was when undefined. */
  readonly warning?: string | null;
}

export interface FailureUpdate {
  readonly error: string;
  readonly now: number;
  readonly nextPollAt: number;
  readonly pauseReason: string | null;
}

/** SQL over `feeds`: polled feeds are the catalog's and every feed at least one server still has. */
export const ACTIVE_FEED = '(in_catalog = 1 OR EXISTS (SELECT 1 FROM guild_feeds g WHERE g.feed_id = feeds.id))';

export type FeedsRepo = ReturnType<typeof createFeedsRepo>;

export function createFeedsRepo(db: Db) {
  const upsert = db.prepare(`
    INSERT INTO feeds (id, name, url, region, interval_minutes, full_text, created_at, in_catalog)
    VALUES (@id, @name, @url, @region, @intervalMinutes, @fullText, @now, 1)
    ON CONFLICT (id) DO UPDATE SET
      name = excluded.name, region = excluded.region, interval_minutes = excluded.interval_minutes,
      full_text = excluded.full_text, in_catalog = 1,
      -- a new URL is a new source: forget its validators so the first fetch is a full one
      etag = CASE WHEN feeds.url = excluded.url THEN feeds.etag END,
      last_modified = CASE WHEN feeds.url = excluded.url THEN feeds.last_modified END,
      body_hash = CASE WHEN feeds.url = excluded.url THEN feeds.body_hash END,
      url = excluded.url`);
  const retireAll = db.prepare('UPDATE feeds SET in_catalog = 0');
  const itemsHash = db.prepare('UPDATE feeds SET items_hash = ? WHERE id = ?');
  const byId = db.prepare<[string], FeedRow>('SELECT * FROM feeds WHERE id = ?');
  const all = db.prepare<[], FeedRow>(`SELECT * FROM feeds WHERE ${ACTIVE_FEED} ORDER BY id`);
  // Paused feeds are included when their daily probe is due (next_poll_at is set a day ahead).
  const due = db.prepare<[number], FeedRow>(`
    SELECT * FROM feeds WHERE ${ACTIVE_FEED} AND (next_poll_at IS NULL OR next_poll_at <= ?)
    ORDER BY id`);
  const success = db.prepare(`
    UPDATE feeds SET last_fetch_at = @now, last_success_at = @now, last_status = @status,
      etag = coalesce(@etag, etag), last_modified = coalesce(@lastModified, last_modified),
      body_hash = coalesce(@bodyHash, body_hash), initialized = 1,
      failure_count = 0, failing_since = NULL, next_poll_at = @nextPollAt,
      paused_at = NULL, pause_reason = NULL, item_count = item_count + @newItems,
      last_warning = CASE WHEN @setWarning = 1 THEN @warning ELSE last_warning END
    WHERE id = @id`);
  const failure = db.prepare(`
    UPDATE feeds SET last_fetch_at = @now, last_status = 'error', last_error = @error, last_error_at = @now,
      failure_count = failure_count + 1, failing_since = coalesce(failing_since, @now),
      next_poll_at = @nextPollAt,
      paused_at = CASE WHEN @pauseReason IS NOT NULL THEN coalesce(paused_at, @now) ELSE paused_at END,
      pause_reason = coalesce(@pauseReason, pause_reason)
    WHERE id = @id`);
  const resume = db.prepare('UPDATE feeds SET paused_at = NULL, pause_reason = NULL, failing_since = NULL, failure_count = 0, next_poll_at = NULL WHERE id = ?');

  return {
    /** Makes the table match the catalog: new feeds added, changed ones updated, removed ones retired. */
    sync(sources: readonly FeedSource[], now: number): void {
      db.transaction(() => {
        retireAll.run();
        for (const s of sources) upsert.run({ ...s, now });
      })();
    },
    get: (id: string): FeedState | null => {
      const r = byId.get(id);
      return r ? toState(r) : null;
    },
    list: (): FeedState[] => all.all().map(toState),
    due: (now: number): FeedState[] => due.all(now).map(toState),
    /** The items' digest after a full read whose items were all handled (stored and compared). */
    setItemsHash: (id: string, hash: string | null): void => void itemsHash.run(hash, id),
    recordSuccess(id: string, u: SuccessUpdate): void {
      success.run({
        id,
        now: u.now,
        status: u.status,
        etag: u.etag ?? null,
        lastModified: u.lastModified ?? null,
        bodyHash: u.bodyHash ?? null,
        nextPollAt: u.nextPollAt,
        newItems: u.newItems ?? 0,
        setWarning: u.warning === undefined ? 0 : 1,
        warning: u.warning ?? null,
      });
    },
    recordFailure(id: string, u: FailureUpdate): void {
      failure.run({ id, error: u.error, now: u.now, nextPollAt: u.nextPollAt, pauseReason: u.pauseReason });
    },
    resume: (id: string): boolean => resume.run(id).changes > 0,
  };
}
