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

// The output of columnTokens is written as UTF-16 units into one buffer that is reused,
// then read out as one string: far less garbage than a string per bigram and per join.
// A text too long for the kept buffer (past 1 MB of it) gets one of its own, not kept.
let units = new Uint16Array(4096);
const MAX_KEPT_UNITS = 1 << 19;

/** Appends text[from, to) to buf at `at`, after a space unless at 0; returns the new end. */
function put(buf: Uint16Array, text: string, from: number, to: number, at: number): number {
  if (at > 0) buf[at++] = 0x20;
  for (let k = from; k < to; k++) buf[at++] = text.charCodeAt(k);
  return at;
}

/**
 * The tokens of one column straight from normalized text, in one pass: the same tokens, in
 * the same order, as segment() then pushSegmentTokens(), and each run character (as its
 * code point) and word added to `distinct` in reading order, without building the segments.
 * Indexing runs this once per article column; the segments' arrays and strings were most
 * of its garbage.
 */
function columnTokens(text: string, distinct: Set<string | number> | null): string {
  // Each unit gives at most three (a bigram and a space), a word one more for its space.
  const need = 3 * text.length + 4;
  if (need > units.length && need <= MAX_KEPT_UNITS) units = new Uint16Array(need);
  const buf = need <= units.length ? units : new Uint16Array(need);
  let at = 0;
  let prev = -1; // where the run's last character so far starts in text (-1 outside a run)
  let prevEnd = -1;
  let wordStart = -1; // a word is a contiguous slice unless a format character sits inside it
  let word = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    let kind: number;
    const next = text.charCodeAt(i + 1);
    const width = code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
    if (width === 2) kind = classify(text.slice(i, i + 2));
    else {
      kind = bmp?.[code] ?? UNKNOWN;
      if (kind === UNKNOWN) kind = bmpClass(code, text[i]!);
    }
    if (kind === SKIP) {
      // A format character inside a word is dropped from it: the word stops being one slice.
      if (wordStart >= 0) {
        word += text.slice(wordStart, i);
        wordStart = -1;
      }
    } else if (kind === CJK) {
      if (wordStart >= 0 || word) {
        const w = (word + (wordStart >= 0 ? text.slice(wordStart, i) : '')).slice(0, MAX_WORD);
        at = put(buf, w, 0, w.length, at);
        distinct?.add(w);
        word = '';
        wordStart = -1;
      }
      if (prev >= 0) {
        at = put(buf, text, prev, prevEnd, at);
        for (let k = i; k < i + width; k++) buf[at++] = text.charCodeAt(k);
      }
      distinct?.add(width === 2 ? text.codePointAt(i)! : code);
      prev = i;
      prevEnd = i + width;
    } else {
      if (prev >= 0) {
        at = put(buf, text, prev, prevEnd, at);
        prev = -1;
      }
      if (kind === WORD) {
        if (wordStart < 0) wordStart = i;
      } else if (wordStart >= 0 || word) {
        const w = (word + (wordStart >= 0 ? text.slice(wordStart, i) : '')).slice(0, MAX_WORD);
        at = put(buf, w, 0, w.length, at);
        distinct?.add(w);
        word = '';
        wordStart = -1;
      }
    }
    i += width - 1;
  }
  if (prev >= 0) at = put(buf, text, prev, prevEnd, at);
  if (wordStart >= 0 || word) {
    const w = (word + (wordStart >= 0 ? text.slice(wordStart) : '')).slice(0, MAX_WORD);
    at = put(buf, w, 0, w.length, at);
    distinct?.add(w);
  }
  // 'utf16le' copies the units as they are (a word cut at MAX_WORD may end in half a pair).
  // A short column is cheaper built unit by unit than through a Buffer.
  if (at > 64) return Buffer.from(buf.buffer, buf.byteOffset, at * 2).toString('utf16le');
  let out = '';
  for (let k = 0; k < at; k++) out += String.fromCharCode(buf[k]!);
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
  // Run characters as code points (a word is never one), words and facets as strings.
  const distinct = new Set<string | number>();
  const titleTokens = columnTokens(normalizeForMatch(title), distinct);
  const bodyTokens = columnTokens(normalizeForMatch(body), distinct);
  for (const f of facets) distinct.add(f);
  let terms = '';
  for (const t of distinct) {
    const term = typeof t === 'string' ? t : t < 0x10000 ? String.fromCharCode(t) : String.fromCodePoint(t);
    terms = terms ? `${terms} ${term}` : term;
  }
  return { title: titleTokens, body: bodyTokens, terms };
}
