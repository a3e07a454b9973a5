// The store as the rest of the bot sees it (issue #16): declared, asynchronous ports, one per
// kind of record, and a unit of work. Two implementations keep these promises: SQLite
// (sqlite-store.ts, one process, the default) and Postgres (pg/, several processes). The
// contract suite (tests/contract) holds both to the same behaviour.
//
// Why async everywhere: a Postgres call is a network round trip. Why one interface per kind:
// each stage asks only for what it uses, so a role (poller, deliverer, gateway) is wired
// with the parts it needs.
import type { SearchRequest, SearchResponse } from '../domain/search.js';
import type { FeedSource, RegionTag, Subscription } from '../domain/types.js';
import type { NewArticle, NewStory, StoryCandidate, StoryView } from './articles-repo.js';
import type { FeedBounds } from './feed-bounds-repo.js';
import type { FailureUpdate, FeedState, SuccessUpdate } from './feeds-repo.js';
import type { AddOutcome, GuildFeed, NewGuildFeed } from './guild-feeds-repo.js';
import type { DigestItem, OutboxItem, WordLists } from './outbox-repo.js';
import type { ArticleRevision, EditItem, KnownVersion } from './posting-repo.js';
import type { StoredRate } from './schedule-repo.js';
import type { SearchResult, StoredSearch } from './searches-repo.js';
import type { ChannelState, GuildSettings, NewSubscription } from './subscriptions-repo.js';

export type { AddOutcome, ArticleRevision, ChannelState, DigestItem, EditItem, FailureUpdate, FeedBounds, FeedState, GuildFeed, GuildSettings, KnownVersion };
export type { NewArticle, NewGuildFeed, NewStory, NewSubscription, OutboxItem, SearchResult, StoredRate, StoredSearch, StoryCandidate, StoryView, SuccessUpdate, WordLists };

/** Feeds and their polling state. */
export interface FeedsPort {
  /** Makes the table match the catalog: new feeds added, changed ones updated, removed ones retired. */
  sync(sources: readonly FeedSource[], now: number): Promise<void>;
  get(id: string): Promise<FeedState | null>;
  list(): Promise<FeedState[]>;
  due(now: number): Promise<FeedState[]>;
  setItemsHash(id: string, hash: string | null): Promise<void>;
  recordSuccess(id: string, u: SuccessUpdate): Promise<void>;
  recordFailure(id: string, u: FailureUpdate): Promise<void>;
  resume(id: string): Promise<boolean>;
}

/**
 * Poll leases: a poller takes a feed for `ms` before fetching it, so two pollers never fetch
 * one feed at once. A lease held by another holder and not yet expired is refused.
 */
export interface FeedLeasesPort {
  acquire(feedId: string, holder: string, now: number, ms: number): Promise<boolean>;
  release(feedId: string, holder: string): Promise<void>;
}

/** The feeds servers added with /feeds add. */
export interface GuildFeedsPort {
  listForGuild(guildId: string): Promise<GuildFeed[]>;
  get(guildId: string, feedId: string): Promise<GuildFeed | null>;
  count(guildId: string): Promise<number>;
  catalogFeed(url: string): Promise<FeedState | null>;
  add(f: NewGuildFeed, limit: number, now: number): Promise<AddOutcome>;
  remove(guildId: string, feedId: string): Promise<boolean>;
  urlFacts(url: string): Promise<{ trusted: boolean; listPage: boolean }>;
}

/** Articles and the stories they are grouped into. */
export interface ArticlesPort {
  latestInRegion(code: string, limit: number): Promise<number[]>;
  regionCounts(codes: readonly string[], since: number): Promise<Map<string, number>>;
  storyByUrl(canonical: string, raw: string): Promise<number | null>;
  matchText(storyId: number): Promise<string>;
  hasItem(feedId: string, itemKey: string): Promise<boolean>;
  /** Whether the feed stored anything yet (a new feed's items need no look-up each). */
  feedHasItems(feedId: string): Promise<boolean>;
  storedUnder(feedId: string, itemKey: string): Promise<{ canonicalUrl: string | null; title: string; text: string }[]>;
  storyByCanonicalUrl(url: string): Promise<number | null>;
  storiesByTitleKey(key: string): Promise<StoryCandidate[]>;
  recentStories(since: number, limit: number): Promise<StoryCandidate[]>;
  insertStory(s: NewStory): Promise<number>;
  /** The first article of a story becomes its primary source. */
  insertArticle(a: NewArticle): Promise<number>;
  /** `newStory`: the story was created in this unit of work, so none of its articles is indexed yet. */
  addRegions(storyId: number, tags: readonly RegionTag[], opts?: { newStory?: boolean }): Promise<void>;
  /**
   * Everything the ingest writes for one new item in one call: its story when new (with the
   * regions), the article and its search index rows. The same as insertStory, addRegions,
   * insertArticle and indexNewArticle (or indexArticle, for a known story) in turn, as one
   * step: a poll stores thousands of items, and on Postgres each call is a round trip.
   */
  storeItem(item: ItemToStore): Promise<{ storyId: number; articleId: number }>;
  story(storyId: number): Promise<StoryView | null>;
}

/** One new feed item as the ingest stores it (ArticlesPort.storeItem). */
export interface ItemToStore {
  /** The known story it joins, or the new story it starts, with that story's regions. */
  readonly story: { readonly id: number } | { readonly create: NewStory; readonly regions: readonly RegionTag[] };
  readonly article: Omit<NewArticle, 'storyId'>;
  /** The text indexed as its body (the stored body, else the item's text). */
  readonly indexedBody: string;
}

/** Corrections: story revisions, corrected articles and the edits of posts already made. */
export interface PostingPort {
  reviseStory(storyId: number, now: number): Promise<number>;
  revision(storyId: number): Promise<number>;
  dueEdits(now: number, limit: number): Promise<EditItem[]>;
  nextEditAt(): Promise<number | null>;
  beginEdit(e: EditItem): Promise<boolean>;
  editDone(e: EditItem, now: number): Promise<void>;
  editRetry(e: EditItem, at: number, error: string): Promise<void>;
  editFinish(e: EditItem, state: 'skipped' | 'failed', reason: string, now: number): Promise<void>;
  skipChannelEdits(channelId: string, reason: string): Promise<number>;
  knownVersion(feedId: string, itemKey: string): Promise<KnownVersion | null>;
  addTitleKey(storyId: number, titleKey: string): Promise<void>;
  reviseArticle(a: ArticleRevision): Promise<void>;
  setArticleImage(articleId: number, url: string | null): Promise<void>;
  postFacts(storyId: number): Promise<{ revision: number; revisedAt: number | null; image: string | null }>;
  editCounts(): Promise<Record<string, number>>;
}

/** What moderators configure: subscriptions and channel health. */
export interface SubscriptionsPort {
  subscribe(s: NewSubscription, now: number): Promise<number>;
  unsubscribe(guildId: string, channelId: string, regionCode: string): Promise<boolean>;
  listForGuild(guildId: string): Promise<Subscription[]>;
  get(id: number): Promise<Subscription | null>;
  forStory(storyId: number): Promise<Subscription[]>;
  channel(channelId: string): Promise<ChannelState | null>;
  pauseChannel(channelId: string, guildId: string, code: number, reason: string, now: number): Promise<void>;
  resumeChannel(channelId: string): Promise<boolean>;
}

/** Per-server settings. */
export interface SettingsPort {
  settings(guildId: string): Promise<GuildSettings>;
  updateSettings(guildId: string, patch: Partial<Omit<GuildSettings, 'guildId' | 'lastDigestAt'>>, now: number): Promise<void>;
  markDigestDone(guildId: string, at: number): Promise<void>;
  guildsWithDigests(): Promise<string[]>;
}

/** The outbox: one row per (story, channel), and digests. */
export interface OutboxPort {
  enqueue(d: { storyId: number; guildId: string; channelId: string; subscriptionId: number | null; mode: Subscription['mode']; state: 'pending' | 'queued' | 'skipped'; reason: string | null }, now: number): Promise<boolean>;
  wordListsFor(storyId: number): Promise<WordLists[]>;
  fanOut(storyId: number, accepted: readonly string[], now: number): Promise<number>;
  due(now: number, limit: number): Promise<OutboxItem[]>;
  /**
   * Takes up to `limit` due deliveries for one worker: each is marked sending (attempts + 1)
   * and not handed to any worker again for `leaseMs` unless it is finished or retried first.
   * Any number of workers may claim at once; none gets a row another holds.
   */
  claim(now: number, limit: number, leaseMs: number, share?: DeliveryShare): Promise<OutboxItem[]>;
  nextDueAt(): Promise<number | null>;
  begin(id: number): Promise<boolean>;
  markSent(id: number, messageId: string, now: number, post?: { messageChannelId: string | null; revision: number }): Promise<void>;
  retryLater(id: number, at: number, error: string): Promise<void>;
  finish(id: number, state: 'failed' | 'skipped', reason: string): Promise<void>;
  skipChannel(channelId: string, reason: string): Promise<number>;
  forStoryInChannel(storyId: number, channelId: string): Promise<OutboxItem | null>;
  forStory(storyId: number): Promise<OutboxItem[]>;
  sentSince(channelId: string, since: number): Promise<number>;
  rollIntoBurst(item: OutboxItem, sendAt: number, now: number): Promise<number>;
  createScheduledDigest(channelId: string, guildId: string, deliveryIds: readonly number[], since: number | null, now: number): Promise<number>;
  queuedForGuild(guildId: string): Promise<OutboxItem[]>;
  dueDigests(now: number, limit: number): Promise<DigestItem[]>;
  beginDigest(id: number): Promise<void>;
  digestSent(id: number, messageIds: readonly string[], now: number): Promise<void>;
  digestRetry(id: number, at: number, error: string): Promise<void>;
  digestFinish(id: number, state: 'failed', reason: string): Promise<void>;
}

/**
 * One deliverer's part of the outbox when several run: the channels whose id hashes to
 * `index` of `count`. A channel is served by one deliverer at a time, so its posts keep their
 * order and Discord's per-channel limit is kept locally; the global limit is split by `count`.
 */
export interface DeliveryShare {
  readonly index: number;
  readonly count: number;
}

/** The live deliverers: each renews its row; the ones whose rows lapsed are no longer counted. */
export interface DeliverersPort {
  /** Renews `id` until `now + ttlMs` and returns its share among the live deliverers (ordered by id). */
  heartbeat(id: string, now: number, ttlMs: number): Promise<DeliveryShare>;
  /** Leaves at once (a clean stop), so the others take its channels without waiting for the lapse. */
  leave(id: string): Promise<void>;
}

/** Stored searches behind /news result buttons. */
export interface SearchesPort {
  create(userId: string, request: string, next: string | null, now: number): Promise<string>;
  get(key: string): Promise<StoredSearch | null>;
  setPageCursor(key: string, page: number, cursor: string): Promise<void>;
  addResults(key: string, results: readonly SearchResult[]): Promise<void>;
  result(key: string, n: number): Promise<{ readonly storyId: number; readonly postedAt: number | null } | null>;
  claimPost(key: string, n: number, now: number): Promise<boolean>;
  releasePost(key: string, n: number, at: number): Promise<void>;
  prune(before: number): Promise<number>;
}

/**
 * Full-text search over the index (issue #4): newest first or by relevance, with region, feed
 * and date filters, within a bounded budget; a broad query answers with what it found.
 */
export interface SearchPort {
  search(request: SearchRequest): Promise<SearchResponse>;
}

/** An article stored in the caller's unit of work, with the facts its index rows are made of. */
export interface NewIndexedArticle {
  readonly id: number;
  readonly title: string;
  readonly body: string;
  readonly feedId: string;
  readonly publishedAt: number | null;
  readonly firstSeenAt: number;
  /** Its story's region codes (as story_regions holds them; repeats are fine). */
  readonly regionCodes: readonly string[];
}

/** The full-text index: normalised bigrams of title and body, in either script. */
export interface SearchIndexPort {
  indexArticle(a: { id: number; title: string; body: string }): Promise<void>;
  /**
   * The same for the article of a story created in the caller's unit of work, from the facts
   * the ingest has (no read back of its feed, times or regions).
   */
  indexNewArticle(a: NewIndexedArticle): Promise<void>;
  removeArticle(id: number): Promise<void>;
  /** Re-indexes up to `max` articles whose facets went stale; returns how many. */
  refreshStale(max?: number): Promise<number>;
}

/** What operators' probes ask: cheap counts and a real write. */
export interface HealthPort {
  outboxPending(): Promise<number>;
  pausedFeeds(): Promise<number>;
  pausedChannels(): Promise<number>;
  deliveryCreatedAt(id: number): Promise<number | null>;
  /** Commits one tiny write; returns an error code when the store cannot take it. */
  probeWrite(): Promise<string | null>;
}

/** The publishing rates the adaptive schedule learns. */
export interface SchedulePort {
  rates(): Promise<Array<{ id: string; fixed: boolean; rate: StoredRate | null }>>;
  record(id: string, rate: StoredRate, nextPollAt: number): Promise<void>;
  reschedule(id: string, nextPollAt: number): Promise<void>;
}

/** Ingest bounds per feed (floods flagged, items left out). */
export interface FeedBoundsPort {
  all(): Promise<Map<string, FeedBounds>>;
  record(feedId: string, poll: { itemsInFeed: number; dropped: number; flag: string | null; now: number }): Promise<FeedBounds>;
}

/** Who a story may reach. */
export interface StoryAudiencePort {
  widens(storyId: number, feedId: string): Promise<boolean>;
}

/** Housekeeping the bot runs on a schedule. */
export interface MaintenancePort {
  /**
   * Deletes articles whose time (publication, else first seen) is more than `olderThanMs`
   * before `now`, in short units of work; stories left without articles go too when nothing
   * else refers to them. `olderThanMs` ≤ 0 keeps everything.
   */
  applyRetention(olderThanMs: number, now: number): Promise<{ articles: number; stories: number; storiesKept: number }>;
  /** What the engine needs now and then off the write path (SQLite: a WAL checkpoint); may do nothing. */
  checkpoint(): Promise<void>;
}

/** Every port, as seen inside or outside a unit of work. */
export interface StorePorts {
  readonly feeds: FeedsPort;
  readonly leases: FeedLeasesPort;
  readonly guildFeeds: GuildFeedsPort;
  readonly articles: ArticlesPort;
  readonly posting: PostingPort;
  readonly subscriptions: SubscriptionsPort;
  readonly settings: SettingsPort;
  readonly outbox: OutboxPort;
  readonly deliverers: DeliverersPort;
  readonly searches: SearchesPort;
  readonly index: SearchIndexPort;
  readonly search: SearchPort;
  readonly health: HealthPort;
  readonly schedule: SchedulePort;
  readonly bounds: FeedBoundsPort;
  readonly audience: StoryAudiencePort;
}

export type StoreKind = 'sqlite' | 'postgres';

export interface Store extends StorePorts {
  readonly kind: StoreKind;
  /** Outside units of work only: retention works in short units of its own. */
  readonly maintenance: MaintenancePort;
  /**
   * A unit of work: everything `fn` does through `tx` commits together or not at all (a
   * thrown error rolls it back). Calls through the store itself wait until it ends.
   */
  transaction<T>(fn: (tx: StorePorts) => Promise<T>): Promise<T>;
  /**
   * A token that changes whenever anything writes to the store (this process or another), or
   * null when the store cannot tell cheaply: then callers must assume something changed. The
   * ingest reuses a story match planned before enrichment only while this is unchanged.
   */
  changeStamp(): Promise<string | null>;
  schemaVersion(): Promise<number>;
  close(): Promise<void>;
}

/** The synchronous shape of a port: what the SQLite repositories implement directly. */
export type SyncOf<P> = { [K in keyof P]: P[K] extends (...args: infer A) => Promise<infer R> ? (...args: A) => R : P[K] };
