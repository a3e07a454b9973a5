import { describe, expect, it } from 'vitest';
import { makeSnippet } from '../../../src/search/snippet.js';
import type { Needle } from '../../../src/search/query-syntax.js';

const han = (text: string): Needle => ({ text, word: false });
const visible = (s: string) => [...s.replaceAll('**', '').replaceAll('…', '')].length;

describe('makeSnippet', () => {
  it('cuts from the original script and highlights what the normalized query found', () => {
    const s = makeSnippet('立夏一過，萬物自此走向繁茂。秀洲區天鵝湖畔的浙江（嘉興）長三角智慧産業園。', [han('嘉兴')], 'original');
    expect(s).toContain('**嘉興**');
    expect(s).not.toContain('嘉兴');
  });

  it('renders the requested script, highlight included', () => {
    const s = makeSnippet('海宁市今天召开经济工作会议。', [han('海宁')], 'tw');
    expect(s).toBe('**海寧**市今天召開經濟工作會議。');
  });

  it('keeps about 120 characters around a late match, marking the cuts', () => {
    const body = `${'前文很长的句子'.repeat(40)}嘉兴${'后文也很长的句子'.repeat(40)}`;
    const s = makeSnippet(body, [han('嘉兴')], 'original');
    expect(s.startsWith('…')).toBe(true);
    expect(s.endsWith('…')).toBe(true);
    expect(s).toContain('**嘉兴**');
    expect(visible(s)).toBeLessThanOrEqual(120);
  });

  it('finds a match far into a long body', () => {
    const body = `${'甲乙丙丁戊己庚辛壬癸'.repeat(2000)}海宁`;
    expect(makeSnippet(body, [han('海宁')], 'original')).toContain('**海宁**');
  });

  it('starts at a sentence start when one is close before the match', () => {
    expect(makeSnippet('第一句话。第二句提到嘉兴。', [han('嘉兴')], 'original')).toBe('…第二句提到**嘉兴**。');
  });

  it('highlights Latin words only as whole words', () => {
    const s = makeSnippet('The apple app 上线', [{ text: 'app', word: true }], 'original');
    expect(s).toBe('The apple **app** 上线');
  });

  it('shows the opening without highlight when the body has no match', () => {
    expect(makeSnippet('  本文没有那个词。\n第二段。', [han('嘉兴')], 'original')).toBe('本文没有那个词。 第二段。');
  });

  it('never splits a surrogate pair', () => {
    const body = '𠀀'.repeat(300);
    const s = makeSnippet(body, [han('嘉兴')], 'original');
    expect(s.replace('…', '')).toMatch(/^(?:𠀀)+$/u);
  });

  it('returns an empty snippet for an empty body', () => {
    expect(makeSnippet('   ', [han('嘉兴')], 'original')).toBe('');
  });
});
