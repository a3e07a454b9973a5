import { describe, expect, it } from 'vitest';
import { bigrams, dice, itemKey, itemKeys, titleKey } from '../../../src/ingest/identity.js';

describe('identity', () => {
  it('makes the same title key from Traditional and Simplified titles', () => {
    expect(titleKey('嘉興市舉行2022年度第一次“互學互比互賽”')).toBe(titleKey('嘉兴市举行2022年度第一次「互学互比互赛」'));
    expect(titleKey('ＡＢＣ　１２３!')).toBe('abc123');
  });

  it('prefers guid, then canonical link, then title and date', () => {
    expect(itemKey({ guid: ' 42 ', canonicalUrl: 'https://a/1', title: 't', dateRaw: null })).toBe('g:42');
    expect(itemKey({ guid: '', canonicalUrl: 'https://a/1', title: 't', dateRaw: null })).toBe('u:https://a/1');
    const a = itemKey({ guid: null, canonicalUrl: null, title: '標題', dateRaw: '2022-05-07' });
    expect(a).toBe(itemKey({ guid: null, canonicalUrl: null, title: '标题', dateRaw: '2022-05-07' }));
    expect(a).not.toBe(itemKey({ guid: null, canonicalUrl: null, title: '标题', dateRaw: '2022-05-08' }));
  });

  it('keeps long identities bounded', () => {
    expect(itemKey({ guid: 'x'.repeat(5000), canonicalUrl: null, title: '', dateRaw: null }).length).toBeLessThan(50);
  });

  it('scores near-identical titles high and different ones low', () => {
    const a = bigrams(titleKey('斯达半导体高压特色工艺功率芯片项目开工'));
    const b = bigrams(titleKey('斯達半導體高壓特色工藝功率晶片項目開工'));
    expect(dice(a, b)).toBeGreaterThan(0.8);
    expect(dice(a, bigrams(titleKey('杭州地铁3号线西延段开通试运营')))).toBeLessThan(0.2);
  });
});

describe('itemKeys', () => {
  const item = (guid: string | null, canonicalUrl: string | null, title: string, text = '', dateRaw: string | null = null) => ({ guid, canonicalUrl, title, dateRaw, text });

  it('gives every item its itemKey when nothing collides, so stored items stay known', () => {
    const items = [item('a', 'https://e.cn/1', '一'), item(null, 'https://e.cn/2', '二'), item(null, null, '三', '', '2024-05-06')];
    expect(itemKeys(items)).toEqual(items.map(itemKey));
  });

  it('narrows a guid shared by items with different links by link', () => {
    const keys = itemKeys([item('show.mp3', 'https://e.cn/1', '第一期'), item('show.mp3', 'https://e.cn/2', '第二期')]);
    expect(new Set(keys).size).toBe(2);
    expect(keys.every((k) => k.startsWith('g#'))).toBe(true);
  });

  it('narrows a guid shared by items with one link but different titles by title', () => {
    const keys = itemKeys([item('x', 'https://e.cn/', '早间新闻'), item('x', 'https://e.cn/', '晚间新闻')]);
    expect(new Set(keys).size).toBe(2);
  });

  it('narrows a link shared by items with different titles (every item points at the home page)', () => {
    expect(new Set(itemKeys([item(null, 'https://e.cn/', '甲'), item(null, 'https://e.cn/', '乙')])).size).toBe(2);
  });

  it('narrows title and date by text for items without id or link; identical items stay one', () => {
    expect(new Set(itemKeys([item(null, null, '天气', '北部多云', 'd'), item(null, null, '天气', '南部小雨', 'd')])).size).toBe(2);
    const same = itemKeys([item('g', 'https://e.cn/1', '同一条'), item('g', 'https://e.cn/1', '同一条')]);
    expect(same).toEqual(['g:g', 'g:g']);
  });

  it('does not depend on the order of the items', () => {
    const items = [item('x', 'https://e.cn/1', '一'), item('x', 'https://e.cn/2', '二'), item(null, null, '天气', '甲', 'd'), item(null, null, '天气', '乙', 'd')];
    expect(itemKeys([...items].reverse())).toEqual(itemKeys(items).reverse());
  });
});
