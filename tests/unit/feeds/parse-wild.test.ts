// Feeds as they are in the wild: one synthetic fixture per problem of issue 10, read the way
// the poller reads them (bytes → decodeBytes → parseFeed). The fast subset of `npm run eval`'s
// corpus run; the fixtures in tests/fixtures/feeds are invented text, written by hand.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { xmlProblemInWords } from '../../../src/feeds/errors.js';
import { parseFeed } from '../../../src/feeds/parse.js';
import { itemKeys } from '../../../src/ingest/identity.js';
import { decodeBytes } from '../../../src/text/charset.js';
import { feedError } from '../../helpers/feed-error.js';

const DIR = join(import.meta.dirname, '../../fixtures/feeds');
const bytes = (name: string): Buffer => readFileSync(join(DIR, name));
const opts = { timeZone: 'Asia/Shanghai', now: Date.UTC(2024, 5, 1) };
const ingest = async (name: string, contentType?: string) => {
  const decoded = decodeBytes(bytes(name), contentType);
  return { decoded, feed: await parseFeed(decoded.text, opts) };
};

describe('1. a UTF-8 feed with invalid bytes stays UTF-8', () => {
  const TITLES = ['桐乡市举办乡村运动会', '平湖港区\ufffd新航线开通', '海盐县完成老旧小区改造'];

  it('keeps every item and every character outside the bad sequences, and says what it replaced', async () => {
    const { decoded, feed } = await ingest('utf8-cut-character.xml');
    expect(decoded.charset).toBe('utf-8');
    expect(decoded.warnings).toEqual([expect.stringMatching(/^2 invalid byte sequences for utf-8 replaced/)]);
    expect(feed.items.map((i) => i.title)).toEqual(TITLES);
    expect(feed.items[0]!.text).toBe('本报讯 周末，桐乡市在河山镇举办第三届乡村运动会，来自各村的选手参加了拔河和插秧比赛\ufffd');
    expect(feed.items[2]!.text).toBe('海盐县今年完成十二个老旧小区的改造，加装电梯四十部，新增停车位八百个。');
  });

  it('stays UTF-8 when a header claims GBK, and warns that the declaration lies', async () => {
    const { decoded, feed } = await ingest('utf8-cut-character.xml', 'application/rss+xml; charset=gb2312');
    expect(decoded.charset).toBe('utf-8');
    expect(decoded.warnings[0]).toMatch(/declares charset "gb2312" but its bytes are utf-8/);
    expect(feed.items.map((i) => i.title)).toEqual(TITLES);
  });
});

describe('2. every title form of RSS, RDF and Atom', () => {
  it('reads Atom 1.0 xhtml, html and text titles (a literal "<b>" in text stays)', async () => {
    const { feed } = await ingest('atom-title-forms.xml');
    expect(feed.title).toBe('县域快讯');
    expect(feed.items.map((i) => i.title)).toEqual(['嘉善县新建三座公园', '南湖区举行读书节', '公式 a <b> c 的由来']);
    expect(feed.items[0]!.text).toBe('公园将于年底开放。');
  });

  it('reads Atom 0.3 mode="xml", "escaped" and "base64", and markup with no mode', async () => {
    const { feed } = await ingest('atom03-modes.xml');
    expect(feed.title).toBe('旧版 Atom 源');
    expect(feed.items.map((i) => i.title)).toEqual(['海宁皮革城扩建', '乌镇戏剧节开票', '秀洲区农民画展开幕', '嘉兴粽子文化节']);
    expect(feed.items[2]!.html).toBe('<p>展出作品一百幅。</p>');
  });

  it('takes the richest of content, summary and description as the body', async () => {
    const xml = `<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>1</id><title>t</title><summary>短摘要</summary><content type="html">&lt;p&gt;完整的正文比摘要长得多。&lt;/p&gt;</content></entry>
      <entry><id>2</id><title>t2</title><summary>这一条的摘要反而更长一些，正文只有一句。</summary><content>一句。</content></entry></feed>`;
    const feed = await parseFeed(xml, opts);
    expect(feed.items.map((i) => i.text)).toEqual(['完整的正文比摘要长得多。', '这一条的摘要反而更长一些，正文只有一句。']);
  });
});

describe('3. windows-1252 punctuation', () => {
  it('becomes the characters it stands for, not C1 controls', async () => {
    const { decoded, feed } = await ingest('windows-1252-punctuation.xml');
    expect(decoded.charset).toBe('windows-1252');
    expect(feed.items[0]!.title).toBe('“Open day” at the port — tickets €10');
    expect(feed.items[0]!.text).toBe('It’s free for children … and cafés stay open.');
  });
});

describe('4. structural problems in words', () => {
  it('reads a feed with no <channel> and an empty RDF as empty, with a warning', async () => {
    for (const name of ['no-channel.xml', 'empty-rdf.xml']) {
      const { feed } = await ingest(name);
      expect(feed.items).toEqual([]);
      expect(feed.warnings).toEqual(['the feed has no <channel> element']);
    }
  });

  it('names the problem of an empty document, a non-feed and a cut-off feed', async () => {
    const message = async (name: string) => (await feedError(ingest(name))).message;
    expect(await message('empty.xml')).toBe('the feed is empty');
    expect(await message('not-a-feed.xml')).toBe('the document is XML (<urlset>) but not an RSS, Atom or RDF feed');
    expect(await message('truncated.xml')).toBe('the feed is not well-formed XML: it ends before the feed is closed (cut off?)');
  });

  it('never passes on a parser or JavaScript message', () => {
    expect(xmlProblemInWords(new TypeError("Cannot read properties of undefined (reading '0')"))).toBe('the feed is not well-formed XML: its markup is broken');
    expect(xmlProblemInWords(new Error('Invalid character in entity name\nLine: 3\nColumn: 9'))).toBe('the feed is not well-formed XML: it has an "&" that does not start a valid entity');
  });
});

describe('5. distinct items stay distinct', () => {
  const keysOf = async (name: string) => {
    const { feed } = await ingest(name);
    return itemKeys(feed.items.map((i) => ({ guid: i.guid, canonicalUrl: i.link, title: i.title, dateRaw: i.dateRaw, text: i.text })));
  };

  it('keeps three episodes that share one guid', async () => {
    expect(new Set(await keysOf('shared-guid.xml')).size).toBe(3);
  });

  it('keeps two items with the same title and date but different text', async () => {
    expect(new Set(await keysOf('same-title-no-id.xml')).size).toBe(2);
  });
});

describe('6. other languages and wide encodings', () => {
  it.each([
    ['euc-kr-undeclared.xml', 'euc-kr', '지역 도서관 새 단장'],
    ['shift-jis-undeclared.xml', 'shift_jis', '市立図書館がリニューアル'],
    ['koi8-r-undeclared.xml', 'koi8-r', 'Городская библиотека открылась после ремонта'],
    ['utf-32le-bom.xml', 'utf-32le', '嘉兴南湖举行龙舟赛'],
    ['utf-32be-bom.xml', 'utf-32be', '嘉兴南湖举行龙舟赛'],
  ])('%s is read as %s, not guessed as a Chinese charset', async (name, charset, title) => {
    const { decoded, feed } = await ingest(name);
    expect(decoded.charset).toBe(charset);
    expect(feed.items[0]!.title).toBe(title);
  });
});
