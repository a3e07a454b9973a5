// Feed media crosses the reader's worker thread (a large document is parsed there): the
// items that come back carry the same media as when parsed on the main thread.
import { afterAll, describe, expect, it } from 'vitest';
import { INGEST_BOUNDS, type IngestBounds } from '../../../src/ingest/bounds.js';
import { createFeedReader, inlineFeedReader, type FetchedDocument } from '../../../src/ingest/feed-reader.js';

const reader = createFeedReader();
afterAll(() => reader.close());

const bounds: IngestBounds = { ...INGEST_BOUNDS, offThreadBytes: 8 * 1024 };
const opts = { timeZone: 'Asia/Shanghai', now: Date.UTC(2026, 0, 10), baseUrl: 'https://feeds.lakeside-daily.cn/rss.xml' };

const xml =
  '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>湖畔日报</title>' +
  '<link>https://www.lakeside-daily.cn/</link>' +
  Array.from(
    { length: 60 },
    (_, i) =>
      `<item><title>湖畔第${i}条消息</title><link>https://www.lakeside-daily.cn/n/${i}.html</link><guid>g${i}</guid>` +
      `<description>${'湖畔镇的新闻。'.repeat(20)}</description>` +
      `<enclosure url="/up/${i}.jpg" type="image/jpeg" length="${1000 + i}"/>` +
      `<media:thumbnail url="https://img.lakeside-daily.cn/t/${i}.jpg" width="200" height="150"/></item>`,
  ).join('') +
  '</channel></rss>';

const fetched = (text: string): FetchedDocument => ({ bytes: Buffer.from(text), contentType: 'application/rss+xml; charset=utf-8', text });

describe('feed media on the reader thread', () => {
  it('survives the worker round trip unchanged', async () => {
    const away = await reader.prepare(fetched(xml), bounds);
    expect(away.offThread).toBe(true);
    const here = await inlineFeedReader().prepare(fetched(xml), bounds);
    const parsedAway = await reader.parse(away, opts, bounds);
    const parsedHere = await inlineFeedReader().parse(here, opts, bounds);
    expect(parsedAway.items).toHaveLength(60);
    expect(parsedAway).toEqual(parsedHere);
    expect(parsedAway.items[3]!.media).toEqual([
      { url: 'https://www.lakeside-daily.cn/up/3.jpg', kind: 'enclosure', type: 'image/jpeg', length: 1003 },
      { url: 'https://img.lakeside-daily.cn/t/3.jpg', kind: 'thumbnail', width: 200, height: 150 },
    ]);
  });
});
