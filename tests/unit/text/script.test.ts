import { describe, expect, it } from 'vitest';
import { SCRIPTS } from '../../../src/domain/types.js';
import { convert, detectScript, normalizeForMatch, t2s } from '../../../src/text/script.js';

describe('convert', () => {
  it('leaves Simplified text in mainland words for cn: Taiwan vocabulary rules apply only to Taiwan text', () => {
    // 新增 is a Taiwan UI word for 添加, but in mainland news it means "newly added".
    expect(convert('桐乡市新增三条公交线路', 'cn')).toBe('桐乡市新增三条公交线路');
    expect(convert('全省新增病例', 'cn')).toBe('全省新增病例');
    // Mostly Simplified with a stray Traditional character: only the characters are folded.
    expect(convert('桐乡市新增三條公交线路', 'cn')).toBe('桐乡市新增三条公交线路');
    // Taiwan text still gets mainland words.
    expect(convert('軟體資訊網路', 'cn')).toBe('软件信息网络');
  });

  it('renders Simplified in every target', () => {
    expect(convert('这里面条着急', 'original')).toBe('这里面条着急');
    expect(convert('这里面条着急', 'cn')).toBe('这里面条着急');
    expect(convert('这里', 'tw')).toBe('這裡');
    expect(convert('这里', 'hk')).toBe('這裏');
    expect(convert('软件 信息 网络', 'tw')).toBe('軟件 信息 網絡');
    expect(convert('软件 信息 网络', 'twp')).toBe('軟體 資訊 網路');
    expect(convert('温州', 'tw')).toBe('溫州');
    expect(convert('温州', 'hk')).toBe('温州');
    expect(convert('台州', 'tw')).toBe('台州');
  });

  it('renders Traditional for mainland readers with mainland words', () => {
    expect(convert('嘉興市舉行', 'cn')).toBe('嘉兴市举行');
    expect(convert('晶片 資訊化 網路 支援', 'cn')).toBe('芯片 信息化 网络 支持');
    // A Taiwan original keeps its own words for Traditional readers.
    expect(convert('軟體 晶片', 'tw')).toBe('軟體 晶片');
    expect(convert('軟體', 'twp')).toBe('軟體');
  });

  it('passes ASCII through unchanged in every target', () => {
    for (const target of SCRIPTS) {
      expect(convert('SKU 3.5 abc', target)).toBe('SKU 3.5 abc');
      expect(convert('SKU 3.5 温州 abc', target).replace('溫', '温')).toBe('SKU 3.5 温州 abc');
      expect(convert('SKU-42 v1.2.3 https://a.cn/x?q=1 温州', target).startsWith('SKU-42 v1.2.3 https://a.cn/x?q=1 ')).toBe(true);
    }
  });

  it('leaves its input untouched', () => {
    const original = '這裡的軟體';
    for (const target of SCRIPTS) convert(original, target);
    expect(original).toBe('這裡的軟體');
    expect(convert(original, 'original')).toBe(original);
  });
});

describe('t2s and normalizeForMatch', () => {
  it('keep the length so offsets map back', () => {
    const text = '嘉興市 ＡＢＣ１２３ 海寧 İstanbul 😀';
    expect(t2s(text).length).toBe(text.length);
    expect(normalizeForMatch(text).length).toBe(text.length);
    expect(normalizeForMatch('嘉興市ＡＢＣ')).toBe('嘉兴市abc');
  });

  it('simplifies what NFKC turns into Traditional, so normalising twice changes nothing (found by fuzzing)', () => {
    // Compatibility ideographs (U+F9D0) and circled ones fold to Traditional characters.
    expect(normalizeForMatch('\uf9d0別')).toBe('类别');
    expect(normalizeForMatch('㊜')).toBe('适');
    for (const s of ['\uf9d0別', '㊜合', '嘉興市ＡＢＣ']) expect(normalizeForMatch(normalizeForMatch(s))).toBe(normalizeForMatch(s));
  });
});

describe('detectScript', () => {
  it('tells Traditional, Simplified, mixed and none apart', () => {
    expect(detectScript('嘉興市舉行2022年度第一次活動')).toBe('traditional');
    expect(detectScript('嘉兴市举行2022年度第一次活动')).toBe('simplified');
    expect(detectScript('嘉兴市举行活动，嘉興市舉行活動')).toBe('mixed');
    expect(detectScript('SKU 3.5 abc 😀')).toBe('none');
    expect(detectScript('')).toBe('none');
  });
});
