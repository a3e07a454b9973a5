// script-table.ts must convert exactly as opencc-js does, for every direction script.ts uses:
// every key and value of every dictionary, those entries run together (so matches overlap
// and compete across entry boundaries), and random text mixing dictionary characters with
// ASCII, astral characters, ideographic description sequences and half surrogate pairs.
import fc from 'fast-check';
import * as OpenCC from 'opencc-js';
import * as preset from 'opencc-js/preset';
import { describe, expect, it } from 'vitest';
import { openccConverter } from '../../../src/text/script-table.js';

// The { from, to } pairs of OPTIONS in src/text/script.ts.
const DIRECTIONS = [
  ['t', 'cn'],
  ['cn', 't'],
  ['twp', 'cn'],
  ['t', 'tw'],
  ['t', 'twp'],
  ['t', 'hk'],
] as const;

/** Every packed dictionary opencc-js ships, once. */
function dictionaries(): string[] {
  const found = new Set<string>();
  const visit = (x: unknown): void => {
    if (typeof x === 'string') found.add(x);
    else if (Array.isArray(x)) x.forEach(visit);
    else if (x && typeof x === 'object') Object.values(x).forEach(visit);
  };
  visit([preset.from, preset.to, preset.configs]);
  return [...found];
}

const entries = dictionaries().flatMap((d) => d.split('|').map((line) => line.split(' ') as [string, string]));

/**
 * Text where two dictionary keys overlap: each key cut after its first j characters and
 * followed by keys that start with the rest of it. Here longest-match order, dictionary
 * priority and opencc-js's phrase segmentation decide the output.
 */
function overlaps(): string[] {
  const keys = [...new Set(entries.map(([k]) => k))].sort();
  const startingWith = (prefix: string): string[] => {
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keys[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    const found: string[] = [];
    for (let i = lo; i < keys.length && found.length < 3 && keys[i]!.startsWith(prefix); i++) found.push(keys[i]!);
    return found;
  };
  const out: string[] = [];
  for (const k of keys) {
    for (let j = 1; j < k.length; j++) {
      for (const p of startingWith(k.slice(j))) out.push(k.slice(0, j) + p);
    }
  }
  return out;
}

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

/** Where two outputs first differ, with some context, for a readable failure. */
function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `at ${i}: ${JSON.stringify(a.slice(Math.max(0, i - 20), i + 20))} vs ${JSON.stringify(b.slice(Math.max(0, i - 20), i + 20))}`;
}

describe.each(DIRECTIONS)('%s → %s converts as opencc-js does', (from, to) => {
  const theirs = OpenCC.Converter({ from, to });
  const ours = openccConverter(from, to);
  const same = (text: string) => {
    const expected = theirs(text);
    const actual = ours(text);
    if (actual !== expected) expect.fail(firstDifference(actual, expected));
  };

  it('on every dictionary key and value, one per line', () => {
    same(entries.map(([k]) => k).join('\n'));
    same(entries.map(([, v]) => v).join('\n'));
  });

  it('on dictionary entries run together in random order', () => {
    const next = random(12);
    const words = entries.flatMap(([k, v]) => [k, v]);
    for (let i = words.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [words[i], words[j]] = [words[j]!, words[i]!];
    }
    same(words.join(''));
    // Each word cut after its first character, so phrases start mid-word.
    same(words.map((w) => w.slice(1)).join(''));
  });

  it('on overlapping dictionary keys', () => {
    same(overlaps().join('\n'));
  });

  it('on random text mixing dictionary characters with ASCII, astral characters and description sequences', () => {
    const chars = [...new Set(entries.flatMap(([k, v]) => [...k, ...v]))];
    // Every ideographic description character (U+2FF0–U+2FFF), whose sequences are skipped.
    const describers = Array.from({ length: 16 }, (_, i) => String.fromCharCode(0x2ff0 + i));
    const other = ['a', 'Z', '1', ' ', '\n', '。', '，', '😀', '𠮷', '\ud800', '\udc00', '\uf9d0', '㊜', ...describers];
    const unit = fc.oneof(fc.constantFrom(...chars), fc.constantFrom(...other), fc.constantFrom(...entries.map(([k]) => k)));
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 40 }), (parts) => {
        same(parts.join(''));
      }),
      { numRuns: 2000, seed: 7 },
    );
  });
});
