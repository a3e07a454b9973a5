// Region names count only where they stand as places (issue 12, item 3). Every sentence
// here is invented for its class; none comes from an evaluation corpus.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createGazetteer } from '../../../src/text/gazetteer.js';
import { ROUTE_MIN, routable, tagRegions } from '../../../src/text/regions.js';
import { validateRegionsFile } from '../../../src/text/regions-schema.js';

const gaz = createGazetteer(validateRegionsFile(JSON.parse(readFileSync('data/regions.json', 'utf8'))));

const DONGYANG = '330783'; // 东阳市, a county-level city under 金华
const HAINING = '330481';
const tagsOf = (body: string, feedRegion: string | null = null) => tagRegions(gaz, { title: '', body, feedRegion });
const codes = (body: string, feedRegion: string | null = null): string[] => tagsOf(body, feedRegion).map((t) => t.code);
const routed = (body: string, feedRegion: string | null = null): string[] => routable(gaz, tagsOf(body, feedRegion)).map((t) => t.code);

describe('a county name inside a person’s name', () => {
  it('is not tagged after a byline role', () => {
    expect(codes('本报记者王东阳报道：春耕生产全面展开。')).toEqual([]);
    expect(codes('通讯员李海宁摄')).toEqual([]);
    expect(codes('記者王東陽報導')).toEqual([]); // Traditional alike
  });

  it('is not tagged inside a foreign name', () => {
    expect(codes('该国部长米洛宁说，谈判仍在继续。')).not.toContain('410328'); // 洛宁县
    expect(codes('考古队在该国的奥斯朗德州境内发现化石。')).not.toContain('371400'); // 德州市
  });

  it('is not tagged after a surname', () => {
    expect(codes('市民陈海宁说，新公园离家很近。')).not.toContain(HAINING);
    expect(codes('据李永康介绍，项目进展顺利。')).not.toContain('330784');
  });
});

describe('a county name that names a shop, brand, landmark, road or building', () => {
  it('is not tagged before commercial nouns', () => {
    expect(codes('街角新开了一家永和豆浆，早上排起长队。')).not.toContain('141032');
    expect(codes('他们在义乌饭店吃了午饭。')).not.toContain('330782');
  });

  it('is not tagged as a mountain, hall, road or hill', () => {
    expect(codes('游客在太和殿前合影留念。')).toEqual([]);
    expect(codes('东阳路上车辆川流不息。')).toEqual([]);
    expect(codes('东阳山区的农民种茶。')).toEqual([]);
    expect(codes('平湖秋月是西湖十景之一。')).not.toContain('330482');
    expect(codes('旅客从东阳站出发。')).not.toContain(DONGYANG);
  });
});

describe('a county name inside a longer ordinary word', () => {
  it.each([
    ['这里被评为国家级重点示范县。', '410926'], // 范县
    ['刘平代县长主持召开常务会议。', '140923'], // 代县
    ['两国在经济和政治领域加强合作。', '622925'], // 和政县
    ['商家给予优惠来吸引顾客。', '445224'], // 惠来县
    ['他们根据资金安排施工进度。', '341502'], // 金安区
    ['世界首位的产量让人惊叹。', '341282'], // 界首市
    ['大好江山处处是新景。', '330881'], // 江山市
    ['乡亲们的生活安宁祥和。', '530181'], // 安宁市
  ])('%s', (sentence, code) => {
    expect(codes(sentence)).not.toContain(code);
  });

  it('keeps leftmost-longest splits and suffixes', () => {
    expect(codes('上海宁波两地企业签约。')).not.toContain(HAINING);
    expect(codes('上海市民踊跃参加。')).toEqual(['310000']);
  });
});

describe('a county name that stands as a place', () => {
  it.each([
    ['来自东阳的木雕艺人在展会上表演。'],
    ['会议在东阳举行。'],
    ['东阳人在外经商的很多。'],
    ['他祖籍东阳，在外地工作。'],
    ['新华社东阳5月3日电'],
    ['东阳市出台了新政策。'],
  ])('%s is tagged and routed', (sentence) => {
    expect(codes(sentence)).toContain(DONGYANG);
    expect(routed(sentence)).toContain(DONGYANG);
  });

  it('counts a name renamed since as the division it became', () => {
    expect(codes('青浦县的农民种上了新品种水稻。')).toEqual(['310118']);
  });
});

describe('evidence and routing', () => {
  it('tags a lone bare county name, but does not route by it', () => {
    const tags = tagsOf('东阳的经济发展很快。');
    expect(tags.map((t) => t.code)).toEqual([DONGYANG]);
    expect(tags[0]!.confidence).toBeLessThan(ROUTE_MIN.county);
    expect(routed('东阳的经济发展很快。')).toEqual([]);
  });

  it('routes the same bare name when the feed or a relative backs it', () => {
    expect(routed('东阳的经济发展很快。', '330700')).toContain(DONGYANG); // a 金华 feed
    expect(routed('义乌、东阳的经济发展很快。')).toEqual(expect.arrayContaining([DONGYANG, '330782']));
  });

  it('asks less of a province or a city than of a county', () => {
    expect(ROUTE_MIN.province).toBeLessThan(ROUTE_MIN.prefecture);
    expect(ROUTE_MIN.prefecture).toBeLessThan(ROUTE_MIN.county);
    expect(routed('浙江的经济发展很快。')).toEqual(['330000']);
    expect(routed('宁波的经济发展很快。')).toEqual(['330200']);
  });

  it('routes a named county, and always the feed’s own region', () => {
    const tags = tagsOf('海宁市出台了新政策。');
    expect(routable(gaz, tags).map((t) => t.code)).toEqual([HAINING]);
    expect(routed('今天天气晴朗。', '330400')).toEqual(['330400']);
  });
});

describe('long text', () => {
  it('still tags a text with more names than the segmenting bound', () => {
    expect(codes('会议在东阳举行。'.repeat(5000))).toEqual([DONGYANG]);
    expect(codes('东阳'.repeat(20000))).toEqual([DONGYANG]);
  });
});

describe('text with nothing to tag', () => {
  it.each([[''], ['。，！？'], ['   \n\t'], ['……——“”'], ['12345 abc']])('%j gives no regions', (body) => {
    expect(tagRegions(gaz, { title: body, body, breadcrumb: [body] })).toEqual([]);
  });
});
