// The network edge end to end: real services, a feed server on 127.0.0.1, and a resolver the
// test controls, so "a name that resolves to a private address" needs no real DNS.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createServices, type SqliteServices } from '../../src/app/services.js';
import { loadConfig } from '../../src/config/config.js';
import { createUrlGuard, type UrlGuard } from '../../src/feeds/network-guard.js';
import type { PollReport } from '../../src/ingest/poll-feed.js';
import { pollMany } from '../../src/ingest/poll-many.js';
import { silentLogger } from '../../src/shared/logger.js';
import { rssFeed, startFeedServer, type FeedServer, type TestItem } from '../fakes/feed-server.js';
import type { TestFeed } from '../helpers/ingest-env.js';

let server: FeedServer;
let s: SqliteServices;
let guard: UrlGuard;

const PAGE_TEXT = '嘉兴市秀洲区昨天举行重点项目观摩活动，现场察看了一批产业项目的建设进度。';
const PAGE = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>秀洲区举行项目观摩活动</title></head><body>
<article><h1>秀洲区举行项目观摩活动</h1><p>${PAGE_TEXT.repeat(4)}</p><p>${'与会人员表示，项目建设进展顺利，将为全区高质量发展注入新动能。'.repeat(3)}</p></article></body></html>`;
const TEASER = '<p>秀洲区举行项目观摩活动。</p>';

/** Names the injected resolver knows; anything else does not resolve. */
const NAMES: Record<string, string[]> = { 'intranet.example.test': ['127.0.0.1'], 'news.example.test': ['127.0.0.1'] };
const lookup = async (host: string): Promise<string[]> => {
  if (NAMES[host]) return NAMES[host];
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
};

function open(allowPrivateNetwork: boolean, env: Record<string, string> = {}): void {
  const dir = mkdtempSync(join(tmpdir(), 'xiangxun-edge-'));
  const config = loadConfig({
    DATABASE_PATH: join(dir, 'test.db'),
    FEEDS_FILE: join(dir, 'feeds.json'),
    FETCH_TIMEOUT_MS: '1500',
    ALLOW_PRIVATE_NETWORK: String(allowPrivateNetwork),
    FIRST_POLL_BACKLOG: '1000',
    MAX_ITEM_AGE_HOURS: '0',
    ...env,
  });
  guard = createUrlGuard({ allowPrivateNetwork, lookup });
  s = createServices(config, silentLogger, { fetcher: { minHostGapMs: 0, perHostConcurrency: 8, guard } });
}

async function poll(feeds: TestFeed[]): Promise<Map<string, PollReport>> {
  writeFileSync(s.config.feedsFile, JSON.stringify({ feeds: feeds.map((f) => ({ name: f.id, region: '330400', ...f })) }));
  s.syncCatalog();
  const reports = await pollMany(s.ingestDeps(), s.feeds.list());
  return new Map(reports.map((r) => [r.feedId, r]));
}

const item = (n: number, link: string, extra: Partial<TestItem> = {}): TestItem => ({
  title: `秀洲区新闻第${n}条`,
  link,
  guid: `edge-${n}`,
  date: new Date(Date.now() - n * 60_000).toUTCString(),
  description: TEASER,
  ...extra,
});

const stored = () => s.db.prepare('SELECT guid, url, body, text FROM articles ORDER BY guid').all() as Array<{ guid: string; url: string | null; body: string | null; text: string }>;
const requested = (path: string) => server.requests.filter((r) => r.path === path).length;

beforeAll(async () => {
  server = await startFeedServer();
  server.setRoute('/page.html', { body: PAGE, contentType: 'text/html; charset=utf-8' });
});
afterAll(() => server.close());
beforeEach(() => server.resetStats());
afterEach(async () => {
  s.close();
  await guard.close();
});

describe('network edge with ALLOW_PRIVATE_NETWORK=false', () => {
  beforeEach(() => open(false));

  it('fetches a configured feed on 127.0.0.1, but not where it redirects on 127.0.0.1', async () => {
    server.setRoute('/feed.xml', { body: rssFeed([item(1, 'https://news.example.cn/a/1.html')], { title: 'ok' }) });
    server.setRoute('/moved.xml', { status: 302, headers: { Location: server.url('/feed.xml?moved=1') } });
    const r = await poll([
      { id: 'direct', url: server.url('/feed.xml'), fullText: 'never' },
      { id: 'moved', url: server.url('/moved.xml'), fullText: 'never' },
    ]);
    expect(r.get('direct')).toMatchObject({ status: 'fetched', itemsInFeed: 1 });
    expect(r.get('moved')).toMatchObject({ status: 'error', errorKind: 'blocked', error: '127.0.0.1 is a loopback address' });
    expect(server.requests.map((q) => q.path).sort()).toEqual(['/feed.xml', '/moved.xml']);
  });

  it('does not fetch article pages on loopback or private addresses, in any spelling, and still stores the items', async () => {
    const links = [server.url('/page.html'), 'http://10.0.0.1/page.html', `http://[::1]:${server.port}/page.html`, `http://2130706433:${server.port}/page.html`];
    server.setRoute('/teasers.xml', { body: rssFeed(links.map((l, i) => item(i + 1, l)), { title: 'teasers' }) });
    const r = (await poll([{ id: 'teasers', url: server.url('/teasers.xml') }])).get('teasers')!;
    expect(r.status).toBe('fetched');
    expect(r.items).toHaveLength(4);
    expect(requested('/page.html')).toBe(0);
    const pageWarnings = r.warnings.filter((w) => w.startsWith('article page '));
    expect(pageWarnings).toEqual(
      expect.arrayContaining([
        `article page ${server.url('/page.html')}: 127.0.0.1 is a loopback address`,
        'article page http://10.0.0.1/page.html: 10.0.0.1 is a private address',
        `article page http://[::1]:${server.port}/page.html: ::1 is a loopback address`,
        `article page ${server.url('/page.html')}: 127.0.0.1 is a loopback address`, // 2130706433, as the URL parser spells it
      ]),
    );
    expect(pageWarnings).toHaveLength(4);
    for (const a of stored()) {
      expect(a.body).toBeNull();
      expect(a.text).toContain('秀洲区举行项目观摩活动');
    }
  });

  it('does not fetch an article page whose name resolves to a loopback address', async () => {
    const link = `http://intranet.example.test:${server.port}/page.html`;
    server.setRoute('/named.xml', { body: rssFeed([item(1, link)], { title: 'named' }) });
    const r = (await poll([{ id: 'named', url: server.url('/named.xml') }])).get('named')!;
    expect(r.status).toBe('fetched');
    expect(r.warnings).toContain(`article page ${link}: intranet.example.test resolves to a loopback address`);
    expect(requested('/page.html')).toBe(0);
    expect(stored()).toHaveLength(1);
  });
});

describe('network edge with ALLOW_PRIVATE_NETWORK=true', () => {
  it('fetches the same pages, by address and by name', async () => {
    open(true);
    const links = [server.url('/page.html'), `http://news.example.test:${server.port}/page.html?via=name`];
    server.setRoute('/teasers.xml', { body: rssFeed(links.map((l, i) => item(i + 1, l)), { title: 'teasers' }) });
    const r = (await poll([{ id: 'teasers', url: server.url('/teasers.xml') }])).get('teasers')!;
    expect(r.warnings.filter((w) => w.startsWith('article page'))).toEqual([]);
    expect(server.requests.filter((q) => q.path.startsWith('/page.html'))).toHaveLength(2);
    expect(server.requests.find((q) => q.path === '/page.html?via=name')?.headers.host).toBe(`news.example.test:${server.port}`);
    for (const a of stored()) expect(a.body).toContain(PAGE_TEXT);
  });

  it('never follows a feed or a page to a non-http scheme, and never fetches such links', async () => {
    open(true);
    const targets = ['file:///etc/passwd', 'ftp://127.0.0.1/pub/a.html', 'gopher://127.0.0.1:6379/_INFO', 'data:text/html,<p>hi</p>'];
    targets.forEach((t, i) => server.setRoute(`/to-${i}`, { status: 302, headers: { Location: t } }));
    server.setRoute('/odd.xml', {
      body: rssFeed([...targets.map((_t, i) => item(i + 1, server.url(`/to-${i}`))), ...targets.map((t, i) => item(i + 11, t, { guid: undefined }))], { title: 'odd' }),
    });
    const r = await poll([{ id: 'odd', url: server.url('/odd.xml') }, { id: 'feed-to-file', url: server.url('/to-0') }]);
    expect(r.get('feed-to-file')).toMatchObject({ status: 'error', errorKind: 'blocked', error: 'only http and https URLs can be fetched, not file:' });
    const odd = r.get('odd')!;
    expect(odd.items).toHaveLength(8);
    for (const [i, t] of targets.entries()) {
      expect(odd.warnings).toContain(`article page ${server.url(`/to-${i}`)}: only http and https URLs can be fetched, not ${new URL(t).protocol}`);
    }
    // The parser keeps no link it could not fetch (and, without a guid, none to fall back on),
    // so those items are stored from their text alone and no page is asked for.
    expect(stored().filter((a) => a.url === null)).toHaveLength(4);
    expect(odd.warnings.filter((w) => w.startsWith('article page '))).toHaveLength(4);
  });

  it('applies the size limit to pages', async () => {
    open(true, { FETCH_MAX_BYTES: String(256 * 1024) });
    server.setRoute('/huge-page', { fault: 'huge' });
    server.setRoute('/size.xml', { body: rssFeed([item(1, server.url('/huge-page'))], { title: 'size' }) });
    const r = (await poll([{ id: 'size', url: server.url('/size.xml') }])).get('size')!;
    expect(r.status).toBe('fetched');
    expect(r.warnings).toContain(`article page ${server.url('/huge-page')}: the response is larger than 256 KB`);
    expect(stored()).toHaveLength(1);
  });

  it('applies the deadline to pages', async () => {
    open(true, { FETCH_TIMEOUT_MS: '400' });
    server.setRoute('/hang-page', { fault: 'timeout' });
    server.setRoute('/time.xml', { body: rssFeed([item(1, server.url('/hang-page'))], { title: 'time' }) });
    const r = (await poll([{ id: 'time', url: server.url('/time.xml') }])).get('time')!;
    expect(r.status).toBe('fetched');
    // The warning itself says the page's deadline fired (the server never answers).
    expect(r.warnings).toContain(`article page ${server.url('/hang-page')}: 127.0.0.1 did not answer within 400 ms`);
  });

  it('applies the redirect limit to pages', async () => {
    open(true);
    server.setRoute('/hops', { fault: 'redirects', count: 6 });
    server.setRoute('/hops.xml', { body: rssFeed([item(1, server.url('/hops'))], { title: 'hops' }) });
    const r = (await poll([{ id: 'hops', url: server.url('/hops.xml') }])).get('hops')!;
    expect(r.warnings).toContain(`article page ${server.url('/hops')}: more than 5 redirects`);
    expect(server.requests.filter((q) => /^\/hops(\?|$)/.test(q.path))).toHaveLength(6); // the page and its 5 allowed redirects
  });
});
