// Whether an article seen again on a later poll changed enough to correct its posts. Three
// signs: the headline says something else; the body differs beyond a rewording (character
// bigrams, below); or a correction or update notice has appeared at its top or bottom.
// Differences of script (嘉興/嘉兴), punctuation width (，/,), spacing and letter case are
// not changes: both sides are compared in normalizeForMatch's form without punctuation.
// Pure: no I/O; cost bounded by MAX_COMPARED whatever the length of the bodies.
import { normalizeForMatch } from './script.js';

export type RevisionReason = 'title' | 'body' | 'notice';

export interface ArticleVersion {
  readonly title: string;
  /** The body text, paragraphs separated by \n (Article.text). */
  readonly text: string;
}

export interface MaterialChange {
  readonly changed: boolean;
  /** Why, in the order title, body, notice; empty when unchanged. */
  readonly reasons: RevisionReason[];
  /** Body similarity 0..1 (1 = the same text), for logs. */
  readonly similarity: number;
}

/** Bodies less alike than this changed materially (see bodySimilarity for what 0.9 means). */
export const BODY_SIMILARITY_THRESHOLD = 0.9;
/** Characters of each body compared: half from its start, half from its end. */
export const MAX_COMPARED = 20_000;
/** Lines read for notices at each end of the body. */
const NOTICE_LINES = 3;
/** A notice is a line, not a paragraph of reporting. */
const MAX_NOTICE_CHARS = 300;

// Whitespace, punctuation and symbols of every width: none of them changes what a text says.
const NOISE = /[\s\p{P}\p{S}]+/gu;

/** The comparable form of a text: NFKC, Simplified, lower case, no spacing or punctuation. */
export function comparable(text: string): string {
  return normalizeForMatch(text).replace(NOISE, '');
}

/**
 * The comparable form of at most MAX_COMPARED characters of `text`: half from its start and
 * half from its end, cut before normalising (script conversion is the costly step), with
 * room for the spacing and punctuation normalising removes.
 */
function sample(text: string): string {
  const half = MAX_COMPARED / 2;
  if (text.length <= MAX_COMPARED * 2) {
    const all = comparable(text);
    return all.length <= MAX_COMPARED ? all : `${all.slice(0, half)}${all.slice(-half)}`;
  }
  return `${comparable(text.slice(0, MAX_COMPARED)).slice(0, half)}${comparable(text.slice(-MAX_COMPARED)).slice(-half)}`;
}

function bigrams(s: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + 1 < s.length; i++) {
    const g = s.slice(i, i + 2);
    counts.set(g, (counts.get(g) ?? 0) + 1);
  }
  return counts;
}

/**
 * Dice similarity of the two texts' character-bigram multisets (2·shared / total), capped
 * by their length ratio 2·min/(min+max) so text beyond the compared samples still counts.
 * Character bigrams because Chinese has no spaces and most of its words are two
 * characters; Dice over them costs linear time where an edit distance is quadratic.
 * Replacing k of n characters breaks about 2k bigrams, so 0.9 is about 5 % of the text
 * rewritten; adding or cutting text alone falls below 0.9 at about a fifth of the body.
 * Reordered paragraphs and fixed typos stay above it.
 */
export function bodySimilarity(before: string, after: string): number {
  if (before === after) return 1;
  // Normalising keeps the length of what it does not remove, so the lengths are read raw.
  const la = before.replace(NOISE, '').length;
  const lb = after.replace(NOISE, '').length;
  if (la === 0 && lb === 0) return 1;
  if (la === 0 || lb === 0) return 0;
  const lengthBound = (2 * Math.min(la, lb)) / (la + lb);
  const sa = sample(before);
  const sb = sample(after);
  if (sa === sb) return lengthBound;
  if (sa.length < 2 || sb.length < 2) return 0;
  const ga = bigrams(sa);
  let shared = 0;
  for (let i = 0; i + 1 < sb.length; i++) {
    const g = sb.slice(i, i + 2);
    const n = ga.get(g);
    if (n) {
      shared++;
      ga.set(g, n - 1);
    }
  }
  const dice = (2 * shared) / (sa.length - 1 + sb.length - 1);
  return Math.min(dice, lengthBound);
}

// A notice opens with its word, bare or in brackets: 更正：… 【更新】… [Update] … Correction: …
const NOTICE_HEAD = /^[\s【〔［[（(「『<《]*(?:更正|订正|訂正|勘误|勘誤|更新|修订|修訂|correction|corrections|corrected|update|updated)(?:声明|聲明|启事|啟事|说明|說明|内容|內容|时间|時間|日期|于|於)?\s*(?:[】〕］\]）)」』>》:：\-—|]|$|\s+(?:\d|on|at|\()|(?<=[于於])\s*\d)/i;
// …or says in a sentence that this text was corrected or updated.
const NOTICE_SENTENCE =
  /(?:本文|此文|该文|該文|原文|原稿|本稿|本条|本條|稿件|本报道|本報道)[^。！？\n，,]{0,12}(?:已|曾|予以|作了?|进行了?|進行了?|于|於)[^。！？\n，,]{0,20}(?:更正|订正|訂正|勘误|勘誤|更新|修订|修訂|修改)|特此(?:更正|订正|訂正)|(?:有误|有誤|错误|錯誤)[^。！？\n]{0,10}(?:现|現|已|特此)?(?:更正|订正|訂正|改正)|\b(?:this|the) (?:article|story|post|report) (?:has been|was|is) (?:updated|corrected|amended)|\ban earlier version of this\b/i;

/** A line that announces a correction or an update of the text it belongs to. */
export function isNoticeLine(line: string): boolean {
  const s = line.trim();
  if (!s || s.length > MAX_NOTICE_CHARS) return false;
  return NOTICE_HEAD.test(s) || NOTICE_SENTENCE.test(s);
}

// Notices told apart without digits: most CMSs print a standing stamp ("更新时间：2024-05-01
// 10:00") from the first version on, and a new date in it is not a new notice.
const noticeKey = (line: string): string => comparable(line).replace(/\d+/g, '');

/** Keys of the notice lines in the title and at both ends of `v`'s body (all lines when `everywhere`). */
function notices(v: ArticleVersion, everywhere: boolean): string[] {
  const lines = v.text
    .split('\n')
    .slice(0, 5000)
    .filter((l) => l.trim() !== '');
  const edges = everywhere || lines.length <= NOTICE_LINES * 2 ? lines : [...lines.slice(0, NOTICE_LINES), ...lines.slice(-NOTICE_LINES)];
  return [v.title, ...edges].filter(isNoticeLine).map(noticeKey);
}

const versionOf = (v: unknown): ArticleVersion => {
  const o = (v && typeof v === 'object' ? v : {}) as Partial<Record<keyof ArticleVersion, unknown>>;
  return { title: typeof o.title === 'string' ? o.title : '', text: typeof o.text === 'string' ? o.text : '' };
};

/**
 * Whether `after` (this poll's version) changed materially from `before` (the stored one).
 * Both must be the same kind of text — page text to page text, feed text to feed text —
 * or a teaser that became a full article reads as a rewrite.
 */
export function materialChange(before: ArticleVersion, after: ArticleVersion): MaterialChange {
  const b = versionOf(before);
  const a = versionOf(after);
  const reasons: RevisionReason[] = [];
  if (comparable(b.title) !== comparable(a.title)) reasons.push('title');
  const similarity = bodySimilarity(b.text, a.text);
  if (similarity < BODY_SIMILARITY_THRESHOLD) reasons.push('body');
  const old = new Set(notices(b, true));
  if (notices(a, false).some((k) => !old.has(k))) reasons.push('notice');
  return { changed: reasons.length > 0, reasons, similarity };
}
