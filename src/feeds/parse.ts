// Decoded feed text to FeedItems. rss-parser reads RSS 0.9x/2.0, Atom and RDF; around it we
// add what it lacks for Chinese regional feeds: zone-aware dates, relative links, HTML error
// pages, and one error type for every way the XML can be broken.
import Parser from 'rss-parser';
import type { FeedItem } from '../domain/types.js';
import { parseDate, plausibleDate } from '../text/dates.js';
import { fixC1 } from '../text/charset-decoders.js';
import { htmlToText } from '../text/html-text.js';
import { FeedError, xmlProblemInWords } from './errors.js';
import { itemMedia, mediaFields, mediaPrefix } from './feed-media.js';
import { HOLE, HOLE_REFS, cdfToRss, liftCdata, liftEscapedHtml, liftTextConstructs, repairEntities } from './parse-markup.js';

export interface ParsedFeed {
  readonly title: string | null;
  readonly format: 'rss' | 'atom' | 'rdf';
  readonly items: FeedItem[];
  readonly warnings: string[];
}

export interface ParseOptions {
  readonly timeZone: string;
  readonly now: number;
  /** Where the feed was fetched from: resolves relative links when the feed has no <link>. */
  readonly baseUrl?: string;
  /** The position in the whole feed of this document's first item (a part of a larger one: slices.ts); names items in warnings. */
  readonly firstItem?: number;
}

type RawItem = Record<string, unknown>;
type RawFeed = { title?: unknown; link?: unknown; items?: RawItem[] };

// rss-parser turns Atom <published>/<updated> into ISO strings with `new Date(x).toISOString()`,
// which throws on a Chinese date (losing the whole feed) and reads a zone-less date in the
// server's zone. Renamed, they arrive untouched and we parse them with the feed's zone.
const ATOM_DATE_TAGS = /<(\/?)(published|updated)\b/g;
// rss-parser flattens <guid> to its text; the raw copy keeps isPermaLink.
const ITEM_FIELDS: Array<string | Array<string | { keepArray: boolean }>> = [
  ...['content:encoded', 'dc:date', 'dc:creator', 'x-published', 'x-updated', 'id'],
  ['guid', 'guidRaw', { keepArray: true }],
];

// Control characters XML 1.0 forbids, plus the noncharacters used as CDATA placeholders.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const ILLEGAL_XML_CHARS = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufdd0\ufdd1\ufffe\uffff]/g;
const MAX_WARNINGS = 20;
const moreWarnings = (n: number): string => `…and ${n} more warnings`;
const MORE_WARNINGS = /^…and (\d+) more warnings$/;

/** The warnings of a document's parts (parsed apart: slices.ts) as one list, capped as one document's are. */
export function mergeWarnings(parts: ReadonlyArray<readonly string[]>): string[] {
  const out: string[] = [];
  let dropped = 0;
  for (const part of parts) {
    for (const w of part) {
      const more = MORE_WARNINGS.exec(w);
      if (more) dropped += Number(more[1]);
      else if (out.length < MAX_WARNINGS) out.push(w);
      else dropped++;
    }
  }
  if (dropped) out.push(moreWarnings(dropped));
  return out;
}
// Error pages and portal redirects often skip the doctype and even <html>.
const HTML_ROOTS = new Set(['html', 'head', 'body', 'meta', 'title', 'script', 'link', 'div', 'p', 'table', 'center', 'frameset', 'style']);
const FALLBACK_TITLE_CHARS = 40;

/** Name of the first element, skipping the prolog, comments, PIs and the doctype. */
function rootElement(xml: string): { name: string | null; htmlDoctype: boolean; at: number } {
  const head = xml.slice(0, 65536);
  let htmlDoctype = false;
  let i = 0;
  for (;;) {
    const lt = head.indexOf('<', i);
    if (lt < 0) return { name: null, htmlDoctype, at: -1 };
    const closer = head.startsWith('<?', lt) ? '?>' : head.startsWith('<!--', lt) ? '-->' : head.startsWith('<!', lt) ? '>' : null;
    if (closer === null) {
      const m = /^<([A-Za-z_][\w:.-]*)/.exec(head.slice(lt, lt + 100));
      return { name: m ? m[1]!.toLowerCase() : null, htmlDoctype, at: lt };
    }
    if (/^<!doctype\s+html\b/i.test(head.slice(lt, lt + 20))) htmlDoctype = true;
    const end = head.indexOf(closer, lt + 2);
    if (end < 0) return { name: null, htmlDoctype, at: -1 };
    i = end + closer.length;
  }
}

function formatOf(root: string): ParsedFeed['format'] | null {
  if (root === 'rss') return 'rss';
  if (root === 'feed') return 'atom';
  if (root === 'rdf:rdf') return 'rdf';
  return null;
}

async function runParser(xml: string, media: string): Promise<RawFeed> {
  // A fresh parser per call: xml2js keeps state between parses and a broken document must
  // not leak into the next feed. sax ignores DTDs, so entity bombs and external entities
  // never expand. `media`: the document's Media RSS prefix.
  const parser = new Parser<RawItem, RawItem>({ defaultRSS: 2, customFields: { item: [...ITEM_FIELDS, ...mediaFields(media)] } });
  return (await parser.parseString(xml)) as unknown as RawFeed;
}

type Reader = (v: unknown) => string | null;

/** Reads xml2js values (a string, or an element object with `_`) with CDATA put back, trimmed. */
/** `text`: map C1 controls to the punctuation they stand for (not for ids, which must stay as stored). */
function reader(sections: readonly string[], text = true): Reader {
  return (v) => {
    let s: unknown = v;
    if (s && typeof s === 'object' && '_' in s) s = (s as { _: unknown })._;
    if (typeof s !== 'string') return null;
    if (s.includes('\ufdd0')) s = s.replace(HOLE, (all, n: string) => sections[Number(n)] ?? all);
    return (text ? fixC1(s as string) : (s as string)).trim() || null;
  };
}

function absoluteLink(raw: string | null, base: string | undefined): string | null {
  if (!raw) return null;
  try {
    const url = base ? new URL(raw, base) : new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

function fallbackTitle(text: string): string {
  const flat = [...text.replace(/\s+/g, ' ').trim()];
  return flat.length <= FALLBACK_TITLE_CHARS ? flat.join('') : `${flat.slice(0, FALLBACK_TITLE_CHARS).join('')}…`;
}

function guidOf(raw: RawItem, read: Reader): { guid: string | null; permalink: boolean } {
  const first = Array.isArray(raw.guidRaw) ? (raw.guidRaw[0] as unknown) : undefined;
  const attrs = first && typeof first === 'object' ? (first as { $?: Record<string, string> }).$ : undefined;
  const fromGuid = read(raw.guid);
  const guid = fromGuid ?? read(raw.id) ?? read(raw['rdf:about']);
  return { guid, permalink: fromGuid !== null && attrs?.isPermaLink?.toLowerCase() !== 'false' };
}

type Warn = (w: string) => void;

const BODY_FIELDS = ['content:encoded', 'content', 'summary'];
// Not rss-parser's isoDate: it comes from `new Date(pubDate)`, which reads in the server's zone.
const DATE_FIELDS = ['pubDate', 'dc:date', 'date', 'x-published', 'x-updated'];

/** The item's body: whichever of content:encoded, content (RSS description) and summary holds most. */
function richest(read: Reader, raw: RawItem): string {
  let best = '';
  for (const field of BODY_FIELDS) {
    const v = read(raw[field]);
    if (v && v.length > best.length) best = v;
  }
  return best;
}

/** The first readable date among the item's date fields, read in the feed's zone. */
function itemDate(raw: RawItem, read: Reader, label: () => string, opts: ParseOptions, warn: Warn) {
  let dateRaw: string | null = null;
  let parsed: number | null = null;
  for (const field of DATE_FIELDS) {
    const s = read(raw[field]);
    if (!s) continue;
    dateRaw ??= s;
    parsed = parseDate(s, opts.timeZone);
    if (parsed !== null) {
      dateRaw = s;
      break;
    }
  }
  const publishedAt = plausibleDate(parsed, opts.now);
  if (dateRaw && parsed === null) warn(`${label()}: unreadable date "${dateRaw.slice(0, 40)}" ignored`);
  else if (dateRaw && publishedAt === null) warn(`${label()}: implausible date "${dateRaw.slice(0, 40)}" ignored`);
  return { dateRaw, publishedAt };
}

// The per-item helpers below are made by factories, not as named local arrows: the bot runs
// through tsx, whose keep-names transform gives every named arrow an Object.defineProperty
// call when it is created; with itemMedia's own helpers (skipped below for items that declare
// no media) a 100k-item feed paid ~0.3 s of the worker's time for them (profiled).
const lazyText = (html: string): (() => string) => {
  let stripped: string | undefined;
  return () => (stripped ??= fixC1(htmlToText(html)));
};
const itemLabel = (index: number, title: string): (() => string) => () => `item ${index + 1}${title ? ` "${[...title].slice(0, 30).join('')}"` : ''}`;

const NO_MEDIA: readonly [] = [];
/** Whether the item has any media element itemMedia reads (an RSS <link> is text, not one). */
function declaresMedia(raw: RawItem): boolean {
  if (raw['x-enclosures'] || raw['x-media-content'] || raw['x-media-group'] || raw['x-media-thumbnail']) return true;
  const links = raw['x-links'];
  return Array.isArray(links) && links.some((l) => l !== null && typeof l === 'object');
}

function toItems(feed: RawFeed, read: Reader, readId: Reader, opts: ParseOptions, warn: Warn, media: string): FeedItem[] {
  const feedLink = absoluteLink(read(feed.link), opts.baseUrl) ?? opts.baseUrl;
  const items: FeedItem[] = [];
  const raws = feed.items ?? [];
  if (!Array.isArray(raws)) throw new TypeError('items is not a list'); // parseFeed reports it as malformed
  for (let index = 0; index < raws.length; index++) {
    const raw = raws[index]!;
    const html = richest(read, raw);
    // Stripped on first use, once: most items of a poll are already stored and never need it.
    const textOf = lazyText(html);
    const rawTitle = read(raw.title);
    const title = rawTitle ? htmlToText(rawTitle).replace(/\n/g, ' ') : '';
    const label = itemLabel((opts.firstItem ?? 0) + index, title);
    if (!title && !textOf()) {
      warn(`${label()} dropped: it has neither a title nor any text`);
      continue;
    }
    const { guid, permalink } = guidOf(raw, readId);
    const link = absoluteLink(read(raw.link), feedLink) ?? (permalink ? absoluteLink(guid, feedLink) : null);
    const author = read(raw['dc:creator']) ?? read(raw.creator) ?? read(raw.author);
    // Relative media addresses are read like the item's own HTML: against its article page.
    const files = declaresMedia(raw) ? itemMedia(raw, link ?? feedLink ?? null, media) : NO_MEDIA;
    items.push({
      guid,
      link,
      title: title || fallbackTitle(textOf()),
      html,
      get text() {
        return textOf();
      },
      author: author ? htmlToText(author) || null : null,
      ...itemDate(raw, read, label, opts, warn),
      ...(files.length ? { media: files } : {}),
    });
  }
  return items;
}

/** Runs rss-parser, retrying once with entity repair; every failure becomes a FeedError. */
async function readXml(markup: string, atom: boolean, warn: Warn, media: string): Promise<RawFeed> {
  try {
    return await runParser(markup, media);
  } catch (first) {
    // rss-parser's own TypeErrors on shapes it did not expect: name the problem, not the stack.
    if (isJsError(first)) throw new FeedError('malformed', 'the feed has an unexpected structure (no channel or items where they belong)');
    // An empty <feed/> reaches rss-parser as an empty string, which it does not recognise.
    if (atom && first instanceof Error && /not recognized/i.test(first.message)) return {};
    if (first instanceof Error && /not recognized/i.test(first.message)) {
      throw new FeedError('not-a-feed', 'the document is XML but not an RSS, Atom or RDF feed');
    }
    const repaired = repairEntities(markup);
    if (repaired !== markup) {
      try {
        const feed = await runParser(repaired, media);
        warn('the feed is not well-formed XML: bare "&" or HTML entities were escaped to read it');
        return feed;
      } catch {
        // fall through: the first error describes the real problem better
      }
    }
    throw new FeedError('malformed', xmlProblemInWords(first));
  }
}

const isJsError = (e: unknown): boolean => e instanceof TypeError || e instanceof RangeError || e instanceof ReferenceError;

/**
 * RSS and RDF without a <channel> (an empty document, or items straight under the root) are
 * well-formed: read them as a channel holding whatever the root holds, and say so.
 */
function ensureChannel(xml: string, format: ParsedFeed['format'], rootAt: number, warn: Warn): string {
  if (format === 'atom' || /<channel[\s>/]/.test(xml)) return xml;
  const open = xml.indexOf('>', rootAt);
  const close = xml.lastIndexOf('</');
  if (open < 0) return xml;
  warn('the feed has no <channel> element');
  const name = /^<([\w:.-]+)/.exec(xml.slice(rootAt))![1]!;
  if (xml[open - 1] === '/') return `${xml.slice(0, open - 1)}><channel></channel></${name}>${xml.slice(open + 1)}`;
  if (close < open) return xml;
  return `${xml.slice(0, open + 1)}<channel>${xml.slice(open + 1, close)}</channel>${xml.slice(close)}`;
}

/** Parses decoded feed XML. Throws FeedError('not-a-feed' | 'malformed') and nothing else. */
export async function parseFeed(xml: string, opts: ParseOptions): Promise<ParsedFeed> {
  const warnings: string[] = [];
  let dropped = 0;
  const warn: Warn = (w) => {
    if (warnings.length < MAX_WARNINGS) warnings.push(w);
    else dropped++;
  };

  let source = xml.replace(ILLEGAL_XML_CHARS, '').replace(/^[\s\ufeff]+/, '');
  if (!source) throw new FeedError('malformed', 'the feed is empty');
  let { name: root, htmlDoctype, at: rootAt } = rootElement(source);
  // The format's own elements under a namespace prefix (<r:rss>, <rss:item> in RDF): the
  // parser only knows the bare names.
  const prefix = root === 'rdf:rdf' ? /\bxmlns:([\w.-]+)\s*=\s*["']http:\/\/purl\.org\/rss\/1\.0\/["']/.exec(source.slice(0, 4096))?.[1] : root ? /^([\w.-]+):(?:rss|feed)$/.exec(root)?.[1] : undefined;
  if (prefix) {
    source = source.replace(new RegExp(`<(/?)${prefix}:`, 'gi'), '<$1');
    ({ name: root, htmlDoctype, at: rootAt } = rootElement(source));
  }
  if (root === 'channel') {
    source = cdfToRss(source, rootAt);
    ({ name: root, htmlDoctype, at: rootAt } = rootElement(source));
  }
  const format = root ? formatOf(root) : null;
  if (!format && (htmlDoctype || (root !== null && HTML_ROOTS.has(root)))) {
    throw new FeedError('not-a-feed', 'the URL returned an HTML page, not a feed');
  }
  if (!format) {
    if (!root) throw new FeedError('not-a-feed', 'the response is not XML');
    throw new FeedError('not-a-feed', `the document is XML (<${root.slice(0, 40)}>) but not an RSS, Atom or RDF feed`);
  }

  const lifted = liftCdata(ensureChannel(source, format, rootAt, warn));
  lifted.xml = liftTextConstructs(lifted.xml, lifted.sections, format === 'atom');
  lifted.xml = liftEscapedHtml(lifted.xml, lifted.sections).replace(HOLE_REFS, '\ufffd');
  const markup = format === 'atom' ? lifted.xml.replace(ATOM_DATE_TAGS, '<$1x-$2') : lifted.xml;
  const media = mediaPrefix(markup);
  const feed = await readXml(markup, format === 'atom', warn, media);
  const read = reader(lifted.sections);
  let items: FeedItem[];
  try {
    items = toItems(feed, read, reader(lifted.sections, false), opts, warn, media);
  } catch {
    // Our own code, but an odd xml2js shape must still surface as a feed error.
    throw new FeedError('malformed', 'the feed has an unexpected structure');
  }
  if (dropped) warnings.push(moreWarnings(dropped));
  const feedTitle = read(feed.title);
  return { title: feedTitle ? htmlToText(feedTitle) || null : null, format, items, warnings };
}
