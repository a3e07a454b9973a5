// Issue #11: what one feed document may cost before it is parsed, and text cut to bytes.
import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../../src/feeds/parse.js';
import { boundFeedXml, cutUtf8 } from '../../../src/ingest/bounds.js';
import { atomFeed, rssFeed, type TestItem } from '../../fakes/feed-server.js';

const items = (n: number, extra: (i: number) => Partial<TestItem> = () => ({})): TestItem[] =>
  Array.from({ length: n }, (_, i) => ({ title: `第${i}条新闻`, guid: `g${i}`, link: `https://news.example.cn/${i}`, description: `<p>正文${i}</p>`, ...extra(i) }));
const opts = { timeZone: 'Asia/Shanghai', now: Date.UTC(2026, 0, 1) };

describe('cutUtf8', () => {
  it('keeps short text as it is and cuts long text between characters', () => {
    expect(cutUtf8('嘉兴', 6)).toBe('嘉兴');
    expect(cutUtf8('嘉兴市', 7)).toBe('嘉兴'); // 3 bytes each: the third does not fit whole
    expect(cutUtf8('ab嘉', 4)).toBe('ab');
    expect(cutUtf8('a𠀀b', 4)).toBe('a'); // a four-byte character is never split
    expect(cutUtf8('a𠀀b', 5)).toBe('a𠀀');
    expect(cutUtf8('x', 0)).toBe('');
  });

  it('never leaves a broken character, whatever the bound', () => {
    const text = '乡讯 news 𠀀😀 é'.repeat(20);
    for (let max = 0; max < 200; max++) {
      const cut = cutUtf8(text, max);
      expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(max);
      expect(text.startsWith(cut)).toBe(true);
      expect(cut).not.toContain('\ufffd');
    }
  });
});

describe('boundFeedXml', () => {
  it('keeps the first N items of an RSS feed, and the document still parses', async () => {
    const xml = rssFeed(items(50), { title: 't' });
    const b = boundFeedXml(xml, 10);
    expect(b.items).toBe(50);
    const parsed = await parseFeed(b.xml, opts);
    expect(parsed.items.map((i) => i.guid)).toEqual(Array.from({ length: 10 }, (_, i) => `g${i}`));
  });

  it('does the same for Atom entries', async () => {
    const b = boundFeedXml(atomFeed(items(30), { title: 't' }), 5);
    expect(b.items).toBe(30);
    expect((await parseFeed(b.xml, opts)).items).toHaveLength(5);
  });

  it('counts no item end inside CDATA or a comment', async () => {
    const xml = rssFeed(items(6, (i) => ({ description: `<p>代码示例 </item> ${i}</p>`, cdata: true })), { title: 't' }).replace('<channel>', '<channel><!-- </item> -->');
    const b = boundFeedXml(xml, 3);
    expect(b.items).toBe(6);
    const parsed = await parseFeed(b.xml, opts);
    expect(parsed.items).toHaveLength(3);
    expect(parsed.items[2]!.html).toContain('</item> 2');
  });

  it('leaves a feed within the bound untouched', () => {
    const xml = rssFeed(items(3), { title: 't' });
    expect(boundFeedXml(xml, 3)).toEqual({ xml, items: 3 });
  });
});
