import { describe, expect, it } from 'vitest';
import { aggregate, authorMatches, dateMatches, fieldsAt0800, foldFullWidth, labelFields, scorePage, shingles, tokenize } from '../../../eval/score.js';

describe('tokenize', () => {
  it('makes every Han character one token and drops punctuation and spaces', () => {
    expect(tokenize('嘉兴，市。 舉行！')).toEqual(['嘉', '兴', '市', '举', '行']);
  });

  it('keeps Latin and digit runs whole, lower-cased, after folding full width', () => {
    expect(tokenize('SiC晶片 ２０２２年 GWh12.6')).toEqual(['sic', '晶', '片', '2022', '年', 'gwh12', '6']);
    expect(foldFullWidth('ＡＢＣ１２３ａ')).toBe('ABC123a');
  });

  it('counts kana and hangul characters as tokens', () => {
    // Han goes through t2s like everything else (書館 → 书馆).
    expect(tokenize('図書館です 한국')).toEqual(['図', '书', '馆', 'で', 'す', '한', '국']);
  });

  it('treats Traditional and Simplified alike', () => {
    expect(tokenize('嘉興日報')).toEqual(tokenize('嘉兴日报'));
  });
});

describe('shingles', () => {
  it('is a bag of 4-token runs', () => {
    const bag = shingles(['a', 'b', 'c', 'd', 'a', 'b', 'c', 'd']);
    expect([...bag.values()].reduce((a, b) => a + b, 0)).toBe(5);
    expect(bag.get(['a', 'b', 'c', 'd'].join('\u0001'))).toBe(2);
  });

  it('makes a short text one shingle and an empty text none', () => {
    expect(shingles(['a', 'b']).size).toBe(1);
    expect(shingles([]).size).toBe(0);
  });
});

describe('scorePage', () => {
  const text = '立夏一过，万物自此走向繁茂。五月的嘉禾大地，疫情虽仍有侵扰，但总体可控。';

  it('gives 1/1 for the same text, whatever the punctuation and spacing', () => {
    expect(scorePage(text.replace(/，/g, ', '), text)).toEqual({ precision: 1, recall: 1, f1: 1 });
  });

  it('gives 0 for an empty output or empty label', () => {
    expect(scorePage('', text)).toEqual({ precision: 0, recall: 0, f1: 0 });
    expect(scorePage(text, '')).toEqual({ precision: 0, recall: 0, f1: 0 });
  });

  it('lowers precision for extra text and recall for missing text', () => {
    const extra = scorePage(`${text}相关新闻推荐阅读上一篇下一篇`, text);
    expect(extra.recall).toBe(1);
    expect(extra.precision).toBeLessThan(1);
    const half = scorePage(text.slice(0, 14), text);
    expect(half.precision).toBe(1);
    expect(half.recall).toBeLessThan(0.6);
  });

  it('counts repeated shingles only as often as the label has them', () => {
    const twice = scorePage(`${text}${text}`, text);
    expect(twice.recall).toBe(1);
    expect(twice.precision).toBeCloseTo(0.5, 1);
  });
});

describe('aggregate', () => {
  it('reports the F1 of mean precision and mean recall, and the mean page F1', () => {
    const agg = aggregate([
      { precision: 1, recall: 0.5, f1: 2 / 3 },
      { precision: 0.5, recall: 1, f1: 2 / 3 },
    ]);
    expect(agg.meanPrecision).toBe(0.75);
    expect(agg.meanRecall).toBe(0.75);
    expect(agg.f1OfMeans).toBeCloseTo(0.75);
    expect(agg.meanPageF1).toBeCloseTo(2 / 3);
    expect(aggregate([]).f1OfMeans).toBe(0);
  });
});

describe('authorMatches', () => {
  it('compares after trimming and collapsing separators', () => {
    expect(authorMatches(' 宋怡  杨志华 ', '宋怡 杨志华')).toBe(true);
    expect(authorMatches('赵延东、风笑天', '赵延东 风笑天')).toBe(true);
    expect(authorMatches('裘建鋒', '裘建锋')).toBe(true);
    expect(authorMatches('宋怡', '宋怡 杨志华')).toBe(false);
  });

  it('treats null as matching only null', () => {
    expect(authorMatches(null, null)).toBe(true);
    expect(authorMatches('张三', null)).toBe(false);
    expect(authorMatches(null, '张三')).toBe(false);
  });
});

describe('dateMatches', () => {
  const at = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number => Date.UTC(y, mo - 1, d, h - 8, mi, s);

  it('reads labels at their own precision', () => {
    expect(labelFields('2018')).toEqual([2018]);
    expect(labelFields('1998-3')).toEqual([1998, 3]);
    expect(labelFields('2004-7-16 08:19')).toEqual([2004, 7, 16, 8, 19]);
    expect(labelFields('2005-9-15 11:46:00')).toEqual([2005, 9, 15, 11, 46, 0]);
    expect(labelFields('unknown')).toBeNull();
  });

  it('compares at +08:00', () => {
    expect(fieldsAt0800(Date.UTC(2022, 4, 7, 1, 23, 18))).toEqual([2022, 5, 7, 9, 23, 18]);
    expect(dateMatches(Date.UTC(2022, 4, 7, 1, 23, 18), '2022-05-07 09:23:18')).toBe(true);
    expect(dateMatches(at(2004, 7, 16, 8, 19, 42), '2004-7-16 08:19')).toBe(true);
    expect(dateMatches(at(2004, 7, 16, 8, 20), '2004-7-16 08:19')).toBe(false);
    expect(dateMatches(at(1998, 3, 1), '1998-3')).toBe(true);
    expect(dateMatches(at(2018, 8, 23), '2018')).toBe(true);
    // Late evening at +08:00 is still the labelled day, though UTC has not reached it.
    expect(dateMatches(at(2005, 9, 10, 0, 30), '2005-09-10')).toBe(true);
  });

  it('treats a missing label as matching only a missing date', () => {
    expect(dateMatches(null, null)).toBe(true);
    expect(dateMatches(at(2005, 1, 1), null)).toBe(false);
    expect(dateMatches(null, '2005-01-01')).toBe(false);
  });
});
