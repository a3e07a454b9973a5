// What makes one link look like a link to a news article, and where an item's date is.
// These rules follow from how list pages are built: articles live at addresses that carry a
// date or a numeric id and end in a file name, sections at short addresses ending in "/" or
// an index page; titles are a sentence long, navigation words are two or four characters.
import { getDomain } from 'tldts';
import { parseDate, plausibleDate, zoneOffsetMs } from '../text/dates.js';

export interface LinkInfo {
  readonly url: string;
  readonly text: string;
  /** 0..1: how much the address looks like one article's page. */
  readonly urlScore: number;
  /** The text is as long as a headline and not a navigation word. */
  readonly titleLike: boolean;
  /** The address looks like a section, an index or a listing, never an article. */
  readonly sectionLike: boolean;
  /** On the page's own site (any subdomain). */
  readonly sameSite: boolean;
}

const DATE_IN_PATH = /(?:^|[/_\-.tT])(?:19|20)\d{2}[-/_]?(?:0[1-9]|1[0-2])(?:[-/_]?(?:[0-2]\d|3[01]))?(?=[/_\-.]|$|\d)/;
const LONG_NUMBER = /\d{5,}/;
const DOCUMENT = /\.(?:s?html?|php|aspx?|jsp|cms)$/i;
const INDEX_NAME = /^(?:index|default|list|home|main)(?:[_-]\d+)?(?:\.\w+)?$/i;
const PAGING_TEXT = /^(?:[\d\s.…]+|[<>«»‹›]+|首页|尾页|末页|上一?页|下一?页|前一?页|后一?页|後一?頁|下一?頁|上一?頁|首頁|尾頁|更多.*|more.*|next.*|prev.*|previous|first|last|返回.*|查看更多|点击查看|詳情|详情|阅读全文|read more)$/i;
/** A headline has at least this many characters (a Han character or a Latin letter counts one). */
const MIN_TITLE = 6;
const MAX_TITLE = 120;

export const collapse = (s: string): string => s.replace(/[\s\u00a0\u3000]+/g, ' ').trim();

/**
 * Two hosts belong to one site when their registrable domain (public suffix plus one label)
 * agrees: www.x.cn and news.x.cn do, but a.gov.cn and b.gov.cn are two governments' sites,
 * and so are two names under com.cn. Addresses and single-label hosts must match exactly.
 */
export function sameSite(a: string, b: string): boolean {
  const site = (h: string) => getDomain(h, { allowPrivateDomains: true }) ?? h.toLowerCase();
  return site(a) === site(b);
}

export function scoreLink(href: string, rawText: string, page: URL): LinkInfo | null {
  let url: URL;
  try {
    url = new URL(href.trim(), page);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  url.hash = '';
  const text = collapse(rawText);
  const segments = url.pathname.split('/').filter(Boolean);
  const last = segments.at(-1) ?? '';
  const trailingSlash = url.pathname.endsWith('/');
  const idInQuery = /[?&][a-z_]*id=\d{3,}/i.test(url.search) || LONG_NUMBER.test(url.search);
  const pagingQuery = /[?&](?:page|p|pn|pageno|start|offset)=\d+/i.test(url.search) && !idInQuery;
  let score = 0;
  if (DATE_IN_PATH.test(url.pathname)) score += 0.5;
  if (LONG_NUMBER.test(last) || idInQuery) score += 0.4;
  if (DOCUMENT.test(last) && !INDEX_NAME.test(last)) score += 0.2;
  // A slug of several words is how many sites name an article (no date, no id).
  if (!trailingSlash && /^[a-z0-9]+(?:-[a-z0-9]+){3,}(?:\.\w+)?$/i.test(last)) score += 0.4;
  if (segments.length >= 2) score += 0.1;
  const local = sameSite(url.hostname, page.hostname);
  if (!local) score -= 0.3;
  const sectionLike = segments.length === 0 || (trailingSlash && !DATE_IN_PATH.test(url.pathname) && !LONG_NUMBER.test(url.pathname)) || INDEX_NAME.test(last) || pagingQuery;
  const length = [...text].length;
  const titleLike = length >= MIN_TITLE && length <= MAX_TITLE && !PAGING_TEXT.test(text) && /[\p{L}]/u.test(text);
  return { url: url.href, text, urlScore: Math.max(0, Math.min(1, score)), titleLike, sectionLike, sameSite: local };
}

/** A link a reader would take for a story: a headline to an address that is not a section. */
export const isArticleLink = (l: LinkInfo): boolean => l.titleLike && !l.sectionLike && (l.urlScore >= 0.4 || (l.sameSite && [...l.text].length >= 12));

const FULL_DATE = /((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\D{0,3}?(\d{1,2})[:：](\d{2}))?/;
const MONTH_DAY = /(?<![\d.])(\d{1,2})\s*[-/月]\s*(\d{1,2})\s*日?(?![\d/-])(?:\s*(\d{1,2})[:：](\d{2}))?/;
const pad = (n: string | number) => String(n).padStart(2, '0');

/**
 * The first date in the text around a link (the headline itself removed: titles name years).
 * A month and day alone belong to the latest such day that is not in the future.
 */
export function findDate(text: string, timeZone: string, now: number): { at: number; raw: string } | null {
  const full = FULL_DATE.exec(text);
  if (full) {
    const [, y, mo, d, h, mi] = full;
    const at = plausibleDate(parseDate(`${y}-${pad(mo!)}-${pad(d!)}${h ? ` ${pad(h)}:${mi}` : ''}`, timeZone), now);
    if (at !== null) return { at, raw: full[0].trim() };
  }
  const md = MONTH_DAY.exec(text);
  if (md) {
    const [, mo, d, h, mi] = md;
    // This year where the page is read (the zone's date, which differs from UTC around New Year).
    const year = new Date(now + zoneOffsetMs(now, timeZone)).getUTCFullYear();
    for (const y of [year, year - 1]) {
      const at = plausibleDate(parseDate(`${y}-${pad(mo!)}-${pad(d!)}${h ? ` ${pad(h)}:${mi}` : ''}`, timeZone), now);
      if (at !== null) return { at, raw: md[0].trim() };
    }
  }
  return null;
}

/** A date written into the article's address (…/2026/12/05/…, t20261205_…), at local midnight. */
export function dateFromUrl(url: string, timeZone: string, now: number): number | null {
  const m = /(?:^|[/_\-.tT])((?:19|20)\d{2})[-/_]?(0[1-9]|1[0-2])[-/_]?([0-2]\d|3[01])(?=[/_\-.]|$|\d)/.exec(new URL(url).pathname);
  return m ? plausibleDate(parseDate(`${m[1]}-${m[2]}-${m[3]}`, timeZone), now) : null;
}
