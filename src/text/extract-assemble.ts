// From a chosen body and the page around it to an article: the headline, the credits in
// the lines between headline and body (and just below the body), the boilerplate pass,
// and the date parsed in the page's zone.
import type { DetectedScript } from '../domain/types.js';
import { cleanBody } from './boilerplate.js';
import { isOutletName, looksLikeName, parseCredits } from './boilerplate-fields.js';
import { breadcrumbParts, isBreadcrumb, isMenuWord, isNavRow, isProse, isToolLine, simplify } from './boilerplate-patterns.js';
import { creditsIn, findHeadline, type MetaTags, monthDate, parsePublished, personName, stripSiteSuffix } from './extract-meta.js';
import { isStampLine, postStart } from './extract-anchor.js';
import type { Line } from './extract-lines.js';
import { detectScript } from './script.js';

export interface Located {
  /** Every visible line of the page, in order. */
  readonly page: readonly string[];
  /** The chosen body lines (a subsequence of the page, give or take wrapping). */
  readonly body: readonly string[];
  readonly method: string;
  readonly byline: string | null;
  readonly fallbackTitle: string | null;
  /** The page lines with their link counts, when the page was HTML. */
  readonly pageLines?: readonly Line[];
}

export interface ExtractedArticle {
  title: string;
  paragraphs: string[];
  /** Paragraphs joined by \n. */
  text: string;
  author: string | null;
  /** Epoch ms. */
  publishedAt: number | null;
  publishedRaw: string | null;
  /** The outlet named in the credits (嘉兴日报), not the site hosting the page. */
  source: string | null;
  breadcrumb: string[];
  script: DetectedScript;
  /** Which strategy produced the body, for debugging. */
  method: string;
}

const loose = (s: string): string => s.replace(/[\s\u00a0\u3000\p{P}\p{S}]+/gu, '');
// Body lines come from the same DOM text as the page lines, so spacing is all that differs.
const compact = (s: string): string => s.replace(/[\s\u00a0\u3000]+/g, '');

/**
 * Index of the page line holding `line`, from `from`: the same line if there is one, else
 * one containing its first (or last) 16 characters.
 */
function locate(page: readonly string[], pageCompact: Array<string | undefined>, line: string, from: number, tail: boolean): number {
  const l = compact(line);
  if (l.length < 4) return -1;
  const at = (i: number): string => (pageCompact[i] ??= compact(page[i]!));
  for (let i = Math.max(0, from); i < page.length; i++) if (at(i) === l) return i;
  const key = tail ? l.slice(-16) : l.slice(0, 16);
  // About as long as the body line: a breadcrumb or a link list may quote the headline too.
  for (let i = Math.max(0, from); i < page.length; i++) if (at(i).includes(key) && at(i).length <= l.length * 1.5 + 8) return i;
  return -1;
}

/** Headline of a text-only page: the line above the byline, else (unless `bylineOnly`) the first real line. */
function textHeadline(lines: readonly string[], bylineOnly = false): { index: number; text: string } | null {
  const head = lines.slice(0, 12);
  const usable = (l: string): boolean => !isBreadcrumb(l) && !isNavRow(l) && !isToolLine(l) && !isMenuWord(l) && !parseCredits(l).isCredit && !isProse(l);
  const byline = head.findIndex((l) => parseCredits(l).isCredit);
  for (let i = byline - 1; i >= 0; i--) if (usable(head[i]!)) return { index: i, text: head[i]! };
  if (bylineOnly) return null;
  const first = head.findIndex((l) => usable(l) && [...l].length >= 5);
  return first >= 0 ? { index: first, text: head[first]! } : null;
}

// Forum posts show the poster's name above a panel of stats (积分 356, 帖子 118, 注册 …).
const PROFILE_STAT = /^(?:积分|帖子|主题|注册|等级|威望|金钱|精华|UID|在线时间|阅读权限|積分|註冊|等級)\s*[:：]?\s*\d/;

function forumUser(lines: readonly string[]): string | null {
  for (let i = 0; i + 1 < lines.length; i++) {
    const name = lines[i]!.trim();
    if (PROFILE_STAT.test(lines[i + 1]!.trim()) && /^[\p{Script=Han}\w.&·-]{2,20}$/u.test(name) && !PROFILE_STAT.test(name)) return name;
  }
  return null;
}

const MIN_BODY_CHARS = 20;
const SCRIPT_SAMPLE = 1000;

interface Zones {
  bodyStart: number;
  headline: { index: number; text: string } | null;
  /** The headline sits right above (or at the top of) the body, so the header is trustworthy. */
  anchored: boolean;
  header: readonly string[];
  footer: readonly string[];
}

/**
 * The heading of the post the body belongs to, when the body is one of several sibling
 * posts (a blog's front page): a linked, short line just above the body with a stamp
 * under it. The page's own headline (the blog's name) is not the post's title.
 */
function postHeading(loc: Located, bodyStart: number): { index: number; text: string } | null {
  const lines = loc.pageLines;
  if (!lines || bodyStart <= 0) return null;
  // Only stamp lines may sit between the heading and the body.
  for (let i = bodyStart - 1; i >= Math.max(0, bodyStart - 4); i--) {
    const l = lines[i]!;
    if (l.linkChars > 0 && i + 1 < bodyStart && postStart(lines, i) === i) return { index: i, text: l.text };
    if (!isStampLine(l.text)) return null;
  }
  return null;
}

/** Where the body sits in the page, its headline, and the lines around it that carry credits. */
function zones(loc: Located, tags: MetaTags): Zones {
  const { page, body } = loc;
  if (loc.method === 'text') return { bodyStart: 0, headline: textHeadline(page), anchored: false, header: [], footer: [] };
  const pageCompact = new Array<string | undefined>(page.length);
  const firstKey = body.findIndex((l) => compact(l).length >= 8);
  const bodyStart = locate(page, pageCompact, body[Math.max(0, firstKey)] ?? '', 0, false);
  const lastKey = body.length - 1 - [...body].reverse().findIndex((l) => compact(l).length >= 8);
  const bodyEnd = bodyStart < 0 ? -1 : locate(page, pageCompact, body[Math.min(body.length - 1, lastKey)] ?? '', bodyStart, true);
  const headline = postHeading(loc, bodyStart) ?? findHeadline(page, bodyStart < 0 ? 25 : bodyStart, tags);
  const anchored = !!headline && bodyStart >= 0 && headline.index <= bodyStart;
  let header: readonly string[] = [];
  if (anchored) {
    // A forum post's stamp may sit just above its headline (2003-5-29 09:07 楼主).
    let up = headline.index - 1;
    while (up > 0 && loose(page[up]!) === loose(headline.text)) up--;
    const stamp = page[up];
    const stampLine = stamp !== undefined && /\d{1,2}:\d{2}/.test(stamp) ? [stamp] : [];
    const below = page.slice(headline.index + 1, Math.min(bodyStart, headline.index + 9));
    const above = page.slice(Math.max(headline.index + 9, bodyStart - 4), bodyStart);
    header = [...below, ...stampLine, ...above];
  } else if (bodyStart >= 0) header = page.slice(Math.max(0, bodyStart - 6), bodyStart);
  const footer = bodyEnd >= 0 ? page.slice(bodyEnd + 1, bodyEnd + 7) : [];
  return { bodyStart, headline, anchored, header, footer };
}

function pickTitle(loc: Located, tags: MetaTags, z: Zones): string {
  // The <title> names the line that is the headline; failing that, the line above a byline.
  const inBody = z.headline || loc.method === 'text' ? null : textHeadline(loc.body, true);
  const title =
    z.headline?.text ??
    inBody?.text ??
    tags.h1[0] ??
    (tags.title ? stripSiteSuffix(tags.title) : null) ??
    loc.fallbackTitle ??
    textHeadline(loc.body)?.text ??
    '';
  return title.replace(/\s+/g, ' ').trim();
}

/** The zone of a meta date with a whole-hour offset (…T07:30:00+09:00 → Etc/GMT-9), else null. */
export function pageZone(published: string | null): string | null {
  const m = published ? /T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*([+-])(\d{2}):?(\d{2})$/.exec(published.trim()) : null;
  if (!m || m[3] !== '00') return null;
  const hours = Number(m[2]);
  if (hours > 14) return null;
  // Etc/GMT names count the other way: UTC+9 is Etc/GMT-9.
  return hours === 0 ? 'UTC' : `Etc/GMT${m[1] === '+' ? '-' : '+'}${hours}`;
}

/** The first date that parses, in order of trust, with the raw text it came from. */
function pickDate(raws: ReadonlyArray<string | null | undefined>, timeZone: string): { at: number | null; raw: string | null } {
  for (const raw of raws) {
    const at = raw ? parsePublished(raw, timeZone) : null;
    if (at !== null && Number.isFinite(at)) return { at, raw: raw! };
  }
  return { at: null, raw: null };
}

export function assemble(loc: Located, tags: MetaTags, timeZone: string): ExtractedArticle | null {
  const z = zones(loc, tags);
  const title = pickTitle(loc, tags, z);

  // The body may repeat the headline above its first sentence.
  const titleLoose = loose(title);
  const isTitle = (l: string): boolean => titleLoose.length >= 4 && loose(l) === titleLoose;
  const firstProse = loc.body.findIndex((l) => isProse(l));
  const cleaned = cleanBody(loc.body.filter((l, i) => !(i <= firstProse && isTitle(l))));
  let paragraphs = cleaned.paragraphs;
  if (paragraphs.length > 0 && isTitle(paragraphs[0]!)) paragraphs = paragraphs.slice(1);
  const chars = paragraphs.reduce((n, p) => n + loose(p).length, 0);
  if (chars < MIN_BODY_CHARS || (chars < 80 && !paragraphs.some((p) => isProse(p)))) return null;

  // Credits under an anchored headline come first; without that anchor the zone above the
  // body may be a sidebar or a clock, so its credits come after the body's own.
  const hdr = creditsIn(z.header);
  const ftr = creditsIn(z.footer);
  const first = z.anchored ? hdr : null;
  const last = z.anchored ? null : hdr;
  // A bare name on the line under the headline (胡平) is the author when nothing says otherwise.
  const underHeadline = z.anchored && z.header[0] && looksLikeName(simplify(z.header[0])) ? z.header[0].trim() : null;
  // The visible byline before structured data; an outlet or the site's name is never the author.
  const authors = [first?.author, cleaned.meta.author, ftr.author, last?.author, underHeadline, forumUser(z.header), personName(tags.author), personName(loc.byline)];
  const author = authors.find((a): a is string => !!a && !isOutletName(a)) ?? null;
  const outletAuthor = authors.find((a): a is string => !!a && isOutletName(a)) ?? (tags.author && isOutletName(tags.author) ? tags.author.trim() : null);
  const source = first?.source ?? cleaned.meta.source ?? ftr.source ?? last?.source ?? outletAuthor ?? null;
  const tail = [...paragraphs.slice(-3), ...z.footer];
  // The dateline under the headline is what readers see, and meta tags are often the time a
  // page was generated or re-published; it is read in the zone the page's own tags declare.
  const zone = pageZone(tags.published) ?? timeZone;
  const date = pickDate([first?.dateRaw, cleaned.meta.headDateRaw, tags.published, cleaned.meta.publishedRaw, ftr.dateRaw, last?.dateRaw, monthDate([...z.header, ...tail])], zone);

  let breadcrumb = cleaned.meta.breadcrumb;
  if (breadcrumb.length === 0 && z.bodyStart > 0) {
    const crumb = loc.page.slice(0, z.bodyStart).find((l) => isBreadcrumb(l));
    if (crumb) breadcrumb = breadcrumbParts(crumb);
  }
  const text = paragraphs.join('\n');
  return {
    title,
    paragraphs,
    text,
    author,
    publishedAt: date.at,
    publishedRaw: date.raw,
    source,
    breadcrumb,
    // A sample is enough to tell the scripts apart, and converting a whole long text is not free.
    script: detectScript(`${title}\n${text.slice(0, SCRIPT_SAMPLE)}`),
    method: loc.method,
  };
}
