// One feed, one poll: fetch → bound → parse → identify → dedupe → enrich → store. What a
// poll may cost is bounded (bounds.ts): the document is cut before parsing, the newest
// items are kept, text is cut, and storing runs in chunks that give the loop back.
import type { FeedItem } from '../domain/types.js';
import { FeedError } from '../feeds/errors.js';
import type { Fetcher } from '../feeds/fetch.js';
import { canonicalUrl } from '../feeds/url.js';
import type { Logger } from '../shared/logger.js';
import type { ArticlesRepo } from '../store/articles-repo.js';
import { createFeedBoundsRepo, type FeedBoundsRepo } from '../store/feed-bounds-repo.js';
import { createStoryAudienceRepo, type StoryAudienceRepo } from '../store/story-audience.js';
import type { Db } from '../store/database.js';
import { isStorageFailure } from '../store/errors.js';
import type { FeedState, FeedsRepo } from '../store/feeds-repo.js';
import type { Gazetteer } from '../text/gazetteer.js';
import { detectScript } from '../text/script.js';
import { cutUtf8, INGEST_BOUNDS, type IngestBounds } from './bounds.js';
import { sharedFeedReader, type FeedReader } from './feed-reader.js';
import { itemKey, itemKeys, titleKey, type IdentityInput } from './identity.js';
import { drain, drainPaced, pacer } from './pace.js';
import type { ArticleIndexer, Enricher, Enrichment, NewStoryHook, StoryWidenedHook } from './ports.js';
import { DEFAULT_REVISIONS_PER_POLL, type KnownItem, type Revised } from './revise.js';
import { PAUSED_PROBE_MS, backoffMs, nextPollAfterSuccess } from './schedule.js';
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
  readonly db: Db;
  readonly feeds: FeedsRepo;
  readonly articles: ArticlesRepo;
  readonly fetcher: Fetcher;
  readonly enricher: Enricher;
  readonly indexer?: ArticleIndexer;
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

type Candidate = FeedItem & { canonicalUrl: string | null; itemKey: string; titleKey: string };

/**
 * Items not stored before, in feed order, each once even if the feed repeats an item. Items
 * that share a guid (or link) while being different items get narrowed keys (itemKeys).
 */
export function newCandidates(items: readonly FeedItem[], feed: FeedState, articles: ArticlesRepo): Candidate[] {
  return drain(candidateSteps(items, feed, articles));
}

/** newCandidates one item at a time (a step per item), so a poll can run it in slices (pace.ts). */
function* candidateSteps(items: readonly FeedItem[], feed: FeedState, articles: ArticlesRepo, known?: KnownItem[]): Generator<void, Candidate[]> {
  const canonical: Array<string | null> = [];
  for (const item of items) {
    canonical.push(item.link ? canonicalUrl(item.link, feed.url) : null);
    yield;
  }
  const inputs = items.map((item, i) => ({ guid: item.guid, canonicalUrl: canonical[i]!, title: item.title, dateRaw: item.dateRaw, text: item.text }));
  const keys = itemKeys(inputs);
  const legacy = inputs.map(itemKey);
  const seen = new Set<string>();
  const out: Candidate[] = [];
  for (const [i, item] of items.entries()) {
    yield;
    const key = keys[i]!;
    if (seen.has(key)) continue;
    seen.add(key);
    if (articles.hasItem(feed.id, key)) {
      known?.push({ item: { ...item, canonicalUrl: canonical[i]! }, itemKey: key });
      continue;
    }
    if (key !== legacy[i] && storedBeforeNarrowing(articles, feed.id, inputs, legacy, i)) continue;
    out.push({ ...item, canonicalUrl: canonical[i]!, itemKey: key, titleKey: titleKey(item.title) });
  }
  return out;
}

/**
 * A narrowed key depends on the document: an item stored alone under its plain key gets a
 * narrowed one once a sibling with the same guid (or link) appears. It is the stored item
 * when the stored one agrees on what told the siblings apart (the link, else the title,
 * else the text), so it is not stored and posted again.
 */
function storedBeforeNarrowing(articles: ArticlesRepo, feedId: string, inputs: readonly IdentityInput[], legacy: readonly string[], i: number): boolean {
  const stored = articles.storedUnder(feedId, legacy[i]!);
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
        deps.feeds.recordSuccess(feed.id, { status: res.kind, now, nextPollAt: nextPollAfterSuccess(feed.intervalMinutes, now), etag: res.etag, lastModified: res.lastModified });
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
    if (!opts.dryRun && itemsSame && (await drainPaced(deps.db, allKnown(deps.articles, feed.id, doc.guids), bounds.chunkMs))) {
      deps.feeds.recordSuccess(feed.id, { status: 'fetched', now, nextPollAt: nextPollAfterSuccess(feed.intervalMinutes, now), etag: res.etag, lastModified: res.lastModified, bodyHash: res.hash, warning });
      const unread = Math.max(0, doc.items - bounds.scanItems);
      if (unread > 0 || flagged) boundsRepo(deps.db).record(feed.id, { itemsInFeed: doc.items, dropped: unread, flag: flagged, now });
      return { ...withAge, status: 'fetched', itemsInFeed: Math.max(doc.items, doc.guids?.length ?? 0), itemsDropped: unread, flagged, warnings: [...decodeWarnings], ms: performance.now() - started };
    }
    // Items arrive cut to the text bounds (boundItem).
    const parsed = await reader.parse(doc, { timeZone: deps.settings.timeZone, now, baseUrl: res.finalUrl }, bounds);
    const itemsInFeed = Math.max(doc.items, parsed.items.length);
    const unread = itemsInFeed - parsed.items.length;
    const warnings = [...decodeWarnings, ...parsed.warnings];
    if (parsed.items.length === 0) warnings.push('the feed has no items');
    if (unread > 0) warnings.push(`read the first ${parsed.items.length} of ${itemsInFeed} items`);
    if (flagged) warnings.push(flagged);
    // Newest first, so the per-poll bound and a backlog allowance keep the latest items.
    // The dedupe and match reads below run inside read transactions: outside one, every
    // lookup opens and closes its own (about 5 µs, ten times the lookup itself). The dedupe
    // of up to scanItems items runs in slices, one transaction each, giving the loop back
    // between them (pace.ts).
    const known: KnownItem[] = [];
    const fresh = (await drainPaced(deps.db, candidateSteps(parsed.items, feed, deps.articles, known), bounds.chunkMs)).sort((a, b) => (b.publishedAt ?? now) - (a.publishedAt ?? now));
    const candidates = fresh.slice(0, Math.max(0, bounds.itemsPerPoll));
    const waiting = fresh.length - candidates.length;
    const itemsDropped = unread + waiting;
    if (waiting > 0) warnings.push(`stored the newest ${candidates.length} of ${fresh.length} new items; the rest wait for the next poll`);

    const matcher = createStoryMatcher(deps.articles, now, deps.gazetteer);
    const planned = deps.db.transaction(() => candidates.map((c, i) => ({ c, hold: holdReason(c, i, feed, deps.settings, now, flagged), known: matcher.match(storyKey(feed.id, c, now)) })))();
    const counts = { itemsInFeed, itemsDropped, flagged };
    if (opts.dryRun) {
      const items = planned.map(({ c, hold, known }) => ({ title: c.title, url: c.link, storyId: known, newStory: known === null, postable: known === null && hold === null, holdReason: hold }));
      return { ...withAge, status: 'fetched', ...counts, items, warnings, ms: performance.now() - started };
    }

    // Network work happens before the transaction; only stories that look new are enriched.
    const enriched = new Map<Candidate, Enrichment>();
    const pace = pacer(bounds.chunkMs);
    for (const p of planned) {
      if (p.known !== null) continue;
      await pace();
      const e = await deps.enricher.enrich(p.c, feed);
      enriched.set(p.c, e);
      warnings.push(...e.warnings);
    }

    const items: StoredItem[] = [];
    let next = 0;
    let chunks = 0;
    // Matched again at store time: another feed may have stored the story during the awaits
    // above. Exact and link matches read the database on every item; only the fuzzy pass's
    // list of recent stories is read once for all chunks (reading it per chunk cost more than
    // storing the chunk).
    const ctx: StoreContext = { deps, feed, bounds, enriched, matcher: createStoryMatcher(deps.articles, now, deps.gazetteer), now };
    // One transaction per chunk, so the loop is given back between them (gateway heartbeats,
    // interactions); each story's article and routing stay atomic inside its chunk. The body
    // hash advances with the last chunk only: a crash midway re-reads the feed, and the
    // chunks already stored are found by the dedupe.
    do {
      if (chunks > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      deps.db.transaction(() => {
        const chunkStart = performance.now();
        for (let n = 0; next < planned.length; ) {
          items.push(storeOne(ctx, planned[next++]!));
          if (++n >= bounds.chunkItems || performance.now() - chunkStart >= bounds.chunkMs) break;
        }
        if (next >= planned.length) {
          // New items left for the next poll: the validators stay as they were, so the next
          // poll reads this document again instead of hearing "unchanged" or 304.
          const done = waiting === 0;
          const validators = done ? { etag: res.etag, lastModified: res.lastModified, bodyHash: res.hash } : {};
          deps.feeds.recordSuccess(feed.id, { status: 'fetched', now, nextPollAt: nextPollAfterSuccess(feed.intervalMinutes, now), ...validators, newItems: items.length, warning });
          boundsRepo(deps.db).record(feed.id, { itemsInFeed, dropped: itemsDropped, flag: flagged, now });
        }
      })();
      chunks++;
    } while (next < planned.length);
    const revised = deps.revise && known.length > 0 ? await deps.revise(feed, known) : [];
    // Every item stored or compared: the next changed body with these items needs no parse.
    // (Revisions are bounded per poll: when the bound was reached, the next poll looks again.)
    if (deps.revise && waiting === 0 && revised.length < DEFAULT_REVISIONS_PER_POLL) deps.feeds.setItemsHash(feed.id, itemsHash);
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
      deps.feeds.recordFailure(feed.id, { error: message, now, nextPollAt: now + delay, pauseReason: paused ? `failing for ${hours} h; last error: ${message}` : null });
    }
    return { ...base, status: 'error', error: message, errorKind: fe?.kind ?? 'internal', paused, ms: performance.now() - started };
  }
}

type Planned = { c: Candidate; hold: string | null };

/** Stores one planned item (its story if new, the article, the index rows, the routing). */
interface StoreContext {
  readonly deps: IngestDeps;
  readonly feed: FeedState;
  readonly bounds: IngestBounds;
  readonly enriched: Map<Candidate, Enrichment>;
  readonly matcher: ReturnType<typeof createStoryMatcher>;
  readonly now: number;
}

function storeOne({ deps, feed, bounds, enriched, matcher: txMatcher, now }: StoreContext, { c, hold }: Planned): StoredItem {
  const key = storyKey(feed.id, c, now);
  let storyId = txMatcher.match(key);
  const e = enriched.get(c);
  const body = e?.body ? cutUtf8(e.body, bounds.textBytes) : null;
  const newStory = storyId === null;
  // Asked before the article is stored: whether this feed lets a known story reach more servers.
  const widened = !newStory && deps.onStoryWidened !== undefined && audienceRepo(deps.db).widens(storyId!, feed.id);
  if (storyId === null) {
    storyId = deps.articles.insertStory({ titleKey: c.titleKey, publishedAt: e?.publishedAt ?? c.publishedAt, firstSeenAt: now, postable: hold === null, holdReason: hold });
    txMatcher.remember({ id: storyId, feedId: feed.id, titleKey: c.titleKey, publishedAt: c.publishedAt, firstSeenAt: now });
    if (e) deps.articles.addRegions(storyId, e.regions);
  }
  const articleId = deps.articles.insertArticle({
    feedId: feed.id,
    storyId,
    itemKey: c.itemKey,
    guid: c.guid,
    url: c.link,
    canonicalUrl: c.canonicalUrl,
    title: c.title,
    html: c.html,
    text: c.text,
    body,
    author: e?.author ? cutUtf8(e.author, bounds.titleBytes) : c.author,
    sourceOutlet: e?.sourceOutlet ?? null,
    breadcrumb: e?.breadcrumb ?? [],
    publishedAt: c.publishedAt ?? e?.publishedAt ?? null,
    firstSeenAt: now,
    script: detectScript(`${c.title}\n${c.text.slice(0, 500)}`),
    summary: e?.summary ? cutUtf8(e.summary, bounds.summaryBytes) : null,
    imageUrl: e?.image ?? null,
  });
  // The same text search snippets are cut from: the stored body, else the item's text.
  deps.indexer?.indexArticle({ id: articleId, title: c.title, body: body ?? c.text });
  if (newStory) deps.onNewStory?.(storyId, { postable: hold === null, feedId: feed.id });
  else if (widened) deps.onStoryWidened?.(storyId, { feedId: feed.id });
  return { title: c.title, url: c.link, storyId, newStory, postable: newStory && hold === null, holdReason: newStory ? hold : 'another source of a known story' };
}

const audienceRepos = new WeakMap<IngestDeps['db'], StoryAudienceRepo>();
function audienceRepo(db: IngestDeps['db']): StoryAudienceRepo {
  let repo = audienceRepos.get(db);
  if (!repo) audienceRepos.set(db, (repo = createStoryAudienceRepo(db)));
  return repo;
}

const boundsRepos = new WeakMap<IngestDeps['db'], FeedBoundsRepo>();
function boundsRepo(db: IngestDeps['db']): FeedBoundsRepo {
  let repo = boundsRepos.get(db);
  if (!repo) boundsRepos.set(db, (repo = createFeedBoundsRepo(db)));
  return repo;
}

function storyKey(feedId: string, c: Candidate, now: number) {
  return { feedId, titleKey: c.titleKey, canonicalUrl: c.canonicalUrl, time: c.publishedAt ?? now };
}

/**
 * True when a quick scan finds only stored guids, so the full parse has nothing to add. A
 * guid the document repeats may stand for different items (keys narrowed by link or title),
 * which only the full parse can tell apart.
 */
function* allKnown(articles: ArticlesRepo, feedId: string, guids: readonly string[] | null): Generator<void, boolean> {
  if (guids === null || guids.length === 0 || new Set(guids).size !== guids.length) return false;
  for (const guid of guids) {
    if (!articles.hasItem(feedId, itemKey({ guid, canonicalUrl: null, title: '', dateRaw: null }))) return false;
    yield;
  }
  return true;
}
