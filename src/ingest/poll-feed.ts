// One feed, one poll: fetch → bound → parse → identify → dedupe → enrich → store. What a
// poll may cost is bounded (bounds.ts): the document is cut before parsing, the newest
// items are kept, text is cut, and storing runs in chunks that give the loop back.
import type { FeedItem } from '../domain/types.js';
import { FeedError } from '../feeds/errors.js';
import type { Fetcher } from '../feeds/fetch.js';
import { canonicalUrl } from '../feeds/url.js';
import type { Logger } from '../shared/logger.js';
import { isStorageFailure } from '../store/errors.js';
import type { ArticlesPort, FeedState, Store, StorePorts } from '../store/ports.js';
import type { Gazetteer } from '../text/gazetteer.js';
import { INGEST_BOUNDS, type IngestBounds } from './bounds.js';
import { sharedFeedReader, type FeedReader, type ReadDocument } from './feed-reader.js';
import { itemKey, narrowedKeys, titleKey, type IdentityInput } from './identity.js';
import { inSlices, pacer } from './pace.js';
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

/** What the dedupe reads. */
export type DedupePorts = Pick<ArticlesPort, 'feedHasItems' | 'hasItem' | 'storedUnder'>;

/**
 * Items not stored before, in feed order, each once even if the feed repeats an item. Items
 * that share a guid (or link) while being different items get narrowed keys (itemKeys).
 * Stored items are collected in `known` (corrections). The look-ups run in slices of
 * `sliceMs` that give the loop back (pace.ts; default: one slice).
 */
export async function newCandidates(items: readonly FeedItem[], feed: FeedState, store: Pick<Store, 'articles' | 'transaction'>, opts: { known?: KnownItem[]; sliceMs?: number } = {}): Promise<Candidate[]> {
  const { known } = opts;
  const sliceMs = opts.sliceMs ?? Infinity;
  const pace = pacer(sliceMs);
  // A feed that has stored nothing yet (a new feed; a flood's first poll) has nothing to look
  // up item by item: every key is new (within the document, `seen` still dedupes).
  const anyStored = await store.articles.feedHasItems(feed.id);
  const inputs: IdentityInput[] = [];
  for (const item of items) {
    inputs.push({ guid: item.guid, canonicalUrl: item.link ? canonicalUrl(item.link, feed.url) : null, title: item.title, dateRaw: item.dateRaw, text: item.text });
    const p = pace();
    if (p) await p;
  }
  const legacy = inputs.map(itemKey);
  const keys = narrowedKeys(inputs, legacy);
  const seen = new Set<string>();
  const out: Candidate[] = [];
  const visit = async (i: number, articles: DedupePorts | null): Promise<void> => {
    const item = items[i]!;
    const key = keys[i]!;
    if (seen.has(key)) return;
    seen.add(key);
    const link = inputs[i]!.canonicalUrl;
    if (articles) {
      if (await articles.hasItem(feed.id, key)) {
        known?.push({ item: { ...item, canonicalUrl: link }, itemKey: key });
        return;
      }
      if (key !== legacy[i] && (await storedBeforeNarrowing(articles, feed.id, inputs, legacy, i))) return;
    }
    // Built field by field: a spread copies a parsed item slowly (items that crossed from the
    // reader's worker arrive as dictionary-mode objects).
    const c: Candidate = { guid: item.guid, link: item.link, title: item.title, html: item.html, text: item.text, author: item.author, publishedAt: item.publishedAt, dateRaw: item.dateRaw, canonicalUrl: link, itemKey: key, titleKey: titleKey(item.title) };
    out.push(item.media ? { ...c, media: item.media } : c);
  };
  if (anyStored) await inSlices(store, items.length, sliceMs, (i, tx) => visit(i, tx.articles));
  else {
    for (let i = 0; i < items.length; i++) {
      await visit(i, null);
      const p = pace();
      if (p) await p;
    }
  }
  return out;
}

/**
 * A narrowed key depends on the document: an item stored alone under its plain key gets a
 * narrowed one once a sibling with the same guid (or link) appears. It is the stored item
 * when the stored one agrees on what told the siblings apart (the link, else the title,
 * else the text), so it is not stored and posted again.
 */
async function storedBeforeNarrowing(articles: DedupePorts, feedId: string, inputs: readonly IdentityInput[], legacy: readonly string[], i: number): Promise<boolean> {
  const stored = await articles.storedUnder(feedId, legacy[i]!);
  if (stored.length === 0) return false;
  const group = inputs.filter((_, j) => legacy[j] === legacy[i]);
  const me = inputs[i]!;
  const text = (t: string | undefined) => (t ?? '').replace(/\s+/g, ' ').trim();
  if (legacy[i]!.startsWith('g') && new Set(group.map((g) => g.canonicalUrl ?? '')).size > 1) return stored.some((s) => (s.canonicalUrl ?? '') === (me.canonicalUrl ?? ''));
  if (!legacy[i]!.startsWith('t')) return stored.some((s) => titleKey(s.title) === titleKey(me.title));
  return stored.some((s) => text(s.text) === text(me.text));
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
    const { itemsInFeed, unread, warnings, candidates, known } = await readNewItems(deps, feed, reader, doc, res.finalUrl, bounds, now);
    if (flagged) warnings.push(flagged);
    // Newest first, so the per-poll bound and a backlog allowance keep the latest items.
    const newItems = candidates.length;
    const waiting = Math.max(0, newItems - Math.max(0, bounds.itemsPerPoll));
    candidates.length = newItems - waiting;
    const itemsDropped = unread + waiting;
    if (waiting > 0) warnings.push(`stored the newest ${candidates.length} of ${newItems} new items; the rest wait for the next poll`);

    // The story each item joins (null: a new one), planned before enrichment: only new
    // stories are enriched. Read in slices like the dedupe.
    const matcher = createStoryMatcher(deps.store.articles, now, deps.gazetteer);
    const plannedAt = await deps.store.changeStamp();
    const planned = await plan(deps.store, candidates, feed.id, matcher, now, bounds.chunkMs);
    const hold = (c: Candidate, i: number) => holdReason(c, i, feed, deps.settings, now, flagged);
    const counts = { itemsInFeed, itemsDropped, flagged };
    if (opts.dryRun) {
      const items = candidates.map((c, i) => ({ title: c.title, url: c.link, storyId: planned[i]!, newStory: planned[i] === null, postable: planned[i] === null && hold(c, i) === null, holdReason: hold(c, i) }));
      return { ...withAge, status: 'fetched', ...counts, items, warnings, ms: performance.now() - started };
    }
    // The body hash advances with the last chunk only: a crash midway re-reads the feed, and
    // the chunks already stored are found by the dedupe.
    const finish = async (stored: number, tx: StorePorts) => {
      // New items left for the next poll: the validators stay as they were, so the next
      // poll reads this document again instead of hearing "unchanged" or 304.
      const validators = waiting === 0 ? { etag: res.etag, lastModified: res.lastModified, bodyHash: res.hash } : {};
      await tx.feeds.recordSuccess(feed.id, { status: 'fetched', now, nextPollAt: nextPollAfterSuccess(feed.intervalMinutes, now), ...validators, newItems: stored, warning });
      await tx.bounds.record(feed.id, { itemsInFeed, dropped: itemsDropped, flag: flagged, now });
    };
    const { items, chunks } = await storeCandidates({ deps, feed, bounds, now, candidates, planned, matcher, plannedAt, hold, finish, warnings });
    const revised = deps.revise && known.length > 0 ? await deps.revise(feed, known) : [];
    // Every item stored or compared: the next changed body with these items needs no parse.
    // (Revisions are bounded per poll: when the bound was reached, the next poll looks again.)
    if (deps.revise && waiting === 0 && revised.length < DEFAULT_REVISIONS_PER_POLL) await deps.store.feeds.setItemsHash(feed.id, itemsHash);
    return { ...withAge, status: 'fetched', ...counts, items, warnings, chunks, revised, ms: performance.now() - started };
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

/**
 * Parses the document and keeps the items not stored before, newest first. The parsed items
 * are let go on return: only the candidates (and the known items, for corrections) live on.
 */
async function readNewItems(deps: IngestDeps, feed: FeedState, reader: FeedReader, doc: ReadDocument, baseUrl: string, bounds: IngestBounds, now: number) {
  // Items arrive cut to the text bounds (boundItem).
  const parsed = await reader.parse(doc, { timeZone: deps.settings.timeZone, now, baseUrl }, bounds);
  const itemsInFeed = Math.max(doc.items, parsed.items.length);
  const unread = itemsInFeed - parsed.items.length;
  const warnings = [...doc.decodeWarnings, ...parsed.warnings];
  if (parsed.items.length === 0) warnings.push('the feed has no items');
  if (unread > 0) warnings.push(`read the first ${parsed.items.length} of ${itemsInFeed} items`);
  // The dedupe of up to scanItems items runs in slices, giving the loop back between them (pace.ts).
  const known: KnownItem[] = [];
  const candidates = (await newCandidates(parsed.items, feed, deps.store, { known, sliceMs: bounds.chunkMs })).sort((a, b) => (b.publishedAt ?? now) - (a.publishedAt ?? now));
  return { itemsInFeed, unread, warnings, candidates, known };
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
