// A large document read a part at a time on the worker (issue #11): the parts arrive in order
// while the worker reads on, they hold exactly what the whole document's parse holds, a
// broken part ends the reading with its error after the parts before it, and a reading the
// caller stops leaves a reader that still works.
import { afterAll, describe, expect, it } from 'vitest';
import type { FeedItem } from '../../../src/domain/types.js';
import { FeedError } from '../../../src/feeds/errors.js';
import { INGEST_BOUNDS, type IngestBounds } from '../../../src/ingest/bounds.js';
import { createFeedReader, type FetchedDocument } from '../../../src/ingest/feed-reader.js';
import type { FeedSummary } from '../../../src/ingest/read-document.js';
import { rssFeed } from '../../fakes/feed-server.js';

const reader = createFeedReader();
afterAll(() => reader.close());

const bounds: IngestBounds = { ...INGEST_BOUNDS, scanItems: 5000, offThreadBytes: 16 * 1024 };
const opts = { timeZone: 'Asia/Shanghai', now: Date.UTC(2026, 0, 10), baseUrl: 'https://feeds.example.cn/big.xml' };
const doc = (xml: string): FetchedDocument => ({ bytes: Buffer.from(xml), contentType: 'application/rss+xml; charset=utf-8', text: xml });

const items = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    title: `桐乡第${i}条消息`,
    guid: `g${i}`,
    link: `/news/${i}.html`,
    date: new Date(Date.UTC(2026, 0, 9) - i * 60_000).toUTCString(),
    description: `<p>第${i}条正文${'文字'.repeat(i % 5 === 0 ? 300 : 3)}</p>`,
  }));

/** Every part the reader hands over, with its summary (null but for the last). */
async function partsOf(xml: string, sliceBytes: number) {
  const prepared = await reader.prepare(doc(xml), bounds);
  const parts: { items: FeedItem[]; end: FeedSummary | null }[] = [];
  const error = await reader
    .readBatches(prepared, opts, bounds, sliceBytes, async (batch, end) => void parts.push({ items: batch, end }))
    .then(() => null, (e: unknown) => e);
  return { prepared, parts, error };
}

describe('feed reader, a part at a time', () => {
  it('hands over a large document in parts that together are its whole parse', async () => {
    const xml = rssFeed(items(1500), { title: '桐乡新闻', link: 'https://news.example.cn/' });
    const { prepared, parts, error } = await partsOf(xml, 16 * 1024);
    expect(error).toBeNull();
    expect(prepared.offThread).toBe(true);
    expect(parts.length).toBeGreaterThan(5);
    expect(parts.slice(0, -1).every((p) => p.end === null)).toBe(true);
    const whole = await reader.parse(prepared, opts, bounds);
    expect(parts.flatMap((p) => p.items)).toEqual(whole.items);
    expect(parts.at(-1)!.end).toEqual({ title: whole.title, format: whole.format, warnings: whole.warnings });
  });

  it('one part when the document cannot be cut (or the caller asks for no cutting)', async () => {
    const xml = rssFeed(items(600), { title: 't' });
    expect((await partsOf(xml, Infinity)).parts).toHaveLength(1);
    const nested = xml.replace('<title>桐乡第3条消息</title>', '<title>桐乡第3条消息</title><x:item xmlns:x="urn:x">嵌套</x:item>');
    expect(nested).not.toBe(xml);
    const { parts, error } = await partsOf(nested, 1024);
    expect(error).toBeNull();
    expect(parts).toHaveLength(1);
    expect(parts[0]!.items).toHaveLength(600);
  });

  it('a broken part ends the reading with its error, after the parts before it', async () => {
    const xml = rssFeed(items(1500), { title: 't' }).replace('<title>桐乡第1200条消息</title>', '<title>桐乡第1200条消息</titel>');
    const { parts, error } = await partsOf(xml, 16 * 1024);
    expect(error).toBeInstanceOf(FeedError);
    expect(error).toMatchObject({ kind: 'malformed' });
    const read = parts.flatMap((p) => p.items);
    expect(read.length).toBeGreaterThan(500);
    expect(read.length).toBeLessThan(1200);
    expect(read.map((i) => i.guid)).toEqual(items(read.length).map((i) => i.guid));
  });

  it('a caller that stops mid-way stops the reading, and the reader reads the next document', async () => {
    const xml = rssFeed(items(1500), { title: 't' });
    const prepared = await reader.prepare(doc(xml), bounds);
    let seen = 0;
    const err = await reader
      .readBatches(prepared, opts, bounds, 16 * 1024, async (batch) => {
        seen += batch.length;
        throw new Error('the store is gone');
      })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ message: 'the store is gone' });
    expect(seen).toBeGreaterThan(0);
    const again = await partsOf(xml, 16 * 1024);
    expect(again.error).toBeNull();
    expect(again.parts.flatMap((p) => p.items)).toHaveLength(1500);
  });
});
