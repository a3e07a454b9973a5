// A feed item's media as the feed declares it: RSS <enclosure>, Media RSS <media:content> and
// <media:thumbnail> (also inside <media:group> and under media:content), and Atom
// <link rel="enclosure">. The lead picture of a post may come from here (text/lead-image.ts
// decides which, if any, may be shown); this file only reads what is declared, bounded, with
// addresses made absolute. Input is xml2js output (attributes under `$`), so any shape may
// arrive: everything is checked, nothing throws.
import type { FeedMedia } from '../domain/types.js';

/** Entries kept per item: a feed that lists hundreds of renditions costs what a normal one does. */
export const MAX_MEDIA_PER_ITEM = 8;
/** Raw elements looked at per item before giving up (most are skipped as duplicates or junk). */
const MAX_RAW_PER_ITEM = 40;
/** Longest address kept: Discord's limit for an embed image address, and far past any real one. */
export const MAX_MEDIA_URL = 2048;
const MAX_WORD = 100;

/** The Media RSS namespace, with or without its trailing slash (both are written in the wild). */
const MRSS_NS = /\bxmlns:([A-Za-z_][\w.-]*)\s*=\s*["']http:\/\/search\.yahoo\.com\/mrss\/?["']/;

/** The prefix the document binds to Media RSS ("media" almost always), or "media" when undeclared. */
export function mediaPrefix(xml: string): string {
  // A literal search finds the namespace fast; the pattern then reads only the text around it
  // (a regular expression over a multi-megabyte document costs tens of ms before it is compiled).
  const at = xml.indexOf('search.yahoo.com/mrss');
  if (at < 0) return 'media';
  return MRSS_NS.exec(xml.slice(Math.max(0, at - 200), at + 30))?.[1] ?? 'media';
}

type Field = string | Array<string | { keepArray: boolean }>;

/** rss-parser custom item fields that keep every media element with its attributes. */
export function mediaFields(prefix: string): Field[] {
  return [
    ['enclosure', 'x-enclosures', { keepArray: true }],
    // Atom: rss-parser keeps only the alternate link; the enclosures are among the rest.
    ['link', 'x-links', { keepArray: true }],
    [`${prefix}:content`, 'x-media-content', { keepArray: true }],
    [`${prefix}:thumbnail`, 'x-media-thumbnail', { keepArray: true }],
    [`${prefix}:group`, 'x-media-group', { keepArray: true }],
  ];
}

type Attrs = Record<string, unknown>;

const attrsOf = (el: unknown): Attrs | null => {
  const a = el && typeof el === 'object' ? (el as { $?: unknown }).$ : undefined;
  return a && typeof a === 'object' ? (a as Attrs) : null;
};

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

const word = (v: unknown): string | null => {
  if (typeof v !== 'string') return null;
  const s = v.trim().toLowerCase();
  return s && s.length <= MAX_WORD ? s : null;
};

/** A declared count (pixels, bytes): digits only; anything else is as good as absent. */
const count = (v: unknown): number | null => {
  if (typeof v !== 'string' || !/^\s*\d{1,15}\s*$/.test(v)) return null;
  return Number(v);
};

function absolute(raw: unknown, base: string | null): string | null {
  if (typeof raw !== 'string') return null;
  const s = raw.trim();
  if (!s || s.length > MAX_MEDIA_URL) return null;
  try {
    const url = base ? new URL(s, base) : new URL(s);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return url.href.length <= MAX_MEDIA_URL ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * The media of one parsed item (the fields named by mediaFields), in the order the feed
 * gives them, each address at most once. `base`: the item's link, else the feed's;
 * `prefix`: the document's Media RSS prefix (mediaPrefix), for elements inside a group.
 */
export function itemMedia(raw: Record<string, unknown>, base: string | null, prefix = 'media'): FeedMedia[] {
  const out: FeedMedia[] = [];
  const seen = new Set<string>();
  let looked = 0;
  const add = (kind: NonNullable<FeedMedia['kind']>, el: unknown, urlKey: string, sizeKey: string): void => {
    const a = attrsOf(el);
    if (!a || out.length >= MAX_MEDIA_PER_ITEM || looked++ >= MAX_RAW_PER_ITEM) return;
    const url = absolute(a[urlKey], base);
    if (!url || seen.has(url)) return;
    seen.add(url);
    const m: { -readonly [K in keyof FeedMedia]: FeedMedia[K] } = { url, kind };
    const type = word(a.type);
    const medium = word(a.medium);
    const width = count(a.width);
    const height = count(a.height);
    const length = count(a[sizeKey]);
    if (type) m.type = type;
    if (medium) m.medium = medium;
    if (width !== null) m.width = width;
    if (height !== null) m.height = height;
    if (length !== null) m.length = length;
    out.push(m);
  };
  const thumbnails = (els: unknown): void => {
    for (const el of list(els).slice(0, MAX_RAW_PER_ITEM)) add('thumbnail', el, 'url', 'fileSize');
  };
  const contents = (els: unknown): void => {
    for (const el of list(els).slice(0, MAX_RAW_PER_ITEM)) {
      add('content', el, 'url', 'fileSize');
      // A thumbnail may sit inside the content it previews.
      if (el && typeof el === 'object') thumbnails((el as Record<string, unknown>)[`${prefix}:thumbnail`]);
    }
  };
  for (const el of list(raw['x-enclosures']).slice(0, MAX_RAW_PER_ITEM)) add('enclosure', el, 'url', 'length');
  contents(raw['x-media-content']);
  for (const group of list(raw['x-media-group']).slice(0, MAX_RAW_PER_ITEM)) {
    if (!group || typeof group !== 'object') continue;
    contents((group as Record<string, unknown>)[`${prefix}:content`]);
    thumbnails((group as Record<string, unknown>)[`${prefix}:thumbnail`]);
  }
  thumbnails(raw['x-media-thumbnail']);
  for (const el of list(raw['x-links']).slice(0, MAX_RAW_PER_ITEM)) {
    if (word(attrsOf(el)?.rel) === 'enclosure') add('enclosure', el, 'href', 'length');
  }
  return out;
}
