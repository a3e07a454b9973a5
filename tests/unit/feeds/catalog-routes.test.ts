import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCatalogEntries, parseCatalog, parseCatalogEntries } from '../../../src/feeds/catalog.js';
import { matchRoute, routeParams, type RsshubRouteTable } from '../../../src/feeds/rsshub-routes.js';

interface RegionRow {
  code: string;
  kind?: 'province' | 'prefecture';
}
const regions = (JSON.parse(readFileSync('data/regions.json', 'utf8')) as { regions: RegionRow[] }).regions;
const regionKind = new Map(regions.map((r) => [r.code, r.kind ?? 'county']));
const table = JSON.parse(readFileSync('data/rsshub-routes.json', 'utf8')) as RsshubRouteTable;
const HUB = 'http://rsshub.test';
const entries = loadCatalogEntries('data/feeds.json', { rsshubBase: HUB, knownRegion: (c) => regionKind.has(c) });
const hubEntries = entries.filter((e) => e.url.startsWith(`${HUB}/`));
const bestRoute = (url: string) => matchRoute(table, url.slice(HUB.length))[0];

describe('RSSHub route table', () => {
  it('records the rsshub version it was generated from and thousands of routes', () => {
    expect(table.source.package).toBe('rsshub');
    expect(table.source.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(table.routes.length).toBeGreaterThan(1000);
    expect(new Set(table.routes.map((r) => r.path)).size).toBe(table.routes.length);
  });

  it('reads Hono paths: optional parameters, patterns spanning slashes, wildcards', () => {
    expect(routeParams('/a/:id/:kind?')).toEqual([
      { name: 'id', optional: false, pattern: null },
      { name: 'kind', optional: true, pattern: null },
    ]);
    expect(routeParams('/a/:user{(@[a-z]+/)?[a-z]+}/:rest{.+}?').map((p) => [p.name, p.pattern, p.optional])).toEqual([
      ['user', '(@[a-z]+/)?[a-z]+', false],
      ['rest', '.+', true],
    ]);
    const synthetic: RsshubRouteTable = {
      source: { package: 'rsshub', version: '0.0.0' },
      routes: [
        { path: '/paper/:site?/:category{.+}?' },
        { path: '/paper/daily/:page?', values: { page: ['01', '02'] } },
        { path: '/files/*' },
      ],
    };
    expect(matchRoute(synthetic, '/paper/daily/01')[0]?.route.path).toBe('/paper/daily/:page?');
    expect(matchRoute(synthetic, '/paper/daily/01')[0]?.params).toEqual({ page: '01' });
    // A value the specific route refuses falls back to the catch-all, which accepts anything.
    expect(matchRoute(synthetic, '/paper/daily/99')[0]?.route.path).toBe('/paper/:site?/:category{.+}?');
    expect(matchRoute(synthetic, '/paper/zj/1/2?limit=5')[0]?.params).toEqual({ site: 'zj', category: '1/2' });
    expect(matchRoute(synthetic, '/files/a/b')).toHaveLength(1);
    expect(matchRoute(synthetic, '/nowhere')).toEqual([]);
    expect(matchRoute({ ...synthetic, routes: [synthetic.routes[1]!] }, '/paper/daily/99')[0]?.rejected).toEqual(['page']);
  });
});

describe('shipped catalog against RSSHub and the gazetteer', () => {
  it('every {rsshub} URL matches a route path, with values the route accepts', () => {
    const unknown = hubEntries.filter((e) => !bestRoute(e.url)).map((e) => `${e.id} ${e.url}`);
    expect(unknown).toEqual([]);
    const refused = hubEntries.filter((e) => (bestRoute(e.url)?.rejected.length ?? 0) > 0).map((e) => `${e.id} ${e.url}`);
    expect(refused).toEqual([]);
  });

  it('marks what RSSHub marks: anti-crawler routes, puppeteer and config keys (and disables those)', () => {
    for (const e of hubEntries) {
      const route = bestRoute(e.url)!.route;
      expect(e.antiCrawler, e.id).toBe(route.antiCrawler === true);
      const needs = [...(route.puppeteer ? ['puppeteer'] : []), ...(route.config ?? [])];
      expect([...e.needs].sort(), e.id).toEqual(needs.sort());
      if (needs.length > 0) expect(e.enabled, e.id).toBe(false);
    }
  });

  it('has unique ids, and a reason on every disabled feed', () => {
    expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);
    for (const e of entries.filter((x) => !x.enabled)) expect(e.disabledReason, e.id).toMatch(/\S{4,}/);
  });

  it('uses only region codes from data/regions.json', () => {
    expect(entries.filter((e) => !regionKind.has(e.region)).map((e) => `${e.id} ${e.region}`)).toEqual([]);
  });

  it('covers every province-level region and at least 100 prefecture-level cities with enabled feeds', () => {
    const enabled = new Set(entries.filter((e) => e.enabled).map((e) => e.region));
    const provinces = regions.filter((r) => r.kind === 'province').map((r) => r.code);
    expect(provinces.length).toBe(34);
    expect(provinces.filter((c) => !enabled.has(c))).toEqual([]);
    expect([...enabled].filter((c) => regionKind.get(c) === 'prefecture').length).toBeGreaterThanOrEqual(100);
  });

  it('keeps the known fixes: the moved Xiamen route, anti-crawler e-papers, the service-listing page', () => {
    expect(hubEntries.some((e) => e.url.includes('/xmnn/epaper/'))).toBe(false);
    expect(hubEntries.some((e) => e.url.endsWith('/xmnn/news/xmxw'))).toBe(true);
    const flagged = hubEntries.filter((e) => /\/(cnjxol|hnrb)(\/|$)/.test(e.url));
    expect(flagged.length).toBeGreaterThanOrEqual(4);
    expect(flagged.every((e) => e.antiCrawler)).toBe(true);
    const zwfw = entries.find((e) => e.url.endsWith('/gov/hangzhou/zwfw'));
    expect(zwfw === undefined || (!zwfw.enabled && zwfw.needs.includes('puppeteer'))).toBe(true);
  });
});

describe('catalog schema: operator fields', () => {
  const file = (feeds: object[]) => JSON.stringify({ feeds });
  const base = { id: 'a', name: 'A', url: '{rsshub}/a', region: '330400' };

  it('defaults the new fields, so an old-style file loads unchanged', () => {
    const [e] = parseCatalogEntries(file([base]), { rsshubBase: 'http://hub' });
    expect(e).toMatchObject({ kind: 'news', needs: [], antiCrawler: false, enabled: true, disabledReason: null });
  });

  it('polls only enabled feeds but lists the disabled ones with their reason', () => {
    const json = file([
      { ...base, kind: 'weather', antiCrawler: true },
      { ...base, id: 'b', kind: 'government', needs: ['puppeteer'], enabled: false, disabledReason: 'needs puppeteer' },
    ]);
    expect(parseCatalog(json, { rsshubBase: 'http://hub' }).map((f) => f.id)).toEqual(['a']);
    expect(parseCatalog(json, { rsshubBase: 'http://hub' })[0]).not.toHaveProperty('kind');
    const all = parseCatalogEntries(json, { rsshubBase: 'http://hub' });
    expect(all.map((f) => [f.id, f.enabled, f.disabledReason])).toEqual([
      ['a', true, null],
      ['b', false, 'needs puppeteer'],
    ]);
  });

  it.each([
    ['a disabled feed without a reason', { ...base, enabled: false }, /disabledReason/],
    ['an unknown kind', { ...base, kind: 'podcast' }, /kind/],
    ['needs that is not a list', { ...base, needs: 'puppeteer' }, /needs/],
  ])('rejects %s', (_name, entry, pattern) => {
    expect(() => parseCatalogEntries(file([entry]), { rsshubBase: 'http://hub' })).toThrow(pattern);
  });
});
