import { describe, expect, it } from 'vitest';
import { sentenceSpans, splitSentences } from '../../../src/text/sentences.js';

// String.prototype.isWellFormed is ES2024; the project targets ES2023.
const wellFormed = (s: string): boolean => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

describe('splitSentences', () => {
  it('ends on full-width marks and keeps closing quotes with the sentence', () => {
    expect(splitSentences('他说：“走吧。”然后走了。真的吗？！「是的。」他笑了；大家都笑了')).toEqual([
      '他说：“走吧。”',
      '然后走了。',
      '真的吗？！',
      '「是的。」',
      '他笑了；',
      '大家都笑了',
    ]);
  });

  it('ends on half-width !?; inside Chinese, as the seed article writes them', () => {
    expect(splitSentences('嘉興就是最好的投資熱土!”在嘉興經開區觀摩現場,他説了話。')).toEqual([
      '嘉興就是最好的投資熱土!”',
      '在嘉興經開區觀摩現場,他説了話。',
    ]);
  });

  it('does not end on half-width commas or colons', () => {
    expect(splitSentences('來源:嘉興日報,記者 裘建鋒。')).toEqual(['來源:嘉興日報,記者 裘建鋒。']);
  });

  it('keeps decimal numbers whole', () => {
    expect(splitSentences('年産20.87萬噸,年産值11.8億元。年納稅不低於1.5億元。增速3.5%。')).toEqual([
      '年産20.87萬噸,年産值11.8億元。',
      '年納稅不低於1.5億元。',
      '增速3.5%。',
    ]);
  });

  it('keeps URLs and e-mail addresses whole', () => {
    // The ; inside the query stays; the ! after the URL is punctuation and ends the sentence.
    expect(splitSentences('詳見https://example.com/a.html?x=1;y=2!然後投稿至news.desk@qq.com。謝謝')).toEqual([
      '詳見https://example.com/a.html?x=1;y=2!',
      '然後投稿至news.desk@qq.com。',
      '謝謝',
    ]);
    expect(splitSentences('See www.example.com/news. It is new.')).toEqual(['See www.example.com/news.', 'It is new.']);
  });

  it('splits Latin sentences on . but not inside abbreviations or numbers', () => {
    expect(splitSentences('U.S. officials met Dr. Smith at 3.5 p.m. today. They agreed! Did they? Yes.')).toEqual([
      'U.S. officials met Dr. Smith at 3.5 p.m. today.',
      'They agreed!',
      'Did they?',
      'Yes.',
    ]);
  });

  it('treats … and …… as one ending', () => {
    expect(splitSentences('立夏一過……萬物繁茂…後來呢')).toEqual(['立夏一過……', '萬物繁茂…', '後來呢']);
    expect(splitSentences('Wait... what')).toEqual(['Wait...', 'what']);
  });

  it('ends a sentence at a newline and trims every kind of space', () => {
    expect(splitSentences('\u3000\u3000第一段沒有句號\n\u00a0 第二段。 \r\n\n   \n第三段')).toEqual(['第一段沒有句號', '第二段。', '第三段']);
    expect(splitSentences('')).toEqual([]);
    expect(splitSentences(' \n\u3000\u00a0 ')).toEqual([]);
  });

  it('does not treat a list number as a sentence', () => {
    expect(splitSentences('1. 注重謀劃。2.做好口碑。')).toEqual(['1. 注重謀劃。', '2.做好口碑。']);
  });

  it('never splits emoji or astral characters', () => {
    const parts = splitSentences('好消息😀！𠀀𠀁字。👍🏽又一句？🇨🇳');
    expect(parts).toEqual(['好消息😀！', '𠀀𠀁字。', '👍🏽又一句？', '🇨🇳']);
    for (const p of parts) expect(wellFormed(p)).toBe(true);
  });

  it('stays linear on long runs of letters or URL punctuation (found by fuzzing)', () => {
    // Both scans used to restart at every position of the run: minutes for these inputs.
    const t0 = performance.now();
    expect(splitSentences(`${'x'.repeat(200_000)}。下一句。`)).toHaveLength(2);
    expect(splitSentences(`见 http://a.cn/${')'.repeat(100_000)}x 。`)).toHaveLength(1);
    // A wide margin: the quadratic scans took minutes; a slow, busy machine takes well under this.
    expect(performance.now() - t0).toBeLessThan(20_000);
    expect(splitSentences('写信给 a@b.cn. 然后走了。')).toEqual(['写信给 a@b.cn.', '然后走了。']);
  });

  it('can leave ； inside the sentence, where it joins clauses and list items', () => {
    const text = '全区今年抓好三件事：一是建学校；二是修道路；三是建公园。区长作了部署；大家都赞成';
    expect(splitSentences(text, { semicolons: false })).toEqual(['全区今年抓好三件事：一是建学校；二是修道路；三是建公园。', '区长作了部署；大家都赞成']);
    expect(splitSentences(text)).toHaveLength(5);
  });

  it('does not end a sentence at a list number after a clause mark', () => {
    expect(splitSentences('三项措施：1.公交免费；2.延长服务；3.新增车辆。', { semicolons: false })).toEqual(['三项措施：1.公交免费；2.延长服务；3.新增车辆。']);
    expect(splitSentences('增速为3.5%，比上年高0.5个百分点。')).toEqual(['增速为3.5%，比上年高0.5个百分点。']);
  });

  it('returns spans that slice back to the sentences', () => {
    const text = '  第一句。第二句!\n第三句';
    expect(sentenceSpans(text).map(([s, e]) => text.slice(s, e))).toEqual(splitSentences(text));
  });
});
