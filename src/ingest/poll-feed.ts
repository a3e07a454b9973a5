// One feed, one poll: fetch → parse → identify → dedupe → enrich → store (one transaction).
import type { FeedItem } from '../domain/types.js';
import { FeedError } from '../feeds/errors.js';
import type { Fetcher } from '../feeds/fetch.js';
import { parseFeed } from '../feeds/parse.js';
import { quickGuids } from '../feeds/quick-keys.js';
import { canonicalUrl } from '../feeds/url.js';
import type { Logger } from '../shared/logger.js';
import type { ArticlesRepo } from '../store/articles-repo.js';
import type { Db } from '../store/database.js';
import { isStorageFailure } from '../store/errors.js';
import type { FeedState, FeedsRepo } from '../store/feeds-repo.js';
import { detectScript } from '../text/script.js';
import { itemKey, titleKey } from './identity.js';
import type { ArticleIndexer, Enricher, Enrichment, NewStoryHook } from './ports.js';
import { PAUSED_PROBE_MS, backoffMs, nextPollAfterSuccess } from './schedule.js';
import { createStoryMatcher } from './story-matcher.js';

export interface IngestSettings {
  readonly timeZone: string;
  readonly maxItemAgeMs: number; // 0: no limit
  readonly firstPollBacklog: number; // items of a new feed's first poll that may be posted
  readonly pauseAfterMs: number;
}

export interface IngestDeps {
  readonly db: Db;
  readonly feeds: FeedsRepo;
  readonly articles: ArticlesRepo;
  readonly fetcher: Fetcher;
  readonly enricher: Enricher;
  readonly indexer?: ArticleIndexer;
  readonly onNewStory?: NewStoryHook;
  readonly settings: IngestSettings;
  readonly now: () => number;
  readonly logger: Logger;
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
}

type Candidate = FeedItem & { canonicalUrl: string | null; itemKey: string; titleKey: string };

/** Items not stored before, in feed order, each once even if the feed repeats a guid. */
export function newCandidates(items: readonly FeedItem[], feed: FeedState, articles: ArticlesRepo): Candidate[] {
  const seen = new Set<string>();
  const out: Candidate[] = [];
  for (const item of items) {
    const canonical = item.link ? canonicalUrl(item.link, feed.url) : null;
    const key = itemKey({ guid: item.guid, canonicalUrl: canonical, title: item.title, dateRaw: item.dateRaw });
    if (seen.has(key)) continue;
    seen.add(key);
    if (articles.hasItem(feed.id, key)) continue;
    out.push({ ...item, canonicalUrl: canonical, itemKey: key, titleKey: titleKey(item.title) });
  }
  return out;
}

function holdReason(c: Candidate, index: number, feed: FeedState, s: IngestSettings, now: number): string | null {
  if (!feed.initialized && index >= s.firstPollBacklog) return 'backlog: first poll of a new feed';
  if (s.maxItemAgeMs > 0 && c.publishedAt !== null && now - c.publishedAt > s.maxItemAgeMs) {
    return `too old: published more than ${Math.round(s.maxItemAgeMs / 3_600_000)} h before it was seen`;
  }
  return null;
}

export async function pollFeed(deps: IngestDeps, feed: FeedState, opts: { dryRun?: boolean } = {}): Promise<PollReport> {
  const started = performance.now();
  const now = deps.now();
  const base = { feedId: feed.id, itemsInFeed: 0, items: [] as StoredItem[], warnings: [] as string[], error: null, errorKind: null, paused: false };
  try {
    const res = await deps.fetcher.fetch({ url: feed.url, etag: feed.etag, lastModified: feed.lastModified, previousHash: feed.bodyHash, trusted: true });
    if (res.kind !== 'fetched') {
      if (!opts.dryRun) {
        deps.feeds.recordSuccess(feed.id, { status: res.kind, now, nextPollAt: nextPollAfterSuccess(feed.intervalMinutes, now), etag: res.etag, lastModified: res.lastModified });
      }
      return { ...base, status: res.kind, ms: performance.now() - started };
    }
    if (!opts.dryRun && allKnown(deps.articles, feed.id, res.text)) {
      deps.feeds.recordSuccess(feed.id, { status: 'fetched', now, nextPollAt: nextPollAfterSuccess(feed.intervalMinutes, now), etag: res.etag, lastModified: res.lastModified, bodyHash: res.hash });
      return { ...base, status: 'fetched', itemsInFeed: quickGuids(res.text)?.length ?? 0, ms: performance.now() - started };
    }
    const parsed = await parseFeed(res.text, { timeZone: deps.settings.timeZone, now, baseUrl: res.finalUrl });
    const warnings = [...parsed.warnings];
    if (parsed.items.length === 0) warnings.push('the feed has no items');
    // Newest first, so a backlog allowance keeps the latest items.
    const candidates = newCandidates(parsed.items, feed, deps.articles).sort((a, b) => (b.publishedAt ?? now) - (a.publishedAt ?? now));

    const matcher = createStoryMatcher(deps.articles, now);
    const planned = candidates.map((c, i) => ({ c, hold: holdReason(c, i, feed, deps.settings, now), known: matcher.match(storyKey(feed.id, c, now)) }));
    if (opts.dryRun) {
      const items = planned.map(({ c, hold, known }) => ({ title: c.title, url: c.link, storyId: known, newStory: known === null, postable: known === null && hold === null, holdReason: hold }));
      return { ...base, status: 'fetched', itemsInFeed: parsed.items.length, items, warnings, ms: performance.now() - started };
    }

    // Network work happens before the transaction; only stories that look new are enriched.
    const enriched = new Map<Candidate, Enrichment>();
    for (const p of planned) {
      if (p.known !== null) continue;
      const e = await deps.enricher.enrich(p.c, feed);
      enriched.set(p.c, e);
      warnings.push(...e.warnings);
    }

    const items: StoredItem[] = [];
    deps.db.transaction(() => {
      // Matched again inside the transaction: another feed may have stored the story meanwhile.
      const txMatcher = createStoryMatcher(deps.articles, now);
      for (const { c, hold } of planned) {
        const key = storyKey(feed.id, c, now);
        let storyId = txMatcher.match(key);
        const e = enriched.get(c);
        const newStory = storyId === null;
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
          body: e?.body ?? null,
          author: e?.author ?? c.author,
          sourceOutlet: e?.sourceOutlet ?? null,
          breadcrumb: e?.breadcrumb ?? [],
          publishedAt: c.publishedAt ?? e?.publishedAt ?? null,
          firstSeenAt: now,
          script: detectScript(`${c.title}\n${c.text.slice(0, 500)}`),
          summary: e?.summary ?? null,
        });
        // The same text search snippets are cut from: the stored body, else the item's text.
        deps.indexer?.indexArticle({ id: articleId, title: c.title, body: e?.body ?? c.text });
        if (newStory) deps.onNewStory?.(storyId, { postable: hold === null, feedId: feed.id });
        items.push({ title: c.title, url: c.link, storyId, newStory, postable: newStory && hold === null, holdReason: newStory ? hold : 'another source of a known story' });
      }
      // The body hash advances only together with the items it produced.
      deps.feeds.recordSuccess(feed.id, { status: 'fetched', now, nextPollAt: nextPollAfterSuccess(feed.intervalMinutes, now), etag: res.etag, lastModified: res.lastModified, bodyHash: res.hash, newItems: items.length });
    })();
    return { ...base, status: 'fetched', itemsInFeed: parsed.items.length, items, warnings, ms: performance.now() - started };
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

function storyKey(feedId: string, c: Candidate, now: number) {
  return { feedId, titleKey: c.titleKey, canonicalUrl: c.canonicalUrl, time: c.publishedAt ?? now };
}

/** True when a quick scan finds only stored guids, so the full parse has nothing to add. */
function allKnown(articles: ArticlesRepo, feedId: string, xml: string): boolean {
  const guids = quickGuids(xml);
  return guids !== null && guids.length > 0 && guids.every((guid) => articles.hasItem(feedId, itemKey({ guid, canonicalUrl: null, title: '', dateRaw: null })));
}
