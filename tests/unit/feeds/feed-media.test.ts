// A feed item's media (issue #15, pictures): RSS enclosures, Media RSS content and
// thumbnails, Atom enclosure links. Synthetic feeds; the picker decides what may be shown.
import { describe, expect, it } from 'vitest';
import { MAX_MEDIA_PER_ITEM, MAX_MEDIA_URL } from '../../../src/feeds/feed-media.js';
import { parseFeed } from '../../../src/feeds/parse.js';

const opts = { timeZone: 'Asia/Shanghai', now: Date.UTC(2026, 0, 10) };
const MRSS = 'xmlns:media="http://search.yahoo.com/mrss/"';

const rss = (items: string, ns = MRSS, link = 'https://www.lakeside-daily.cn/') =>
  `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" ${ns}><channel><title>湖畔日报</title><link>${link}</link>${items}</channel></rss>`;
const item = (inner: string, link = 'https://www.lakeside-daily.cn/news/2026/01/09/77.html') =>
  `<item><title>湖畔镇新建一座图书馆</title><link>${link}</link><guid>77</guid><description>湖畔镇图书馆今天开馆。</description>${inner}</item>`;

const mediaOf = async (xml: string) => (await parseFeed(xml, opts)).items.map((i) => i.media);

describe('feed item media', () => {
  it('reads an RSS enclosure with its type and length', async () => {
    const [media] = await mediaOf(rss(item('<enclosure url="https://img.lakeside-daily.cn/2026/77.jpg" type="image/jpeg" length="204800"/>')));
    expect(media).toEqual([{ url: 'https://img.lakeside-daily.cn/2026/77.jpg', kind: 'enclosure', type: 'image/jpeg', length: 204800 }]);
  });

  it('reads media:content (type, medium, size, fileSize) and media:thumbnail, also inside media:group and under the content', async () => {
    const xml = rss(
      item(
        '<media:content url="https://img.lakeside-daily.cn/77-big.jpg" type="image/jpeg" medium="image" width="1200" height="800" fileSize="345678">' +
          '<media:thumbnail url="https://img.lakeside-daily.cn/77-small.jpg" width="240" height="160"/></media:content>' +
          '<media:group><media:content url="https://img.lakeside-daily.cn/77-alt.png" type="image/png"/>' +
          '<media:thumbnail url="https://img.lakeside-daily.cn/77-alt-t.png"/></media:group>' +
          '<media:thumbnail url="https://img.lakeside-daily.cn/77-t.jpg" width="300" height="200"/>',
      ),
    );
    const [media] = await mediaOf(xml);
    expect(media).toEqual([
      { url: 'https://img.lakeside-daily.cn/77-big.jpg', kind: 'content', type: 'image/jpeg', medium: 'image', width: 1200, height: 800, length: 345678 },
      { url: 'https://img.lakeside-daily.cn/77-small.jpg', kind: 'thumbnail', width: 240, height: 160 },
      { url: 'https://img.lakeside-daily.cn/77-alt.png', kind: 'content', type: 'image/png' },
      { url: 'https://img.lakeside-daily.cn/77-alt-t.png', kind: 'thumbnail' },
      { url: 'https://img.lakeside-daily.cn/77-t.jpg', kind: 'thumbnail', width: 300, height: 200 },
    ]);
  });

  it('reads Media RSS under whatever prefix the document binds to its namespace', async () => {
    const xml = rss(item('<m:thumbnail url="https://img.lakeside-daily.cn/p.jpg" width="400" height="300"/>'), 'xmlns:m="http://search.yahoo.com/mrss"');
    expect(await mediaOf(xml)).toEqual([[{ url: 'https://img.lakeside-daily.cn/p.jpg', kind: 'thumbnail', width: 400, height: 300 }]]);
  });

  it('reads Atom enclosure links, not the alternate or related ones', async () => {
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>湖畔日报</title><link href="https://www.lakeside-daily.cn/"/><id>urn:x</id>' +
      '<entry><title>湖畔镇新建一座图书馆</title><id>e1</id><link rel="alternate" href="https://www.lakeside-daily.cn/n/1.html"/>' +
      '<link rel="related" href="https://www.lakeside-daily.cn/n/0.html"/><link rel="enclosure" href="/upload/1.webp" type="image/webp" length="5000"/>' +
      '<summary>开馆</summary></entry></feed>';
    const feed = await parseFeed(xml, opts);
    expect(feed.items[0]!.link).toBe('https://www.lakeside-daily.cn/n/1.html');
    expect(feed.items[0]!.media).toEqual([{ url: 'https://www.lakeside-daily.cn/upload/1.webp', kind: 'enclosure', type: 'image/webp', length: 5000 }]);
  });

  it('resolves relative addresses against the item link, else the feed link, else the document address', async () => {
    const [withLink] = await mediaOf(rss(item('<enclosure url="pics/a.jpg" type="image/jpeg"/>', 'https://www.lakeside-daily.cn/news/2026/7.html')));
    expect(withLink![0]!.url).toBe('https://www.lakeside-daily.cn/news/2026/pics/a.jpg');
    const bare = `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>无链接</title><description>正文</description><enclosure url="/u/b.jpg" type="image/jpeg"/></item></channel></rss>`;
    const feed = await parseFeed(bare, { ...opts, baseUrl: 'https://feeds.lakeside-daily.cn/rss.xml' });
    expect(feed.items[0]!.media).toEqual([{ url: 'https://feeds.lakeside-daily.cn/u/b.jpg', kind: 'enclosure', type: 'image/jpeg' }]);
  });

  it('keeps only http(s) addresses within the length cap, each once, at most a few per item', async () => {
    const junk =
      '<enclosure url="data:image/png;base64,iVBORw0KGgo=" type="image/png"/>' +
      '<enclosure url="javascript:alert(1)" type="image/png"/>' +
      '<enclosure url="ftp://files.lakeside-daily.cn/a.jpg" type="image/jpeg"/>' +
      `<enclosure url="https://img.lakeside-daily.cn/${'a'.repeat(MAX_MEDIA_URL)}.jpg" type="image/jpeg"/>` +
      '<enclosure url="   " type="image/jpeg"/><enclosure type="image/jpeg"/>' +
      '<media:content url="https://img.lakeside-daily.cn/same.jpg" width="wide" height="-3" fileSize="1e9"/>' +
      '<media:thumbnail url="https://img.lakeside-daily.cn/same.jpg"/>';
    const many = Array.from({ length: 50 }, (_, i) => `<media:content url="https://img.lakeside-daily.cn/${i}.jpg" medium="image"/>`).join('');
    const [junkMedia, manyMedia] = await mediaOf(rss(item(junk) + item(many)));
    // Junk numbers are left out, not guessed; the repeated address is kept once.
    expect(junkMedia).toEqual([{ url: 'https://img.lakeside-daily.cn/same.jpg', kind: 'content' }]);
    expect(manyMedia).toHaveLength(MAX_MEDIA_PER_ITEM);
    expect(manyMedia![0]).toEqual({ url: 'https://img.lakeside-daily.cn/0.jpg', kind: 'content', medium: 'image' });
  });

  it('an item without media has no media field; a bare & in an address is repaired like the rest of the feed', async () => {
    const [none] = await mediaOf(rss(item('')));
    expect(none).toBeUndefined();
    const feed = await parseFeed(rss(item('<enclosure url="https://img.lakeside-daily.cn/get?id=7&size=l" type="image/jpeg"/>')), opts);
    expect(feed.items[0]!.media).toEqual([{ url: 'https://img.lakeside-daily.cn/get?id=7&size=l', kind: 'enclosure', type: 'image/jpeg' }]);
  });

  it('a non-image enclosure is read as declared (the picker refuses it)', async () => {
    const [media] = await mediaOf(rss(item('<enclosure url="https://www.lakeside-daily.cn/audio/77.mp3" type="audio/mpeg" length="3000000"/>')));
    expect(media).toEqual([{ url: 'https://www.lakeside-daily.cn/audio/77.mp3', kind: 'enclosure', type: 'audio/mpeg', length: 3000000 }]);
  });
});
