import { existsSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codePointLength } from '../../../src/text/length.js';
import { convert } from '../../../src/text/script.js';
import { DEFAULT_SUMMARY_BUDGET, createExtractiveSummarizer, extractiveSummary } from '../../../src/text/summary.js';

// String.prototype.isWellFormed is ES2024; the project targets ES2023.
const wellFormed = (s: string): boolean => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

const SEED = 'tests/fixtures/seed/jiaxing-daily-2022-05-07.txt';
const hasSeed = existsSync(SEED);
const seedLines = hasSeed ? readFileSync(SEED, 'utf8').split('\n') : [];
const seed = { title: seedLines[3] ?? '', body: seedLines.slice(6, 67).join('\n') };

const article = [
  '注重谋划，以项目拉动发展',
  '嘉兴日报 · 记者 裘建锋 | 发布时间 2022-05-07 09:23:18',
  '昨天，嘉兴市举行项目观摩活动，市委书记逐一进行现场点评。各地围绕统筹疫情防控和经济社会发展开展观摩。',
  '图为活动现场的项目观摩活动。',
  '项目观摩活动由市委组织，记者 张三 摄。',
  '秀洲区突出一个“谋”字，谋划了200多个重点项目。海盐重点谋划重大交通项目。',
  '平湖市提供“管家式”服务，最终兑现了“拿地即开工”的诺言。',
  '（原文标题：项目为王 嘉兴市举行项目观摩活动。）',
  '来源：嘉兴日报 | 责编：陆姗姗 | 审核：张渊。',
  '新闻投稿：news@example.com 新闻热线：13157110107。',
  '版权所有，嘉兴市举行项目观摩活动的报道未经授权禁止转载。',
].join('\n');

describe('extractiveSummary', () => {
  it.skipIf(!hasSeed)('summarises the founding example with its news, in both scripts', () => {
    const summary = extractiveSummary(seed);
    expect(codePointLength(summary)).toBeLessThanOrEqual(160);
    expect(summary.startsWith('昨天,我市舉行2022年度第一次“互學互比互賽”活動')).toBe(true);
    expect(summary).not.toContain('立夏一過');
    const cn = convert(summary, 'cn');
    expect(cn).toContain('我市举行2022年度第一次“互学互比互赛”活动');
    // The same article in Simplified gives the same sentences.
    expect(extractiveSummary({ title: convert(seed.title, 'cn'), body: convert(seed.body, 'cn') })).toBe(cn);
  });

  it('never picks bylines, captions, footers, links or headings', () => {
    const title = '嘉兴市举行项目观摩活动';
    for (const budget of [40, 80, 160, 400]) {
      const summary = extractiveSummary({ title, body: article, budget });
      expect(codePointLength(summary)).toBeLessThanOrEqual(budget);
      for (const bad of ['注重谋划', '记者', '图为', '摄', '原文标题', '来源', '责编', '新闻热线', '投稿', '版权', '转载', '2022-05-07']) {
        expect(summary, `${budget}: ${bad}`).not.toContain(bad);
      }
      expect(summary.startsWith('昨天，嘉兴市举行项目观摩活动')).toBe(true);
    }
  });

  it('keeps the article order and whole sentences', () => {
    const summary = extractiveSummary({ title: '嘉兴市举行项目观摩活动', body: article, budget: 200 });
    const sentences = summary.split(/(?<=[。！？])/);
    const positions = sentences.map((s) => article.indexOf(s));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('gives a short article its lead sentences, as many as fit', () => {
    const body = '今天上午，宁波舟山港迎来今年第一艘万吨级货轮。货轮装载集装箱两千余个。';
    expect(extractiveSummary({ title: '货轮到港', body })).toBe(body);
    expect(extractiveSummary({ title: '货轮到港', body, budget: 30 })).toBe('今天上午，宁波舟山港迎来今年第一艘万吨级货轮。');
  });

  it('cuts an overlong best sentence at a clause boundary', () => {
    const body = '今天上午，宁波舟山港迎来今年第一艘万吨级货轮，货轮装载集装箱两千余个，港区工人连夜作业，确保货物及时装卸完毕。';
    const summary = extractiveSummary({ title: '货轮到港', body, budget: 30 });
    expect(summary).toBe('今天上午，宁波舟山港迎来今年第一艘万吨级货轮…');
    expect(codePointLength(summary)).toBeLessThanOrEqual(30);
    expect(extractiveSummary({ title: '', body: '嘉兴市举行活动😀😀😀😀😀😀。', budget: 6 })).toBe('嘉兴市举行…');
  });

  it('returns nothing when no sentence qualifies', () => {
    expect(extractiveSummary({ title: 'x', body: '' })).toBe('');
    expect(extractiveSummary({ title: 'x', body: '注重谋划\n以服务赢得未来\n来源：嘉兴日报。' })).toBe('');
  });

  it('is deterministic, also through the port', async () => {
    const input = { title: '嘉兴市举行项目观摩活动', body: article };
    const summarizer = createExtractiveSummarizer();
    const first = await summarizer.summarize(input);
    expect(first).toBe(extractiveSummary(input));
    expect(await summarizer.summarize(input)).toBe(first);
  });

  it('never exceeds the budget or breaks a surrogate pair (property)', () => {
    const piece = fc.oneof(
      fc.constantFrom(...'嘉兴市举行项目活动发展经济秀洲海宁平湖'),
      fc.constantFrom('。', '！', '？', '，', '、', '；', '…', '.', '!', ' ', '\n', '“', '”', '（', '）', '3.5'),
      fc.constantFrom('😀', '𠀀', '𪚥', '👨\u200d👩\u200d👧', '🇨🇳', '👍🏽', 'SKU', 'https://a.cn/x?y=1'),
      fc.string({ unit: 'grapheme', maxLength: 3 }),
    );
    const text = fc.array(piece, { maxLength: 400 }).map((p) => p.join(''));
    fc.assert(
      fc.property(text, text, fc.integer({ min: 1, max: 300 }), (title, body, budget) => {
        const out = extractiveSummary({ title, body, budget });
        return codePointLength(out) <= budget && wellFormed(out) && out === extractiveSummary({ title, body, budget });
      }),
      { numRuns: 300 },
    );
  });

  it('reads a budget that is not a number as the default (found by fuzzing)', () => {
    // NaN used to cap nothing: the lead sentence came back whole, past any budget.
    const long = `${'嘉兴市举行项目观摩活动开展实地观摩并听取各地汇报'.repeat(8)}。`;
    const body = [long, '第二段，全市经济发展势头良好。', '第三段，项目建设稳步推进。', '第四段，群众满意度明显提升。'].join('\n');
    const out = extractiveSummary({ title: '嘉兴', body, budget: Number.NaN });
    expect(codePointLength(out)).toBeLessThanOrEqual(DEFAULT_SUMMARY_BUDGET);
    expect(out).toBe(extractiveSummary({ title: '嘉兴', body }));
  });

  it('stays linear on long runs of letters, dots or spaces (found by fuzzing)', () => {
    // The e-mail test and the trailing-mark trim restarted at every position of the run; a
    // photo-credit pattern did the same over a long run of spaces (minutes, not milliseconds).
    // The bound only catches that blow-up; speed itself is measured by `npm run bench`.
    const t0 = performance.now();
    for (const run of ['x'.repeat(200_000), `a${'.'.repeat(100_000)}b`, ' '.repeat(100_000)]) {
      const out = extractiveSummary({ title: '嘉兴', body: `嘉兴市举行项目观摩活动${run}，开展实地观摩。` });
      expect(codePointLength(out)).toBeLessThanOrEqual(DEFAULT_SUMMARY_BUDGET);
    }
    expect(performance.now() - t0).toBeLessThan(20_000);
  }, 60_000);

  it('counts a lone surrogate as one code point when cutting (found by fuzzing)', () => {
    const body = '\udfff臺\u0000&amp;SKU２０２２嘉。嘉\ud800嘉SKU。';
    expect(codePointLength(extractiveSummary({ title: '', body, budget: 7 }))).toBeLessThanOrEqual(7);
  });

  it('summarises a 3,000-character article within the budget, the same way twice', () => {
    const body = hasSeed ? seed.body : Array.from({ length: 40 }, (_, i) => `第${i}段，${article}`).join('\n').slice(0, 3000);
    const out = extractiveSummary({ title: '嘉兴', body });
    expect(codePointLength(out)).toBeGreaterThan(0);
    expect(codePointLength(out)).toBeLessThanOrEqual(DEFAULT_SUMMARY_BUDGET);
    expect(extractiveSummary({ title: '嘉兴', body })).toBe(out);
  });
});

describe('leads that start with a reporter', () => {
  it('keeps "记者…从…获悉" as the lead, and still drops a byline', () => {
    const body = [
      '記者昨天從海寧市行政服務中心獲悉,海寧市本月起推出企業開辦“一件事”聯辦服務,營業執照、公章刻制、稅務登記和社保登記可在一個窗口一次辦結。',
      '據介紹,聯辦服務上線兩周以來,已有三百四十多家新設企業通過這一方式完成開辦。',
      '記者 張三 李四。',
    ].join('\n');
    const s = extractiveSummary({ title: '海寧市推出“一件事”聯辦服務 企業開辦半天辦結', body });
    expect(s.startsWith('記者昨天從海寧市')).toBe(true);
    expect(s).not.toContain('張三');
  });
});
