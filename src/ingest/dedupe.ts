// The dedupe of a poll: which parsed items were not stored before. An item is known by its
// key within the feed (identity.ts); a document may repeat an item, and items that share a
// guid or link while being different items get narrowed keys.
import type { FeedItem } from '../domain/types.js';
import { canonicalUrl } from '../feeds/url.js';
import type { ArticlesPort, FeedState, Store } from '../store/ports.js';
import { itemKey, narrowedKeys, titleKey, type IdentityInput } from './identity.js';
import { inSlices, pacer } from './pace.js';
import type { KnownItem } from './revise.js';
import type { Candidate } from './store-items.js';

/**
 * An item's identity input. Its text is read through to the item: only items whose title and
 * date collide need it, and a parsed item strips its HTML on first read (most items of a
 * poll are known and never need it). A getter on the class, not on each object: one made per
 * item would be a closure per item.
 */
class ItemIdentity implements IdentityInput {
  readonly guid: string | null;
  readonly title: string;
  readonly dateRaw: string | null;
  constructor(
    private readonly item: FeedItem,
    readonly canonicalUrl: string | null,
  ) {
    this.guid = item.guid;
    this.title = item.title;
    this.dateRaw = item.dateRaw;
  }
  get text(): string {
    return this.item.text;
  }
}

/** What the dedupe reads. */
export type DedupePorts = Pick<ArticlesPort, 'feedHasItems' | 'hasItem' | 'storedUnder'>;

export interface DedupeOptions {
  /** Stored items found, collected for corrections. */
  readonly known?: KnownItem[];
  /** Look-ups run in slices of this long that give the loop back (pace.ts; default: one slice). */
  readonly sliceMs?: number;
  /**
   * Keys met so far in this document, for a document read a part at a time (default: a new
   * set). Its parts are read only when every item has its own guid (poll-feed.ts), so no key
   * of one part is narrowed by a sibling in another.
   */
  readonly seen?: Set<string>;
  /** Whether the feed had stored any item before this poll (default: asked of the store). */
  readonly anyStored?: boolean;
}

/**
 * Items not stored before, in feed order, each once even if the feed repeats an item. Items
 * that share a guid (or link) while being different items get narrowed keys (itemKeys).
 */
export async function newCandidates(items: readonly FeedItem[], feed: FeedState, store: Pick<Store, 'articles' | 'transaction'>, opts: DedupeOptions = {}): Promise<Candidate[]> {
  const { known } = opts;
  const sliceMs = opts.sliceMs ?? Infinity;
  const pace = pacer(sliceMs);
  // A feed that has stored nothing yet (a new feed; a flood's first poll) has nothing to look
  // up item by item: every key is new (within the document, `seen` still dedupes).
  const anyStored = opts.anyStored ?? (await store.articles.feedHasItems(feed.id));
  const inputs: IdentityInput[] = [];
  for (const item of items) {
    inputs.push(new ItemIdentity(item, item.link ? canonicalUrl(item.link, feed.url) : null));
    const p = pace();
    if (p) await p;
  }
  const legacy = inputs.map(itemKey);
  const keys = narrowedKeys(inputs, legacy);
  const seen = opts.seen ?? new Set<string>();
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
