// Snippets cut from the original text. Matching happens on the normalized form, whose
// offsets are those of the original because normalizeForMatch keeps the length.
import type { Script } from '../domain/types.js';
import { convert, normalizeForMatch } from '../text/script.js';
import type { Needle } from './query-syntax.js';

const FIRST_CHUNK = 200;
const BEFORE_SHARE = 0.3;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const SENTENCE_END = /[。！？；!?;\n]/u;

interface Hit {
  readonly at: number;
  readonly length: number;
}

/** A located hit plus the normalized chunk it was found in, reused for highlighting. */
interface Located extends Hit {
  readonly chunkStart: number;
  readonly chunk: string;
}

// A Latin needle must not sit inside a longer word: "app" is not a hit in "apple".
function wordEdge(text: string, i: number): boolean {
  const ch = text[i];
  return ch === undefined || !LETTER_OR_DIGIT.test(ch) || CJK.test(ch);
}

function firstHit(norm: string, needles: readonly Needle[], from = 0): Hit | null {
  let best: Hit | null = null;
  for (const n of needles) {
    if (!n.text) continue;
    let i = norm.indexOf(n.text, from);
    while (i >= 0 && n.word && !(wordEdge(norm, i - 1) && wordEdge(norm, i + n.text.length))) i = norm.indexOf(n.text, i + 1);
    if (i < 0) continue;
    if (!best || i < best.at || (i === best.at && n.text.length > best.length)) best = { at: i, length: n.text.length };
  }
  return best;
}

const isLowSurrogate = (text: string, i: number) => {
  const c = text.charCodeAt(i);
  return c >= 0xdc00 && c <= 0xdfff;
};

/** Moves an index off the second half of a surrogate pair, so cuts fall between characters. */
const onBoundary = (text: string, i: number) => (i > 0 && i < text.length && isLowSurrogate(text, i) ? i - 1 : i);

/**
 * The first match. Script conversion costs about 0.1 µs a character, so the text is
 * normalized in growing chunks: most matches sit near the start.
 */
function locate(text: string, needles: readonly Needle[]): Located | null {
  const overlap = Math.max(0, ...needles.map((n) => n.text.length)) + 1;
  let size = FIRST_CHUNK;
  for (let start = 0; start < text.length; start += size, size *= 4) {
    const s = onBoundary(text, start);
    const end = onBoundary(text, Math.min(text.length, s + size + overlap));
    const chunk = normalizeForMatch(text.slice(s, end));
    const hit = firstHit(chunk, needles);
    if (hit) return { at: s + hit.at, length: hit.length, chunkStart: s, chunk };
  }
  return null;
}

/** Length in code points, which is what a reader counts. */
const codePoints = (s: string) => {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (!isLowSurrogate(s, i)) n++;
  return n;
};

/** Moves `i` by `count` code points (negative: backwards), staying inside the text. */
function step(text: string, i: number, count: number): number {
  let j = i;
  for (let k = 0; k < Math.abs(count); k++) {
    if (count < 0) {
      if (j <= 0) break;
      j = onBoundary(text, j - 1);
    } else {
      if (j >= text.length) break;
      j += isLowSurrogate(text, j + 1) ? 2 : 1;
    }
  }
  return j;
}

const tidy = (s: string) => s.replace(/\s+/gu, ' ');

/**
 * About `max` visible characters around the first match, every match inside wrapped in
 * ** **, rendered in `script`. Without a match in the body, its opening is shown.
 */
export function makeSnippet(original: string, needles: readonly Needle[], script: Script, max = 120): string {
  const text = original.trim();
  if (!text) return '';
  const hit = locate(text, needles);
  let start = 0;
  if (hit) {
    const room = Math.max(0, max - codePoints(text.slice(hit.at, hit.at + hit.length)));
    start = step(text, hit.at, -Math.floor(room * BEFORE_SHARE));
    // Prefer starting at a sentence start when one is close before the match.
    for (let i = hit.at - 1; i > start; i--) {
      if (SENTENCE_END.test(text[i]!)) {
        start = i + 1;
        break;
      }
    }
  }
  const end = step(text, start, max);
  const window = text.slice(start, end);
  const inChunk = hit && start >= hit.chunkStart && end <= hit.chunkStart + hit.chunk.length;
  const norm = inChunk ? hit.chunk.slice(start - hit.chunkStart, end - hit.chunkStart) : normalizeForMatch(window);
  let out = '';
  let from = 0;
  for (let h = firstHit(norm, needles); h; h = firstHit(norm, needles, from)) {
    out += convert(window.slice(from, h.at), script) + `**${convert(window.slice(h.at, h.at + h.length), script)}**`;
    from = h.at + h.length;
  }
  out += convert(window.slice(from), script);
  return `${start > 0 ? '…' : ''}${tidy(out).trim()}${end < text.length ? '…' : ''}`;
}
