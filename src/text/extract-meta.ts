// Page metadata: headline, author, publication date, outlet. Meta tags come first where a
// page has them; old Chinese pages mostly do not, so the lines around the headline are read
// too — but never the header's live clock or the comment timestamps below the article.
import { cleanName, DATE_PATTERN, isOutletName, parseCredits } from './boilerplate-fields.js';
import { simplify } from './boilerplate-patterns.js';
import { foldDigits, parseDate } from './dates.js';
import type { DDocument, DElement } from './extract-dom.js';

export interface MetaTags {
  readonly title: string | null;
  readonly h1: string[];
  readonly author: string | null;
  readonly published: string | null;
}

const DATE_KEYS = [
  'article:published_time',
  'og:article:published_time',
  'datepublished',
  'pubdate',
  'publishdate',
  'publish_date',
  'publication_date',
  'article.published',
  'dc.date.issued',
  'dc.date',
  'citation_publication_date',
  'citation_date',
  'og:release_date',
  'date',
];
const AUTHOR_KEYS = ['article:author', 'citation_author', 'citation_authors', 'dc.creator', 'author', 'byl'];
const TITLE_KEYS = ['og:title', 'twitter:title'];

function jsonLd(scripts: readonly DElement[]): { published: string | null; author: string | null; headline: string | null } {
  const out = { published: null as string | null, author: null as string | null, headline: null as string | null };
  for (const el of scripts.slice(0, 5)) {
    let data: unknown;
    try {
      data = JSON.parse(el.textContent ?? '');
    } catch {
      continue;
    }
    const items = (Array.isArray(data) ? data : [data]).flatMap((d) => (d && typeof d === 'object' && '@graph' in d ? (d as { '@graph': unknown[] })['@graph'] : [d]));
    for (const item of items) {
      if (!item || typeof item !== 'object') continue;
      const o = item as Record<string, unknown>;
      if (!out.published && typeof o.datePublished === 'string') out.published = o.datePublished;
      if (!out.headline && typeof o.headline === 'string') out.headline = o.headline;
      const a = Array.isArray(o.author) ? o.author[0] : o.author;
      if (!out.author && a && typeof a === 'object' && typeof (a as { name?: unknown }).name === 'string') out.author = (a as { name: string }).name;
      else if (!out.author && typeof a === 'string') out.author = a;
    }
  }
  return out;
}

/** Meta tags, JSON-LD and headline elements, read before Readability rearranges the page. */
export function readMetaTags(doc: DDocument): MetaTags {
  // One walk for all four kinds. The only scripts left after normalizeHtml are JSON-LD.
  const metas: DElement[] = [];
  const scripts: DElement[] = [];
  const headings: DElement[] = [];
  let titleEl: DElement | null = null;
  for (const el of Array.from(doc.querySelectorAll('meta, script, h1, title'))) {
    const tag = el.localName;
    if (tag === 'meta') metas.push(el);
    else if (tag === 'script') scripts.push(el);
    else if (tag === 'h1') headings.push(el);
    else titleEl ??= el;
  }
  const map = new Map<string, string>();
  for (const m of metas.slice(0, 300)) {
    const key = (m.getAttribute('property') ?? m.getAttribute('name') ?? m.getAttribute('itemprop') ?? '').trim().toLowerCase();
    const content = (m.getAttribute('content') ?? '').trim();
    if (key && content && !map.has(key)) map.set(key, content);
  }
  const ld = jsonLd(scripts);
  const pick = (keys: readonly string[]): string | null => {
    for (const k of keys) if (map.get(k)) return map.get(k)!;
    return null;
  };
  const h1 = headings
    .slice(0, 3)
    .map((h) => (h.textContent ?? '').replace(/\s+/g, ' ').trim())
    .filter((t) => t.length >= 2 && t.length <= 120);
  return {
    title: pick(TITLE_KEYS) ?? ld.headline ?? ((titleEl?.textContent ?? '').replace(/\s+/g, ' ').trim() || null),
    h1,
    author: ld.author ?? pick(AUTHOR_KEYS),
    published: ld.published ?? pick(DATE_KEYS),
  };
}

// Page lines and <title> share a script, so no conversion is needed to compare them.
const loose = (s: string): string => s.replace(/[\s\p{P}\p{S}]+/gu, '');

/** The headline part of a <title> ("标题_频道_网站" → "标题"). */
export function stripSiteSuffix(title: string): string {
  const parts = title.split(/\s*[_|｜–—]\s*|\s+-\s+|\s*--\s*/).filter((p) => p.trim() !== '');
  if (parts.length <= 1) return title.trim();
  const first = parts[0]!.trim();
  return [...first].length >= 4 ? first : parts.reduce((a, b) => (b.length > a.length ? b : a)).trim();
}

/**
 * Finds the headline among the page lines before the body: the line the <title> (or
 * og:title / h1) contains, closest to the body (the body's first line included: some
 * pages put the headline inside the article block). Returns its index and text, or null.
 */
export function findHeadline(lines: readonly string[], bodyStart: number, tags: MetaTags): { index: number; text: string } | null {
  const refs = [tags.title, ...tags.h1].filter((t): t is string => !!t).map(loose).filter((t) => t.length >= 2);
  if (refs.length === 0) return null;
  let best: { index: number; text: string; cover: number } | null = null;
  const from = Math.max(0, bodyStart - 25);
  for (let i = from; i <= Math.min(lines.length - 1, bodyStart); i++) {
    const l = loose(lines[i]!);
    if (l.length < 2 || l.length > 120) continue;
    for (const ref of refs) {
      if (!ref.includes(l) && !l.includes(ref)) continue;
      const cover = Math.min(l.length, ref.length) / Math.max(l.length, ref.length);
      if (cover >= 0.3 && (!best || cover >= best.cover)) best = { index: i, text: lines[i]!, cover };
    }
  }
  return best ? { index: best.index, text: best.text } : null;
}

export interface ZoneCredits {
  author: string | null;
  source: string | null;
  dateRaw: string | null;
}

/** Credits from credit lines only, first found wins per field. */
export function creditsIn(lines: readonly string[]): ZoneCredits {
  const out: ZoneCredits = { author: null, source: null, dateRaw: null };
  for (const line of lines) {
    const c = parseCredits(line);
    if (!c.isCredit) continue;
    out.author ??= c.author;
    out.source ??= c.source;
    out.dateRaw ??= c.dateRaw;
  }
  return out;
}

/** A magazine issue or a bare month ("《北京之春》1998年3月号", "2003年5月"): month precision. */
export function monthDate(lines: readonly string[]): string | null {
  for (const line of lines) {
    const s = foldDigits(simplify(line));
    const m = /(?:》|^)\s*(\d{4})\s*年\s*(\d{1,2})\s*月(?:号|刊)?\s*$/.exec(s);
    if (m && s.length <= 40) return `${m[1]}年${m[2]}月`;
  }
  return null;
}

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * Epoch ms of a publication date as a page writes it, read in `timeZone` when it has no
 * offset. Adds what parseDate leaves out: English month names, a.m./p.m. after a Chinese
 * date, and month-only dates (the first of the month).
 */
export function parsePublished(raw: string | null, timeZone: string): number | null {
  if (!raw) return null;
  let s = foldDigits(raw).replace(/\s+/g, ' ').trim();
  // ISO 8601 as meta tags and JSON-LD write it, possibly with an offset.
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(s)) return parseDate(s, timeZone);
  // 9:23:57 PM → 21:23:57, whatever the date order around it.
  s = s.replace(/\b(\d{1,2})(:\d{2}(?::\d{2})?)\s*([AaPp])\.?[Mm]\.?/, (_m, h: string, rest: string, ap: string) => {
    const hour = Number(h);
    const h24 = /p/i.test(ap) ? (hour < 12 ? hour + 12 : hour) : hour === 12 ? 0 : hour;
    return `${h24}${rest}`;
  });
  const en = /\b([a-z]{3})[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?:\s*(?:at\s*)?(\d{1,2}):(\d{2})(?::(\d{2}))?)?/i.exec(s);
  if (en && MONTH_NAMES.includes(en[1]!.toLowerCase())) {
    const mo = MONTH_NAMES.indexOf(en[1]!.toLowerCase()) + 1;
    s = `${en[3]}-${String(mo).padStart(2, '0')}-${en[2]!.padStart(2, '0')} ${(en[4] ?? '0').padStart(2, '0')}:${en[5] ?? '00'}:${en[6] ?? '00'}`;
  }
  const month = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$/.exec(s);
  if (month) s = `${month[1]}-${month[2]!.padStart(2, '0')}-01`;
  const full = DATE_PATTERN.exec(s);
  return parseDate(full ? full[0] : s, timeZone);
}

const NOT_A_PERSON = /team|\.com|\.cn|\.net|www\.|网络|公司|集团|网站|有限|工作室|admin|编辑部|出版|期刊|杂志|publish|^[\d\s]+$/i;

/** An author value from a meta tag or Readability's byline, if it looks like a person. */
export function personName(value: string | null | undefined): string | null {
  if (!value) return null;
  // "赵  培": a two-character name spaced out for layout.
  const v = value
    .replace(/^(\p{Script=Han})\s+(\p{Script=Han}{1,2})$/u, '$1$2')
    .replace(/\s+/g, ' ')
    .trim();
  if (!v || v.length > 40 || NOT_A_PERSON.test(v) || isOutletName(v)) return null;
  return cleanName(v) ?? null;
}
