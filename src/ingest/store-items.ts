// Storing a poll's new items: enrichment (network work, outside any transaction), then the
// stories, articles, regions and index rows in chunks, one transaction each, giving the loop
// back between them (gateway heartbeats, interactions). Items are enriched and stored a block
// at a time, so a poll of many items keeps one block's enrichments alive, not all of them.
import type { FeedItem } from '../domain/types.js';
import type { FeedState, StorePorts } from '../store/ports.js';
import { detectScript } from '../text/script.js';
import { cutUtf8, type IngestBounds } from './bounds.js';
import { pacer } from './pace.js';
import type { Enrichment } from './ports.js';
import type { IngestDeps, StoredItem } from './poll-feed.js';
import type { createStoryMatcher } from './story-matcher.js';

export type Candidate = FeedItem & { canonicalUrl: string | null; itemKey: string; titleKey: string };
type Matcher = ReturnType<typeof createStoryMatcher>;

export const storyKey = (feedId: string, c: Candidate, now: number) => ({ feedId, titleKey: c.titleKey, canonicalUrl: c.canonicalUrl, time: c.publishedAt ?? now });

export interface StoreInput {
  readonly deps: IngestDeps;
  readonly feed: FeedState;
  readonly bounds: IngestBounds;
  readonly now: number;
  /** Candidates in storing order; each entry is let go once stored. */
  readonly candidates: Array<Candidate | undefined>;
  /** The story each candidate matched when the poll planned (null: a new story, enriched). */
  readonly planned: ReadonlyArray<number | null>;
  /** The matcher that planned (its fuzzy list of recent stories is reused). */
  readonly matcher: Matcher;
  /**
   * The store's change stamp before planning (store.changeStamp): unchanged since, the plan
   * holds (see storeOne); null (the store cannot tell) means every item is matched again.
   */
  readonly plannedAt: string | null;
  readonly hold: (c: Candidate, index: number) => string | null;
  /** Runs inside the last chunk's unit of work (the feed's success, its bounds record); null: another part follows. */
  readonly finish: ((stored: number, tx: StorePorts) => Promise<void>) | null;
  readonly warnings: string[];
}

/** What the chunks share: whether the plan still holds, and what this poll wrote that could change a match. */
interface StoreState {
  stale: boolean; // something else wrote since planning: every item is matched again
  readonly titleKeys: Set<string>; // title keys of the stories this poll created
  readonly urls: Set<string>; // canonical links of the articles this poll stored
}

export async function storeCandidates(input: StoreInput): Promise<{ items: StoredItem[]; chunks: number }> {
  const { deps, candidates, bounds } = input;
  const { store } = deps;
  const items: StoredItem[] = [];
  const state: StoreState = { stale: false, titleKeys: new Set(), urls: new Set() };
  let last = input.plannedAt;
  let chunks = 0;
  const block = Math.max(1, bounds.chunkItems);
  const pace = pacer(bounds.chunkMs);
  let next = 0;
  do {
    // Network work happens before the unit of work; only stories that looked new are enriched.
    const end = Math.min(candidates.length, next + block);
    const enriched: Array<Enrichment | undefined> = [];
    for (let i = next; i < end; i++) {
      if (input.planned[i] !== null) continue;
      await pace();
      const e = await deps.enricher.enrich(candidates[i]!, input.feed);
      enriched[i - next] = e;
      input.warnings.push(...e.warnings);
    }
    const blockStart = next;
    do {
      if (chunks > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      await store.transaction(async (tx) => {
        // Asked inside the unit of work: nothing else writes between this look and the chunk.
        if (!state.stale) {
          const stamp = await store.changeStamp();
          if (stamp === null || stamp !== last) state.stale = true;
        }
        const chunkStart = performance.now();
        for (let n = 0; next < end; ) {
          const i = next++;
          items.push(await storeOne(input, state, tx, i, enriched[i - blockStart]));
          candidates[i] = undefined;
          if (++n >= bounds.chunkItems || performance.now() - chunkStart >= bounds.chunkMs) break;
        }
        if (next >= candidates.length) await input.finish?.(items.length, tx);
      });
      // Read after the commit: the full-text tables write their pending rows at commit. (A
      // write queued behind this unit of work may land first and go unseen; a whole storing
      // unit of work cannot, as it takes more turns than this look.)
      if (!state.stale) last = await store.changeStamp();
      chunks++;
    } while (next < end);
  } while (next < candidates.length);
  return { items, chunks };
}

/** Stores one item through the unit of work's ports (its story if new, the article, the index rows, the routing). */
async function storeOne(input: StoreInput, state: StoreState, tx: StorePorts, i: number, e: Enrichment | undefined): Promise<StoredItem> {
  const { deps, feed, bounds, now, matcher } = input;
  const c = input.candidates[i]!;
  const hold = input.hold(c, i);
  // Matched at store time only when the plan may have gone out of date: something else wrote
  // since (another feed may have stored the story during the awaits), or this poll stored a
  // story under the same title key or an article under the same link (the look-ups that
  // would find them). Otherwise the look-ups would read what the plan read.
  const rematch = state.stale || state.titleKeys.has(c.titleKey) || (c.canonicalUrl !== null && state.urls.has(c.canonicalUrl));
  let storyId = rematch ? await matcher.match(storyKey(feed.id, c, now), tx.articles) : input.planned[i]!;
  const body = e?.body ? cutUtf8(e.body, bounds.textBytes) : null;
  const newStory = storyId === null;
  // Asked before the article is stored: whether this feed lets a known story reach more servers.
  const widened = !newStory && deps.onStoryWidened !== undefined && (await tx.audience.widens(storyId!, feed.id));
  if (newStory) state.titleKeys.add(c.titleKey);
  if (c.canonicalUrl !== null) state.urls.add(c.canonicalUrl);
  // One call stores the story (when new, with its regions), the article and its index rows.
  // A new story is not handed to matcher.remember: the fuzzy pass never joins an item to a
  // story of its own feed, and every story this poll creates is of this feed. Its index rows
  // take the regions just stored (no read back).
  const stored = await tx.articles.storeItem({
    story: newStory ? { create: { titleKey: c.titleKey, publishedAt: e?.publishedAt ?? c.publishedAt, firstSeenAt: now, postable: hold === null, holdReason: hold }, regions: e?.regions ?? [] } : { id: storyId! },
    article: {
      feedId: feed.id,
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
    },
    // The same text search snippets are cut from: the stored body, else the item's text.
    indexedBody: body ?? c.text,
  });
  storyId = stored.storyId;
  if (newStory) await deps.onNewStory?.(storyId, { postable: hold === null, feedId: feed.id }, tx);
  else if (widened) await deps.onStoryWidened?.(storyId, { feedId: feed.id }, tx);
  return { title: c.title, url: c.link, storyId, newStory, postable: newStory && hold === null, holdReason: newStory ? hold : 'another source of a known story' };
}
