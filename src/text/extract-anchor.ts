// The headline as an anchor. A page's own story starts under its headline (the line the
// <title> or og:title names) and runs until something that ends an article: a footer line
// (来源, 责编, 相关阅读, 版权), a share bar, a run of link rows, or the heading and date of
// another post. A block of prose elsewhere on the page — the next story of an endless
// stream, teasers of related stories, comment-board rules — may be longer, but it is not
// what the page is about. The density winner is kept whenever it overlaps that zone; the
// zone wins only when the winner lies wholly outside it.
import { parseCredits } from './boilerplate-fields.js';
import { isBreadcrumb, isFooterStart, isProse, isToolLine, simplify } from './boilerplate-patterns.js';
import { type Line, visibleLength } from './extract-lines.js';
import { stripSiteSuffix } from './extract-meta.js';

const loose = (s: string): string => s.replace(/[\s\p{P}\p{S}]+/gu, '');
const compact = (s: string): string => s.replace(/[\s\u00a0\u3000]+/g, '');

/** Lines after the headline searched for the story's first sentence. */
const FIRST_PROSE_WITHIN = 30;
/** A time as a post stamp writes it: a date, a clock time, or "3 小时前". */
const STAMP = /\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}|\d{1,2}:\d{2}|\d+\s*(?:秒|分钟|分鐘|小时|小時|天|日|周|週|个月|個月)前|昨天|前天|刚刚|剛剛|\b\d+\s*(?:min|mins|hours?|days?)\s+ago\b/i;

const linky = (l: Line): boolean => l.linkChars > 0 && l.linkChars >= visibleLength(l.text) * 0.5;

/** A short line that is only a date or time, with at most a name or outlet beside it. */
export function isStampLine(text: string): boolean {
  const n = visibleLength(text);
  if (n === 0 || n > 40 || !STAMP.test(text) || isProse(text)) return false;
  return true;
}

/**
 * Where another post starts at line i, or -1: a short line that is not a sentence (its
 * heading) with a stamp within two lines below, or a linked heading with its stamp just
 * above (a stream item: 来源·8 小时前 / headline).
 */
export function postStart(lines: readonly Line[], i: number): number {
  const t = lines[i]!.text;
  const n = visibleLength(t);
  if (n < 4 || n > 60 || isProse(t) || isStampLine(t)) return -1;
  for (let k = i + 1; k <= i + 2 && k < lines.length; k++) if (isStampLine(lines[k]!.text)) return i;
  return i > 0 && linky(lines[i]!) && isStampLine(lines[i - 1]!.text) ? i - 1 : -1;
}

/** A line that ends the story it follows. */
function endsStory(lines: readonly Line[], i: number): boolean {
  const l = lines[i]!;
  // Footer and tool patterns look at a line's opening words only: convert just those.
  const head = l.text.length > 60 ? l.text.slice(0, 40) : l.text;
  const s = simplify(head);
  if (isFooterStart(head, s) || (head === l.text && isToolLine(l.text, s))) return true;
  if (linky(l) && i + 1 < lines.length && linky(lines[i + 1]!)) return true;
  return postStart(lines, i) >= 0;
}

/** Index of the headline: a line (not a link, not a breadcrumb) that the title names. */
export function headlineIndex(page: readonly Line[], title: string | null): number {
  // The <title> may carry the site's name after the headline (标题_频道_网站).
  const refs = title ? [...new Set([loose(title), loose(stripSiteSuffix(title))])].filter((r) => r.length >= 4) : [];
  let best = -1;
  let bestCover = 0.5;
  for (let i = 0; i < page.length && refs.length > 0; i++) {
    const l = page[i]!;
    if (l.text.length < 4 || l.text.length > 400 || linky(l)) continue;
    const t = loose(l.text);
    if (t.length < 4 || t.length > 160) continue;
    for (const ref of refs) {
      if (!ref.includes(t) && !t.includes(ref)) continue;
      const cover = Math.min(t.length, ref.length) / Math.max(t.length, ref.length);
      // The first of equally good lines: a repeat further down is a teaser or a footer link.
      if (cover > bestCover + 1e-9 && !isBreadcrumb(l.text)) {
        best = i;
        bestCover = cover;
      }
    }
  }
  return best;
}

export interface Zone {
  readonly headline: number;
  /** The lines between headline and story carry a date or a credit: an article's header. */
  readonly dated: boolean;
  /** First line of the story (its first sentence). */
  readonly start: number;
  /** One past the story's last line; `closed` when something ended it. */
  readonly end: number;
  readonly closed: boolean;
  /** Where the next post starts (its heading or stamp), or the page's length. */
  readonly nextPost: number;
}

/**
 * Where the next post after `start` begins, looking no further than line `limit`: past it
 * the answer is `limit` or later, and the caller only asks whether it is before `limit`.
 * Scanning every remaining line (hundreds of link rows on a portal page) was a tenth of
 * the extraction time for an answer almost never needed.
 */
function nextPostWithin(page: readonly Line[], start: number, limit: number): number {
  for (let i = start + 1; i < page.length && i <= limit; i++) {
    const p = postStart(page, i);
    if (p > start) return p;
  }
  return page.length;
}

/** The story under the headline, as a range of page lines. */
export function storyZone(page: readonly Line[], title: string | null, limit = page.length): Zone | null {
  const h = headlineIndex(page, title);
  if (h < 0) return null;
  let start = -1;
  let dated = false;
  for (let i = h + 1; i < Math.min(page.length, h + 1 + FIRST_PROSE_WITHIN); i++) {
    const l = page[i]!;
    const credit = parseCredits(l.text).isCredit;
    if (isProse(l.text) && !linky(l) && !credit) {
      start = i;
      break;
    }
    // A second heading and stamp before this story said anything: another post, no story here.
    if (dated && postStart(page, i) > h + 1) return null;
    dated ||= credit || isStampLine(l.text);
  }
  if (start < 0) return null;
  let end = start + 1;
  while (end < page.length && !endsStory(page, end)) end++;
  return { headline: h, dated, start, end, closed: end < page.length, nextPost: nextPostWithin(page, start, limit) };
}

/** Page index of each body line (by text, in order), or -1 where it is not found. */
export function bodyIndices(page: readonly Line[], body: readonly string[]): number[] {
  // Every page line is compacted once: a long body against a long page stays linear-ish.
  const where = new Map<string, number[]>();
  page.forEach((l, i) => {
    const k = compact(l.text);
    const list = where.get(k);
    if (list) list.push(i);
    else where.set(k, [i]);
  });
  const cursor = new Map<string, number>();
  const out: number[] = [];
  let from = 0;
  for (const line of body) {
    const key = compact(line);
    const list = where.get(key);
    // `from` only grows, so each key's list is consumed from the front.
    let c = cursor.get(key) ?? 0;
    while (list && c < list.length && list[c]! < from) c++;
    cursor.set(key, c);
    const at = list && c < list.length ? list[c]! : -1;
    out.push(at);
    if (at >= 0) from = at + 1;
  }
  return out;
}

/** Characters of text per post beyond which a run of lines is one long piece, not a stream of posts. */
const STREAM_CHARS_PER_POST = 800;

/** Lines from..to hold a stream of posts (items, teasers, comments), not one long text with a date in it. */
function isStream(page: readonly Line[], from: number, to: number): boolean {
  let posts = 0;
  let chars = 0;
  for (let i = from; i <= to; i++) {
    const p = postStart(page, i);
    if (p === i || p === i - 1) posts++;
    if (!linky(page[i]!)) chars += visibleLength(page[i]!.text);
  }
  return posts >= 2 && chars / posts <= STREAM_CHARS_PER_POST;
}

/**
 * The body once the headline has had its say. When the chosen body lies wholly outside the
 * dated story under the headline (after its end, or above the headline), the story's lines;
 * when it runs on into the next post, the body up to that post; otherwise null (keep it).
 */
export function anchoredLines(page: readonly Line[], title: string | null, body: readonly string[]): Line[] | string[] | null {
  const at = bodyIndices(page, body);
  const found = at.filter((i) => i >= 0);
  if (found.length === 0) return null;
  const first = found[0]!;
  const last = found[found.length - 1]!;
  // A post starting at line last+1 may put its stamp on line `last`; any later one leaves
  // nextPost beyond `last`, which the test below reads the same as "no next post".
  const zone = storyZone(page, title, last + 1);
  if (!zone || !zone.dated) return null;
  if ((zone.closed && first >= zone.end) || last < zone.headline) {
    const lines = page.slice(zone.start, zone.end);
    const prose = lines.filter((l) => !linky(l) && isProse(l.text)).reduce((n, l) => n + visibleLength(l.text), 0);
    return prose >= 30 ? lines : null;
  }
  if (last < zone.nextPost || first >= zone.nextPost || !isStream(page, zone.nextPost, last)) return null;
  let cut = at.findIndex((i) => i >= zone.nextPost);
  // A label over the next post (你可能还想看, 相关推荐) goes with it.
  while (cut > 0 && !isProse(body[cut - 1]!) && visibleLength(body[cut - 1]!) <= 12) cut--;
  return cut > 0 ? body.slice(0, cut) : null;
}
