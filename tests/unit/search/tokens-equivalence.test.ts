// The indexer makes its tokens in one pass (columnTokens); queries still go through
// segment() and pushSegmentTokens(). Both must give the same tokens for any text, or a
// query would miss what the index holds: compared here on varied synthetic text.
import { describe, expect, it } from 'vitest';
import { articleTokens, documentTokens, pushSegmentTokens, segment } from '../../../src/search/tokens.js';
import { normalizeForMatch } from '../../../src/text/script.js';

function referenceColumn(raw: string, distinct: Set<string>): string {
  const out: string[] = [];
  for (const s of segment(normalizeForMatch(raw))) {
    pushSegmentTokens(s, out);
    if (s.cjk) for (const ch of s.chars) distinct.add(ch);
    else distinct.add(s.text);
  }
  return out.join(' ');
}

function reference(title: string, body: string, facets: readonly string[]): { title: string; body: string; terms: string } {
  const distinct = new Set<string>();
  const t = referenceColumn(title, distinct);
  const b = referenceColumn(body, distinct);
  for (const f of facets) distinct.add(f);
  return { title: t, body: b, terms: [...distinct].join(' ') };
}

// Pieces of every class the tokenizer tells apart: Han (Simplified, Traditional, astral),
// kana, Hangul, Latin and digits (full-width too), marks, punctuation, spaces, emoji, format
// characters (zero-width space, joiner, BOM), lone surrogates, private use, long words.
const PIECES = [
  '嘉', '兴', '市', '興', '區', '镇', '𠀀', '𠀁', 'の', 'カ', '한', '국', 'a', 'B', 'z', '7', '０', 'Ｑ', 'é', 'e\u0301',
  ' ', '\u3000', ',', '，', '。', '-', '_', '·', '😀', '\u200b', '\u200d', '\ufeff', '\u2060', '\ud800', '\udc00', '\udbff',
  '\ue000', 'x'.repeat(60), '长'.repeat(5), 'ab\u200bcd', '\n', '\t', '%', '１２３', 'İ', 'ß', 'Ⅻ', '①',
];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function text(next: () => number, maxPieces: number): string {
  let out = '';
  const n = Math.floor(next() * maxPieces);
  for (let i = 0; i < n; i++) out += PIECES[Math.floor(next() * PIECES.length)]!;
  return out;
}

describe('one-pass column tokens', () => {
  it('match the segments’ tokens and distinct terms on random mixed text', () => {
    const next = rng(11);
    for (let i = 0; i < 3000; i++) {
      const title = text(next, 12);
      const body = text(next, 80);
      const facets = next() < 0.5 ? ['\ue000330400', '\ue0016162'] : [];
      expect(articleTokens(title, body, facets)).toEqual(reference(title, body, facets));
      expect(documentTokens(body)).toBe(referenceColumn(body, new Set()));
    }
  });

  it('match on edge shapes', () => {
    for (const s of ['', ' ', '\u200b', '嘉', 'a', '\u200ba\u200b', 'a\u200b嘉', '嘉\u200ba', '\ud800', '\ud800\udc00', 'x'.repeat(49) + '嘉', '嘉'.repeat(3) + 'x'.repeat(100),
      // A word cut at its limit inside a surrogate pair, in a short column and a long one.
      `${'a'.repeat(47)}𝐀𝐀`, `${'嘉兴'.repeat(40)} ${'a'.repeat(47)}𝐀𝐀 b`, '嘉兴'.repeat(5000), '嘉兴a'.repeat(70_000)]) {
      expect(articleTokens(s, s, [])).toEqual(reference(s, s, []));
    }
  });
});
