// One feed, one poll: fetch → bound → parse → identify → dedupe → enrich → store. What a
// poll may cost is bounded (bounds.ts): the document is cut before parsing, the newest
// items are kept, text is cut, and storing runs in chunks that give the loop back.
import { FeedError } from '../feeds/errors.js';
import type { Fetcher } from '../feeds/fetch.js';
import type { ParseOptions } from '../feeds/parse.js';
import type { Logger } from '../shared/logger.js';
import { isStorageFailure } from '../store/errors.js';
import type { FeedState, Store, StorePorts } from '../store/ports.js';
import type { Gazetteer } from '../text/gazetteer.js';
import { INGEST_BOUNDS, type IngestBounds } from './bounds.js';
import { sharedFeedReader, type FeedReader, type ReadDocument } from './feed-reader.js';
import { newCandidates } from './dedupe.js';
import { itemKey } from './identity.js';
import { inSlices } from './pace.js';
import type { Enricher, NewStoryHook, StoryWidenedHook } from './ports.js';
import { DEFAULT_REVISIONS_PER_POLL, type KnownItem, type Revised } from './revise.js';
import { PAUSED_PROBE_MS, backoffMs, nextPollAfterSuccess } from './schedule.js';
import { type Candidate, storeCandidates, storyKey } from './store-items.js';
import { createStoryMatcher } from './story-matcher.js';

export interface IngestSettings {
  readonly timeZone: string;
  readonly maxItemAgeMs: number; // 0: no limit
  readonly firstPollBacklog: number; // items of a new feed's first poll that may be posted
  readonly pauseAfterMs: number;
  /** What one poll may cost (defaults: INGEST_BOUNDS). */
  readonly bounds?: Partial<IngestBounds>;
}

export interface IngestDeps {
  /** Every read and write of the ingest (any Store: SQLite or Postgres). */
  readonly store: Store;
  readonly fetcher: Fetcher;
  readonly enricher: Enricher;
  readonly onNewStory?: NewStoryHook;
  readonly onStoryWidened?: StoryWidenedHook;
  readonly settings: IngestSettings;
  readonly now: () => number;
  readonly logger: Logger;
  /** Where documents are decoded and parsed (default: the process's reader, feed-reader.ts). */
  readonly reader?: FeedReader;
  /** Place names in titles: near-identical titles naming different places are different stories. */
  readonly gazetteer?: Gazetteer;
  /** Corrections (issue #15): items stored before are compared and revised (revise.ts). */
  readonly revise?: (feed: FeedState, known: readonly KnownItem[]) => Promise<readonly Revised[]>;
  /**
   * Who holds this process's poll leases (poll-many.ts; default: one random id per process),
   * and for how long a lease is taken: renewed while the poll runs (default POLL_LEASE_MS, a minute).
   */
  readonly pollerId?: string;
  readonly leaseMs?: number;
}

export interface StoredItem {
  readonly title: string;
  readonly url: string | null;
  readonly storyId: number | null; // null in a dry run
  readonly newStory: boolean; // false: another source of a known story
  readonly postable: boolean;
  readonly holdReason: string | null;
}

export interface PollReport {
  readonly feedId: string;
  readonly status: 'fetched' | 'not-modified' | 'unchanged' | 'error';
  readonly error: string | null;
  readonly errorKind: string | null;
  readonly itemsInFeed: number;
  readonly items: readonly StoredItem[];
  readonly warnings: readonly string[];
  readonly paused: boolean;
  readonly ms: number;
  /** New items this poll left out (past the per-poll bound, or past the items it reads). */
  readonly itemsDropped: number;
  /** Why the feed is flagged (a flood of items), or null. */
  readonly flagged: string | null;
  /** Transactions the items were stored in. */
  readonly chunks: number;
  /** The response's freshness lifetime (Cache-Control max-age / Expires), when it gave one. */
  readonly maxAgeMs?: number | null;
  /** Stored articles this poll found corrected (their posts are queued for an edit). */
  readonly revised?: readonly Revised[];
}

function holdReason(c: Candidate, index: number, feed: FeedState, s: IngestSettings, now: number, flood: string | null): string | null {
  if (flood) return flood;
  if (!feed.initialized && index >= s.firstPollBacklog) return 'backlog: first poll of a new feed';
  if (s.maxItemAgeMs > 0 && c.publishedAt !== null && now - c.publishedAt > s.maxItemAgeMs) {
    return `too old: published more than ${Math.round(s.maxItemAgeMs / 3_600_000)} h before it was seen`;
  }
  return null;
}

export async function pollFeed(deps: IngestDeps, feed: FeedState, opts: { dryRun?: boolean } = {}): Promise<PollReport> {
  const started = performance.now();
  const now = deps.now();
  const bounds: IngestBounds = { ...INGEST_BOUNDS, ...deps.settings.bounds };
  const base = { feedId: feed.id, itemsInFeed: 0, items: [] as StoredItem[], warnings: [] as string[], error: null, errorKind: null, paused: false, itemsDropped: 0, flagged: null, chunks: 0 };
  try {
    const res = await deps.fetcher.fetch({ url: feed.url, etag: feed.etag, lastModified: feed.lastModified, previousHash: feed.bodyHash, trusted: true });
    // The response's freshness lifetime travels with the report: the poll planner never plans
    // the next look before a cache in front of the feed would have anything new.
    const withAge = { ...base, maxAgeMs: res.maxAgeMs ?? null };
    if (res.kind !== 'fetched') {
      if (!opts.dryRun) {
        await deps.store.feeds.recordSuccess(feed.id, { status: res.kind, now, nextPollAt: nextPollAfterSuccess(feed.intervalMinutes, now), etag: res.etag, lastModified: res.lastModified });
      }
      return { ...withAge, status: res.kind, ms: performance.now() - started };
    }
    // Decoded and cut before anything reads the items (the quick guid scan and the parser both
    // walk every item of what they are given); a large document on a worker thread.
    const reader = deps.reader ?? sharedFeedReader();
    const doc = await reader.prepare(res, bounds);
    // Decoding warnings (a lying charset, replaced bytes) are the feed's own: reported, logged
    // by the poll job, and kept on the feed for `feeds list` (cleared by a clean fetch).
    const decodeWarnings = doc.decodeWarnings;
    const warning = decodeWarnings.length > 0 ? decodeWarnings.join('; ') : null;
    const flagged = doc.items > bounds.floodItems ? `flood: the feed carried ${doc.items} items (a feed normally carries at most ${bounds.floodItems}); its new items are held` : null;
    // Every item known: nothing new to parse for, unless a known item may have been corrected
    // (its XML changed since the last full read: a new build date alone leaves the digest).
    const itemsHash = doc.itemsHash ?? null;
    const itemsSame = !deps.revise || (itemsHash !== null && itemsHash === feed.itemsHash);
    if (!opts.dryRun && itemsSame && (await allKnown(deps.store, feed.id, doc.guids, bounds.chunkMs))) {
      await deps.store.feeds.recordSuccess(feed.id, { status: 'fetched', now, nextPollAt: nextPollAfterSuccess(feed.intervalMinutes, now), etag: res.etag, lastModified: res.lastModified, bodyHash: res.hash, warning });
      const unread = Math.max(0, doc.items - bounds.scanItems);
      if (unread > 0 || flagged) await deps.store.bounds.record(feed.id, { itemsInFeed: doc.items, dropped: unread, flag: flagged, now });
      return { ...withAge, status: 'fetched', itemsInFeed: Math.max(doc.items, doc.guids?.length ?? 0), itemsDropped: unread, flagged, warnings: [...decodeWarnings], ms: performance.now() - started };
    }
    // Stored a part at a time as the worker reads the document, when the order the items are
    // stored in cannot change what is stored or held: every item the document holds fits in
    // this poll (no newest-first cut), a new feed's backlog allowance covers them all, and
    // every item has a guid of its own (no key is narrowed by a sibling in another part).
    // Otherwise the document is read whole first, and its newest items are kept.
    const byParts = !opts.dryRun && doc.guids !== null && doc.items <= Math.min(bounds.scanItems, bounds.itemsPerPoll) && (feed.initialized || doc.items <= deps.settings.firstPollBacklog);
    const ctx: PollContext = { deps, feed, bounds, now, flagged, hold: (c, i) => holdReason(c, i, feed, deps.settings, now, flagged), dryRun: opts.dryRun === true };
    // The body hash advances with the last chunk only: a crash midway re-reads the feed, and
    // the chunks already stored are found by the dedupe.
    const finish = async (r: ReadCounts, stored: number, tx: StorePorts) => {
      // New items left for the next poll: the validators stay as they were, so the next
      // poll reads this document again instead of hearing "unchanged" or 304.
      const validators = r.waiting === 0 ? { etag: res.etag, lastModified: res.lastModified, bodyHash: res.hash } : {};
      await tx.feeds.recordSuccess(feed.id, { status: 'fetched', now, nextPollAt: nextPollAfterSuccess(feed.intervalMinutes, now), ...validators, newItems: stored, warning });
      await tx.bounds.record(feed.id, { itemsInFeed: r.itemsInFeed, dropped: r.itemsDropped, flag: flagged, now });
    };
    const parseOpts = { timeZone: deps.settings.timeZone, now, baseUrl: res.finalUrl };
    const read = await readAndStore(ctx, reader, doc, parseOpts, byParts ? bounds.sliceBytes : Infinity, finish);
    const { itemsInFeed, itemsDropped, waiting, items, chunks, known } = read;
    const counts = { itemsInFeed, itemsDropped, flagged };
    if (opts.dryRun) return { ...withAge, status: 'fetched', ...counts, items, warnings: read.warnings, ms: performance.now() - started };
    const revised = deps.revise && known.length > 0 ? await deps.revise(feed, known) : [];
    // Every item stored or compared: the next changed body with these items needs no parse.
    // (Revisions are bounded per poll: when the bound was reached, the next poll looks again.)
    if (deps.revise && waiting === 0 && revised.length < DEFAULT_REVISIONS_PER_POLL) await deps.store.feeds.setItemsHash(feed.id, itemsHash);
    return { ...withAge, status: 'fetched', ...counts, items, warnings: read.warnings, chunks, revised, ms: performance.now() - started };
  } catch (err) {
    // The database cannot be written: recording the failure would fail too; the caller stops.
    if (isStorageFailure(err)) throw err;
    const fe = err instanceof FeedError ? err : null;
    const message = fe ? fe.message : `unexpected error: ${(err as Error)?.message ?? String(err)}`;
    if (!fe) deps.logger.error({ err, feed: feed.id }, 'poll failed unexpectedly');
    let paused = false;
    if (!opts.dryRun) {
      const failingSince = feed.failingSince ?? now;
      paused = now - failingSince >= deps.settings.pauseAfterMs;
      const delay = paused ? PAUSED_PROBE_MS : Math.max(backoffMs(feed.failureCount + 1, feed.intervalMinutes), fe?.retryAfterMs ?? 0);
      const hours = Math.round(deps.settings.pauseAfterMs / 3_600_000);
      await deps.store.feeds.recordFailure(feed.id, { error: message, now, nextPollAt: now + delay, pauseReason: paused ? `failing for ${hours} h; last error: ${message}` : null });
    }
    return { ...base, status: 'error', error: message, errorKind: fe?.kind ?? 'internal', paused, ms: performance.now() - started };
  }
}

interface PollContext {
  readonly deps: IngestDeps;
  readonly feed: FeedState;
  readonly bounds: IngestBounds;
  readonly now: number;
  readonly flagged: string | null;
  /** Why a candidate at this position among the poll's new items (newest first) is held, or null. */
  readonly hold: (c: Candidate, index: number) => string | null;
  readonly dryRun: boolean;
}

/** What a poll read, known once the document's last part is read. */
interface ReadCounts {
  readonly itemsInFeed: number;
  /** New items left out: past the per-poll bound (`waiting`), or past the items read. */
  readonly itemsDropped: number;
  readonly waiting: number;
}

/**
 * Reads the document a part at a time (one part unless `sliceBytes` cuts it: see byParts)
 * and stores each part's new items, newest first, while the next part is read. `finish`
 * runs inside the last part's last unit of work. Parsed items are let go with their part:
 * only the stored reports and the known items (for corrections) live on.
 */
async function readAndStore(ctx: PollContext, reader: FeedReader, doc: ReadDocument, parseOpts: ParseOptions, sliceBytes: number, finish: (r: ReadCounts, stored: number, tx: StorePorts) => Promise<void>) {
  const { deps, feed, bounds, now } = ctx;
  const known: KnownItem[] = [];
  const seen = new Set<string>();
  const anyStored = await deps.store.articles.feedHasItems(feed.id);
  const matcher = createStoryMatcher(deps.store.articles, now, deps.gazetteer);
  const items: StoredItem[] = [];
  const enrichWarnings: string[] = [];
  let warnings: string[] = [];
  let counts: ReadCounts = { itemsInFeed: 0, itemsDropped: 0, waiting: 0 };
  let read = 0;
  let newItems = 0;
  let kept = 0;
  let chunks = 0;
  await reader.readBatches(doc, parseOpts, bounds, sliceBytes, async (parsed, end) => {
    read += parsed.length;
    // Items arrive cut to the text bounds (boundItem). The dedupe runs in slices, giving the
    // loop back between them (pace.ts).
    const candidates = (await newCandidates(parsed, feed, deps.store, { known, sliceMs: bounds.chunkMs, seen, anyStored })).sort((a, b) => (b.publishedAt ?? now) - (a.publishedAt ?? now));
    newItems += candidates.length;
    // Newest first, so the per-poll bound and a backlog allowance keep the latest items.
    const first = kept;
    candidates.length = Math.min(candidates.length, Math.max(0, bounds.itemsPerPoll - kept));
    kept += candidates.length;
    if (end) {
      const itemsInFeed = Math.max(doc.items, read);
      const unread = itemsInFeed - read;
      counts = { itemsInFeed, waiting: newItems - kept, itemsDropped: unread + newItems - kept };
      warnings = [...doc.decodeWarnings, ...end.warnings];
      if (read === 0) warnings.push('the feed has no items');
      if (unread > 0) warnings.push(`read the first ${read} of ${itemsInFeed} items`);
      if (ctx.flagged) warnings.push(ctx.flagged);
      if (counts.waiting > 0) warnings.push(`stored the newest ${kept} of ${newItems} new items; the rest wait for the next poll`);
    }
    if (candidates.length === 0 && !end) return;
    // The story each item joins (null: a new one), planned before enrichment: only new
    // stories are enriched. Read in slices like the dedupe.
    const plannedAt = await deps.store.changeStamp();
    const planned = await plan(deps.store, candidates, feed.id, matcher, now, bounds.chunkMs);
    const hold = (c: Candidate, i: number) => ctx.hold(c, first + i);
    if (ctx.dryRun) {
      items.push(...candidates.map((c, i) => ({ title: c.title, url: c.link, storyId: planned[i]!, newStory: planned[i] === null, postable: planned[i] === null && hold(c, i) === null, holdReason: hold(c, i) })));
      return;
    }
    const stored = items.length;
    const last = end ? (n: number, tx: StorePorts) => finish(counts, stored + n, tx) : null;
    const part = await storeCandidates({ deps, feed, bounds, now, candidates, planned, matcher, plannedAt, hold, finish: last, warnings: enrichWarnings });
    for (const item of part.items) items.push(item);
    chunks += part.chunks;
  });
  return { ...counts, warnings: [...warnings, ...enrichWarnings], items, chunks, known };
}

/** The story each candidate joins (null: new), read in slices like the dedupe. */
async function plan(store: Pick<Store, 'transaction'>, candidates: readonly Candidate[], feedId: string, matcher: ReturnType<typeof createStoryMatcher>, now: number, sliceMs: number): Promise<Array<number | null>> {
  const planned: Array<number | null> = [];
  await inSlices(store, candidates.length, sliceMs, async (i, tx) => void planned.push(await matcher.match(storyKey(feedId, candidates[i]!, now), tx.articles)));
  return planned;
}

/**
 * True when a quick scan finds only stored guids, so the full parse has nothing to add. A
 * guid the document repeats may stand for different items (keys narrowed by link or title),
 * which only the full parse can tell apart.
 */
async function allKnown(store: Pick<Store, 'transaction'>, feedId: string, guids: readonly string[] | null, sliceMs: number): Promise<boolean> {
  if (guids === null || guids.length === 0 || new Set(guids).size !== guids.length) return false;
  return inSlices(store, guids.length, sliceMs, (i, tx) => tx.articles.hasItem(feedId, itemKey({ guid: guids[i]!, canonicalUrl: null, title: '', dateRaw: null })));
}
