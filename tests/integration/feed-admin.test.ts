// Adding a server's feeds with the real fetcher, parser and SQLite against the local feed
// server: discovery (the URL, an announced feed, a common path, a list page), every kind of
// bad input answered with nothing stored, and OPML export → import round trips.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFeedAdmin } from '../../src/app/feed-admin.js';
import { alternateFeeds, discover } from '../../src/feeds/discover.js';
import { createFetcher } from '../../src/feeds/fetch.js';
import { createUrlGuard } from '../../src/feeds/network-guard.js';
import { readOpml, writeOpml } from '../../src/feeds/opml.js';
import { rssFeed, startFeedServer, type FeedServer } from '../fakes/feed-server.js';
import { LIST_PAGES, NEGATIVES } from '../fixtures/list-pages/pages.js';
import { createIngestEnv, type IngestEnv } from '../helpers/ingest-env.js';

let server: FeedServer;
let env: IngestEnv;
const GUILD = '100000000000000001';
const OTHER = '100000000000000002';
const HTML = 'text/html; charset=utf-8';
const item = (i: number) => ({ title: `嘉兴市第${i}条新闻`, link: `https://news.example.cn/a/${i}.html`, guid: `g${i}`, date: new Date(Date.UTC(2026, 11, 1, i)).toUTCString(), description: `<p>嘉兴讯 第${i}条新闻的内容。</p>` });
const page = (head: string, body = '<p>欢迎访问</p>') => `<!DOCTYPE html><html><head><title>站点</title>${head}</head><body>${body}</body></html>`;
const guildLinks = () => env.services.db.prepare('SELECT count(*) AS n FROM guild_feeds').get() as { n: number };
const opts = () => ({ timeZone: 'Asia/Shanghai', now: Date.UTC(2026, 11, 5, 4) });

beforeAll(async () => {
  server = await startFeedServer();
  env = createIngestEnv({ MAX_FEEDS_PER_GUILD: '4', FETCH_MAX_BYTES: String(256 * 1024) });
  env.writeFeeds([{ id: 'cat', url: server.url('/catalog.xml') }]);
  server.setRoute('/catalog.xml', { body: rssFeed([item(0)], { title: '目录' }) });
  server.setRoute('/direct.xml', { body: rssFeed([item(1), item(2), item(3), item(4)], { title: '直接的源' }) });
  server.setRoute('/announces/', { body: page('<link rel="alternate" type="application/rss+xml" title="RSS" href="../announced.xml">'), contentType: HTML });
  server.setRoute('/announced.xml', { body: rssFeed([item(5)], { title: '页面声明的源' }) });
  server.setRoute('/site/', { body: page(''), contentType: HTML });
  server.setRoute('/rss.xml', { body: rssFeed([item(6)], { title: '常见路径的源' }) });
  server.setRoute('/empty.xml', { body: rssFeed([], { title: '空的源' }) });
  server.setRoute('/huge.xml', { fault: 'huge' });
  const list = LIST_PAGES[0]!;
  server.setRoute('/column/', { body: list.html, contentType: HTML });
  server.setRoute('/article.html', { body: NEGATIVES.find((n) => n.reason === 'article')!.html, contentType: HTML });
  server.setRoute('/home.html', { body: NEGATIVES.find((n) => n.reason === 'home')!.html, contentType: HTML });
  server.setRoute('/contact.html', { body: NEGATIVES.find((n) => n.reason === 'no-list')!.html, contentType: HTML });
});
afterAll(async () => {
  env?.close();
  await server?.close();
});

describe('discovery', () => {
  it('reads announced feeds from a page head, in order, resolved', () => {
    const html = page('<link type="application/atom+xml" rel="alternate" href="/atom"><link rel="stylesheet" href="/a.css"><LINK REL="alternate" TYPE="application/rss+xml" HREF=\'feed.xml\'><link rel="alternate" type="text/html" href="/m">');
    expect(alternateFeeds(html, 'https://x.example/news/')).toEqual(['https://x.example/atom', 'https://x.example/news/feed.xml']);
  });

  it('finds the URL itself, a feed the page announces, a feed at a common path, or the list page', async () => {
    const f = env.services.fetcher;
    expect(await discover(f, server.url('/direct.xml'), opts())).toMatchObject({ kind: 'feed', title: '直接的源' });
    expect(await discover(f, server.url('/announces/'), opts())).toMatchObject({ kind: 'feed', title: '页面声明的源', url: server.url('/announced.xml') });
    expect(await discover(f, server.url('/site/'), opts())).toMatchObject({ kind: 'feed', title: '常见路径的源', url: server.url('/rss.xml') });
    server.setRoute('/rss.xml', { status: 404, body: 'gone' });
    const list = await discover(f, server.url('/column/'), opts());
    expect(list.kind).toBe('list-page');
    if (list.kind === 'list-page') {
      expect(list.items).toHaveLength(15);
      expect(list.confidence).toBeGreaterThan(0.5);
    }
  });
});

describe('adding with the same checks as polling', () => {
  const admin = () => env.services.feedAdmin;
  const add = (url: string, region = '330400', guildId = GUILD) => admin().add({ guildId, url, region, name: null, addedBy: 'u1' });

  it('refuses bad input with a reason and stores nothing', async () => {
    const cases: Array<[string, string, string]> = [
      ['ftp://example.com/feed.xml', '330400', 'not-http'],
      ['javascript:alert(1)', '330400', 'not-http'],
      [server.url('/direct.xml'), '999999', 'bad-region'],
      [server.url('/empty.xml'), '330400', 'empty-feed'],
      [server.url('/huge.xml'), '330400', 'too-large'],
      [server.url('/article.html'), '330400', 'article-page'],
      [server.url('/home.html'), '330400', 'home-page'],
      [server.url('/contact.html'), '330400', 'no-feed'],
      [server.url('/nothing-here.xml'), '330400', 'unreachable'],
    ];
    for (const [url, region, problem] of cases) {
      expect(await add(url, region), url).toMatchObject({ status: 'invalid', problem });
    }
    expect(guildLinks()).toEqual({ n: 0 });
    expect(env.services.db.prepare("SELECT count(*) AS n FROM feeds WHERE origin = 'guild'").get()).toEqual({ n: 0 });
  });

  it('refuses a private address unless ALLOW_PRIVATE_NETWORK', async () => {
    const guarded = createFetcher({ userAgent: 't', timeoutMs: 1500, maxBytes: 1024 * 1024, guard: createUrlGuard({ allowPrivateNetwork: false }), minHostGapMs: 0 });
    const strict = createFeedAdmin({ guildFeeds: env.services.store.guildFeeds, fetcher: guarded, gazetteer: env.services.gazetteer, timeZone: 'Asia/Shanghai', maxPerGuild: 50, now: () => Date.now() });
    for (const url of [server.url('/direct.xml'), 'http://169.254.169.254/latest/meta-data/', 'http://[::1]:1/feed', 'http://10.0.0.1/rss']) {
      expect(await strict.add({ guildId: GUILD, url, region: '330400', name: null, addedBy: 'u1' }), url).toMatchObject({ status: 'invalid', problem: 'blocked' });
    }
    expect(guildLinks()).toEqual({ n: 0 });
  });

  it('adds, says exists, points to the catalog, and stops at the limit', async () => {
    expect(await add(server.url('/direct.xml'))).toMatchObject({ status: 'added', feed: { guildName: '直接的源', kind: 'feed', region: '330400' }, preview: { itemCount: 4 } });
    const added = await add(server.url('/direct.xml'));
    expect(added.status).toBe('exists');
    expect(await add(server.url('/catalog.xml'))).toEqual({ status: 'in-catalog', name: 'cat' });
    expect(await add(server.url('/announces/'), '330481')).toMatchObject({ status: 'added', feed: { url: server.url('/announced.xml') } });
    expect(await add(server.url('/column/'), '330000')).toMatchObject({ status: 'added', feed: { kind: 'list-page', fullText: 'always' }, preview: { kind: 'list-page', itemCount: 15 } });
    // With a feed at a common path, the page's site feed wins over reading the page.
    server.setRoute('/rss.xml', { body: rssFeed([item(6)], { title: '常见路径的源' }) });
    expect(await add(server.url('/site/'))).toMatchObject({ status: 'added', feed: { url: server.url('/rss.xml') } });
    expect(await add(server.url('/huge.xml'))).toEqual({ status: 'limit', limit: 4 });
    expect(await admin().list(GUILD)).toHaveLength(4);
    // The preview shows the three newest items, newest first.
    const preview = (await admin().add({ guildId: OTHER, url: server.url('/direct.xml'), region: '330400', name: '别名', addedBy: 'u2' }));
    expect(preview.status === 'added' && preview.preview!.newest.map((i) => i.title)).toEqual(['嘉兴市第4条新闻', '嘉兴市第3条新闻', '嘉兴市第2条新闻']);
    expect(env.services.db.prepare("SELECT count(*) AS n FROM feeds WHERE origin = 'guild'").get()).toEqual({ n: 4 });
  });

  it('polls a server’s feed untrusted and a list page as items', async () => {
    const facts = env.services.guildFeeds.urlFacts(server.url('/column/'));
    expect(facts).toEqual({ trusted: false, listPage: true });
    expect(env.services.guildFeeds.urlFacts(server.url('/catalog.xml'))).toEqual({ trusted: true, listPage: false });
    const column = env.services.feeds.list().find((f) => f.url === server.url('/column/'))!;
    const res = await env.services.ingestDeps().fetcher.fetch({ url: column.url, trusted: true });
    expect(res.kind === 'fetched' && res.text).toMatch(/^<\?xml[\s\S]*<item><title>青溪县召开冬季安全生产工作部署会<\/title>/);
  });
});

describe('OPML', () => {
  it('round-trips every feed of a server with its region and name', async () => {
    const exported = await env.services.feedAdmin.exportOpml(GUILD);
    expect(exported).toMatch(/<opml version="2\.0">/);
    const r = await env.services.feedAdmin.importOpml(exported, { guildId: '100000000000000003', region: null, addedBy: 'u3' });
    expect(r.status === 'ok' && r.rows.map((row) => row.outcome)).toEqual(['added', 'added', 'added', 'added']);
    const strip = (f: { url: string; guildRegion: string; guildName: string; kind: string }) => ({ url: f.url, region: f.guildRegion, name: f.guildName, kind: f.kind });
    expect((await env.services.feedAdmin.list('100000000000000003')).map(strip).sort((a, b) => a.url.localeCompare(b.url))).toEqual((await env.services.feedAdmin.list(GUILD)).map(strip).sort((a, b) => a.url.localeCompare(b.url)));
    const again = await env.services.feedAdmin.importOpml(exported, { guildId: '100000000000000003', region: null, addedBy: 'u3' });
    expect(again.status === 'ok' && again.rows.every((row) => row.outcome === 'exists')).toBe(true);
  });

  it('reports each entry: no region, a bad URL, the catalog', async () => {
    const opml = writeOpml('t', [{ url: server.url('/direct.xml'), name: '无地区', region: null }, { url: 'ftp://x.example/f', name: '坏链接', region: '330400' }, { url: server.url('/catalog.xml'), name: '目录', region: '330400' }], new Date());
    const r = await env.services.feedAdmin.importOpml(opml, { guildId: '100000000000000004', region: null, addedBy: 'u4' });
    expect(r.status === 'ok' && r.rows.map((row) => [row.outcome, row.reason])).toEqual([['invalid', 'no-region'], ['invalid', 'not-http'], ['exists', 'in-catalog']]);
    const withRegion = await env.services.feedAdmin.importOpml(opml, { guildId: '100000000000000004', region: '330400', addedBy: 'u4' });
    expect(withRegion.status === 'ok' && withRegion.rows[0]!.outcome).toBe('added');
  });

  it('refuses 10,000 outlines, malformed XML and a file without feeds, storing nothing', async () => {
    const before = guildLinks();
    const many = `<?xml version="1.0"?><opml version="2.0"><head/><body>${'<outline text="x" xmlUrl="http://x.example/f"/>'.repeat(10_000)}</body></opml>`;
    const guild = { guildId: '100000000000000005', region: '330400', addedBy: 'u5' };
    expect(await env.services.feedAdmin.importOpml(many, guild)).toMatchObject({ status: 'invalid', problem: 'too-many' });
    expect(await env.services.feedAdmin.importOpml('<opml><body><outline text="a"', guild)).toMatchObject({ status: 'invalid', problem: 'malformed' });
    expect(await env.services.feedAdmin.importOpml('not xml', guild)).toMatchObject({ status: 'invalid', problem: 'malformed' });
    expect(await env.services.feedAdmin.importOpml('<?xml version="1.0"?><opml version="2.0"><head/><body><outline text="folder"/></body></opml>', guild)).toMatchObject({ status: 'invalid', problem: 'empty' });
    expect(guildLinks()).toEqual(before);
  });

  it('exports a server without feeds as a valid, empty OPML file', async () => {
    const empty = await env.services.feedAdmin.exportOpml('100000000000000009');
    expect(empty).toMatch(/^<\?xml version="1\.0" encoding="utf-8"\?>\n<opml version="2\.0">[\s\S]*<body\/>/);
    expect(readOpml(empty)).toEqual([]);
  });

  it('flattens folders and keeps names with markup characters', () => {
    const text = writeOpml('t', [{ url: 'https://a.example/rss?a=1&b=2', name: '嘉兴 & <新闻>', region: '330400' }], new Date());
    expect(readOpml(text)).toEqual([{ url: 'https://a.example/rss?a=1&b=2', name: '嘉兴 & <新闻>', region: '330400' }]);
    const nested = '<opml version="2.0"><body><outline text="浙江"><outline text="嘉兴" xmlUrl="https://b.example/f" region="330400"/><outline text="杭州"><outline text="杭州日报" type="rss" xmlUrl="https://c.example/f"/></outline></outline></body></opml>';
    expect(readOpml(nested)).toEqual([{ url: 'https://b.example/f', name: '嘉兴', region: '330400' }, { url: 'https://c.example/f', name: '杭州日报', region: null }]);
  });
});

describe('a feed added again after every server removed it', () => {
  it('is no longer paused or failing and is polled at the next tick', async () => {
    const guild = '100000000000000021';
    server.setRoute('/revived.xml', { body: rssFeed([item(7)], { title: '重新添加的源' }) });
    const first = await env.services.feedAdmin.add({ guildId: guild, url: server.url('/revived.xml'), region: '330400', name: null, addedBy: 'u1' });
    expect(first.status).toBe('added');
    const id = first.status === 'added' ? first.feed.id : '';
    expect(await env.services.feedAdmin.remove(guild, id)).not.toBeNull();
    env.services.db.prepare("UPDATE feeds SET paused_at = 1, pause_reason = 'gone', failure_count = 9, failing_since = 1, next_poll_at = 4102444800000 WHERE id = ?").run(id);
    const again = await env.services.feedAdmin.add({ guildId: guild, url: server.url('/revived.xml'), region: '330400', name: null, addedBy: 'u1' });
    expect(again).toMatchObject({ status: 'added', feed: { id, pausedAt: null, pauseReason: null, failureCount: 0, failingSince: null, nextPollAt: null } });
  });
});

describe('discovery past a blocked candidate', () => {
  it('skips an announced feed on a refused address and finds the one at a common path', async () => {
    server.setRoute('/blocked-announce/', { body: page('<link rel="alternate" type="application/rss+xml" href="http://169.254.169.254/latest/rss">'), contentType: HTML });
    server.setRoute('/rss.xml', { body: rssFeed([item(6)], { title: '常见路径的源' }) });
    expect(await discover(env.services.fetcher, server.url('/blocked-announce/'), opts())).toMatchObject({ kind: 'feed', url: server.url('/rss.xml') });
    server.setRoute('/rss.xml', { status: 404, body: 'gone' });
    await expect(discover(env.services.fetcher, server.url('/blocked-announce/'), opts())).rejects.toMatchObject({ kind: 'blocked', message: expect.stringMatching(/the page's feed is on an address the bot may not connect to/) });
    server.setRoute('/rss.xml', { body: rssFeed([item(6)], { title: '常见路径的源' }) });
  });
});

describe('importing a large file does bounded work', () => {
  const feed = (n: number) => ({ url: server.url(`/imp-${n}.xml`), name: `导入${n}`, region: '330400' });
  const fresh = (extra: Partial<Parameters<typeof createFeedAdmin>[0]> = {}) =>
    createFeedAdmin({ guildFeeds: env.services.store.guildFeeds, fetcher: env.services.fetcher, gazetteer: env.services.gazetteer, timeZone: 'Asia/Shanghai', maxPerGuild: 4, now: () => Date.now(), ...extra });
  beforeAll(() => {
    for (let n = 0; n < 8; n++) server.setRoute(`/imp-${n}.xml`, { body: rssFeed([item(n)], { title: `导入源${n}` }) });
  });

  it('stops at the room the server has and reports the rest as skipped (limit)', async () => {
    const r = await fresh().importOpml(writeOpml('t', [0, 1, 2, 3, 4, 5].map(feed), new Date()), { guildId: '100000000000000031', region: null, addedBy: 'u' });
    expect(r.status === 'ok' && r.rows.map((row) => [row.outcome, row.reason])).toEqual([['added', null], ['added', null], ['added', null], ['added', null], ['skipped', 'limit'], ['skipped', 'limit']]);
  });

  it('stops after 20 failed fetches, counting no-fetch refusals as free', async () => {
    const dead = Array.from({ length: 25 }, (_, n) => ({ url: server.url(`/dead-${n}.xml`), name: `死链${n}`, region: '330400' }));
    const entries = [{ url: 'ftp://x.example/f', name: '坏', region: '330400' }, ...dead, feed(6)];
    const r = await fresh({ maxPerGuild: 50 }).importOpml(writeOpml('t', entries, new Date()), { guildId: '100000000000000032', region: null, addedBy: 'u' });
    if (r.status !== 'ok') throw new Error(r.status);
    expect(r.rows.filter((row) => row.outcome === 'invalid').length).toBe(21);
    expect(r.rows.slice(21).map((row) => [row.outcome, row.reason])).toEqual(Array.from({ length: 6 }, () => ['skipped', 'failures']));
  });

  it('fetches only the xmlUrl of an entry (no probing of common paths)', async () => {
    server.setRoute('/imp-page/', { body: page(''), contentType: HTML });
    const r = await fresh().importOpml(writeOpml('t', [{ url: server.url('/imp-page/'), name: '页面', region: '330400' }], new Date()), { guildId: '100000000000000033', region: null, addedBy: 'u' });
    // /rss.xml serves a feed: plain /feeds add would find it; an OPML entry names its feed.
    expect(r.status === 'ok' && r.rows.map((row) => [row.outcome, row.reason])).toEqual([['invalid', 'no-feed']]);
  });

  it('stops trying when its time is up, by the injected clock', async () => {
    let clock = Date.UTC(2026, 11, 5, 4);
    // Each request takes four minutes of the import's ten: the fourth entry starts too late.
    const slow = { fetch: async (req: Parameters<typeof env.services.fetcher.fetch>[0]) => ((clock += 4 * 60_000), env.services.fetcher.fetch(req)) };
    const r = await fresh({ fetcher: slow, now: () => clock, maxPerGuild: 50 }).importOpml(writeOpml('t', [0, 1, 2, 3, 4].map(feed), new Date()), { guildId: '100000000000000034', region: null, addedBy: 'u' });
    expect(r.status === 'ok' && r.rows.map((row) => [row.outcome, row.reason])).toEqual([['added', null], ['added', null], ['added', null], ['skipped', 'deadline'], ['skipped', 'deadline']]);
  });
});
