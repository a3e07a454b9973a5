import { describe, expect, it } from 'vitest';
import { bigrams, dice, itemKey, titleKey } from '../../../src/ingest/identity.js';

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
