import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../../src/feeds/parse.js';
import { quickGuids } from '../../../src/feeds/quick-keys.js';
import { atomFeed, rdfFeed, rssFeed } from '../../fakes/feed-server.js';

const items = [
  { title: '一', guid: 'a-1', link: 'https://e.cn/1' },
  { title: '二', guid: 'https://e.cn/2?x=1&y=2', link: 'https://e.cn/2' },
  { title: '三', guid: '中文 guid', link: 'https://e.cn/3' },
];

describe('quickGuids', () => {
  it('reads the same guids the full parser reads, for RSS and Atom', async () => {
    for (const xml of [rssFeed(items, { title: 't' }), atomFeed(items, { title: 't' })]) {
      const parsed = await parseFeed(xml, { timeZone: 'Asia/Shanghai', now: Date.now() });
      expect(quickGuids(xml)).toEqual(parsed.items.map((i) => i.guid));
    }
  });

  it('reads CDATA and entities', () => {
    const xml = '<rss><channel><item><guid><![CDATA[ x&y ]]></guid></item><item><guid>a&amp;b&#20013;</guid></item></channel></rss>';
    expect(quickGuids(xml)).toEqual(['x&y', 'a&b中']);
  });

  it('gives up (null) whenever it could be wrong', () => {
    expect(quickGuids(rssFeed([{ title: 'no guid', link: 'https://e.cn/1' }], { title: 't' }))).toBeNull();
    expect(quickGuids(rdfFeed(items, { title: 't' }))).toBeNull();
    expect(quickGuids('<rss><channel><item><guid>a</guid></item><item><guid>b</guid>')).toBeNull(); // truncated
    expect(quickGuids('<rss><channel><item><guid>a</guid><guid>b</guid></item></channel></rss>')).toBeNull();
    expect(quickGuids('<rss><channel><item><guid>a&nbsp;</guid></item></channel></rss>')).toBeNull();
    expect(quickGuids('<rss><channel></channel></rss>')).toBeNull();
  });

  it('reads control characters as the full parse does, and gives up on references XML forbids (found by fuzzing)', async () => {
    const parsedGuids = async (xml: string) => (await parseFeed(xml, { timeZone: 'Asia/Shanghai', now: Date.now() })).items.map((i) => i.guid);
    const stripped = '<rss><channel><item><title>t</title><guid>a\u0001b\ufffe</guid></item></channel></rss>';
    expect(quickGuids(stripped)).toEqual(['ab']);
    expect(await parsedGuids(stripped)).toEqual(['ab']);
    // Only a control character: the parse sees no guid at all.
    expect(quickGuids('<rss><channel><item><title>t</title><guid>\u0000</guid></item></channel></rss>')).toBeNull();
    for (const ref of ['&#1;', '&#xD800;', '&#65535;', '&#xFDD0;']) {
      expect(quickGuids(`<rss><channel><item><guid>a${ref}</guid></item></channel></rss>`)).toBeNull();
    }
  });
});
