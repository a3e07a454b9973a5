// One pass over an article page's HTML for its pictures: the meta tags that name a share
// image, and every <img> with where it sits in the page's text. The extractor cannot hand
// these over: it drops every body attribute but id and class before parsing (attributes are
// most of what the DOM allocates) and chooses the body as lines, not as an element. So the
// body is found again here by its text: an image counts as the article's when it sits
// between the headline and the body's last paragraph.
// Pure: no I/O; bounded by MAX_SCAN_CHARS and MAX_IMAGES whatever the page holds.
import { Parser } from 'htmlparser2';

/** Pages are read up to here (the extractor reads at most 600 K characters of markup). */
export const MAX_SCAN_CHARS = 1_000_000;
const MAX_IMAGES = 300;
const MAX_META = 300;
const MAX_TEXT = 400_000;

export interface PageImage {
  /** Candidate addresses, best first: a lazy-loading attribute, then src, then the widest srcset entry. */
  readonly sources: string[];
  readonly width: number | null;
  readonly height: number | null;
  /** class, id, alt and title, for recognising page furniture. */
  readonly labels: string;
  /** The href of the link around the image, if any (an advert links off the site). */
  readonly linkHref: string | null;
  /** Position in the page's compact text (no whitespace) where the image sits. */
  readonly at: number;
}

export interface PageScan {
  /** Meta tags by lower-cased property/name, every value in page order. */
  readonly meta: Map<string, string[]>;
  readonly images: PageImage[];
  /** The visible text of the body with all whitespace removed. */
  readonly text: string;
}

// Lazy loaders keep the real address here and a placeholder (a spinner, a 1×1 GIF) in src.
const LAZY_ATTRS = ['data-src', 'data-original', 'data-lazy-src', 'data-actualsrc', 'data-url', 'original', 'file'];
const SKIP_TEXT = new Set(['script', 'style', 'noscript', 'template', 'textarea', 'title', 'select', 'head', 'svg']);
const WHITESPACE = /[\s\u00a0\u3000\u200b\ufeff]+/g;

/** A length attribute or CSS length in pixels ("600", "600px"); null for percentages and junk. */
export function pixels(v: string | null | undefined): number | null {
  if (!v) return null;
  const m = /^\s*(\d{1,6})(?:\.\d+)?\s*(?:px)?\s*$/i.exec(v);
  return m ? Number(m[1]) : null;
}

function styleSize(style: string | undefined, prop: 'width' | 'height'): number | null {
  if (!style) return null;
  const m = new RegExp(`(?:^|;)\\s*${prop}\\s*:\\s*([^;]{1,20})`, 'i').exec(style);
  return m ? pixels(m[1]) : null;
}

/** The widest entry of a srcset ("a.jpg 320w, b.jpg 960w"), with its width when given in w. */
export function widestSrcset(srcset: string | undefined): { url: string; width: number | null } | null {
  if (!srcset) return null;
  let best: { url: string; width: number | null; rank: number } | null = null;
  for (const part of srcset.slice(0, 4000).split(/,\s+/)) {
    const [url, descriptor] = part.trim().split(/\s+/, 2);
    if (!url) continue;
    const w = descriptor && /^\d+w$/i.test(descriptor) ? Number(descriptor.slice(0, -1)) : null;
    const x = descriptor && /^\d+(?:\.\d+)?x$/i.test(descriptor) ? Number(descriptor.slice(0, -1)) : 1;
    const rank = w ?? x;
    if (!best || rank > best.rank) best = { url, width: w, rank };
  }
  return best ? { url: best.url, width: best.width } : null;
}

function imageOf(attrs: Record<string, string>, at: number, linkHref: string | null): PageImage {
  const sources: string[] = [];
  for (const a of LAZY_ATTRS) if (attrs[a]?.trim()) sources.push(attrs[a]!.trim());
  if (attrs.src?.trim()) sources.push(attrs.src.trim());
  const set = widestSrcset(attrs.srcset ?? attrs['data-srcset']);
  if (set) sources.push(set.url);
  const width = pixels(attrs.width) ?? styleSize(attrs.style, 'width') ?? (set && set.url === sources[0] ? set.width : null);
  const height = pixels(attrs.height) ?? styleSize(attrs.style, 'height');
  const labels = [attrs.class, attrs.id, attrs.alt, attrs.title].filter(Boolean).join(' ');
  return { sources, width, height, labels, linkHref, at };
}

/** Reads meta tags, images and the compact body text of `html` in one streaming pass. */
export function scanPage(html: string): PageScan {
  const meta = new Map<string, string[]>();
  const images: PageImage[] = [];
  const text: string[] = [];
  let textLength = 0;
  let metaCount = 0;
  let skipDepth = 0;
  let linkHref: string | null = null;
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (name === 'meta' && metaCount < MAX_META) {
          const key = (attrs.property ?? attrs.name ?? attrs.itemprop ?? '').trim().toLowerCase();
          const content = (attrs.content ?? '').trim();
          if (key && content) {
            metaCount++;
            const list = meta.get(key) ?? [];
            list.push(content);
            meta.set(key, list);
          }
        } else if (name === 'img' && images.length < MAX_IMAGES) images.push(imageOf(attrs, textLength, linkHref));
        else if (name === 'a') linkHref = attrs.href?.trim() || null;
        else if (SKIP_TEXT.has(name)) skipDepth++;
      },
      ontext(data) {
        if (skipDepth > 0) return;
        const compact = data.replace(WHITESPACE, '');
        if (!compact) return;
        if (textLength >= MAX_TEXT) return;
        text.push(compact);
        textLength += compact.length;
      },
      onclosetag(name) {
        if (name === 'a') linkHref = null;
        else if (SKIP_TEXT.has(name) && skipDepth > 0) skipDepth--;
      },
    },
    { decodeEntities: true, lowerCaseAttributeNames: true, xmlMode: false },
  );
  parser.write(html.length > MAX_SCAN_CHARS ? html.slice(0, MAX_SCAN_CHARS) : html);
  parser.end();
  return { meta, images, text: text.join('') };
}

const compactOf = (s: string): string => s.replace(WHITESPACE, '');
/** Characters of a paragraph used to find it in the page (long enough to be unique on a page). */
const KEY = 16;
/** How far above the body the headline may sit and still open the article's span. */
const HEADLINE_REACH = 1500;
/** Without a headline, the span opens this far above the first paragraph (a byline and a date). */
const BYLINE_SLACK = 120;

/**
 * The span [from, to] of the page text the article occupies: from its headline (or just
 * above its first paragraph) to the end of its last paragraph. Null when the body's
 * paragraphs are not found in the page, so no image can be told apart from furniture.
 */
export function articleSpan(text: string, paragraphs: readonly string[], title: string | null): [number, number] | null {
  const paras = paragraphs.map(compactOf).filter((p) => p.length >= 4);
  let start = -1;
  let skipped = 0;
  for (const p of paras.slice(0, 5)) {
    const at = text.indexOf(p.slice(0, KEY));
    if (at >= 0) {
      start = Math.max(0, at - skipped);
      break;
    }
    skipped += p.length;
  }
  if (start < 0) return null;
  let end = -1;
  for (const p of paras.slice(-5).reverse()) {
    const key = p.slice(-KEY);
    const at = text.lastIndexOf(key);
    if (at >= start) {
      end = at + key.length;
      break;
    }
  }
  if (end < 0) end = start + paras.reduce((n, p) => n + p.length, 0);
  const head = title ? compactOf(title).slice(0, 40) : '';
  const headAt = head.length >= 4 ? text.lastIndexOf(head, start) : -1;
  // An image level with the headline's first character stands above it (a banner, an advert).
  const from = headAt >= 0 && start - headAt <= HEADLINE_REACH ? headAt + 1 : Math.max(0, start - BYLINE_SLACK);
  return [from, end];
}
