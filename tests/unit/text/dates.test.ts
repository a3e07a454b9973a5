import { describe, expect, it } from 'vitest';
import { foldDigits, parseDate, plausibleDate, zonedTimeToUtc } from '../../../src/text/dates.js';

const SH = 'Asia/Shanghai';
const iso = (raw: string, tz = SH): string | null => {
  const t = parseDate(raw, tz);
  return t === null ? null : new Date(t).toISOString();
};

describe('parseDate', () => {
  it.each([
    ['2022年5月7日 09:23', '2022-05-07T01:23:00.000Z'],
    ['2022-05-07 09:23:18', '2022-05-07T01:23:18.000Z'],
    ['2024年5月1日 10:30', '2024-05-01T02:30:00.000Z'],
    ['2005年07月03日', '2005-07-02T16:00:00.000Z'],
    ['2005/05/17 22:11:42', '2005-05-17T14:11:42.000Z'],
    ['2004-7-16 08:19', '2004-07-16T00:19:00.000Z'],
    ['2022/5/7 9:23', '2022-05-07T01:23:00.000Z'],
    ['2022.05.07', '2022-05-06T16:00:00.000Z'],
    ['2022-05-07', '2022-05-06T16:00:00.000Z'],
    ['2022-05-07T09:23:18', '2022-05-07T01:23:18.000Z'],
    ['2022年5月7日 下午3:05', '2022-05-07T07:05:00.000Z'],
    ['2022年5月7日 上午9:05', '2022-05-07T01:05:00.000Z'],
    ['2022年5月7日 10点30分', '2022-05-07T02:30:00.000Z'],
    ['2022年5月7日 10时30分15秒', '2022-05-07T02:30:15.000Z'],
    ['发布时间：2022-05-07 09:23:18', '2022-05-07T01:23:18.000Z'],
    ['發佈時間 2022-05-07 09:23:18', '2022-05-07T01:23:18.000Z'],
    ['发表于 2022-5-7 9:23', '2022-05-07T01:23:00.000Z'],
    ['7/5/2005 9:23:57 PM', '2005-07-05T13:23:57.000Z'],
    ['7/5/2005 12:05 AM', '2005-07-04T16:05:00.000Z'],
    ['２０２２年５月７日 ０９：２３', '2022-05-07T01:23:00.000Z'],
    ['２０２２－０５－０７ ０９：２３', '2022-05-07T01:23:00.000Z'],
  ])('reads %s in Asia/Shanghai', (raw, expected) => {
    expect(iso(raw)).toBe(expected);
  });

  it.each([
    ['Sat, 07 May 2022 09:23:18 +0800', '2022-05-07T01:23:18.000Z'],
    ['Sat, 07 May 2022 09:23:18 GMT', '2022-05-07T09:23:18.000Z'],
    ['Sat, 07 May 2022 09:23:18 CST', '2022-05-07T01:23:18.000Z'],
    ['Sat, 7 May 2022 9:23:18 GMT+8', '2022-05-07T01:23:18.000Z'],
    ['2022-05-07T09:23:18+08:00', '2022-05-07T01:23:18.000Z'],
    ['2022-05-07T01:23:18Z', '2022-05-07T01:23:18.000Z'],
    ['2022-05-07T09:23:18.123+08:00', '2022-05-07T01:23:18.123Z'],
  ])('reads %s exactly, whatever the zone setting', (raw, expected) => {
    expect(iso(raw)).toBe(expected);
    expect(iso(raw, 'America/New_York')).toBe(expected);
  });

  it('reads zone-less English dates in the configured zone, not the server zone', () => {
    expect(iso('Sat, 07 May 2022 09:23:18')).toBe('2022-05-07T01:23:18.000Z');
    expect(iso('May 7, 2022 09:23')).toBe('2022-05-07T01:23:00.000Z');
  });

  it('uses the configured zone, including daylight saving time', () => {
    expect(iso('2022-07-01 12:00', 'America/New_York')).toBe('2022-07-01T16:00:00.000Z');
    expect(iso('2022-01-01 12:00', 'America/New_York')).toBe('2022-01-01T17:00:00.000Z');
    expect(iso('2022年5月7日 09:23', 'UTC')).toBe('2022-05-07T09:23:00.000Z');
  });

  it('returns null for zone-less English dates at the end of what Date can hold (found by fuzzing)', () => {
    // Date.parse accepts year 275760; the zone arithmetic then left Date's range and threw.
    for (const raw of ['Sep 13, 275760', 'Sat, 13 Sep 275760 00:00:00', 'September 12, 275760 23:00']) {
      for (const tz of [SH, 'America/New_York', 'UTC']) expect(parseDate(raw, tz)).toBeNull();
    }
    expect(iso('Sep 13, 9999 12:00')).toBe('9999-09-13T04:00:00.000Z');
  });

  it.each([null, undefined, '', '   ', 'garbage', '1998年3月号', '2022-13-45', '12', '第12期'])('returns null for %j', (raw) => {
    expect(parseDate(raw, SH)).toBeNull();
  });
});

describe('plausibleDate', () => {
  const now = Date.UTC(2024, 4, 1);
  it('rejects 1970 and 2100 and anything before 2000', () => {
    expect(plausibleDate(parseDate('1970-01-01 08:00', SH), now)).toBeNull();
    expect(plausibleDate(0, now)).toBeNull();
    expect(plausibleDate(parseDate('2100-01-01', SH), now)).toBeNull();
    expect(plausibleDate(Date.UTC(1999, 11, 31), now)).toBeNull();
  });

  it('accepts the past and a little of the future (clock skew)', () => {
    expect(plausibleDate(Date.UTC(2022, 4, 7), now)).toBe(Date.UTC(2022, 4, 7));
    expect(plausibleDate(now + 3_600_000, now)).toBe(now + 3_600_000);
    expect(plausibleDate(now + 2 * 86_400_000, now)).toBeNull();
    expect(plausibleDate(null, now)).toBeNull();
  });
});

describe('helpers', () => {
  it('folds full-width digits and separators', () => {
    expect(foldDigits('２０２２－０５／０７ ０９：２３')).toBe('2022-05/07 09:23');
  });

  it('converts a wall-clock time in a zone to UTC', () => {
    expect(zonedTimeToUtc(2022, 5, 7, 9, 23, 0, SH)).toBe(Date.UTC(2022, 4, 7, 1, 23));
  });
});
