import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RegionsFile } from '../../../src/domain/types.js';
import { createGazetteer } from '../../../src/text/gazetteer.js';
import { tagRegions, withAncestors } from '../../../src/text/regions.js';
import { validateRegionsFile } from '../../../src/text/regions-schema.js';

const raw: unknown = JSON.parse(readFileSync('data/regions.json', 'utf8'));
const file = validateRegionsFile(raw);
const gaz = createGazetteer(file);

// The founding example lives in the shared folder next to the repository (as for `npm run
// eval`); the tests that need it are skipped where it is absent.
const SEED = 'tests/fixtures/seed/jiaxing-daily-2022-05-07.txt';
const hasSeed = existsSync(SEED);
const seedLines = hasSeed ? readFileSync(SEED, 'utf8').split('\n') : [];
const seed = {
  title: seedLines[3] ?? '',
  body: seedLines.slice(6, 67).join('\n'), // lines 7–67: the body without nav or footer
  breadcrumb: ['首頁', '浙江', '嘉興', '要聞'],
  feedRegion: '330400',
};

const codes = (title: string, body = '', feedRegion: string | null = null): string[] =>
  tagRegions(gaz, { title, body, feedRegion }).map((t) => t.code);

describe('data/regions.json', () => {
  it('validates: six-digit unique codes, parents exist, kinds follow the tree', () => {
    const seen = new Set<string>();
    for (const r of file.regions) {
      expect(r.code).toMatch(/^\d{6}$/);
      expect(seen.has(r.code), r.code).toBe(false);
      seen.add(r.code);
    }
    for (const r of file.regions) {
      if (r.parent === null) expect(r.kind).toBe('province');
      else expect(seen.has(r.parent), `${r.code} → ${r.parent}`).toBe(true);
    }
    expect(file.vintage).toMatch(/@vant\/area-data \d+\.\d+\.\d+/);
  });

  it('covers the whole country including 香港, 澳门, 台湾', () => {
    const provinces = gaz.provinces().map((p) => p.short);
    expect(provinces).toHaveLength(34);
    expect(provinces).toEqual(expect.arrayContaining(['香港', '澳门', '台湾', '内蒙古', '广西', '新疆', '西藏', '宁夏']));
  });

  it('has Hangzhou as reorganised in 2021', () => {
    const hz = gaz.children('330100').map((r) => r.name);
    expect(gaz.get('330113')?.name).toBe('临平区');
    expect(hz).toContain('钱塘区');
    expect(hz).not.toContain('下城区');
    expect(hz).not.toContain('江干区');
  });

  it('folds placeholder layers into the province', () => {
    expect(gaz.get('310107')?.parent).toBe('310000');
    expect(gaz.get('419001')?.parent).toBe('410000');
    expect(gaz.get('310100')).toBeUndefined();
    expect(file.regions.some((r) => /^(市辖区|县|省直辖县|省直辖县级行政区划|自治区直辖县级行政区划)$/.test(r.name))).toBe(false);
  });

  it('derives short names and Traditional names', () => {
    const short = (code: string) => gaz.get(code)?.short;
    expect(short('450000')).toBe('广西');
    expect(short('150000')).toBe('内蒙古');
    expect(short('640000')).toBe('宁夏');
    expect(short('650000')).toBe('新疆');
    expect(short('540000')).toBe('西藏');
    expect(short('810000')).toBe('香港');
    expect(short('522600')).toBe('黔东南');
    expect(short('330481')).toBe('海宁');
    expect(gaz.get('330400')?.nameTw).toBe('嘉興市');
    expect(gaz.get('710000')?.nameTw).toBe('臺灣省');
    expect(gaz.get('330482')?.risky).toBe(true);
    expect(gaz.get('330481')?.risky).toBe(false);
  });

  it('rejects broken files', () => {
    const regions = file.regions.slice(0, 3);
    expect(() => validateRegionsFile({ vintage: 'x', regions: [...regions, regions[1]] })).toThrow(/duplicate/);
    expect(() => validateRegionsFile({ vintage: 'x', regions: [{ ...regions[1]!, parent: '990000' }] })).toThrow(/parent/);
    expect(() => validateRegionsFile({ vintage: 'x', regions: [{ ...regions[0]!, code: '11' }] })).toThrow(/malformed/);
  });
});

describe('gazetteer', () => {
  it('walks the tree', () => {
    expect(gaz.ancestors('330481').map((r) => r.code)).toEqual(['330400', '330000']);
    expect(gaz.path('330481').map((r) => r.short)).toEqual(['浙江', '嘉兴', '海宁']);
    expect(gaz.isWithin('330481', '330400')).toBe(true);
    expect(gaz.isWithin('330400', '330400')).toBe(true);
    expect(gaz.isWithin('330400', '330481')).toBe(false);
    expect(gaz.children('330400').map((r) => r.code)).toContain('330482');
    expect(gaz.path('999999')).toEqual([]);
  });

  it('resolves names in any form', () => {
    const resolve = (q: string) => gaz.resolveName(q).map((r) => r.code);
    expect(resolve('嘉興')).toEqual(['330400']);
    expect(resolve('嘉兴市')).toEqual(['330400']);
    expect(resolve('330400')).toEqual(['330400']);
    expect(resolve('海寧市')).toEqual(['330481']);
    expect(resolve('浙江省嘉兴市')).toEqual(['330400']);
    expect(resolve('普陀区').sort()).toEqual(['310107', '330903']);
    expect(resolve('恩施州')).toEqual(['422800']);
    expect(resolve('火星')).toEqual([]);
  });

  it('accepts rows parsed without the validator', () => {
    const loose = createGazetteer(raw as RegionsFile);
    expect(loose.get('330481')?.kind).toBe('county');
    expect(loose.get('330481')?.aliases).toEqual([]);
  });
});

describe('tagRegions', () => {
  it('resolves Simplified and Traditional alike', () => {
    expect(codes('嘉興')).toEqual(['330400']);
    expect(codes('嘉兴')).toEqual(['330400']);
    expect(codes('', '溫州甌海區與麗水')).toEqual(expect.arrayContaining(['330304', '331100']));
  });

  it('scans leftmost-longest: 上海宁波 is 上海 and 宁波, not 海宁', () => {
    const tags = codes('上海宁波两地合作');
    expect(tags).toEqual(expect.arrayContaining(['310000', '330200']));
    expect(tags).not.toContain('330481');
  });

  it('resolves 普陀 by the feed, or by a co-mentioned parent', () => {
    expect(codes('普陀旅游', '', '330900')).toContain('330903');
    expect(codes('普陀旅游', '', '330900')).not.toContain('310107');
    expect(codes('上海普陀区', '')).toContain('310107');
    expect(codes('舟山普陀', '')).toContain('330903');
    expect(codes('普陀区召开会议')).toEqual([]); // two 普陀区 and nothing to choose by
  });

  it('needs the suffix or context for risky short names', () => {
    expect(codes('平湖秋月')).not.toContain('330482');
    expect(codes('西湖边的平湖秋月', '', '330100')).not.toContain('330482');
    expect(codes('平湖市召开会议')).toContain('330482');
    expect(codes('平湖新闻', '', '330400')).toContain('330482');
    expect(codes('', '公安部门和资源局')).toEqual([]);
  });

  it('does not tag 我市 / 本市', () => {
    expect(tagRegions(gaz, { title: '我市举行会议', body: '本市居民', feedRegion: '330400' })).toEqual([
      { code: '330400', confidence: 1, source: 'feed' },
    ]);
  });

  it('trusts the breadcrumb and ignores unknown feed codes', () => {
    const tags = tagRegions(gaz, { title: '会议', body: '', breadcrumb: ['首页', '浙江', '嘉兴', '要闻'], feedRegion: '999999' });
    expect(tags.map((t) => [t.code, t.source])).toEqual([
      ['330000', 'breadcrumb'],
      ['330400', 'breadcrumb'],
    ]);
  });

  it.skipIf(!hasSeed)('tags the founding example', () => {
    const tags = tagRegions(gaz, seed);
    const got = tags.map((t) => t.code);
    expect(tags[0]).toEqual({ code: '330400', confidence: 1, source: 'feed' });
    for (const code of ['330000', '330402', '330411', '330424', '330482', '330481', '330483']) expect(got).toContain(code);
    // 温州 绍兴 衢州 淳安 岱山 桐庐 only appear in the navigation line the extractor removes.
    for (const code of ['330300', '330600', '330800', '330127', '330921', '330122']) expect(got).not.toContain(code);
    expect(got.every((c) => c.startsWith('33'))).toBe(true);
    for (const t of tags) expect(t.confidence).toBeGreaterThan(0);
    for (const t of tags) expect(t.confidence).toBeLessThanOrEqual(1);
    const sorted = [...tags].sort((a, b) => b.confidence - a.confidence);
    expect(tags.map((t) => t.confidence)).toEqual(sorted.map((t) => t.confidence));
  });

  it('weights the title over the body', () => {
    const tags = tagRegions(gaz, { title: '宁波新闻', body: '温州也有消息。' });
    const conf = (code: string) => tags.find((t) => t.code === code)?.confidence ?? 0;
    expect(conf('330200')).toBeGreaterThan(conf('330300'));
    expect(tags.find((t) => t.code === '330200')?.source).toBe('title');
  });

  it('adds ancestors on request', () => {
    const all = withAncestors(gaz, tagRegions(gaz, { title: '海宁', body: '' }));
    expect(all.map((t) => [t.code, t.source])).toEqual([
      ['330481', 'title'],
      ['330400', 'ancestor'],
      ['330000', 'ancestor'],
    ]);
    expect(all[1]!.confidence).toBe(all[0]!.confidence);
  });

  // Speed is a target of `npm run bench -- --only text` (≤ 0.5 ms for 3,000 characters), not a
  // test: tests make no claims on wall-clock time on a shared machine.
});
