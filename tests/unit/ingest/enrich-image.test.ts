// Enrichment's lead picture without a fetched page (issue #15): the item's own HTML and media,
// judged against its link; no link, nothing to say whose site a picture is on: no picture.
import { describe, expect, it } from 'vitest';
import { loadRegionsFile } from '../../../src/app/services.js';
import type { FeedItem, FeedSource } from '../../../src/domain/types.js';
import { createEnricher } from '../../../src/ingest/enrich.js';
import { createGazetteer } from '../../../src/text/gazetteer.js';
import { createExtractiveSummarizer } from '../../../src/text/summary.js';

const enricher = createEnricher({ fetcher: null, gazetteer: createGazetteer(loadRegionsFile()), summarizer: createExtractiveSummarizer(), timeZone: 'Asia/Shanghai' });
const feed: FeedSource = { id: 'lake', name: '湖畔日报', url: 'https://feeds.lakeside-daily.cn/rss.xml', region: '330400', intervalMinutes: null, fullText: 'never' };

const item = (extra: Partial<FeedItem>): FeedItem & { canonicalUrl: string | null } => ({
  guid: 'g1',
  link: 'https://www.lakeside-daily.cn/n/1.html',
  canonicalUrl: null,
  title: '湖畔镇图书馆开馆',
  html: '<p>湖畔镇图书馆今天开馆。</p>',
  text: '湖畔镇图书馆今天开馆。',
  author: null,
  publishedAt: null,
  dateRaw: null,
  ...extra,
});

describe('enrichment: the lead picture from the feed item', () => {
  it("takes an image in the item's HTML, resolved against its link", async () => {
    const e = await enricher.enrich(item({ html: '<p><img src="../up/lib.jpg" width="640" height="480">湖畔镇图书馆今天开馆。</p>' }), feed);
    expect(e.image).toBe('https://www.lakeside-daily.cn/up/lib.jpg');
  });

  it('takes an image enclosure; a thumbnail only after the full pictures', async () => {
    const media = [
      { url: 'https://img.lakeside-daily.cn/t/lib.jpg', kind: 'thumbnail' as const, width: 200, height: 150 },
      { url: 'https://img.lakeside-daily.cn/lib.jpg', kind: 'enclosure' as const, type: 'image/jpeg' },
    ];
    expect((await enricher.enrich(item({ media }), feed)).image).toBe('https://img.lakeside-daily.cn/lib.jpg');
  });

  it('no link, no picture; nothing to look at, no picture', async () => {
    const media = [{ url: 'https://img.lakeside-daily.cn/lib.jpg', kind: 'enclosure' as const, type: 'image/jpeg' }];
    expect((await enricher.enrich(item({ link: null, media }), feed)).image).toBeNull();
    expect((await enricher.enrich(item({}), feed)).image).toBeNull();
  });

  it('refuses what may not be shown: another site, a private host, a data: URI, a non-image or huge file', async () => {
    const bad = [
      { url: 'https://cdn.adnetwork-example.com/lib.jpg', type: 'image/jpeg' },
      { url: 'http://192.168.0.9/lib.jpg', type: 'image/jpeg' },
      { url: 'data:image/png;base64,iVBORw0KGgo=', type: 'image/png' },
      { url: 'https://www.lakeside-daily.cn/a/lib.mp4', type: 'video/mp4' },
      { url: 'https://www.lakeside-daily.cn/a/huge.jpg', type: 'image/jpeg', length: 200_000_000 },
    ];
    for (const m of bad) expect((await enricher.enrich(item({ media: [{ ...m, kind: 'enclosure' }] }), feed)).image, m.url).toBeNull();
  });
});
