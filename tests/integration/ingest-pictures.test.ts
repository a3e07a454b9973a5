// Pictures at ingest (issue #15): the lead image of a new story is chosen from its fetched
// page (og:image, a content image) or the feed item's media, stored with the article, and
// shown as the post's embed image. Unsafe or foreign pictures are dropped; the post still
// goes out. Article pages live on invented public names that the fetcher's injected lookup
// sends to the local feed server, so nothing leaves 127.0.0.1 while the picker sees the
// public addresses it is built for (it never takes a private host, whatever the config says).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type SqliteServices } from '../../src/app/services.js';
import { loadConfig } from '../../src/config/config.js';
import { createUrlGuard, type UrlGuard } from '../../src/feeds/network-guard.js';
import { pollMany } from '../../src/ingest/poll-many.js';
import { validateMessage } from '../../src/presentation/message.js';
import { createRenderer } from '../../src/presentation/renderer.js';
import { createLongSummaries } from '../../src/presentation/summaries.js';
import { silentLogger } from '../../src/shared/logger.js';
import type { GuildSettings } from '../../src/store/subscriptions-repo.js';
import { escapeXml, startFeedServer, type FeedServer } from '../fakes/feed-server.js';

const SITE = 'www.lakeside-daily.cn';
const settings: GuildSettings = { guildId: 'g1', locale: 'zh-CN', script: null, timeZone: null, summaryLength: null, digestTime: null, lastDigestAt: null };

let server: FeedServer;
let services: SqliteServices | null = null;
let guard: UrlGuard | null = null;
beforeAll(async () => {
  server = await startFeedServer();
});
afterAll(() => server.close());
afterEach(async () => {
  services?.close();
  await guard?.close();
  services = guard = null;
});

const site = (path: string) => `http://${SITE}:${server.port}${path}`;

/** A synthetic article page: a headline, a few paragraphs, whatever head and body extras a case needs. */
function page(n: number, opts: { head?: string; bodyImage?: string } = {}): string {
  const paras = [
    `湖畔镇第${n}号社区图书馆今天上午正式开馆，馆内藏书两万余册，设有少儿阅读区、自习区和老年人阅读角，周边三个村的居民步行十分钟即可到达。`,
    '镇文化站负责人介绍，图书馆由闲置的老粮站改建而成，改建工程历时八个月，保留了粮站原有的木结构屋顶，并加装了无障碍通道和电梯。',
    '开馆当天，不少家长带着孩子前来办理借书证。一位居民说，以前借书要坐半小时公交车到县城，现在家门口就有了图书馆，周末可以带孩子来看书。',
    '据悉，图书馆每周二至周日开放，开放时间为上午九点至晚上八点，节假日照常开放，并将定期举办读书分享会和非遗手工课堂。',
  ];
  return (
    `<!DOCTYPE html><html><head><meta charset="utf-8"><title>湖畔镇第${n}号社区图书馆开馆_湖畔日报</title>${opts.head ?? ''}</head>` +
    `<body><div class="nav"><a href="/">首页</a> <a href="/news/">本地新闻</a></div>` +
    `<div class="article"><h1>湖畔镇第${n}号社区图书馆开馆</h1><div class="info">2026-01-09 10:00 来源：湖畔日报</div>` +
    `${opts.bodyImage ?? ''}${paras.map((p) => `<p>${p}</p>`).join('')}</div>` +
    `<div class="footer">湖畔日报社 版权所有</div></body></html>`
  );
}

interface Item {
  n: number;
  enclosure?: string;
}

function feed(items: readonly Item[]): string {
  const body = items
    .map(
      (it) =>
        `<item><title>湖畔镇第${it.n}号社区图书馆开馆</title><link>${escapeXml(site(`/n/${it.n}.html`))}</link><guid>lib-${it.n}</guid>` +
        `<pubDate>${new Date(Date.now() - it.n * 60_000).toUTCString()}</pubDate><description>嘉兴市湖畔镇图书馆开馆。</description>${it.enclosure ?? ''}</item>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>湖畔日报</title><link>${escapeXml(site('/'))}</link>${body}</channel></rss>`;
}

/** An ingest stack whose fetcher resolves every name to the local server. */
function open(fullText: 'always' | 'never'): SqliteServices {
  const dir = mkdtempSync(join(tmpdir(), 'xiangxun-pictures-'));
  const feedsFile = join(dir, 'feeds.json');
  writeFileSync(feedsFile, JSON.stringify({ feeds: [{ id: 'lake', name: '湖畔日报', url: server.url('/feed.xml'), region: '330400', fullText }] }));
  const config = loadConfig({ DATABASE_PATH: join(dir, 'bot.db'), FEEDS_FILE: feedsFile, FETCH_TIMEOUT_MS: '3000', ALLOW_PRIVATE_NETWORK: 'true', FIRST_POLL_BACKLOG: '1000', MAX_ITEM_AGE_HOURS: '0' });
  guard = createUrlGuard({ allowPrivateNetwork: true, lookup: async () => ['127.0.0.1'] });
  services = createServices(config, silentLogger, { fetcher: { minHostGapMs: 0, perHostConcurrency: 8, guard } });
  services.syncCatalog();
  return services;
}

async function ingest(s: SqliteServices): Promise<Map<number, { storyId: number; image: string | null }>> {
  const [report] = await pollMany(s.ingestDeps(), s.feeds.list(), { concurrency: 1 });
  expect(report?.status).toBe('fetched');
  const rows = s.db.prepare('SELECT guid, story_id AS storyId, image_url AS image FROM articles').all() as Array<{ guid: string; storyId: number; image: string | null }>;
  return new Map(rows.map((r) => [Number(r.guid.slice(4)), { storyId: r.storyId, image: r.image }]));
}

function renderer(s: SqliteServices) {
  const summaries = createLongSummaries({ summarizer: s.summarizer, gazetteer: s.gazetteer });
  return createRenderer({ articles: s.store.articles, gazetteer: s.gazetteer, summaries, defaultTimeZone: 'Asia/Shanghai', posts: s.store.posting });
}

const og = (url: string, extra = '') => `<meta property="og:image" content="${escapeXml(url)}">${extra}`;

describe('lead pictures at ingest', () => {
  it("stores the page's og:image on its own site and shows it as the post's embed image", async () => {
    const lead = `https://img.lakeside-daily.cn/2026/01/lib-1.jpg`;
    server.setRoute('/n/1.html', { body: page(1, { head: og(lead) }), contentType: 'text/html; charset=utf-8' });
    // Relative content image, no share image: the body's first picture of sufficient size.
    server.setRoute('/n/2.html', { body: page(2, { bodyImage: '<p><img src="/upload/2026/lib-2.jpg" width="640" height="427" alt="图书馆外景"></p>' }), contentType: 'text/html; charset=utf-8' });
    server.setRoute('/feed.xml', { body: feed([{ n: 1 }, { n: 2 }]), contentType: 'application/rss+xml' });
    const s = open('always');
    const stored = await ingest(s);
    expect(stored.get(1)?.image).toBe(lead);
    expect(stored.get(2)?.image).toBe(site('/upload/2026/lib-2.jpg'));
    expect(server.requests.filter((r) => r.path === '/n/1.html').length).toBe(1);

    const post = await renderer(s).story(stored.get(1)!.storyId, settings, false);
    expect(post?.message.embeds[0]?.image?.url).toBe(lead);
    expect(validateMessage(post!.message)).toEqual([]);
  });

  it("takes the feed item's image enclosure when no page is fetched", async () => {
    server.setRoute('/feed.xml', { body: feed([{ n: 3, enclosure: `<enclosure url="/up/lib-3.jpg" type="image/jpeg" length="250000"/>` }]), contentType: 'application/rss+xml' });
    const s = open('never');
    server.resetStats();
    const stored = await ingest(s);
    expect(stored.get(3)?.image).toBe(site('/up/lib-3.jpg'));
    expect(server.requests.some((r) => r.path.startsWith('/n/'))).toBe(false);
    const post = await renderer(s).story(stored.get(3)!.storyId, settings, false);
    expect(post?.message.embeds[0]?.image?.url).toBe(site('/up/lib-3.jpg'));
  });

  it('drops a private, foreign, data: or huge picture and a non-image enclosure; every story is still posted', async () => {
    const cases: Array<[number, string]> = [
      [11, og('http://192.168.1.20/lead.jpg')],
      [12, og(`http://127.0.0.1:${server.port}/lead.jpg`)],
      [13, og('https://cdn.adnetwork-example.com/banner/lead.jpg')],
      [14, og('data:image/jpeg;base64,/9j/4AAQSkZJRgABAQ==')],
      [15, og('https://img.lakeside-daily.cn/print/original.jpg', '<meta property="og:image:width" content="24000"><meta property="og:image:height" content="16000">')],
    ];
    for (const [n, head] of cases) server.setRoute(`/n/${n}.html`, { body: page(n, { head }), contentType: 'text/html; charset=utf-8' });
    const enclosures: Item[] = [
      { n: 16, enclosure: '<enclosure url="/audio/lib-16.mp3" type="audio/mpeg" length="3000000"/>' },
      { n: 17, enclosure: '<enclosure url="/up/lib-17.jpg" type="image/jpeg" length="80000000"/>' },
    ];
    for (const { n } of enclosures) server.setRoute(`/n/${n}.html`, { body: page(n), contentType: 'text/html; charset=utf-8' });
    server.setRoute('/feed.xml', { body: feed([...cases.map(([n]) => ({ n })), ...enclosures]), contentType: 'application/rss+xml' });
    const s = open('always');
    const stored = await ingest(s);
    expect([...stored.keys()].sort((a, b) => a - b)).toEqual([11, 12, 13, 14, 15, 16, 17]);
    const r = renderer(s);
    for (const [n, { storyId, image }] of stored) {
      expect(image, `item ${n}`).toBeNull();
      const post = await r.story(storyId, settings, false);
      expect(post?.message.embeds[0]?.title, `item ${n}`).toContain(`第${n}号`);
      expect(post?.message.embeds[0]?.image, `item ${n}`).toBeUndefined();
      expect(validateMessage(post!.message)).toEqual([]);
    }
  });
});
