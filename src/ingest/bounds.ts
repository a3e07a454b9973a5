// What one poll of one feed may cost (issue #11). A feed is written by someone else: one
// that suddenly carries 100,000 items, or a 1 MB title, must cost a poll what a normal feed
// costs, not minutes of a blocked event loop. The bounds cut work before it is done: the
// XML before parsing, the items before enrichment, the text before storing and indexing.
import type { FeedItem } from '../domain/types.js';

export interface IngestBounds {
  /** Items read from the document (in document order); the rest are not parsed. */
  readonly scanItems: number;
  /** New items stored per poll, newest first; the rest wait for the next poll or are dropped. */
  readonly itemsPerPoll: number;
  /** A document with more items than this is flagged and its new items are held, not posted. */
  readonly floodItems: number;
  /** Bytes (UTF-8) kept of an item's title, author, HTML and text, and of a body and summary. */
  readonly titleBytes: number;
  readonly htmlBytes: number;
  readonly textBytes: number;
  readonly summaryBytes: number;
  /**
   * Items stored per transaction at most; the loop is given back between transactions.
   * Larger transactions cost less per item: every commit writes each page it changed to the
   * WAL whole, and the full-text tables their pending rows, so 100k tiny items wrote 470 MB
   * of WAL in chunks of 100 and 180 MB in chunks of 500. What bounds a chunk in practice is
   * chunkMs: every loop turn a command needs waits behind one.
   */
  readonly chunkItems: number;
  /** A chunk ends once it has held the loop this long (ms). */
  readonly chunkMs: number;
  /** Documents larger than this (bytes as fetched) are decoded and parsed on a worker thread. */
  readonly offThreadBytes: number;
  /**
   * A document read on the worker whose every item this poll stores is parsed in parts of
   * about this many characters, each stored while the worker reads the next (poll-feed.ts).
   */
  readonly sliceBytes: number;
}

// Real feeds carry 10–200 items; 1,000 read and 200 stored per poll drain a large archive
// over a few polls. Decoding, cutting and parsing a document are each one synchronous block
// that grows with its size (a 6 MB document: ~100 ms each on a busy machine; 1,000 tiny items
// of 64 KB parse in ~30 ms): past 64 KB they run on a worker thread (feed-reader.ts).
export const INGEST_BOUNDS: IngestBounds = {
  scanItems: 1000,
  itemsPerPoll: 200,
  floodItems: 2000,
  titleBytes: 1024,
  htmlBytes: 256 * 1024,
  textBytes: 128 * 1024,
  summaryBytes: 4096,
  chunkItems: 1000,
  chunkMs: 25,
  offThreadBytes: 64 * 1024,
  sliceBytes: 64 * 1024,
};

/** The longest prefix of `s` whose UTF-8 form fits in `maxBytes`, cut between characters. */
export function cutUtf8(s: string, maxBytes: number): string {
  // Three bytes per UTF-16 unit at most: a string this short always fits.
  if (s.length * 3 <= maxBytes) return s;
  const buf = Buffer.from(s, 'utf8');
  if (buf.length <= maxBytes) return s;
  let end = maxBytes;
  // Back off over continuation bytes (10xxxxxx) to the start of the character that did not fit.
  while (end > 0 && (buf[end]! & 0xc0) === 0x80) end--;
  return buf.toString('utf8', 0, end);
}

const cutOrNull = (s: string | null, max: number) => (s === null ? null : cutUtf8(s, max));

const fits = (s: string | null, max: number): boolean => s === null || s.length * 3 <= max;

/** An item with its text fields within the bounds (the item itself when they are). */
export function boundItem<T extends FeedItem>(item: T, b: IngestBounds): T {
  // Most items are far inside every bound: no copy (checked by length alone, ≤ 3 bytes a unit).
  if (fits(item.title, b.titleBytes) && fits(item.author, b.titleBytes) && fits(item.html, b.htmlBytes) && fits(item.text, b.textBytes)) return item;
  return {
    ...item,
    title: cutUtf8(item.title, b.titleBytes),
    author: cutOrNull(item.author, b.titleBytes),
    html: cutUtf8(item.html, b.htmlBytes),
    text: cutUtf8(item.text, b.textBytes),
  };
}

// Item ends outside CDATA sections and comments (whose text may contain "</item>").
const ITEM_ENDS = /<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->|<\/(?:[\w.-]+:)?(?:item|entry)\s*>/giu;

export interface BoundedXml {
  /** The document with items past `maxItems` taken out (the rest of it kept as it was). */
  readonly xml: string;
  /** Items the whole document holds (RSS/RDF items or Atom entries). */
  readonly items: number;
}

/**
 * Keeps the first `maxItems` items of a feed document. Everything after the last item
 * (the closing channel, rss or feed tags) is kept, so the result parses like the original.
 * One linear scan: far cheaper than letting the XML parser walk 100,000 items.
 */
export function boundFeedXml(xml: string, maxItems: number): BoundedXml {
  let items = 0;
  let cutAt = -1;
  let lastEnd = -1;
  ITEM_ENDS.lastIndex = 0;
  for (let m = ITEM_ENDS.exec(xml); m; m = ITEM_ENDS.exec(xml)) {
    if (m[0].charCodeAt(1) !== 0x2f) continue; // "<!": CDATA or a comment, skipped whole
    items++;
    lastEnd = ITEM_ENDS.lastIndex;
    if (items === maxItems) cutAt = lastEnd;
  }
  if (items <= maxItems || cutAt < 0) return { xml, items };
  return { xml: xml.slice(0, cutAt) + xml.slice(lastEnd), items };
}
