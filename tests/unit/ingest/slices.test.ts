// A large feed document read a part at a time (issue #11): every part is a document of its
// own that reads, item for item, as the whole document does.
import { describe, expect, it } from 'vitest';
import { mergeWarnings, parseFeed } from '../../../src/feeds/parse.js';
import { sliceFeedXml } from '../../../src/ingest/slices.js';
import { atomFeed, rdfFeed, rssFeed, type TestItem } from '../../fakes/feed-server.js';

const items = (n: number, extra: (i: number) => Partial<TestItem> = () => ({})): TestItem[] =>
  Array.from({ length: n }, (_, i) => ({
    title: `第${i}条新闻`,
    guid: `g${i}`,
    link: `/news/${i}.html`,
    date: new Date(Date.UTC(2026, 0, 9) - i * 60_000).toUTCString(),
    description: `<p>正文${i}，&amp; 内容</p>`,
    ...extra(i),
  }));
const opts = { timeZone: 'Asia/Shanghai', now: Date.UTC(2026, 0, 10), baseUrl: 'https://feeds.example.cn/all.xml' };

/** The items of every part, in order, and each part's warnings. */
async function readParts(xml: string, sliceBytes: number) {
  const slices = sliceFeedXml(xml, sliceBytes);
  expect(slices).not.toBeNull();
  let firstItem = 0;
  const parts = [];
  for (const s of slices!) {
    parts.push(await parseFeed(s.xml, { ...opts, firstItem }));
    firstItem += s.items;
  }
  return { slices: slices!, items: parts.flatMap((p) => p.items.map((i) => ({ ...i, text: i.text }))), warnings: mergeWarnings(parts.map((p) => p.warnings)), title: parts[0]!.title };
}

const plain = (feed: Awaited<ReturnType<typeof parseFeed>>) => feed.items.map((i) => ({ ...i, text: i.text }));

describe('sliceFeedXml', () => {
  it.each([
    ['RSS', rssFeed],
    ['Atom', atomFeed],
    ['RDF', rdfFeed],
  ])('cuts %s into parts that read as the whole document does', async (_, make) => {
    const xml = make(items(120), { title: '嘉兴日报', link: 'https://news.example.cn/' });
    const whole = await parseFeed(xml, opts);
    const parts = await readParts(xml, 2048);
    expect(parts.slices.length).toBeGreaterThan(5);
    expect(parts.slices.reduce((n, s) => n + s.items, 0)).toBe(120);
    expect(parts.items).toEqual(plain(whole));
    expect(parts.title).toBe(whole.title);
    // Relative links still resolve against the channel's link: the head travels with each part.
    expect(parts.items[119]!.link).toBe('https://news.example.cn/news/119.html');
  });

  it('keeps what lies between items once, and reads an item tag inside CDATA or a comment as text', async () => {
    const head = '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>https://news.example.cn/</link>';
    const item = (i: number) => `<item><title>第${i}条</title><guid>g${i}</guid><description><![CDATA[<p>见</item>与<item>之间</p>]]></description></item>`;
    const xml = `${head}${item(0)}<!-- <item><title>注释里的</title></item> -->${item(1)}<ttl>5</ttl>${item(2)}${item(3)}</channel></rss>`;
    const whole = await parseFeed(xml, opts);
    const parts = await readParts(xml, 10);
    expect(parts.slices).toHaveLength(4);
    expect(parts.slices.filter((s) => s.xml.includes('<ttl>'))).toHaveLength(1);
    expect(parts.items).toEqual(plain(whole));
    expect(parts.items.map((i) => i.title)).toEqual(['第0条', '第1条', '第2条', '第3条']);
  });

  it('numbers the items in warnings as the whole document does, and caps the warnings alike', async () => {
    const xml = rssFeed(items(60, (i) => ({ date: `昨天${i}` })), { title: 't' });
    const whole = await parseFeed(xml, opts);
    const parts = await readParts(xml, 1500);
    expect(whole.warnings.length).toBeGreaterThan(20);
    expect(parts.warnings).toEqual(whole.warnings);
    expect(parts.warnings[5]).toContain('item 6 ');
  });

  it('returns null for a document that fits in one part, or whose items are not a plain sequence', () => {
    expect(sliceFeedXml(rssFeed(items(3), { title: 't' }), 1 << 20)).toBeNull();
    const head = '<rss version="2.0"><channel><title>t</title>';
    const tail = '</channel></rss>';
    const two = (a: string, b: string) => `${head}${a}${b}${tail}`;
    const ok = '<item><title>甲</title></item>';
    expect(sliceFeedXml(two(ok, ok), 1)).toHaveLength(2);
    expect(sliceFeedXml(two('<item><title>甲</title><x:item>嵌套</x:item></item>', ok), 1)).toBeNull(); // an item inside an item
    expect(sliceFeedXml(two('<item/>', ok), 1)).toBeNull(); // self-closed
    expect(sliceFeedXml(two(ok, '<item><title>乙</title>'), 1)).toBeNull(); // never closed
    expect(sliceFeedXml(`${head}</item>${ok}${tail}`, 1)).toBeNull(); // closed before opened
    expect(sliceFeedXml(`${head}<items>列表</items>${ok}${ok}${tail}`, 1)).toHaveLength(2); // <items> is not an item
  });
});
