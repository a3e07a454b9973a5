import { describe, expect, it } from 'vitest';
import { freshnessMs } from '../../../src/feeds/cache-headers.js';

describe('freshness lifetime of a response', () => {
  it('reads max-age, prefers s-maxage, and refuses no-cache / no-store', () => {
    expect(freshnessMs({ cacheControl: 'public, max-age=300', expires: null, date: null })).toBe(300_000);
    expect(freshnessMs({ cacheControl: 'max-age=60, s-maxage=600', expires: null, date: null })).toBe(600_000);
    expect(freshnessMs({ cacheControl: 'no-cache, max-age=300', expires: null, date: null })).toBeNull();
    expect(freshnessMs({ cacheControl: 'max-age=0', expires: null, date: null })).toBeNull();
    expect(freshnessMs({ cacheControl: 'max-age=abc', expires: null, date: null })).toBeNull();
  });

  it('falls back to Expires minus Date, and caps a lifetime at a day', () => {
    const date = 'Sat, 05 Dec 2026 02:00:00 GMT';
    expect(freshnessMs({ cacheControl: null, expires: 'Sat, 05 Dec 2026 02:10:00 GMT', date })).toBe(600_000);
    expect(freshnessMs({ cacheControl: null, expires: 'Sat, 05 Dec 2026 01:00:00 GMT', date })).toBeNull();
    expect(freshnessMs({ cacheControl: null, expires: 'garbage', date })).toBeNull();
    expect(freshnessMs({ cacheControl: 'max-age=999999', expires: null, date: null })).toBe(86_400_000);
    expect(freshnessMs({ cacheControl: null, expires: null, date: null })).toBeNull();
  });

  it('counts only what is left after the time a cache already held the copy (Age)', () => {
    expect(freshnessMs({ cacheControl: 'max-age=300', expires: null, date: null, age: '120' })).toBe(180_000);
    expect(freshnessMs({ cacheControl: 'max-age=300', expires: null, date: null, age: '400' })).toBeNull();
    expect(freshnessMs({ cacheControl: 'max-age=300', expires: null, date: null, age: 'soon' })).toBe(300_000);
  });
});
