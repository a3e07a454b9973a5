// Cutting a feed document into smaller documents of consecutive items, so a large one can be
// parsed a part at a time: the reader's worker parses the next part while the main thread
// stores the one before (feed-reader.ts readBatches). Each part is the document's head (the
// root element and channel up to the first item), a run of items, and the document's tail,
// so it parses like the original does for those items.

// Item start and end tags outside CDATA sections and comments (whose text may hold either).
// A start tag is only its name: the rest of the tag is not needed to know where it begins.
const ITEM_TAGS = /<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->|<\/?(?:[\w.-]+:)?(?:item|entry)(?=[\s>/])/giu;

/** A part of a feed document: a document itself, holding `items` of the whole one's items. */
export interface FeedSlice {
  readonly xml: string;
  readonly items: number;
}

/**
 * The document as documents of consecutive items: the first about a quarter of `sliceBytes`
 * long (the caller starts on it sooner), the others about `sliceBytes`, or one item when an
 * item is longer (null when the document fits in one). Also null when the items are not a plain
 * sequence (an item or entry tag inside an item, a self-closed item, unbalanced tags): only
 * the whole document says how such a feed reads.
 */
export function sliceFeedXml(xml: string, sliceBytes: number): FeedSlice[] | null {
  // Where each item starts, and where it ends (just past its end tag).
  const starts: number[] = [];
  const ends: number[] = [];
  ITEM_TAGS.lastIndex = 0;
  for (let m = ITEM_TAGS.exec(xml); m; m = ITEM_TAGS.exec(xml)) {
    if (m[0].charCodeAt(1) === 0x21) continue; // "<!": CDATA or a comment, skipped whole
    if (m[0].charCodeAt(1) === 0x2f) {
      // An end tag closes the item opened last, and only that one.
      if (ends.length !== starts.length - 1) return null;
      const close = xml.indexOf('>', ITEM_TAGS.lastIndex);
      if (close < 0) return null;
      ends.push(close + 1);
    } else {
      if (starts.length !== ends.length) return null; // an item inside an item
      starts.push(m.index);
    }
  }
  if (starts.length !== ends.length || starts.length === 0) return null;
  const n = starts.length;
  if (ends[n - 1]! - starts[0]! <= sliceBytes) return null;
  const head = xml.slice(0, starts[0]);
  const tail = xml.slice(ends[n - 1]);
  const slices: FeedSlice[] = [];
  // A part runs from just past the item before it, so whatever lies between two items goes
  // with the later one (once), as in the original.
  let at = starts[0]!;
  let first = 0;
  let size = sliceBytes / 4;
  for (let i = 0; i < n; i++) {
    const end = ends[i]!;
    if (end - at >= size || i === n - 1) {
      slices.push({ xml: head + xml.slice(at, end) + tail, items: i + 1 - first });
      at = end;
      first = i + 1;
      size = sliceBytes;
    }
  }
  return slices;
}
