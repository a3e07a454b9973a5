// Corrections (issue #15): an item a feed carries again is compared with the article stored
// for it. A material change (the title, the text beyond a threshold, or a correction notice;
// see text/revision.ts) is stored, re-indexed, and — when the article is the one the story's
// posts show — the story gets its next revision, which queues an edit of every post made for
// it. Small changes are not stored, so the comparison is always with what was posted and
// drift that adds up to a material change is still caught. Re-reading the article page costs
// a request, so revisions per poll are bounded.
import type { FeedItem, FeedSource } from '../domain/types.js';
import type { ArticleRevision, Store } from '../store/ports.js';
import { materialChange } from '../text/revision.js';
import { titleKey } from './identity.js';
import type { Enricher } from './ports.js';

export interface RevisionDeps {
  /** Corrections are read through `posting`, and stored with the index rows in one unit of work. */
  readonly store: Pick<Store, 'posting' | 'transaction'>;
  readonly enricher: Enricher;
  readonly now: () => number;
  /** Revisions handled per poll; more wait for the next poll (they are found again). */
  readonly maxPerPoll?: number;
}

export interface KnownItem {
  readonly item: FeedItem & { canonicalUrl: string | null };
  readonly itemKey: string;
}

export interface Revised {
  readonly articleId: number;
  readonly storyId: number;
  readonly reasons: readonly string[];
  /** Posts queued for an edit (0 when the article is not the one posts show). */
  readonly edits: number;
}

export const DEFAULT_REVISIONS_PER_POLL = 20;

export async function reviseKnownItems(deps: RevisionDeps, feed: FeedSource, known: readonly KnownItem[]): Promise<Revised[]> {
  const max = deps.maxPerPoll ?? DEFAULT_REVISIONS_PER_POLL;
  const out: Revised[] = [];
  for (const { item, itemKey } of known) {
    if (out.length >= max) break;
    const stored = await deps.store.posting.knownVersion(feed.id, itemKey);
    // Most items come back unchanged: equal text needs no comparison.
    if (!stored || (stored.title === item.title && stored.text === item.text)) continue;
    const verdict = materialChange({ title: stored.title, text: stored.text }, { title: item.title, text: item.text });
    if (!verdict.changed) continue;
    const e = await deps.enricher.enrich(item, feed);
    const revision: ArticleRevision = { articleId: stored.articleId, title: item.title, html: item.html, text: item.text, body: e.body, summary: e.summary };
    const edits = await deps.store.transaction(async (tx) => {
      await tx.posting.reviseArticle(revision);
      if (verdict.reasons.includes('title')) await tx.posting.addTitleKey(stored.storyId, titleKey(item.title));
      // A corrected article may carry another picture; a missing one keeps the old.
      if (e.image) await tx.posting.setArticleImage(stored.articleId, e.image);
      await tx.index.indexArticle({ id: stored.articleId, title: item.title, body: e.body ?? stored.body ?? item.text });
      return stored.primary ? tx.posting.reviseStory(stored.storyId, deps.now()) : 0;
    });
    out.push({ articleId: stored.articleId, storyId: stored.storyId, reasons: verdict.reasons, edits });
  }
  return out;
}
