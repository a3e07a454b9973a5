// What the ingest pipeline needs from the outside, as small interfaces (tests pass real
// implementations or simple in-process ones; nothing here is mocked at module level).
import type { FeedItem, FeedSource, RegionTag } from '../domain/types.js';

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

/** The search index, written in the same transaction as the article. */
export interface ArticleIndexer {
  indexArticle(a: { id: number; title: string; body: string }): void;
  /** The same for an article of a story created in the caller's transaction, from facts given (no read back). */
  indexNewArticle?(a: { id: number; title: string; body: string; feedId: string; publishedAt: number | null; firstSeenAt: number; regionCodes: readonly string[] }): void;
}

/** Called inside the storing transaction for each new story (routing writes its outbox here). */
export type NewStoryHook = (storyId: number, facts: { postable: boolean; feedId: string }) => void;

/** Called inside the storing transaction when an article joins a known story and lets it
 * reach servers it could not before (a catalog feed, or another server's feed, joined a
 * story only a server's own feed had): routing writes the outbox rows it now deserves. */
export type StoryWidenedHook = (storyId: number, facts: { feedId: string }) => void;
