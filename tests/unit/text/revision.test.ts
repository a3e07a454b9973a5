import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BODY_SIMILARITY_THRESHOLD, bodySimilarity, isNoticeLine, materialChange } from '../../../src/text/revision.js';

// A synthetic county story, paragraphs separated by \n as Article.text stores them.
const TITLE = '嘉兴南湖区启动老旧小区加装电梯 首批十二个小区入选';
const PARAS = [
  '本报讯 南湖区日前公布今年老旧小区加装电梯计划，首批十二个小区入选，预计明年六月前全部完工。',
  '据区住建局介绍，此次入选的小区均建成于上世纪九十年代，楼龄超过二十五年，六层住宅居多，老年住户比例较高。',
  '加装电梯所需资金由政府补贴、住户分摊和公共维修资金三部分组成，每台电梯政府补贴最高二十万元。',
  '区住建局提醒，住户意见统一后方可申请，具体流程可咨询所在街道社区服务中心。',
];
const BODY = PARAS.join('\n');
const v = (title: string, text: string) => ({ title, text });

describe('materialChange: what is not a change', () => {
  it('the same article', () => {
    expect(materialChange(v(TITLE, BODY), v(TITLE, BODY))).toEqual({ changed: false, reasons: [], similarity: 1 });
  });

  it('the other script, punctuation width, spacing and case', () => {
    const traditional = v('嘉興南湖區啟動老舊小區加裝電梯　首批十二個小區入選', BODY.replace('嘉兴', '嘉興').replace(/，/g, ','));
    expect(materialChange(v(TITLE, BODY), traditional).changed).toBe(false);
    expect(materialChange(v('Jiaxing: 12 estates get lifts', BODY), v('JIAXING — 12 estates get lifts!', BODY)).changed).toBe(false);
    expect(materialChange(v('首批１２个小区', BODY), v('首批12个小区', BODY)).changed).toBe(false);
  });

  it('a fixed typo or a reordered paragraph', () => {
    const typo = BODY.replace('二十五年', '二十六年');
    expect(materialChange(v(TITLE, BODY), v(TITLE, typo)).changed).toBe(false);
    const swapped = [PARAS[0], PARAS[2], PARAS[1], PARAS[3]].join('\n');
    expect(bodySimilarity(BODY, swapped)).toBeGreaterThan(BODY_SIMILARITY_THRESHOLD);
  });

  it('a standing update stamp whose date moved, and 更正/更新 inside reporting', () => {
    const stamped = (date: string) => `${BODY}\n更新时间：${date}`;
    expect(materialChange(v(TITLE, stamped('2026-11-30 09:15')), v(TITLE, stamped('2026-12-01 08:40'))).reasons).not.toContain('notice');
    const prose = `更新改造后的小区将同步增设无障碍通道。\n${BODY}`;
    expect(materialChange(v(TITLE, prose), v(TITLE, prose.replace('无障碍通道', '无障碍坡道'))).reasons).toEqual([]);
    expect(isNoticeLine('居民反映的问题，社区已要求物业限期更正。')).toBe(false);
  });
});

describe('materialChange: what is', () => {
  it('a new headline', () => {
    expect(materialChange(v(TITLE, BODY), v('南湖区首批十五个小区加装电梯', BODY)).reasons).toEqual(['title']);
  });

  it('a body rewritten or extended beyond the threshold', () => {
    const rewritten = [PARAS[0], '区住建局表示，首批小区的施工单位将通过公开招标确定，工期安排在明年春节之后，施工期间将尽量减少对居民出行的影响。', PARAS[2], PARAS[3]].join('\n');
    const r = materialChange(v(TITLE, BODY), v(TITLE, rewritten));
    expect(r.reasons).toEqual(['body']);
    expect(r.similarity).toBeLessThan(BODY_SIMILARITY_THRESHOLD);
    expect(materialChange(v(TITLE, PARAS[0]!), v(TITLE, BODY)).reasons).toEqual(['body']);
    expect(materialChange(v(TITLE, ''), v(TITLE, BODY)).reasons).toEqual(['body']);
  });

  it.each([
    ['更正：本文第二段中“二十五年”应为“三十年”，特此更正。', 'end'],
    ['【更新】区住建局晚间补充：第二批名单将于下月公布。', 'start'],
    ['（本文已于12月1日更新）', 'end'],
    ['原稿中补贴金额有误，现更正为每台最高二十五万元。', 'end'],
    ['訂正：補貼金額應為每台最高二十五萬元。', 'end'],
    ['勘误：第三段“二十万元”应为“二十五万元”。', 'start'],
    ['Correction: An earlier version of this story misstated the subsidy.', 'end'],
    ['Updated at 18:30 with the second list of estates.', 'start'],
    ['This article has been updated to include comments from residents.', 'end'],
  ])('a notice: %s', (notice, where) => {
    const text = where === 'start' ? `${notice}\n${BODY}` : `${BODY}\n${notice}`;
    const r = materialChange(v(TITLE, BODY), v(TITLE, text));
    expect(r.changed).toBe(true);
    expect(r.reasons).toContain('notice');
  });

  it('a notice in the headline', () => {
    expect(materialChange(v(TITLE, BODY), v(`【更正】${TITLE}`, BODY)).reasons).toEqual(['title', 'notice']);
  });

  it('a notice that was already there is not news; one in the middle of a long body is not a notice', () => {
    const noted = `${BODY}\n更正：第二段数字有误，已改正。`;
    expect(materialChange(v(TITLE, noted), v(TITLE, noted)).changed).toBe(false);
    const long = [...PARAS, ...PARAS, ...PARAS];
    const middle = [...long.slice(0, 6), '更正：这一行在正文中间。', ...long.slice(6)].join('\n');
    expect(materialChange(v(TITLE, long.join('\n')), v(TITLE, middle)).reasons).not.toContain('notice');
  });
});

describe('isNoticeLine: notices as a class of lines', () => {
  it.each(['更新于2026年12月1日', '更新 12月1日 18:30', '（更新）', '【更正声明】', 'UPDATE: two more estates added', '编者按：本文已更新', '此文曾于昨日修改'])('%s is a notice', (line) => {
    expect(isNoticeLine(line)).toBe(true);
  });
  it.each(['更新3万条数据后系统运行平稳。', '修订后的条例将于明年施行。', '本报讯（记者 王林）12月1日，嘉兴市于今年更新了公交线路。', 'Update your browser to view this page', `更正：${'很长'.repeat(200)}`])('%s is not', (line) => {
    expect(isNoticeLine(line)).toBe(false);
  });
});

describe('materialChange: bounded and never throws', () => {
  it('compares long bodies by their ends, and still sees a large length change', () => {
    const long = '老旧小区加装电梯工作稳步推进。'.repeat(60_000); // 900 K characters
    const r = materialChange(v(TITLE, long), v(TITLE, `${long}\n更正：补贴标准以区政府文件为准。`));
    expect(r.reasons).toEqual(['notice']);
    expect(materialChange(v(TITLE, long), v(TITLE, long.slice(0, 300_000))).reasons).toEqual(['body']);
  });

  it('treats missing or non-string fields as empty', () => {
    expect(materialChange(null as never, undefined as never)).toEqual({ changed: false, reasons: [], similarity: 1 });
    expect(materialChange({ title: 5, text: null } as never, v(TITLE, BODY)).reasons).toEqual(['title', 'body']);
  });

  it('is symmetric in its body similarity and stays within 0..1', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.string({ maxLength: 200 }), (a, b) => {
        const s = bodySimilarity(a, b);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1);
        expect(bodySimilarity(b, a)).toBeCloseTo(s, 10);
      }),
      { numRuns: 300 },
    );
  });
});
