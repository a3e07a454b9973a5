import { describe, expect, it } from 'vitest';
import { codePointLength, truncateCodePoints } from '../../../src/text/length.js';

// String.prototype.isWellFormed is ES2024; the project targets ES2023.
const wellFormed = (s: string): boolean => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

describe('codePointLength', () => {
  it('counts code points, not UTF-16 units', () => {
    expect(codePointLength('')).toBe(0);
    expect(codePointLength('abc')).toBe(3);
    expect(codePointLength('嘉兴')).toBe(2);
    expect(codePointLength('😀𠀀')).toBe(2);
    expect('😀𠀀'.length).toBe(4);
    expect(codePointLength('\ud800x')).toBe(2); // a lone surrogate is one
  });
});

describe('truncateCodePoints', () => {
  it('leaves short text alone', () => {
    expect(truncateCodePoints('嘉兴', 2)).toBe('嘉兴');
    expect(truncateCodePoints('嘉兴', 5, '…')).toBe('嘉兴');
  });

  it('cuts to the limit, ellipsis included', () => {
    expect(truncateCodePoints('嘉兴市举行活动', 4)).toBe('嘉兴市举');
    expect(truncateCodePoints('嘉兴市举行活动', 4, '…')).toBe('嘉兴市…');
    expect(codePointLength(truncateCodePoints('嘉兴市举行活动', 4, '…'))).toBe(4);
  });

  it('never cuts a surrogate pair', () => {
    const s = '😀😀😀';
    expect(truncateCodePoints(s, 2)).toBe('😀😀');
    expect(truncateCodePoints(s, 2, '…')).toBe('😀…');
    for (let n = 0; n <= 4; n++) expect(wellFormed(truncateCodePoints('a𠀀b😀c', n, '…'))).toBe(true);
  });

  it('drops a dangling zero-width joiner', () => {
    const family = '👨\u200d👩\u200d👧';
    expect(truncateCodePoints(family + '!', 2)).toBe('👨');
  });

  it('handles limits smaller than the ellipsis', () => {
    expect(truncateCodePoints('嘉兴市', 0, '…')).toBe('');
    expect(truncateCodePoints('嘉兴市', 1, '...')).toBe('.');
  });
});
