// Sentence splitting for Chinese news with Latin text mixed in. Chinese sentences end on
// full-width marks; sources also use half-width !?; inside Chinese (the seed article
// does), while a half-width `.` only ends a sentence when it cannot be a decimal point,
// part of a URL or e-mail address, an abbreviation, or a list number.

const ENDERS = new Set([...'。！？；…!?;｡']);
// Without semicolons: a ； joins clauses (and list items) of one sentence.
const FINAL_ENDERS = new Set([...'。！？…!?｡']);
const DOTS = new Set(['.', '．']);
const CLOSERS = new Set([...'」』”’）)】》〉〕］]｣"\'']);
const BREAKS = new Set(['\n', '\r', '\u2028', '\u2029']);
const STOPS = /[。！？；…!?;｡.．\n\r\u2028\u2029]/.source;
const FINAL_STOPS = /[。！？…!?｡.．\n\r\u2028\u2029]/.source;
const ABBREVIATIONS = new Set(['mr', 'mrs', 'ms', 'dr', 'prof', 'st', 'vs', 'etc', 'e.g', 'i.e', 'no', 'jr', 'sr', 'inc', 'ltd', 'co']);

// ASCII-only URL and e-mail bodies: a Chinese character or full-width mark ends them.
const URL_RE = /(?:https?:\/\/|www\.)[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+/g;
// The local part is bounded (RFC 5321 allows 64): unbounded, every start inside a long run
// of letters scans to its end looking for "@", which is quadratic in the run.
const EMAIL_RE = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isHan = (c: string | undefined): boolean => c !== undefined && /[\u3400-\u9fff\uf900-\ufaff]/.test(c);
// Code-unit test instead of a regex: this runs on every character of every article.
function isSpace(c: string | undefined): boolean {
  if (c === undefined) return false;
  const u = c.charCodeAt(0);
  if (u <= 0x20) return u === 0x20 || (u >= 0x09 && u <= 0x0d);
  if (u < 0xa0) return false;
  return u === 0xa0 || u === 0x3000 || u === 0x1680 || (u >= 0x2000 && u <= 0x200a) || u === 0x2028 || u === 0x2029 || u === 0x202f || u === 0x205f || u === 0xfeff;
}

/** [start, end) ranges that must stay whole. Trailing punctuation is not part of a URL. */
function protectedRanges(text: string): [number, number][] {
  const ranges: [number, number][] = [];
  for (const re of [URL_RE, EMAIL_RE]) {
    for (const m of text.matchAll(re)) {
      // Lookbehind: a long run of these inside a URL must not be rescanned from each of them.
      const raw = m[0].replace(/(?<![.,;:!?)'\]])[.,;:!?)'\]]+$/, '');
      ranges.push([m.index, m.index + raw.length]);
    }
  }
  return ranges.sort((a, b) => a[0] - b[0]);
}

/** Does the dot run [i, j) end a sentence? */
function dotEnds(text: string, i: number, j: number, start: number): boolean {
  const after = text[j];
  const open = after === undefined || isSpace(after) || isHan(after) || CLOSERS.has(after);
  if (!open) return false;
  if (j - i > 1) return true; // "..." used as an ellipsis
  const word = /[A-Za-z0-9.]*$/.exec(text.slice(Math.max(start, i - 12), i))?.[0] ?? '';
  if (word === '') return true;
  // "1." at the start of a line is a list number; "U.S." and "Dr." are abbreviations.
  if (/^\d{1,3}$/.test(word) && text.slice(start, i).trim() === word) return false;
  // "…：1.公交免费；2.延长服务" — a number after a clause mark numbers a list item too.
  if (/^\d{1,3}$/.test(word) && isHan(after) && /[，；：、,;:]\s*$/.test(text.slice(Math.max(start, i - word.length - 4), i - word.length))) return false;
  if (/^[A-Za-z]$/.test(word) || /^([A-Za-z]\.)+[A-Za-z]$/.test(word)) return false;
  return !ABBREVIATIONS.has(word.toLowerCase());
}

export interface SplitOptions {
  /**
   * Does `；` end a sentence? Yes by default (message clipping cuts there). The summariser
   * says no: `；` separates clauses and list items (`一是…；二是…。`) of one sentence.
   */
  readonly semicolons?: boolean;
}

/** Sentence ranges [start, end) in `text`, trimmed, never empty. */
export function sentenceSpans(text: string, options: SplitOptions = {}): [number, number][] {
  const semicolons = options.semicolons ?? true;
  const enders = semicolons ? ENDERS : FINAL_ENDERS;
  const spans: [number, number][] = [];
  const guarded = protectedRanges(text);
  let g = 0;
  let start = 0;
  const push = (end: number): void => {
    let s = start;
    let e = end;
    while (s < e && isSpace(text[s])) s++;
    while (e > s && isSpace(text[e - 1])) e--;
    if (e > s) spans.push([s, e]);
    start = end;
  };
  // Jump from one possible boundary to the next; everything between is sentence text.
  const stops = new RegExp(semicolons ? STOPS : FINAL_STOPS, 'g');
  let i = 0;
  while (i < text.length) {
    stops.lastIndex = i;
    const hit = stops.exec(text);
    if (!hit) break;
    i = hit.index;
    while (g < guarded.length && guarded[g]![1] <= i) g++;
    const range = guarded[g];
    if (range && range[0] <= i) {
      i = range[1];
      continue;
    }
    const ch = text[i]!;
    if (BREAKS.has(ch)) {
      push(i);
      start = ++i;
      continue;
    }
    let end = -1;
    if (enders.has(ch)) end = i + 1;
    else if (DOTS.has(ch) && !(isDigit(text[i - 1]) && isDigit(text[i + 1]))) {
      let j = i + 1;
      while (DOTS.has(text[j] ?? '')) j++;
      if (dotEnds(text, i, j, start)) end = j;
      else i = j - 1;
    }
    if (end < 0) {
      i++;
      continue;
    }
    // Take the whole run of marks ("！？", "……") and the closing quotes after them.
    while (end < text.length && (enders.has(text[end]!) || DOTS.has(text[end]!))) end++;
    while (end < text.length && CLOSERS.has(text[end]!)) end++;
    push(end);
    i = end;
  }
  push(text.length);
  return spans;
}

/** Splits text into sentences; a newline always ends one (paragraphs). */
export function splitSentences(text: string, options: SplitOptions = {}): string[] {
  return sentenceSpans(text, options).map(([s, e]) => text.slice(s, e));
}
