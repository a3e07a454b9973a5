import { describe, expect, it } from 'vitest';
import { articleTokens, documentTokens, feedToken, regionToken, segment } from '../../../src/search/tokens.js';

describe('documentTokens', () => {
  it('makes overlapping bigrams of a Han run plus its last character', () => {
    expect(documentTokens('嘉兴市')).toBe('嘉兴 兴市 市');
  });

  it('keeps a one-character run as itself', () => {
    expect(documentTokens('5月')).toBe('5 月');
  });

  it('normalizes first: Traditional, full-width and case give the same tokens', () => {
    expect(documentTokens('嘉興市')).toBe(documentTokens('嘉兴市'));
    expect(documentTokens('ＡＢＣ１２３')).toBe('abc123');
    expect(documentTokens('iPhone 15 Pro')).toBe('iphone 15 pro');
  });

  it('splits on punctuation and symbols, and ignores zero-width characters inside a run', () => {
    expect(documentTokens('嘉兴，海宁😀')).toBe('嘉兴 兴 海宁 宁');
    expect(documentTokens('嘉\u200b兴')).toBe('嘉兴 兴');
  });

  it('keeps astral Han characters whole', () => {
    expect(documentTokens('𠀀𠀁')).toBe('𠀀𠀁 𠀁');
    expect(segment('a𠀀')).toEqual([{ cjk: false, text: 'a' }, { cjk: true, chars: ['𠀀'] }]);
  });

  it('does not let a lone high surrogate swallow the character after it (found by fuzzing)', () => {
    // "\udbff今" was read as one two-unit "character" (a separator), so 今 was never indexed.
    expect(documentTokens('的\udbff今上个')).toBe('的 今上 上个 个');
    expect(segment('\ud800嘉兴')).toEqual([{ cjk: true, chars: ['嘉', '兴'] }]);
    expect(documentTokens('嘉\ud800')).toBe('嘉');
  });

  it('lists each distinct character and word once for the character index', () => {
    const t = articleTokens('嘉兴', '嘉兴 app app', ['\uE000330400']);
    expect(t.terms.split(' ').sort()).toEqual(['app', '兴', '嘉', '\uE000330400'].sort());
  });

  it('makes facet tokens that no text can produce', () => {
    expect(regionToken('330400')).toBe('\uE000330400');
    expect(feedToken('jx')).toBe('\uE0016a78');
    expect(documentTokens('\uE000330400')).toBe('330400');
  });
});
