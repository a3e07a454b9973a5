import { describe, expect, it } from 'vitest';
import { loadRegionsFile } from '../../../src/app/services.js';
import { createGazetteer } from '../../../src/text/gazetteer.js';
import { homePlaces, resolveReferences } from '../../../src/text/references.js';

const gaz = createGazetteer(loadRegionsFile());
const published = Date.UTC(2022, 4, 7, 1, 23, 18); // 2022-05-07 09:23:18 +08:00

describe('resolveReferences', () => {
  it('turns an opening day word into the date, in the publisher zone', () => {
    expect(resolveReferences('昨天,我市舉行活動。', { publishedAt: published, places: { city: '嘉興市' } })).toBe('5月6日,嘉興市舉行活動。');
    expect(resolveReferences('今天上午,本市召开会议。', { publishedAt: published, places: { city: '嘉兴市' } })).toBe('5月7日上午,嘉兴市召开会议。');
    // 00:30 in Shanghai is still the previous day in UTC: the local date counts.
    expect(resolveReferences('前天，记者获悉。', { publishedAt: Date.UTC(2022, 4, 6, 16, 30), timeZone: 'Asia/Shanghai' })).toBe('5月5日，记者获悉。');
  });

  it('leaves everything it cannot be sure of', () => {
    expect(resolveReferences('他说昨天很忙。', { publishedAt: published })).toBe('他说昨天很忙。');
    expect(resolveReferences('我市市长和本市民众。', { places: { city: '嘉兴市' } })).toBe('嘉兴市市长和嘉兴市民众。');
    // 我市长 could be "our mayor": left alone.
    expect(resolveReferences('我市长期坚持。', { places: { city: '嘉兴市' } })).toBe('我市长期坚持。');
    expect(resolveReferences('本市民政局、我县委书记。', { places: { city: '嘉兴市', county: '嘉善县' } })).toBe('嘉兴市民政局、我县委书记。');
    expect(resolveReferences('昨天,我市舉行。', {})).toBe('昨天,我市舉行。');
  });

  it('leaves the day word when the date is at the edge of what Date can hold (found by fuzzing)', () => {
    // A page may claim "Sat, 13 Sep 275760 00:00:00 GMT"; the day before the earliest time
    // used to throw a RangeError out of the summariser, the zone offset past the latest one
    // wrote "NaN月NaN日".
    expect(resolveReferences('昨天，记者获悉。', { publishedAt: -8.64e15 })).toBe('昨天，记者获悉。');
    expect(resolveReferences('今天，记者获悉。', { publishedAt: 8.64e15 })).toBe('今天，记者获悉。');
    expect(resolveReferences('今天，记者获悉。', { publishedAt: Number.NaN })).toBe('今天，记者获悉。');
  });
});

describe('homePlaces', () => {
  it('names the city, county and province from the feed or breadcrumb, in the article script', () => {
    expect(homePlaces(gaz, [{ code: '330400', confidence: 1, source: 'feed' }], true)).toEqual({ province: '浙江省', city: '嘉興市' });
    expect(homePlaces(gaz, [{ code: '330421', confidence: 1, source: 'breadcrumb' }], false)).toEqual({ province: '浙江省', city: '嘉兴市', county: '嘉善县' });
    expect(homePlaces(gaz, [{ code: '310000', confidence: 1, source: 'feed' }], false)).toEqual({ province: '上海市', city: '上海市' });
    expect(homePlaces(gaz, [{ code: '330481', confidence: 0.8, source: 'body' }], false)).toEqual({});
  });
});
