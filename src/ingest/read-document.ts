// Reading a fetched feed document: decode the bytes, cut the document to the items a poll
// reads, list their guids, parse what is left. Pure functions of their input, so the same code
// runs on the main thread for small documents and on the reader's worker thread for large ones
// (feed-reader.ts): a multi-megabyte document is one long synchronous block at every step.
import type { FeedItem } from '../domain/types.js';
import { FeedError, type FeedErrorKind } from '../feeds/errors.js';
import { parseFeed, type ParsedFeed, type ParseOptions } from '../feeds/parse.js';
import { itemsDigest, quickGuids } from '../feeds/quick-keys.js';
import { decodeBytes } from '../text/charset.js';
import { boundFeedXml, boundItem, type IngestBounds } from './bounds.js';

/** A decoded document cut to the items a poll reads. */
export interface PreparedDocument {
  /** The document with items past `scanItems` taken out. */
  readonly xml: string;
  /** Items the whole document holds. */
  readonly items: number;
  /** The quick guid scan of `xml` (quick-keys.ts), or null when only the full parse can tell. */
  readonly guids: readonly string[] | null;
  /** Decoding warnings (a lying charset, replaced bytes). */
  readonly decodeWarnings: readonly string[];
  /** Digest of the items' XML (quick-keys itemsDigest), when the quick scan read every guid. */
  readonly itemsHash?: string | null;
}

/** Cuts decoded text to `scanItems` items and scans their guids. */
export function prepareText(text: string, scanItems: number, decodeWarnings: readonly string[] = []): PreparedDocument {
  const doc = boundFeedXml(text, scanItems);
  const guids = quickGuids(doc.xml);
  return { xml: doc.xml, items: doc.items, guids, decodeWarnings, itemsHash: guids ? itemsDigest(doc.xml) : null };
}

/** Decodes fetched bytes (the same decoder the fetcher uses) and prepares the text. */
export function prepareBytes(bytes: Uint8Array, contentType: string | null, scanItems: number): PreparedDocument {
  const decoded = decodeBytes(bytes, contentType);
  return prepareText(decoded.text, scanItems, decoded.warnings);
}

/** Parses a prepared document; every item is cut to the text bounds, its text computed. */
export async function parseBounded(xml: string, opts: ParseOptions, bounds: IngestBounds): Promise<ParsedFeed> {
  const parsed = await parseFeed(xml, opts);
  return { ...parsed, items: parsed.items.map((i) => plainItem(boundItem(i, bounds))) };
}

// Parsed items compute their text on first read (a getter); a copy crossing to another thread
// must carry plain values. Media entries are plain objects already (structured clone keeps them).
const plainItem = (i: FeedItem): FeedItem => ({
  guid: i.guid,
  link: i.link,
  title: i.title,
  html: i.html,
  text: i.text,
  author: i.author,
  publishedAt: i.publishedAt,
  dateRaw: i.dateRaw,
  ...(i.media?.length ? { media: i.media } : {}),
});

/** A job for the reader's worker thread. */
export type ReadTask =
  | { readonly op: 'prepare'; readonly bytes: Uint8Array; readonly contentType: string | null; readonly scanItems: number }
  | { readonly op: 'parse'; readonly xml: string; readonly opts: ParseOptions; readonly bounds: IngestBounds };

/** A FeedError does not survive the trip between threads as its class: it travels as data. */
export type ReadResult<T> = { readonly ok: T } | { readonly error: { readonly kind: FeedErrorKind; readonly message: string } };

export async function runReadTask(task: ReadTask): Promise<ReadResult<PreparedDocument | ParsedFeed>> {
  try {
    return { ok: task.op === 'prepare' ? prepareBytes(task.bytes, task.contentType, task.scanItems) : await parseBounded(task.xml, task.opts, task.bounds) };
  } catch (err) {
    if (err instanceof FeedError) return { error: { kind: err.kind, message: err.message } };
    throw err;
  }
}
