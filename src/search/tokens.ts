// Tokens for the FTS5 index and a query compiler that can only ever produce a valid MATCH.
//
// FTS5's unicode61 tokenizer sees a run of Han characters as one token and trigram cannot
// match under three characters, so the application makes the tokens: every Han run becomes
// its overlapping bigrams plus its last character, Latin words and numbers stay whole. A
// query for a Han string of n ≥ 2 characters is then the phrase of its n−1 bigrams, and a
// single character is a prefix query: a bigram starting with it covers every position in a
// run except the last, which the extra single-character token covers.
import { normalizeForMatch } from '../text/script.js';

/** Longest query accepted, in UTF-16 units; longer input is a mistake, not a search. */
export const MAX_QUERY_LENGTH = 200;
/** Latin words longer than this are cut, on both sides alike (hashes, base64 noise). */
const MAX_WORD = 48;

const SEP = 0;
const WORD = 1;
const CJK = 2;
const SKIP = 3; // format characters (zero-width space, joiners, BOM): ignored, never split a run

let bmp: Uint8Array | null = null;
const CJK_RE = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]$/u;
const WORD_RE = /^[\p{L}\p{N}\p{Co}]$/u;
const SKIP_RE = /^\p{Cf}$/u;

function classify(ch: string): number {
  if (SKIP_RE.test(ch)) return SKIP;
  if (!WORD_RE.test(ch)) return SEP; // marks, punctuation, symbols, emoji: what unicode61 splits on
  return CJK_RE.test(ch) ? CJK : WORD;
}

// Built on first use (not at import): one regex test per BMP code point, about 20 ms.
function bmpTable(): Uint8Array {
  if (bmp) return bmp;
  const t = new Uint8Array(0x10000);
  for (let c = 0; c < 0x10000; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    t[c] = classify(String.fromCharCode(c));
  }
  bmp = t;
  return t;
}

/** A maximal run of one kind: CJK runs keep their characters (some are astral). */
export type Segment = { readonly cjk: true; readonly chars: readonly string[] } | { readonly cjk: false; readonly text: string };

/** Splits already-normalized text into CJK runs and words; separators are dropped. */
export function segment(text: string): Segment[] {
  const table = bmpTable();
  const out: Segment[] = [];
  let chars: string[] = [];
  let word = '';
  const flushCjk = () => {
    if (chars.length) out.push({ cjk: true, chars });
    chars = [];
  };
  const flushWord = () => {
    if (word) out.push({ cjk: false, text: word.slice(0, MAX_WORD) });
    word = '';
  };
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    let ch: string;
    let kind: number;
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      ch = text.slice(i, i + 2);
      i++;
      kind = classify(ch);
    } else {
      ch = text[i]!;
      kind = table[code]!;
    }
    if (kind === SKIP) continue;
    if (kind === CJK) {
      flushWord();
      chars.push(ch);
    } else if (kind === WORD) {
      flushCjk();
      word += ch;
    } else {
      flushCjk();
      flushWord();
    }
  }
  flushCjk();
  flushWord();
  return out;
}

function pushSegmentTokens(s: Segment, out: string[]): void {
  if (!s.cjk) {
    out.push(s.text);
    return;
  }
  for (let i = 1; i < s.chars.length; i++) out.push(s.chars[i - 1]! + s.chars[i]!);
  out.push(s.chars[s.chars.length - 1]!);
}

/** The token text FTS5 stores for one column: raw text in, space-separated tokens out. */
export function documentTokens(raw: string): string {
  const out: string[] = [];
  for (const s of segment(normalizeForMatch(raw))) pushSegmentTokens(s, out);
  return out.join(' ');
}

// ---------------------------------------------------------------- queries

/** What the snippet maker looks for in the normalized text. `word`: whole words only. */
export interface Needle {
  readonly text: string;
  readonly word: boolean;
}

export type CompiledQuery =
  | { readonly ok: true; readonly match: string; readonly needles: readonly Needle[] }
  | { readonly ok: false; readonly error: 'empty-query' | 'too-long' | 'no-terms'; readonly message: string };

interface Part {
  readonly text: string;
  readonly quoted: boolean;
  readonly negated: boolean;
}

const QUOTES = new Set(['"', '“', '”', '「', '」', '『', '』']);
const SPACE = /\s/u;

/** Splits user input into parts: whitespace separates, quotes group, a leading '-' negates. */
function splitParts(q: string): Part[] {
  const parts: Part[] = [];
  let i = 0;
  while (i < q.length) {
    while (i < q.length && SPACE.test(q[i]!)) i++;
    if (i >= q.length) break;
    let negated = false;
    if (q[i] === '-' && i + 1 < q.length && !SPACE.test(q[i + 1]!)) {
      negated = true;
      i++;
    }
    if (QUOTES.has(q[i]!)) {
      // An unbalanced quote runs to the end of the input rather than failing.
      let j = i + 1;
      while (j < q.length && !QUOTES.has(q[j]!)) j++;
      parts.push({ text: q.slice(i + 1, j), quoted: true, negated });
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < q.length && !SPACE.test(q[j]!) && !QUOTES.has(q[j]!)) j++;
    parts.push({ text: q.slice(i, j), quoted: false, negated });
    i = j;
  }
  return parts;
}

// Tokens only ever contain letters and digits, but quoting is what makes that irrelevant.
const quote = (t: string) => `"${t.replaceAll('"', '""')}"`;

/** One unquoted segment: bigram phrase, single-character prefix, or whole word. */
function segmentExpr(s: Segment): string {
  if (!s.cjk) return quote(s.text);
  if (s.chars.length === 1) return `${quote(s.chars[0]!)} *`;
  const bigrams: string[] = [];
  for (let i = 1; i < s.chars.length; i++) bigrams.push(s.chars[i - 1]! + s.chars[i]!);
  return quote(bigrams.join(' '));
}

/**
 * A quoted phrase: the document token stream of its text, so adjacent words must be
 * adjacent in the article. A trailing CJK run drops its single-character token (the
 * article's run may go on); a trailing single character becomes a prefix.
 */
function phraseExpr(segs: readonly Segment[]): string {
  const tokens: string[] = [];
  for (const s of segs) pushSegmentTokens(s, tokens);
  const last = segs[segs.length - 1]!;
  let prefix = false;
  if (last.cjk) {
    if (last.chars.length > 1) tokens.pop();
    else prefix = true;
  }
  return quote(tokens.join(' ')) + (prefix ? ' *' : '');
}

function needlesOf(part: Part, segs: readonly Segment[]): Needle[] {
  if (part.quoted && segs.length > 1) return [{ text: part.text.trim().replace(/\s+/gu, ' '), word: false }];
  return segs.map((s) => (s.cjk ? { text: s.chars.join(''), word: false } : { text: s.text, word: true }));
}

/**
 * Compiles user input into an FTS5 MATCH expression over the text columns. Every token
 * is quoted, so `"`, `*`, `^`, `:`, parentheses, AND/OR/NOT/NEAR in the input are just
 * characters; bad input yields an error value, never an exception.
 */
export function compileQuery(input: string): CompiledQuery {
  if (input.length > MAX_QUERY_LENGTH) {
    return { ok: false, error: 'too-long', message: `The query is too long (at most ${MAX_QUERY_LENGTH} characters).` };
  }
  // Control characters separate; format characters (zero-width) vanish, as in documents.
  // eslint-disable-next-line no-control-regex
  const cleaned = input.replace(/[\u0000-\u001f\u007f-\u009f]/gu, ' ');
  if (cleaned.trim() === '') return { ok: false, error: 'empty-query', message: 'Type something to search for.' };
  const positive: string[] = [];
  const negative: string[] = [];
  const needles: Needle[] = [];
  for (const part of splitParts(normalizeForMatch(cleaned))) {
    const segs = segment(part.text);
    if (segs.length === 0) continue;
    const expr = part.quoted ? phraseExpr(segs) : segs.map(segmentExpr).join(' AND ');
    if (part.negated) negative.push(expr);
    else {
      positive.push(segs.length > 1 && !part.quoted ? `(${expr})` : expr);
      needles.push(...needlesOf(part, segs));
    }
  }
  if (positive.length === 0) {
    return {
      ok: false,
      error: 'no-terms',
      message: negative.length
        ? 'Add at least one word to look for; a query of only excluded words matches nothing.'
        : 'The query has no letters, digits or Chinese characters to search for.',
    };
  }
  let match = positive.join(' AND ');
  for (const n of negative) match = `(${match}) NOT (${n})`;
  return { ok: true, match, needles };
}
