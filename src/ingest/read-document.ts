// Reading a fetched feed document: decode the bytes, cut the document to the items a poll
// reads, list their guids, parse what is left. Pure functions of their input, so the same code
// runs on the main thread for small documents and on the reader's worker thread for large ones
// (feed-reader.ts): a multi-megabyte document is one long synchronous block at every step.
import type { FeedItem } from '../domain/types.js';
import type { MessagePort } from 'node:worker_threads';
import { FeedError, type FeedErrorKind } from '../feeds/errors.js';
import { mergeWarnings, parseFeed, type ParsedFeed, type ParseOptions } from '../feeds/parse.js';
import { itemsDigest, quickGuids } from '../feeds/quick-keys.js';
import { decodeBytes } from '../text/charset.js';
import { boundFeedXml, boundItem, type IngestBounds } from './bounds.js';
import { sliceFeedXml } from './slices.js';

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

/** parseBounded for the trip to another thread: the items packed (their text read once, here). */
async function parseBoundedPacked(xml: string, opts: ParseOptions, bounds: IngestBounds): Promise<PackedFeed> {
  const parsed = await parseFeed(xml, opts);
  return { ...parsed, items: packItems(parsed.items.map((i) => boundItem(i, bounds))) };
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

/**
 * Parsed items as they cross from the worker: every string field of every item in one string,
 * with the offsets where each ends. Copying a list of 100,000 small objects between threads
 * rebuilds each object and string one by one on the receiving thread (~150–250 ms there,
 * holding the loop); one string and one offset table arrive in a few milliseconds, and the
 * items are rebuilt from slices of it (~30 ms for 100,000). A slice keeps the packed string
 * alive while it lives: the items of a poll live for that poll.
 */
export interface PackedItems {
  readonly count: number;
  /** guid, link, title, html, text, author and dateRaw of each item, in order, joined. */
  readonly text: string;
  /** End of each field in `text`; -1 for a null field. */
  readonly ends: Int32Array;
  readonly publishedAt: Float64Array;
  /** Items with media, by index (few feeds declare any). */
  readonly media: ReadonlyArray<readonly [number, NonNullable<FeedItem['media']>]>;
}

export function packItems(items: readonly FeedItem[]): PackedItems {
  const ends = new Int32Array(items.length * 7);
  const publishedAt = new Float64Array(items.length);
  const media: Array<readonly [number, NonNullable<FeedItem['media']>]> = [];
  // Appended one by one (V8 joins the pieces once, when the string crosses): faster here
  // than collecting the pieces and joining them.
  let text = '';
  let k = 0;
  const put = (v: string | null): void => {
    if (v === null) ends[k++] = -1;
    else {
      text += v;
      ends[k++] = text.length;
    }
  };
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    // The order unpackItems reads them in.
    put(item.guid);
    put(item.link);
    put(item.title);
    put(item.html);
    put(item.text);
    put(item.author);
    put(item.dateRaw);
    publishedAt[i] = item.publishedAt ?? Number.NaN;
    if (item.media?.length) media.push([i, item.media]);
  }
  return { count: items.length, text, ends, publishedAt, media };
}

export function unpackItems(packed: PackedItems): FeedItem[] {
  const { text, ends, publishedAt } = packed;
  const media = new Map(packed.media);
  const items: FeedItem[] = new Array<FeedItem>(packed.count);
  let at = 0;
  let k = 0;
  const next = (): string | null => {
    const end = ends[k++]!;
    if (end < 0) return null;
    // Every string made here lives as long as the items: an empty field (a body-less item's
    // HTML and text) is no new string at all.
    const v = end === at ? '' : text.slice(at, end);
    at = end;
    return v;
  };
  for (let i = 0; i < packed.count; i++) {
    // Field order as in packItems; built as one literal so every item has one shape.
    const guid = next();
    const link = next();
    const title = next()!;
    const html = next()!;
    const itemText = next()!;
    const author = next();
    const dateRaw = next();
    const date = publishedAt[i]!;
    const item: FeedItem = { guid, link, title, html, text: itemText, author, publishedAt: Number.isNaN(date) ? null : date, dateRaw };
    const m = media.get(i);
    items[i] = m ? { ...item, media: m } : item;
  }
  return items;
}

/** A job for the reader's worker thread. */
export type ReadTask =
  | { readonly op: 'prepare'; readonly bytes: Uint8Array; readonly contentType: string | null; readonly scanItems: number }
  | { readonly op: 'batches'; readonly xml: string; readonly opts: ParseOptions; readonly bounds: IngestBounds; readonly sliceBytes: number; readonly port: MessagePort };

/** What a parsed document is besides its items. */
export type FeedSummary = Omit<ParsedFeed, 'items'>;

/**
 * The messages of a 'batches' job, in order on its port: the items of each part as it is
 * parsed, the last part with the document's summary, or the error that ended the reading.
 */
export type BatchMessage =
  | { readonly items: PackedItems; readonly end: FeedSummary | null }
  | { readonly error: { readonly kind: FeedErrorKind; readonly message: string } };

/**
 * Parses a document a part at a time (slices.ts) and posts each part's items as soon as it
 * is read, so the main thread stores them while the next part is parsed. A document that
 * cannot be cut, or is small, is one part. A part that fails ends the reading with its error:
 * the parts before it were well-formed and stay read.
 */
export async function readBatches(xml: string, opts: ParseOptions, bounds: IngestBounds, sliceBytes: number, post: (m: BatchMessage) => void): Promise<void> {
  const slices = sliceFeedXml(xml, sliceBytes) ?? [{ xml, items: 0 }];
  const warnings: string[][] = [];
  let summary: FeedSummary | null = null;
  let firstItem = 0;
  try {
    for (let i = 0; i < slices.length; i++) {
      const parsed = await parseBoundedPacked(slices[i]!.xml, { ...opts, firstItem }, bounds);
      firstItem += slices[i]!.items;
      warnings.push(parsed.warnings);
      summary ??= { title: parsed.title, format: parsed.format, warnings: [] };
      const last = i === slices.length - 1;
      post({ items: parsed.items, end: last ? { ...summary, warnings: mergeWarnings(warnings) } : null });
    }
  } catch (err) {
    if (!(err instanceof FeedError)) throw err;
    post({ error: { kind: err.kind, message: err.message } });
  }
}

/** A FeedError does not survive the trip between threads as its class: it travels as data. */
export type ReadResult<T> = { readonly ok: T } | { readonly error: { readonly kind: FeedErrorKind; readonly message: string } };

/** A parsed feed as it crosses between threads (its items packed). */
type PackedFeed = Omit<ParsedFeed, 'items'> & { readonly items: PackedItems };

export async function runReadTask(task: ReadTask): Promise<ReadResult<PreparedDocument | null>> {
  try {
    if (task.op === 'prepare') return { ok: prepareBytes(task.bytes, task.contentType, task.scanItems) };
    const { port } = task;
    try {
      await readBatches(task.xml, task.opts, task.bounds, task.sliceBytes, (m) => port.postMessage(m, 'items' in m ? [m.items.ends.buffer as ArrayBuffer, m.items.publishedAt.buffer as ArrayBuffer] : []));
    } finally {
      port.close();
    }
    return { ok: null };
  } catch (err) {
    if (err instanceof FeedError) return { error: { kind: err.kind, message: err.message } };
    throw err;
  }
}
