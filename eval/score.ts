// The extraction scoring convention of shared/eval/extraction/INDEX.md: CJK characters and
// ASCII alphanumeric runs are tokens, 4-token shingles are compared as bags, and the set is
// summarised as the F1 of mean precision and mean recall (plus the mean of page F1s).
import { t2s } from '../src/text/script.js';

// Han in every block plus kana and hangul: each is one token, because a Chinese clause has
// no spaces and a \w+ tokenizer would turn it into a single token.
const TOKEN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]|[A-Za-z0-9]+/gu;

/** Full-width ASCII letters and digits (ＡＢＣ１２３) → half-width, before tokenizing. */
export function foldFullWidth(text: string): string {
  return text.replace(/[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

/**
 * Scoring tokens. Both sides go through the same t2s conversion, so a Traditional output
 * is not penalised against a Simplified label (and vice versa).
 */
export function tokenize(text: string): string[] {
  const folded = t2s(foldFullWidth(text));
  const out: string[] = [];
  for (const m of folded.matchAll(TOKEN)) out.push(m[0].toLowerCase());
  return out;
}

/** Bag of 4-token shingles; a text of 1–3 tokens is one shingle, no tokens none. */
export function shingles(tokens: readonly string[], size = 4): Map<string, number> {
  const bag = new Map<string, number>();
  if (tokens.length === 0) return bag;
  const add = (k: string): void => {
    bag.set(k, (bag.get(k) ?? 0) + 1);
  };
  if (tokens.length < size) {
    add(tokens.join('\u0001'));
    return bag;
  }
  for (let i = 0; i + size <= tokens.length; i++) add(tokens.slice(i, i + size).join('\u0001'));
  return bag;
}

function bagSize(bag: Map<string, number>): number {
  let n = 0;
  for (const v of bag.values()) n += v;
  return n;
}

export interface PageScore {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

const f1 = (p: number, r: number): number => (p + r === 0 ? 0 : (2 * p * r) / (p + r));

/** Precision and recall of an extracted text against the labelled content. */
export function scorePage(output: string, expected: string): PageScore {
  const got = shingles(tokenize(output));
  const want = shingles(tokenize(expected));
  const nGot = bagSize(got);
  const nWant = bagSize(want);
  if (nGot === 0 || nWant === 0) return { precision: 0, recall: 0, f1: 0 };
  let matched = 0;
  for (const [k, v] of got) matched += Math.min(v, want.get(k) ?? 0);
  const precision = matched / nGot;
  const recall = matched / nWant;
  return { precision, recall, f1: f1(precision, recall) };
}

export interface SetScore {
  readonly pages: number;
  readonly meanPrecision: number;
  readonly meanRecall: number;
  /** F1 of the two means: the headline number. */
  readonly f1OfMeans: number;
  readonly meanPageF1: number;
}

export function aggregate(scores: readonly PageScore[]): SetScore {
  const n = scores.length;
  if (n === 0) return { pages: 0, meanPrecision: 0, meanRecall: 0, f1OfMeans: 0, meanPageF1: 0 };
  const mean = (pick: (s: PageScore) => number): number => scores.reduce((a, s) => a + pick(s), 0) / n;
  const meanPrecision = mean((s) => s.precision);
  const meanRecall = mean((s) => s.recall);
  return { pages: n, meanPrecision, meanRecall, f1OfMeans: f1(meanPrecision, meanRecall), meanPageF1: mean((s) => s.f1) };
}

// Labels separate several names by spaces or 、; an extractor may use either, or commas.
const normaliseNames = (s: string): string =>
  t2s(s)
    .replace(/[\s\u00a0\u3000、,，;；/]+/g, ' ')
    .trim();

/** Author exact match after trimming and collapsing separators; null matches only null. */
export function authorMatches(got: string | null | undefined, expected: string | null | undefined): boolean {
  const g = got ? normaliseNames(got) : '';
  const e = expected ? normaliseNames(expected) : '';
  return g === e;
}

const LABEL_DATE = /^(\d{4})(?:[-/.年](\d{1,2})(?:[-/.月](\d{1,2})日?(?:\s+(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?)?)?)?$/;

/** The fields a label gives, in order year … second; null if it is not a date label. */
export function labelFields(label: string): number[] | null {
  const m = LABEL_DATE.exec(label.trim().replace(/\s+/g, ' '));
  if (!m) return null;
  const out: number[] = [];
  for (let i = 1; i <= 6 && m[i] !== undefined; i++) out.push(Number(m[i]));
  return out;
}

/** Wall-clock fields of an instant at +08:00. */
export function fieldsAt0800(ms: number): number[] {
  const d = new Date(ms + 8 * 3_600_000);
  return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()];
}

/** Date match at the label's own precision (a label `1998-3` only checks year and month). */
export function dateMatches(gotMs: number | null | undefined, expected: string | null | undefined): boolean {
  if (!expected) return gotMs === null || gotMs === undefined;
  if (gotMs === null || gotMs === undefined || !Number.isFinite(gotMs)) return false;
  const want = labelFields(expected);
  if (!want) return false;
  const got = fieldsAt0800(gotMs);
  return want.every((v, i) => got[i] === v);
}
