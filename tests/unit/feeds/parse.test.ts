import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../../src/feeds/parse.js';
import { decodeBytes } from '../../../src/text/charset.js';
import { atomFeed, rdfFeed, rssFeed } from '../../fakes/feed-server.js';
import { encodeGb18030 } from '../../fakes/gbk.js';
import { feedError } from '../../helpers/feed-error.js';

const opts = { timeZone: 'Asia/Shanghai', now: Date.UTC(2024, 4, 1) };
const parse = (xml: string, extra: { baseUrl?: string } = {}) => parseFeed(xml, { ...opts, ...extra });


describe('parseFeed: formats', () => {
  it('reads RSS 2.0 with content:encoded, dc:creator and CDATA', async () => {
    const xml = rssFeed(
      [
        {
          title: '嘉兴：秀洲区举行数字经济大会',
          link: 'https://news.example.cn/zj/1.html',
          guid: 'jx-1',
          date: 'Sat, 07 May 2022 09:23:18 +0800',
          author: '记者 张三',
          description: '<p>摘要</p>',
          content: '<p>嘉兴日报讯&nbsp;全文</p><p>第二段</p>',
          cdata: true,
        },
      ],
      { title: '嘉兴日报' },
    );
    const feed = await parse(xml);
    expect(feed).toMatchObject({ title: '嘉兴日报', format: 'rss', warnings: [] });
    expect(feed.items).toEqual([
      {
        guid: 'jx-1',
        link: 'https://news.example.cn/zj/1.html',
        title: '嘉兴：秀洲区举行数字经济大会',
        html: '<p>嘉兴日报讯&nbsp;全文</p><p>第二段</p>',
        text: '嘉兴日报讯 全文\n第二段',
        author: '记者 张三',
        publishedAt: Date.UTC(2022, 4, 7, 1, 23, 18),
        dateRaw: 'Sat, 07 May 2022 09:23:18 +0800',
      },
    ]);
  });

  it('reads RSS 0.91 and escaped (non-CDATA) HTML descriptions', async () => {
    const xml = rssFeed([{ title: 'A &amp; B', link: 'https://e.cn/a', description: '<p>正文 &amp; 更多</p>' }], { title: 't', version: '0.91' });
    const [item] = (await parse(xml)).items;
    expect(item).toMatchObject({ title: 'A & B', html: '<p>正文 &amp; 更多</p>', text: '正文 & 更多', publishedAt: null, dateRaw: null });
  });

  it('reads Atom, including a Chinese date and a zone-less ISO date', async () => {
    const xml = atomFeed(
      [
        { title: '一', link: '/a/1.html', guid: 'urn:1', date: '2022年5月7日 09:23', author: '李四', content: '<p>全文</p>', description: '摘要' },
        { title: '二', link: 'https://e.cn/2', guid: 'urn:2', date: '2022-05-07T09:23:00', description: '<b>只有</b>摘要' },
      ],
      { title: 'Atom 源', link: 'https://e.cn/' },
    );
    const feed = await parse(xml);
    expect(feed.format).toBe('atom');
    expect(feed.title).toBe('Atom 源');
    expect(feed.items[0]).toMatchObject({
      guid: 'urn:1',
      link: 'https://e.cn/a/1.html',
      author: '李四',
      html: '<p>全文</p>',
      text: '全文',
      publishedAt: Date.UTC(2022, 4, 7, 1, 23),
      dateRaw: '2022年5月7日 09:23',
    });
    expect(feed.items[1]).toMatchObject({ text: '只有摘要', publishedAt: Date.UTC(2022, 4, 7, 1, 23) });
  });

  it('reads RDF (RSS 1.0) with dc:date', async () => {
    const xml = rdfFeed([{ title: '三', link: 'https://e.cn/3', date: '2022-05-07T09:23:18+08:00', author: '王五', description: '内容' }], { title: 'RDF 源' });
    const feed = await parse(xml);
    expect(feed.format).toBe('rdf');
    expect(feed.items[0]).toMatchObject({ guid: 'https://e.cn/3', link: 'https://e.cn/3', author: '王五', publishedAt: Date.UTC(2022, 4, 7, 1, 23, 18) });
  });

  it('unescapes escaped item HTML exactly one level', async () => {
    const xml = rssFeed([{ title: 't', description: 'x' }], { title: 't' }).replace(
      '<description>x</description>',
      '<description type="html">&lt;p class=&quot;a&quot;&gt;A&amp;amp;B &amp;lt;tag&amp;gt; &#20013;&#x6587; &apos;q&apos;&lt;/p&gt;</description>' +
        `<content:encoded>前<![CDATA[<b>中</b>]]>&lt;i&gt;后&lt;/i&gt;${'正文'.repeat(25)}</content:encoded>`,
    );
    const [item] = (await parse(xml)).items;
    expect(item!.html).toBe(`前<b>中</b><i>后</i>${'正文'.repeat(25)}`);
    const desc = await parse(xml.replace(/<content:encoded>.*<\/content:encoded>/, ''));
    expect(desc.items[0]!.html).toBe('<p class="a">A&amp;B &lt;tag&gt; 中文 \'q\'</p>');
    expect(desc.items[0]!.text).toBe("A&B <tag> 中文 'q'");
  });

  it('keeps Atom xhtml content', async () => {
    const xml = atomFeed([{ title: 't', guid: 'u' }], { title: 't' }).replace(
      '<id>u</id>',
      '<id>u</id><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>段落</p></div></content>',
    );
    expect((await parse(xml)).items[0]!.text).toBe('段落');
  });

  it('reads a GBK feed once it has been decoded', async () => {
    const bytes = encodeGb18030(rssFeed([{ title: '海宁新闻', link: 'https://e.cn/hn' }], { title: '嘉兴在线', encoding: 'gb2312' }));
    const feed = await parse(decodeBytes(bytes, 'text/xml').text);
    expect(feed.title).toBe('嘉兴在线');
    expect(feed.items[0]!.title).toBe('海宁新闻');
  });
});

describe('parseFeed: item details', () => {
  it('resolves relative links against the feed link, or the fetch URL when the feed has none', async () => {
    const xml = rssFeed([{ title: 'a', link: '/news/1.html' }, { title: 'b', link: '2.html' }], { title: 't', link: 'https://e.cn/zj/' });
    expect((await parse(xml)).items.map((i) => i.link)).toEqual(['https://e.cn/news/1.html', 'https://e.cn/zj/2.html']);
    const noLink = xml.replace('<link>https://e.cn/zj/</link>', '');
    expect((await parse(noLink)).items[0]!.link).toBeNull();
    expect((await parse(noLink, { baseUrl: 'https://feeds.e.cn/rss.xml' })).items[0]!.link).toBe('https://feeds.e.cn/news/1.html');
  });

  it('uses a permalink guid when the link is missing, and null otherwise', async () => {
    const xml = rssFeed([{ title: 'a', guid: 'https://e.cn/p/1' }, { title: 'b', guid: 'id-2' }], { title: 't' }).replace(
      '<guid>id-2</guid>',
      '<guid isPermaLink="false">https://e.cn/not-a-link</guid>',
    );
    const items = (await parse(xml)).items;
    expect(items[0]).toMatchObject({ guid: 'https://e.cn/p/1', link: 'https://e.cn/p/1' });
    expect(items[1]).toMatchObject({ guid: 'https://e.cn/not-a-link', link: null });
  });

  it('makes a title from the text when the title is missing, and drops items with neither', async () => {
    const long = '嘉兴市秀洲区今天举行数字经济发展大会，来自长三角各地的企业代表参加了会议，会议围绕芯片展开。';
    const xml = rssFeed([{ link: 'https://e.cn/1', description: `<p>${long}</p>` }, { link: 'https://e.cn/2' }, { title: '有标题' }], { title: 't' });
    const feed = await parse(xml);
    expect(feed.items).toHaveLength(2);
    expect(feed.items[0]!.title).toBe(`${[...long].slice(0, 40).join('')}…`);
    expect(feed.items[1]).toMatchObject({ title: '有标题', text: '', html: '', link: null, guid: null });
    expect(feed.warnings).toEqual([expect.stringMatching(/^item 2 dropped/)]);
  });

  it('keeps items with duplicate guids (deduplication belongs to the caller)', async () => {
    const xml = rssFeed([{ title: 'a', guid: 'same' }, { title: 'b', guid: 'same' }], { title: 't' });
    expect((await parse(xml)).items.map((i) => i.title)).toEqual(['a', 'b']);
  });

  it('reads CDATA titles, strips markup from titles and trims guids', async () => {
    const xml = rssFeed([{ title: 'x', guid: 'g' }], { title: 't' })
      .replace('<title>x</title>', '<title><![CDATA[<b>嘉兴</b> &amp; 海宁 ]]></title>')
      .replace('<guid>g</guid>', '<guid>\n   g-1  \n</guid>');
    expect((await parse(xml)).items[0]).toMatchObject({ title: '嘉兴 & 海宁', guid: 'g-1' });
  });

  it('nulls absurd or unreadable dates with a warning that names the item', async () => {
    const xml = rssFeed(
      [
        { title: '旧闻', date: 'Thu, 01 Jan 1970 00:00:00 GMT' },
        { title: '未来', date: '2100-01-01 00:00:00' },
        { title: '乱码', date: '某日' },
      ],
      { title: 't' },
    );
    const feed = await parse(xml);
    expect(feed.items.map((i) => i.publishedAt)).toEqual([null, null, null]);
    expect(feed.items[0]!.dateRaw).toBe('Thu, 01 Jan 1970 00:00:00 GMT');
    expect(feed.warnings).toHaveLength(3);
    expect(feed.warnings[0]).toContain('"旧闻"');
    expect(feed.warnings[1]).toContain('"未来"');
    expect(feed.warnings[2]).toContain('unreadable');
  });

  it('ignores a date at the end of what Date can hold instead of losing the feed (found by fuzzing)', async () => {
    const xml = rssFeed(
      [
        { title: '一', guid: '1', date: 'Sep 13, 275760' },
        { title: '二', guid: '2', date: 'Sat, 07 May 2022 09:23:18 +0800' },
      ],
      { title: 't' },
    );
    const feed = await parse(xml);
    expect(feed.items.map((i) => i.publishedAt)).toEqual([null, Date.UTC(2022, 4, 7, 1, 23, 18)]);
    expect(feed.warnings).toEqual([expect.stringContaining('unreadable date "Sep 13, 275760"')]);
  });

  it('caps the number of warnings', async () => {
    const xml = rssFeed(Array.from({ length: 50 }, (_, i) => ({ title: `t${i}`, date: '1970-01-01' })), { title: 't' });
    const feed = await parse(xml);
    expect(feed.items).toHaveLength(50);
    expect(feed.warnings).toHaveLength(21);
    expect(feed.warnings.at(-1)).toContain('30 more');
  });
});

describe('parseFeed: broken input', () => {
  it('returns no items for an empty feed', async () => {
    expect(await parse(rssFeed([], { title: '空' }))).toMatchObject({ title: '空', items: [], warnings: [] });
    expect((await parse(atomFeed([], { title: '空' }))).items).toEqual([]);
  });

  it('rejects malformed XML as malformed', async () => {
    const e = await feedError(parse('<?xml version="1.0"?><rss version="2.0"><channel><item><title>x</item></channel></rss>'));
    expect(e.kind).toBe('malformed');
    expect(e.message).toMatch(/^the feed is not well-formed XML/);
  });

  it('rejects truncated XML as malformed, with nothing escaping asynchronously', async () => {
    const full = rssFeed([{ title: '一', link: 'https://e.cn/1', description: '<p>x</p>', cdata: true }], { title: 't' });
    for (const cut of [full.length - 10, full.length - 40, Math.floor(full.length / 2), full.indexOf('<![CDATA[') + 12]) {
      const e = await feedError(parse(full.slice(0, cut)));
      expect(e.kind).toBe('malformed');
    }
    await new Promise((r) => setTimeout(r, 20)); // give a stray async throw time to surface
  });

  it('recognises an HTML page', async () => {
    for (const html of ['<!DOCTYPE html><html><head><title>x</title></head><body>hi</body></html>', '\n<html lang="zh"><body>错误</body></html>', '<!doctype HTML>\n<p>x']) {
      const e = await feedError(parse(html));
      expect(e.kind).toBe('not-a-feed');
      expect(e.message).toBe('the URL returned an HTML page, not a feed');
    }
  });

  it('rejects XML that is not a feed, text and an empty body', async () => {
    expect((await feedError(parse('<?xml version="1.0"?><opml version="2.0"><body/></opml>'))).kind).toBe('not-a-feed');
    expect((await feedError(parse('{"error": "not found"}'))).kind).toBe('not-a-feed');
    expect((await feedError(parse('  \n'))).kind).toBe('malformed');
  });

  it('strips control characters XML 1.0 forbids', async () => {
    const xml = rssFeed([{ title: 'a\u0001b\u000bc', link: 'https://e.cn/1' }], { title: 't' });
    expect((await parse(xml)).items[0]!.title).toBe('abc');
  });

  it('cannot be confused by the characters used to hold CDATA aside', async () => {
    const xml = rssFeed([{ title: '\ufdd00\ufdd1 x', description: 'd', cdata: true }], { title: 't' });
    expect((await parse(xml)).items[0]).toMatchObject({ title: '0 x', text: 'd' });
  });

  it('does not let character references to those characters pull in held-aside text (found by fuzzing)', async () => {
    // &#xFDD0;0&#xFDD1; used to expand into the hole of section 0, so the guid and title
    // read the description instead of what the feed wrote.
    const xml =
      '<rss><channel><item><title>&#xFDD0;0&#xFDD1; x</title><guid>&#64976;0&#64977;</guid>' +
      '<description><![CDATA[secret]]></description></item></channel></rss>';
    const item = (await parse(xml)).items[0]!;
    expect(item.title).toBe('\ufffd0\ufffd x');
    expect(item.guid).toBe('\ufffd0\ufffd');
    expect(item.text).toBe('secret');
  });

  it('repairs bare "&" and HTML entities with a warning', async () => {
    const xml = rssFeed([{ title: 'T', link: 'https://e.cn/a?x=1' }], { title: 't' })
      .replace('<title>T</title>', '<title>嘉兴&nbsp;日报 &ldquo;快讯&rdquo; & 更多</title>')
      .replace('?x=1', '?x=1&y=2');
    const feed = await parse(xml);
    expect(feed.items[0]).toMatchObject({ title: '嘉兴 日报 “快讯” & 更多', link: 'https://e.cn/a?x=1&y=2' });
    expect(feed.warnings).toEqual([expect.stringContaining('not well-formed')]);
  });

  it('parses a large feed quickly', async () => {
    const para = '<p>嘉兴市秀洲区今天举行数字经济发展大会，来自长三角各地的企业代表参加了会议，会议围绕芯片、信息化和网络建设展开讨论。</p>';
    const items = Array.from({ length: 1000 }, (_, i) => ({
      title: `新闻 ${i}`,
      link: `https://e.cn/${i}.html`,
      guid: String(i),
      date: 'Sat, 07 May 2022 09:23:18 +0800',
      description: para.repeat(11),
      cdata: true,
    }));
    const xml = rssFeed(items, { title: 't' });
    // Speed is measured by `npm run bench`; here only correctness at size.
    const feed = await parse(xml);
    expect(feed.items).toHaveLength(1000);
  });
});
