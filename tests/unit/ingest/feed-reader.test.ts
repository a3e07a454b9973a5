// The feed reader (issue #11): a large document is decoded, cut and parsed on a worker thread
// and reads exactly as it does on the main thread; errors keep their kind across the thread.
import { afterAll, describe, expect, it } from 'vitest';
import { FeedError } from '../../../src/feeds/errors.js';
import { INGEST_BOUNDS, type IngestBounds } from '../../../src/ingest/bounds.js';
import { createFeedReader, inlineFeedReader, type FetchedDocument } from '../../../src/ingest/feed-reader.js';
import { decodeBytes } from '../../../src/text/charset.js';
import { encodeGb18030 } from '../../fakes/gbk.js';
import { rssFeed } from '../../fakes/feed-server.js';

const reader = createFeedReader();
afterAll(() => reader.close());

const bounds: IngestBounds = { ...INGEST_BOUNDS, scanItems: 300, offThreadBytes: 16 * 1024 };
const opts = { timeZone: 'Asia/Shanghai', now: Date.UTC(2026, 0, 10), baseUrl: 'https://feeds.example.cn/big.xml' };

/** What the fetcher hands over: the bytes, and its decoding on first read. */
function fetched(bytes: Uint8Array, contentType: string | null): FetchedDocument {
  const decoded = decodeBytes(bytes, contentType);
  return { bytes, contentType, text: decoded.text, decodeWarnings: decoded.warnings };
}

const items = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    title: `海宁第${i}条消息`,
    guid: `g${i}`,
    link: `/news/${i}.html`,
    date: new Date(Date.UTC(2026, 0, 9) - i * 60_000).toUTCString(),
    description: `<p>第${i}条，&amp; 正文<b>加粗</b>${'很长的文字'.repeat(i % 7 === 0 ? 400 : 2)}</p>`,
  }));

describe('feed reader', () => {
  it('reads a large GB18030 document on the worker thread exactly as on the main thread', async () => {
    const bytes = encodeGb18030(rssFeed(items(1200), { title: '嘉兴在线', encoding: 'gb2312' }));
    expect(bytes.byteLength).toBeGreaterThan(bounds.offThreadBytes);
    const doc = fetched(bytes, 'text/xml');
    const away = await reader.prepare(doc, bounds);
    const here = await inlineFeedReader().prepare(doc, bounds);
    expect(away.offThread).toBe(true);
    expect(here.offThread).toBe(false);
    expect({ ...away, offThread: false }).toEqual(here);
    expect(away.items).toBe(1200);
    expect(away.guids).toHaveLength(300);

    const tight = { ...bounds, htmlBytes: 2048, textBytes: 1024 };
    const parsedAway = await reader.parse(away, opts, tight);
    const parsedHere = await inlineFeedReader().parse(here, opts, tight);
    expect(parsedAway).toEqual(parsedHere);
    expect(parsedAway.items).toHaveLength(300);
    expect(parsedAway.items[0]).toMatchObject({ title: '海宁第0条消息', guid: 'g0', link: 'https://news.example.cn/news/0.html' }); // relative to the channel's link
    // Cut to the text bounds on the worker, at a character boundary.
    expect(Math.max(...parsedAway.items.map((i) => Buffer.byteLength(i.text)))).toBeLessThanOrEqual(1024);
    expect(parsedAway.items[0]!.text).toMatch(/^第0条，& 正文加粗很长的文字/);
  });

  it('a small document stays on the main thread', async () => {
    const doc = fetched(Buffer.from(rssFeed(items(3), { title: 'small' })), 'application/rss+xml; charset=utf-8');
    const prepared = await reader.prepare(doc, bounds);
    expect(prepared.offThread).toBe(false);
    expect((await reader.parse(prepared, opts, bounds)).items).toHaveLength(3);
  });

  it('an error on the worker arrives as a FeedError of its kind', async () => {
    const page = `<!doctype html><html><body>${'<p>不是订阅源</p>'.repeat(5000)}</body></html>`;
    const prepared = await reader.prepare(fetched(Buffer.from(page), 'text/html; charset=utf-8'), bounds);
    expect(prepared.offThread).toBe(true);
    const err = await reader.parse(prepared, opts, bounds).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FeedError);
    expect(err).toMatchObject({ kind: 'not-a-feed', message: 'the URL returned an HTML page, not a feed' });
  });

  it('a job past its deadline stops the worker and fails the poll as a timeout', async () => {
    // A deadline of 0 ms passes before any worker has started, let alone decoded 300 KB.
    const hasty = createFeedReader({ timeoutMs: 0 });
    try {
      const err = await hasty.prepare(fetched(Buffer.from(rssFeed(items(1200), { title: 'big' })), 'application/rss+xml'), bounds).catch((e: unknown) => e);
      expect(err).toMatchObject({ kind: 'timeout' });
    } finally {
      await hasty.close();
    }
  });
});
