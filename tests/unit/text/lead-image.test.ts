import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../../src/text/extract.js';
import { type FeedMedia, MAX_URL_LENGTH, pickLeadImage, safeImageUrl, sameOwner, sizeHint, sizeVerdict } from '../../../src/text/lead-image.js';
import { articleSpan, scanPage, widestSrcset } from '../../../src/text/lead-image-page.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
// A synthetic county news page: logo, nav strip, an off-site advert, a lazy-loaded lead photo,
// a second photo with its size in the file name, share icons, a QR code, a related-story thumbnail.
const PAGE = readFileSync(join(ROOT, 'tests/fixtures/pages/images/county-news-with-photos.html'), 'utf8');
const PAGE_URL = 'https://www.qingxi-news.cn/local/2026/11/30/88.html';
const article = extractArticle(PAGE)!;
const withBody = { pageUrl: PAGE_URL, bodyParagraphs: article.paragraphs, title: article.title };
const withMeta = (tags: string): string => PAGE.replace('</head>', `${tags}</head>`);
const og = (url: string): string => `<meta property="og:image" content="${url}">`;
const BODY_PHOTO = 'https://www.qingxi-news.cn/upload/2026/11/30/old-street-01.jpg';

describe('pickLeadImage: order of sources', () => {
  it('takes the first content photo inside the article, past the logo, nav strip, advert and lazy placeholder', () => {
    expect(pickLeadImage({ ...withBody, pageHtml: PAGE })).toEqual({ url: BODY_PHOTO, width: 800, height: 533, source: 'body' });
  });

  it('prefers og:image, then twitter:image, resolving relative addresses against the page', () => {
    expect(pickLeadImage({ ...withBody, pageHtml: withMeta(og('/upload/2026/11/30/cover.jpg')) })).toEqual({
      url: 'https://www.qingxi-news.cn/upload/2026/11/30/cover.jpg',
      source: 'meta',
    });
    const twitter = withMeta('<meta name="twitter:image" content="//img.qingxi-news.cn/share/88.jpg">');
    expect(pickLeadImage({ ...withBody, pageHtml: twitter })?.url).toBe('https://img.qingxi-news.cn/share/88.jpg');
  });

  it('reads og:image:width/height and skips a share image that is the site logo or tiny', () => {
    const sized = withMeta(`${og('/upload/cover.jpg')}<meta property="og:image:width" content="1200"><meta property="og:image:height" content="630">`);
    expect(pickLeadImage({ ...withBody, pageHtml: sized })).toMatchObject({ width: 1200, height: 630, source: 'meta' });
    expect(pickLeadImage({ ...withBody, pageHtml: withMeta(og('/static/images/logo_share.png')) })?.source).toBe('body');
    const tiny = withMeta(`${og('/upload/cover.jpg')}<meta property="og:image:width" content="64"><meta property="og:image:height" content="64">`);
    expect(pickLeadImage({ ...withBody, pageHtml: tiny })?.source).toBe('body');
  });

  it('falls back to the feed item HTML, then the feed media, when the page offers nothing', () => {
    const itemHtml = '<p><img src="/static/icons/play.png"></p><p>正文</p><p><img src="/upload/item-photo.jpg" width="640" height="480"></p>';
    expect(pickLeadImage({ pageUrl: PAGE_URL, itemHtml })).toEqual({ url: 'https://www.qingxi-news.cn/upload/item-photo.jpg', width: 640, height: 480, source: 'body' });
    const media: FeedMedia[] = [
      { url: 'https://www.qingxi-news.cn/video/88.mp4', type: 'video/mp4', kind: 'enclosure' },
      { url: 'https://pic.qingxi-news.cn/88-thumb.jpg', kind: 'thumbnail' },
      { url: 'https://www.qingxi-news.cn/upload/88.jpeg', type: 'image/jpeg', length: 240_000, kind: 'enclosure' },
    ];
    expect(pickLeadImage({ pageUrl: PAGE_URL, itemHtml: '<p>只有文字</p>', feedMedia: media })).toEqual({ url: 'https://www.qingxi-news.cn/upload/88.jpeg', source: 'feed' });
    expect(pickLeadImage({ pageUrl: PAGE_URL, feedMedia: media.slice(0, 2) })?.url).toBe('https://pic.qingxi-news.cn/88-thumb.jpg');
  });

  it('takes no body image when the extracted body cannot be found in the page', () => {
    expect(pickLeadImage({ pageUrl: PAGE_URL, pageHtml: PAGE, bodyParagraphs: ['这一段文字并不在页面里出现过，所以找不到正文的位置。'] })).toBeNull();
    expect(pickLeadImage({ pageUrl: PAGE_URL, pageHtml: PAGE })).toBeNull();
  });

  it('skips page furniture by how it is made: 1×1, strips, icons, QR codes, avatars, lazy placeholders', () => {
    const body = (imgs: string): string => `<p>${imgs}</p><p>老街改造工程日前全面完工，首批商户已于本周回迁营业。</p>`;
    const pick = (imgs: string) => pickLeadImage({ pageUrl: PAGE_URL, itemHtml: body(imgs) });
    expect(pick('<img src="/u/a.jpg" width="1" height="1">')).toBeNull();
    expect(pick('<img src="/u/pixel_1x1.gif">')).toBeNull();
    expect(pick('<img src="/u/divider.png" width="900" height="12">')).toBeNull();
    expect(pick('<img src="/u/2026/ewm.jpg">')).toBeNull();
    expect(pick('<img src="/u/2026/5531.jpg" alt="扫一扫关注公众号">')).toBeNull();
    expect(pick('<img src="/u/user/avatar/31.jpg">')).toBeNull();
    expect(pick('<img src="/images/loading.gif">')).toBeNull();
    expect(pick('<img src="/u/thumb_80x60.jpg">')).toBeNull();
    expect(pick('<img src="/u/photo.jpg?x-oss-process=image/resize,w_90">')).toBeNull();
    // The same shapes at a picture's size are kept; a size of 201×150 is not a 1×1.
    expect(pick('<img src="/u/photo_201x150.jpg">')).toMatchObject({ width: 201, height: 150 });
    expect(pick('<img srcset="/u/p-480.jpg 480w, /u/p-1080.jpg 1080w">')).toMatchObject({ url: 'https://www.qingxi-news.cn/u/p-1080.jpg', width: 1080 });
  });
});

describe('pickLeadImage: bad input gets no image', () => {
  const meta = (url: string) => pickLeadImage({ pageUrl: PAGE_URL, pageHtml: `<html><head>${og(url)}</head><body><p>正文</p></body></html>` });
  it.each([
    ['a private address', 'http://192.168.1.20/cover.jpg'],
    ['loopback', 'http://127.0.0.1/cover.jpg'],
    ['an integer IPv4 form of loopback', 'http://2130706433/cover.jpg'],
    ['localhost', 'http://localhost/cover.jpg'],
    ['a cloud metadata address', 'http://169.254.169.254/latest/meta-data'],
    ['an IPv6 unique-local address', 'http://[fd12::1]/cover.jpg'],
    ['a private-use domain', 'https://img.corp/cover.jpg'],
    ['credentials', 'https://editor:secret@www.qingxi-news.cn/cover.jpg'],
    ['a data: URI', 'data:image/png;base64,iVBORw0KGgo='],
    ['javascript:', 'javascript:alert(1)'],
    ['ftp', 'ftp://www.qingxi-news.cn/cover.jpg'],
    ['another site', 'https://cdn.other-outlet.com/cover.jpg'],
    ['a look-alike domain', 'https://qingxi-news.cn.evil.example/cover.jpg'],
    ['a shared hosting tenant', 'https://qingxi-news.github.io/cover.jpg'],
    ['a document', 'https://www.qingxi-news.cn/files/report.pdf'],
    ['vector art', 'https://www.qingxi-news.cn/cover.svg'],
    ['a page', 'https://www.qingxi-news.cn/local/88.html'],
    ['a huge address', `https://www.qingxi-news.cn/${'a'.repeat(MAX_URL_LENGTH)}.jpg`],
    ['a huge declared size', 'https://www.qingxi-news.cn/poster_20000x15000.jpg'],
  ])('%s', (_name, url) => {
    expect(meta(url)).toBeNull();
  });

  it('refuses feed media that are not pictures, too large, or elsewhere', () => {
    const media = (m: FeedMedia) => pickLeadImage({ pageUrl: PAGE_URL, feedMedia: [m] });
    expect(media({ url: 'https://www.qingxi-news.cn/a.jpg', type: 'audio/mpeg', kind: 'enclosure' })).toBeNull();
    expect(media({ url: 'https://www.qingxi-news.cn/a', medium: 'video', kind: 'content' })).toBeNull();
    expect(media({ url: 'https://www.qingxi-news.cn/a', kind: 'enclosure' })).toBeNull(); // no type, no extension
    expect(media({ url: 'https://www.qingxi-news.cn/a.jpg', type: 'image/jpeg', length: 50 * 1024 * 1024 })).toBeNull();
    expect(media({ url: 'https://www.qingxi-news.cn/a.svg', type: 'image/svg+xml' })).toBeNull();
    expect(media({ url: 'http://10.1.2.3/a.jpg', type: 'image/jpeg' })).toBeNull();
    expect(media({ url: 'https://tracker.example.net/a.jpg', type: 'image/jpeg' })).toBeNull();
  });

  it('returns null for a missing, private or malformed page address and for garbage', () => {
    const html = withMeta(og('/upload/cover.jpg'));
    expect(pickLeadImage({ pageUrl: null, pageHtml: html })).toBeNull();
    expect(pickLeadImage({ pageUrl: 'not a url', pageHtml: html })).toBeNull();
    expect(pickLeadImage({ pageUrl: 'http://192.168.0.8/news/1.html', pageHtml: html })).toBeNull();
    expect(pickLeadImage({ pageUrl: 'file:///etc/passwd', pageHtml: html })).toBeNull();
    expect(pickLeadImage(null as never)).toBeNull();
    expect(pickLeadImage({ pageUrl: PAGE_URL, pageHtml: 42, bodyParagraphs: 'x', feedMedia: [null, 7] } as never)).toBeNull();
  });

  it('stays bounded on a huge page full of images', () => {
    const huge = `<html><body>${'<p>段落文字。<img src="/u/x.jpg" width="1" height="1"></p>'.repeat(60_000)}</body></html>`;
    expect(huge.length).toBeGreaterThan(3_000_000);
    expect(pickLeadImage({ pageUrl: PAGE_URL, pageHtml: huge, bodyParagraphs: ['段落文字。'] })).toBeNull();
    expect(scanPage(huge).images.length).toBeLessThanOrEqual(300);
  });

  it('only ever returns an http(s) address of the page’s own site, without credentials, within Discord’s limit', () => {
    const pieces = fc.constantFrom('/u/a.jpg', '//img.qingxi-news.cn/b.png', 'https://x.example/c.jpg', 'http://10.0.0.1/d.jpg', 'data:image/gif;base64,AA', 'https://u:p@www.qingxi-news.cn/e.jpg', ' ', '"', '<', '>', 'javascript:x', '../f.webp?w=800');
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 8 }), fc.string({ maxLength: 40 }), (srcs, noise) => {
        const html = `<html><head>${og(srcs[0] ?? '')}</head><body>${srcs.map((s) => `<img src="${s}">${noise}`).join('')}</body></html>`;
        const got = pickLeadImage({ pageUrl: PAGE_URL, pageHtml: html, itemHtml: html, feedMedia: srcs.map((url) => ({ url, type: 'image/jpeg' })) });
        if (!got) return;
        const u = new URL(got.url);
        expect(['http:', 'https:']).toContain(u.protocol);
        expect(u.username + u.password).toBe('');
        expect(got.url.length).toBeLessThanOrEqual(MAX_URL_LENGTH);
        expect(sameOwner(u.hostname, 'www.qingxi-news.cn')).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('sameOwner: the site and its CDN', () => {
  it.each([
    ['img.qingxi-news.cn', 'www.qingxi-news.cn', true], // same registrable domain
    ['static.county.com.cn', 'news.county.com.cn', true],
    ['qingxi-news.com', 'www.qingxi-news.cn', true], // the same name under another suffix
    ['qingxi-newsimg.cn', 'www.qingxi-news.cn', true], // the name joined to a picture-hosting word
    ['imgqingxi-news.com', 'www.qingxi-news.cn', true],
    ['static-qingxi-news.net', 'www.qingxi-news.cn', true],
    ['www.huzhou.gov.cn', 'www.jiaxing.gov.cn', false], // two governments under one suffix
    ['alice.github.io', 'bob.github.io', false], // tenants of one platform
    ['qingxi-newsfan.cn', 'www.qingxi-news.cn', false], // the name plus an arbitrary word
    ['imgab.com', 'www.ab.cn', false], // two letters say too little
    ['ab.com', 'www.ab.cn', false],
    ['203.0.114.9', '203.0.114.9', true],
    ['203.0.114.10', '203.0.114.9', false],
    ['cdn.shared-cdn.net', 'www.qingxi-news.cn', false],
  ])('%s for %s: %s', (img, page, expected) => {
    expect(sameOwner(img, page)).toBe(expected);
  });
});

describe('helpers', () => {
  it('reads sizes written into addresses', () => {
    expect(sizeHint(new URL('https://a.cn/p/1_640x480.jpg'))).toEqual({ width: 640, height: 480 });
    expect(sizeHint(new URL('https://a.cn/p/1.jpg?imageView2/1/w/300/h/200'))).toEqual({ width: 300, height: 200 });
    expect(sizeHint(new URL('https://a.cn/p/1.jpg?width=720'))).toEqual({ width: 720, height: null });
    expect(sizeHint(new URL('https://a.cn/2026/11/30/123456.jpg'))).toEqual({ width: null, height: null });
  });

  it('judges declared sizes', () => {
    expect(sizeVerdict(null, null)).toBe('ok');
    expect(sizeVerdict(1, 1)).toBe('small');
    expect(sizeVerdict(1000, 150)).toBe('small'); // a strip
    expect(sizeVerdict(20_000, 900)).toBe('huge');
    expect(sizeVerdict(1200, 630)).toBe('ok');
  });

  it('picks the widest srcset entry', () => {
    expect(widestSrcset('a.jpg 1x, b.jpg 2x')).toEqual({ url: 'b.jpg', width: null });
    expect(widestSrcset('a.jpg 300w, b.jpg 900w, c.jpg 600w')).toEqual({ url: 'b.jpg', width: 900 });
    expect(widestSrcset('')).toBeNull();
  });

  it('places the article between its headline and its last paragraph', () => {
    const scan = scanPage(PAGE);
    const span = articleSpan(scan.text, article.paragraphs, article.title)!;
    const at = (name: string) => scan.images.find((i) => i.sources.some((s) => s.includes(name)))!.at;
    expect(at('old-street-01') >= span[0] && at('old-street-02') <= span[1]).toBe(true);
    for (const outside of ['site-logo', 'banner_spring', 'qrcode_app', 'bridge.jpg']) expect(at(outside) < span[0] || at(outside) > span[1]).toBe(true);
  });

  it('keeps an address as the URL parser writes it', () => {
    expect(safeImageUrl(' /u/图片 1.jpg ', new URL(PAGE_URL))?.href).toBe('https://www.qingxi-news.cn/u/%E5%9B%BE%E7%89%87%201.jpg');
  });
});
