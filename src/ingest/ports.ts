// What the ingest pipeline needs from the outside, as small interfaces (tests pass real
// implementations or simple in-process ones; nothing here is mocked at module level).
import type { FeedItem, FeedSource, RegionTag } from '../domain/types.js';
import type { StorePorts } from '../store/ports.js';

/** What enrichment learned about a new story's first article. */
export interface Enrichment {
  readonly body: string | null; // extracted full text (paragraphs joined by \n), when fetched
  readonly text: string; // the text summaries and regions were computed from
  readonly author: string | null;
  readonly sourceOutlet: string | null;
  readonly breadcrumb: readonly string[];
  readonly publishedAt: number | null;
  readonly summary: string | null;
  readonly regions: readonly RegionTag[]; // ancestors included
  /** The article's lead picture (text/lead-image.ts): an absolute http(s) address on its own site, or null. */
  readonly image: string | null;
  readonly warnings: readonly string[];
}

export interface Enricher {
  enrich(item: FeedItem & { canonicalUrl: string | null }, feed: FeedSource): Promise<Enrichment>;
}

/**
 * The synchronous search index writer of a SQLite connection (services.indexer). The ingest
 * itself indexes through the unit of work's `index` port.
 */
export interface ArticleIndexer {
  indexArticle(a: { id: number; title: string; body: string }): void;
  indexNewArticle?(a: { id: number; title: string; body: string; feedId: string; publishedAt: number | null; firstSeenAt: number; regionCodes: readonly string[] }): void;
}

/**
 * Called inside the storing unit of work for each new story, with its ports: routing writes
 * the outbox rows through `tx`, so the story and its rows commit together or not at all.
 * Never await the network or a timer here (the unit of work holds the store).
 */
export type NewStoryHook = (storyId: number, facts: { postable: boolean; feedId: string }, tx: StorePorts) => Promise<void> | void;

/** Called inside the storing unit of work when an article joins a known story and lets it
 * reach servers it could not before (a catalog feed, or another server's feed, joined a
 * story only a server's own feed had): routing writes the outbox rows it now deserves. */
export type StoryWidenedHook = (storyId: number, facts: { feedId: string }, tx: StorePorts) => Promise<void> | void;
