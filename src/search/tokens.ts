// Tokens for the FTS5 indexes; queries are compiled from the same segments (query-syntax.ts).
//
// FTS5's unicode61 tokenizer sees a run of Han characters as one token and trigram cannot
// match under three characters, so the application makes the tokens. In search_fts every
// Han run becomes its overlapping bigrams plus its last character, and Latin words and
// numbers stay whole: a Han query of n ≥ 2 characters is the phrase of its n−1 bigrams. A
// single character is either a token of search_chars (each distinct character of the
// article) or a prefix `字*` of search_fts: the bigrams starting with it cover every
// position in a run except the last, which the run's extra last-character token covers.
import { normalizeForMatch } from '../text/script.js';

/** Latin words longer than this are cut, on both sides alike (hashes, base64 noise). */
const MAX_WORD = 48;

const SEP = 0;
const WORD = 1;
const CJK = 2;
const SKIP = 3; // format characters (zero-width space, joiners, BOM): ignored, never split a run

const CJK_RE = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]$/u;
// Private-use characters are left out so text can never produce a facet token (below).
const WORD_RE = /^[\p{L}\p{N}]$/u;
const SKIP_RE = /^\p{Cf}$/u;

function classify(ch: string): number {
  if (SKIP_RE.test(ch)) return SKIP;
  if (!WORD_RE.test(ch)) return SEP; // marks, punctuation, symbols, emoji: what unicode61 splits on
  return CJK_RE.test(ch) ? CJK : WORD;
}

// Classes of BMP code points, filled in as characters are first seen: a text uses a few
// thousand distinct characters, so this costs far less than classifying all 65,536 up front.
const UNKNOWN = 255;
let bmp: Uint8Array | null = null;

function bmpClass(code: number, ch: string): number {
  bmp ??= new Uint8Array(0x10000).fill(UNKNOWN);
  let kind = bmp[code]!;
  if (kind === UNKNOWN) kind = bmp[code] = classify(ch);
  return kind;
}

/** A maximal run of one kind: CJK runs keep their characters (some are astral). */
export type Segment = { readonly cjk: true; readonly chars: readonly string[] } | { readonly cjk: false; readonly text: string };

/** Splits already-normalized text into CJK runs and words; separators are dropped. */
export function segment(text: string): Segment[] {
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
    // A pair only when a low half follows: a lone high half must not swallow the next character.
    const next = text.charCodeAt(i + 1);
    if (code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      ch = text.slice(i, i + 2);
      i++;
      kind = classify(ch);
    } else {
      ch = text[i]!;
      kind = bmpClass(code, ch);
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

/** Appends a segment's document tokens: a word, or a run's bigrams and last character. */
export function pushSegmentTokens(s: Segment, out: string[]): void {
  if (!s.cjk) {
    out.push(s.text);
    return;
  }
  for (let i = 1; i < s.chars.length; i++) out.push(s.chars[i - 1]! + s.chars[i]!);
  out.push(s.chars[s.chars.length - 1]!);
}

/**
 * The tokens of one column straight from normalized text, in one pass: the same tokens, in
 * the same order, as segment() then pushSegmentTokens(), and each run character and word
 * added to `distinct` in reading order, without building the segments. Indexing runs this
 * once per article column; the segments' arrays and strings were most of its garbage.
 */
function columnTokens(text: string, distinct: Set<string> | null): string {
  let out = '';
  let prev = ''; // the run's last character so far ('' outside a run)
  let wordStart = -1; // a word is a contiguous slice unless a format character sits inside it
  let word = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    let ch: string | null = null;
    let kind: number;
    const next = text.charCodeAt(i + 1);
    const pair = code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff;
    if (pair) {
      ch = text.slice(i, i + 2);
      kind = classify(ch);
    } else {
      kind = bmp?.[code] ?? UNKNOWN;
      if (kind === UNKNOWN) kind = bmpClass(code, text[i]!);
    }
    if (kind === SKIP) {
      // A format character inside a word is dropped from it: the word stops being one slice.
      if (wordStart >= 0) {
        word += text.slice(wordStart, i);
        wordStart = -1;
      }
      if (pair) i++;
      continue;
    }
    if (kind === CJK) {
      if (wordStart >= 0 || word) {
        const w = (word + (wordStart >= 0 ? text.slice(wordStart, i) : '')).slice(0, MAX_WORD);
        out = out ? `${out} ${w}` : w;
        distinct?.add(w);
        word = '';
        wordStart = -1;
      }
      ch ??= text[i]!;
      if (prev) out = out ? `${out} ${prev}${ch}` : prev + ch;
      distinct?.add(ch);
      prev = ch;
    } else {
      if (prev) {
        out = out ? `${out} ${prev}` : prev;
        prev = '';
      }
      if (kind === WORD) {
        if (wordStart < 0) wordStart = i;
      } else if (wordStart >= 0 || word) {
        const w = (word + (wordStart >= 0 ? text.slice(wordStart, i) : '')).slice(0, MAX_WORD);
        out = out ? `${out} ${w}` : w;
        distinct?.add(w);
        word = '';
        wordStart = -1;
      }
    }
    if (pair) i++;
  }
  if (prev) out = out ? `${out} ${prev}` : prev;
  if (wordStart >= 0 || word) {
    const w = (word + (wordStart >= 0 ? text.slice(wordStart) : '')).slice(0, MAX_WORD);
    out = out ? `${out} ${w}` : w;
    distinct?.add(w);
  }
  return out;
}

/** The token text FTS5 stores for one column: raw text in, space-separated tokens out. */
export function documentTokens(raw: string): string {
  return columnTokens(normalizeForMatch(raw), null);
}

// Facet tokens start with a private-use character: unicode61 keeps it inside the token,
// and neither article text nor a query can produce one, so no column filter is needed.
export const regionToken = (code: string): string => `\uE000${code.replace(/\D/gu, '')}`;
export const feedToken = (feedId: string): string => `\uE001${Buffer.from(feedId, 'utf8').toString('hex')}`;

export interface ArticleTokens {
  readonly title: string;
  readonly body: string;
  /** Each distinct character and word once: the search_chars row. */
  readonly terms: string;
}

export function articleTokens(title: string, body: string, facets: readonly string[]): ArticleTokens {
  const distinct = new Set<string>();
  const titleTokens = columnTokens(normalizeForMatch(title), distinct);
  const bodyTokens = columnTokens(normalizeForMatch(body), distinct);
  for (const f of facets) distinct.add(f);
  let terms = '';
  for (const t of distinct) terms = terms ? `${terms} ${t}` : t;
  return { title: titleTokens, body: bodyTokens, terms };
}
