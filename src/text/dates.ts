// Dates as Chinese news sites write them. A date without an offset is local time in the
// configured zone (Asia/Shanghai by default).

const FULLWIDTH_DIGITS = /[０-９：／－]/g;

/** Folds full-width digits and separators (２０２２－０５) to ASCII. */
export function foldDigits(s: string): string {
  return s.replace(FULLWIDTH_DIGITS, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

const offsetCache = new Map<string, Intl.DateTimeFormat>();

/** Offset of `timeZone` from UTC, in ms, at the instant `utcMs`. */
export function zoneOffsetMs(utcMs: number, timeZone: string): number {
  let fmt = offsetCache.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    offsetCache.set(timeZone, fmt);
  }
  const parts: Record<string, number> = {};
  for (const p of fmt.formatToParts(new Date(utcMs))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/** Epoch ms of a wall-clock time in `timeZone`. */
export function zonedTimeToUtc(y: number, mo: number, d: number, h: number, mi: number, s: number, timeZone: string): number {
  const guess = Date.UTC(y, mo - 1, d, h, mi, s);
  const first = guess - zoneOffsetMs(guess, timeZone);
  return guess - zoneOffsetMs(first, timeZone);
}

const valid = (y: number, mo: number, d: number, h: number, mi: number, s: number): boolean =>
  y >= 1000 && y <= 9999 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h >= 0 && h <= 24 && mi >= 0 && mi < 60 && s >= 0 && s <= 60;

// 2022年5月7日 09:23 · 2022年5月7日 10点30分 · 2022-05-07 09:23:18 · 2022/5/7 9:23 · 2022.05.07 · optional 上午/下午
const CHINESE_OR_NUMERIC =
  /(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*[日号號]?(?:[\sT]*(上午|下午|凌晨|晚上|早上|中午)?\s*(\d{1,2})\s*[:：时時点點]\s*(\d{1,2})(?:\s*[:：分]\s*(\d{1,2}))?)?/;
// 7/5/2005 9:23:57 PM (US month/day order)
const US = /\b(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?/;
const HAS_OFFSET = /(?:Z|[+-]\d{2}:?\d{2}|\b(?:GMT|UTC|UT|[ECMP][SD]T)\b)\s*$/i;
// A zone named anywhere, e.g. "GMT+8" in the middle of an RFC 822 date.
const NAMES_ZONE = /\b(?:GMT|UTC|UT|[ECMP][SD]T)\b|[+-]\d{2}:?\d{2}\s*$/i;

/**
 * English-style dates the platform parser understands ("Sat, 07 May 2022 09:23:18",
 * "May 7, 2022"). Without a zone the platform would read them in the server's zone, so the
 * wall-clock fields are taken as UTC and then placed in `timeZone`.
 */
function parseWithPlatform(s: string, timeZone: string): number | null {
  // The platform parser invents dates from bare numbers ("12" is December 2001): want a year.
  if (!/\d{4}/.test(s)) return null;
  if (NAMES_ZONE.test(s)) {
    const t = Date.parse(s.replace(/\b(CST)\b/, '+0800'));
    return Number.isNaN(t) ? null : t;
  }
  const t = Date.parse(`${s} UTC`);
  if (Number.isNaN(t)) return null;
  const d = new Date(t);
  // The platform reads years up to 275760; near the ends of Date's range the zone arithmetic
  // leaves it and throws. Same years as the numeric forms accept.
  if (!valid(d.getUTCFullYear(), 1, 1, 0, 0, 0)) return null;
  return zonedTimeToUtc(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), timeZone);
}

/**
 * Parses a date as feeds and pages write it; returns epoch ms or null.
 * RFC 822 and ISO 8601 with an offset are exact; everything else is read in `timeZone`.
 */
export function parseDate(raw: string | null | undefined, timeZone: string): number | null {
  if (!raw) return null;
  const s = foldDigits(raw).replace(/\u00a0/g, ' ').trim();
  if (!s) return null;

  // RFC 822 / ISO 8601 with a zone: the platform parser is exact for these.
  if (HAS_OFFSET.test(s)) {
    const t = Date.parse(s.replace(/\b(CST)\b/, '+0800'));
    if (!Number.isNaN(t)) return t;
  }
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/.exec(s);
  const m = iso ?? CHINESE_OR_NUMERIC.exec(s);
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    const d = Number(m[3]);
    const meridiem = iso ? undefined : m[4];
    let h = Number((iso ? m[4] : m[5]) ?? 0);
    const mi = Number((iso ? m[5] : m[6]) ?? 0);
    const sec = Number((iso ? m[6] : m[7]) ?? 0);
    if (meridiem && /下午|晚上/.test(meridiem) && h < 12) h += 12;
    if (valid(y, mo, d, h, mi, sec)) return zonedTimeToUtc(y, mo, d, h, mi, sec, timeZone);
  }
  const us = US.exec(s);
  if (us) {
    let h = Number(us[4] ?? 0);
    if (us[7] && /p/i.test(us[7]) && h < 12) h += 12;
    if (us[7] && /a/i.test(us[7]) && h === 12) h = 0;
    const [mo, d, y] = [Number(us[1]), Number(us[2]), Number(us[3])];
    if (valid(y, mo, d, h, Number(us[5] ?? 0), Number(us[6] ?? 0))) {
      return zonedTimeToUtc(y, mo, d, h, Number(us[5] ?? 0), Number(us[6] ?? 0), timeZone);
    }
  }
  return parseWithPlatform(s, timeZone);
}

/** Dates before 2000 or more than a day ahead are feed errors, not news times. */
export function plausibleDate(ms: number | null, now: number): number | null {
  if (ms === null) return null;
  if (ms < Date.UTC(2000, 0, 1) || ms > now + 86_400_000) return null;
  return ms;
}

/** `2022-05-07 09:23:18 +08:00`: a time as a reader in `timeZone` sees it, offset included. */
export function formatZoned(ms: number, timeZone: string): string {
  const offset = zoneOffsetMs(ms, timeZone);
  const local = new Date(ms + offset).toISOString().slice(0, 19).replace('T', ' ');
  const minutes = Math.round(Math.abs(offset) / 60_000);
  const sign = offset < 0 ? '-' : '+';
  return `${local} ${sign}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
