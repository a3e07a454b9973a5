// Removing the furniture of a Chinese news page from its body while keeping the facts it
// carries (author, outlet, date, breadcrumb, print headline) as metadata. Works on
// Simplified and Traditional text alike: every classifier matches t2s(line).
import { cleanName, type Credits, looksLikeName, parseCredits } from './boilerplate-fields.js';
import {
  breadcrumbParts,
  isBreadcrumb,
  isFooterStart,
  isMenuWord,
  isNavRow,
  isPhotoCaption,
  isProse,
  isToolLine,
  LONG_LINE,
  squash,
  toSimplified,
} from './boilerplate-patterns.js';
import { t2s } from './script.js';

export { parseCredits, cleanName, looksLikeName, DATE_PATTERN, type Credits } from './boilerplate-fields.js';
export { breadcrumbParts, isBreadcrumb, isMenuWord, isFooterStart, isNavRow, isPhotoCaption, isProse, isToolLine } from './boilerplate-patterns.js';

export interface BodyMeta {
  author: string | null;
  source: string | null;
  publishedRaw: string | null;
  /** A date from the credits above the first paragraph: the dateline. */
  headDateRaw: string | null;
  breadcrumb: string[];
  originalTitle: string | null;
}

export interface CleanedBody {
  paragraphs: string[];
  meta: BodyMeta;
}

/** How far into the text a footer may start, as a share of its characters. */
const FOOTER_MAX_TAIL = 0.4;
/** Lines before the first prose line that are examined as the article head. */
const HEAD_LINES = 12;

// The lookbehind keeps the trailing match linear on a long blank run inside a line.
const TRIM = /^[\s\u00a0\u3000\u200b\ufeff]+|(?<![\s\u00a0\u3000\u200b\ufeff])[\s\u00a0\u3000\u200b\ufeff]+$/g;
const charsOf = (s: string): number => s.replace(/\s+/g, '').length;

/** A byline, dateline or source line: the credits are recorded, the line is dropped. */
export function isCreditLine(line: string): boolean {
  return parseCredits(line).isCredit;
}

function takeCredits(meta: BodyMeta, c: Credits, addAuthors = false): boolean {
  if (!c.isCredit && !c.originalTitle) return false;
  // Several byline lines under a headline (本报实习生 …, 本报记者 …) name several authors.
  if (c.author && !meta.author) meta.author = c.author;
  else if (c.author && addAuthors && !meta.author!.includes(c.author)) meta.author = `${meta.author} ${c.author}`;
  if (c.source && !meta.source) meta.source = c.source;
  if (c.dateRaw && !meta.publishedRaw) meta.publishedRaw = c.dateRaw;
  if (c.dateRaw && addAuthors && !meta.headDateRaw) meta.headDateRaw = c.dateRaw;
  if (c.originalTitle && !meta.originalTitle) meta.originalTitle = c.originalTitle;
  return true;
}

/**
 * Index of the first footer-start line, or -1. Only in the last part of the text: what
 * follows the line must be a small share of the article, so a sentence that happens to
 * start with 来源： in the middle of a long story does not cut it short.
 */
function footerStart(lines: readonly string[], simple: readonly string[], credits: (line: string) => Credits): number {
  const total = lines.reduce((n, l) => n + charsOf(l), 0);
  let tail = total;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const after = tail - charsOf(line);
    const inTail = i > 0 && (tail <= total * FOOTER_MAX_TAIL || after <= 400);
    // A post stamp (本贴由 … 于 2005-08-12 发表) ends a forum post as a footer does.
    if (inTail && (isFooterStart(line, simple[i]) || isStamp(credits(line))) && !(isProse(line, simple[i]) && charsOf(line) > 80)) return i;
    tail = after;
  }
  return -1;
}

/** A line that is only personal names: 胡平, 赵延东、风笑天. */
function namesOnly(s: string): boolean {
  const parts = s.split(/\s*[、，,\s]\s*/).filter(Boolean);
  return parts.length >= 1 && parts.length <= 6 && looksLikeName(parts[0]!) && parts.every((p) => /^\p{Script=Han}{2,4}$/u.test(p));
}

const isStamp = (c: Credits): boolean => c.isCredit && c.dateRaw !== null && c.author !== null;

// A closing credit in brackets: （记者 张三）, (编辑 李四), （完）.
const CLOSING = /^[（(【[]\s*(?:完|全文完|终|记者[^）)]{0,20}|编辑[^）)]{0,20}|责任编辑[^）)]{0,20}|通讯员[^）)]{0,20}|([\p{Script=Han}·]{2,4}))\s*[）)】\]]$/u;
const NOT_A_NAME = /^(?:完|全文完|终|待续|未完|未完待续|续|注|附|图|组图|视频|上|中|下|本报讯|新华社)$/;

/**
 * Pops credits after the last sentence — （记者 张三）, 编辑：李四, a dateline — and reads
 * a closing credit left inside the last paragraph ("…吗？”（姚峰 上海报道）").
 */
function dropTrailingCredits(lines: string[], simple: string[], meta: BodyMeta, take: (line: string) => boolean): void {
  while (lines.length > 0) {
    const last = lines[lines.length - 1]!;
    const s = simple[simple.length - 1]!;
    const name = CLOSING.exec(s);
    if (name) {
      // squash(t2s(line)) keeps the offsets of squash(line): the name keeps its own spelling.
      const at = name[1] ? s.indexOf(name[1]) : -1;
      if (name[1] && !NOT_A_NAME.test(name[1])) meta.author ??= squash(last).slice(at, at + name[1].length);
      else take(last.replace(/^[（(【[]|[）)】\]]$/g, ''));
    } else if (!(!isProse(last, s) && charsOf(last) <= 60 && take(last))) break;
    lines.pop();
    simple.pop();
  }
  const lastLine = lines[lines.length - 1];
  const inline = lastLine ? /[（(]([^（()）]{2,24})[）)]$/.exec(squash(lastLine)) : null;
  if (inline && /报道|记者|通讯员/.test(t2s(inline[1]!))) {
    const name = cleanName(inline[1]!.replace(/\s*\S{0,6}报道$/, ''));
    if (name && !NOT_A_NAME.test(name)) meta.author ??= name;
  }
}

/**
 * Removes bylines, datelines, breadcrumbs, navigation and tool rows, photo captions and
 * the footer, returning the remaining paragraphs and the facts found in what was removed.
 */
export function cleanBody(paragraphs: readonly string[]): CleanedBody {
  const meta: BodyMeta = { author: null, source: null, publishedRaw: null, headDateRaw: null, breadcrumb: [], originalTitle: null };
  let lines = paragraphs.map((p) => p.replace(TRIM, '')).filter((p) => p !== '');
  // Nothing to clean (a title-only item): none of the work below, which finds nothing.
  if (lines.length === 0) return { paragraphs: lines, meta };
  // Each line is converted and parsed once; the classifiers below reuse the results.
  const converted = new Map<string, string>();
  const memo = new Map<string, Credits>();
  const credits = (line: string): Credits => {
    let c = memo.get(line);
    if (!c) memo.set(line, (c = parseCredits(line, converted.get(line))));
    return c;
  };
  const take = (line: string, head = false): boolean => takeCredits(meta, credits(line), head);
  let simple = lines.map((l) => {
    const t = toSimplified(l);
    // Only a whole-line conversion can stand in for parseCredits' own.
    if (l.length <= LONG_LINE) converted.set(l, t);
    return squash(t);
  });

  // The head: everything before the first sentence. Credits and crumbs live here.
  const firstProse = lines.findIndex((l, i) => isProse(l, simple[i]) && !credits(l).isCredit);
  const headEnd = firstProse < 0 ? Math.min(lines.length, HEAD_LINES) : Math.min(firstProse, HEAD_LINES);
  const kept: number[] = [];
  lines.forEach((line, i) => {
    const s = simple[i]!;
    if (isBreadcrumb(line, s)) {
      if (meta.breadcrumb.length === 0) meta.breadcrumb = breadcrumbParts(line);
      return;
    }
    if (isToolLine(line, s)) return;
    if (i < headEnd) {
      // A bare name under the headline is its author; other lone words (推荐, 正文) are menus.
      if (namesOnly(s)) {
        meta.author ??= squash(line);
        return;
      }
      if (take(line, true) || isNavRow(line, s) || isMenuWord(line, s)) return;
    } else if (isNavRow(line, s) || isPhotoCaption(line, s)) {
      // A credit laid out like a menu row (执笔人：甲 乙 丙 丁) still names the authors.
      if (i >= lines.length - 3) take(line);
      return;
    }
    // A byline right at the top of the body (本报记者 张三 发自北京) is also a credit.
    if (i <= headEnd + 1 && !isProse(line, s) && take(line)) return;
    kept.push(i);
  });
  lines = kept.map((i) => lines[i]!);
  simple = kept.map((i) => simple[i]!);

  const cut = footerStart(lines, simple, credits);
  if (cut >= 0) {
    for (const line of lines.slice(cut)) take(line);
    lines = lines.slice(0, cut);
    simple = simple.slice(0, cut);
  }
  dropTrailingCredits(lines, simple, meta, take);
  return { paragraphs: lines, meta };
}
