// Word boundaries around a place-name candidate, from jieba's segmenter (@node-rs/jieba,
// its own dictionary of ~350k words, with its HMM for words it does not list). A name counts as a place only
// where it stands as a word of its own: 示范县 is not 范县, 黄河源 is not 河源.
//
// Only a short window around each candidate is segmented: cutting a whole article costs
// about twice the tagging budget, and a boundary depends on the few words beside it.
import { createRequire } from 'node:module';

export interface Token {
  readonly word: string;
  readonly start: number;
  readonly end: number;
}

interface Segmenter {
  // Part-of-speech tagging (`tag`) would say more, at two to three times the cost.
  cut(sentence: string, hmm?: boolean): string[];
}

let segmenter: Segmenter | null = null;

/**
 * The segmenter, built on first use (loading the dictionary takes a few hundred ms, once
 * per process). Loaded through require so importing this module does no work.
 */
function load(): Segmenter {
  if (segmenter) return segmenter;
  const require = createRequire(import.meta.url);
  const { Jieba } = require('@node-rs/jieba') as { Jieba: { withDict(dict: Uint8Array): Segmenter } };
  const { dict } = require('@node-rs/jieba/dict') as { dict: Uint8Array };
  segmenter = Jieba.withDict(dict);
  return segmenter;
}

/** Builds the segmenter now (start-up), so the first story does not pay for it. */
export function warmWords(): void {
  load();
}

// Clause breaks: a word never spans them, so the window stops there.
const BREAKS = ' \t\r\n\u3000\u00a0。，、；：？！…—“”‘’「」『』（）()《》〈〉【】[]<>,.;:?!"\'|/·•';
const BREAK_CODES = new Set([...BREAKS].map((c) => c.charCodeAt(0)));
export const isBreak = (text: string, i: number): boolean => BREAK_CODES.has(text.charCodeAt(i));
const REACH = 4;

/** Tokens near given spans of one text, segmented together in a single call. */
export interface Words {
  /** Tokens of the stretch of text around [start, end); [start, end) must be one of the spans. */
  around(start: number, end: number): readonly Token[];
}

/**
 * Segments the clauses around each span of `text` (Simplified), at most REACH characters
 * either side. Overlapping windows are merged and all of them go to the segmenter in one
 * call: the call itself costs about as much as ten characters of text.
 */
export function wordsAround(text: string, spans: readonly (readonly [number, number])[]): Words {
  // Spans come in text order, so their windows do too: merge as they come.
  const merged: [number, number][] = [];
  for (const [start, end] of spans) {
    let from = start;
    while (from > 0 && start - from < REACH && !isBreak(text, from - 1)) from--;
    let to = end;
    while (to < text.length && to - end < REACH && !isBreak(text, to)) to++;
    const lastW = merged[merged.length - 1];
    if (lastW && from <= lastW[1]) lastW[1] = Math.max(lastW[1], to);
    else merged.push([from, to]);
  }
  const segments: Token[][] = merged.map(() => []);
  if (merged.length > 0) {
    // A line break never joins words, so the windows can share one string.
    const words = load().cut(merged.map(([f, t]) => text.slice(f, t)).join('\n'), true);
    let seg = 0;
    let at = merged[0]![0];
    for (const word of words) {
      if (word === '\n') {
        seg++;
        at = merged[seg]?.[0] ?? at;
        continue;
      }
      segments[seg]?.push({ word, start: at, end: at + word.length });
      at += word.length;
    }
  }
  return {
    around(start) {
      let lo = 0;
      let hi = merged.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (merged[mid]![0] <= start) lo = mid;
        else hi = mid - 1;
      }
      return segments[lo] ?? [];
    },
  };
}
