import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CatalogError, loadCatalog, parseCatalog } from '../../../src/feeds/catalog.js';
import { loadRegionsFile } from '../../../src/app/services.js';
import { createGazetteer } from '../../../src/text/gazetteer.js';

const gaz = createGazetteer(loadRegionsFile());
const known = (code: string) => gaz.get(code) != null;

describe('feed catalog', () => {
  it('loads the shipped catalog through the schema, with real region codes', () => {
    const feeds = loadCatalog('data/feeds.json', { rsshubBase: 'http://rsshub.local', knownRegion: known });
    expect(feeds.length).toBeGreaterThanOrEqual(13);
    const regions = new Set(feeds.map((f) => f.region));
    // The province, its 11 cities, and other provinces.
    for (const code of ['330000', '330100', '330200', '330300', '330400', '330500', '330600', '330700', '330800', '330900', '331000', '331100']) {
      expect(regions.has(code), code).toBe(true);
    }
    expect([...regions].some((c) => !c.startsWith('33'))).toBe(true);
    expect(feeds.every((f) => !f.url.includes('{rsshub}') && f.url.startsWith('http'))).toBe(true);
  });

  it('loads the demo catalog', () => {
    const feeds = loadCatalog('data/samples/feeds.json', { rsshubBase: 'http://127.0.0.1:1', knownRegion: known });
    expect(feeds.map((f) => f.id)).toContain('demo-hangzhou-gbk');
  });

  it('reads intervals as minutes or durations and defaults fullText to auto', () => {
    const [a, b, c] = parseCatalog(
      JSON.stringify({
        feeds: [
          { id: 'a', name: 'A', url: '{rsshub}/a', region: '330400' },
          { id: 'b', name: 'B', url: 'https://x/b', region: '330400', interval: '2h', fullText: 'never' },
          { id: 'c', name: 'C', url: 'https://x/c', region: '330400', interval: 15 },
        ],
      }),
      { rsshubBase: 'http://hub' },
    );
    expect(a).toMatchObject({ url: 'http://hub/a', intervalMinutes: null, fullText: 'auto' });
    expect(b).toMatchObject({ intervalMinutes: 120, fullText: 'never' });
    expect(c?.intervalMinutes).toBe(15);
  });

  it.each([
    ['not json', '{', /not valid JSON/],
    ['bad region', JSON.stringify({ feeds: [{ id: 'a', name: 'A', url: 'https://x', region: '3304' }] }), /feeds\.0\.region/],
    ['unknown region', JSON.stringify({ feeds: [{ id: 'a', name: 'A', url: 'https://x', region: '999999' }] }), /not a known region/],
    ['duplicate id', JSON.stringify({ feeds: [{ id: 'a', name: 'A', url: 'https://x', region: '330400' }, { id: 'a', name: 'B', url: 'https://y', region: '330400' }] }), /duplicate feed id/],
    ['bad url', JSON.stringify({ feeds: [{ id: 'a', name: 'A', url: 'file:///etc/passwd', region: '330400' }] }), /http\(s\) URL/],
    ['unknown field', JSON.stringify({ feeds: [{ id: 'a', name: 'A', url: 'https://x', region: '330400', colour: 'red' }] }), /colour|Unrecognized/],
    ['bad interval', JSON.stringify({ feeds: [{ id: 'a', name: 'A', url: 'https://x', region: '330400', interval: 'often' }] }), /interval/],
  ])('rejects %s with a clear message', (_name, json, pattern) => {
    expect(() => parseCatalog(json, { rsshubBase: 'http://hub', knownRegion: known })).toThrow(CatalogError);
    expect(() => parseCatalog(json, { rsshubBase: 'http://hub', knownRegion: known })).toThrow(pattern);
  });

  it('reports a missing file without a stack trace', () => {
    expect(() => loadCatalog('/nonexistent/feeds.json', { rsshubBase: 'http://hub' })).toThrow(/cannot read feeds file.*ENOENT/);
  });

  it('ships valid JSON with a comment field', () => {
    expect(JSON.parse(readFileSync('data/feeds.json', 'utf8')).$comment).toBeTypeOf('string');
  });
});
