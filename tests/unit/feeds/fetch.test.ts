import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FeedError } from '../../../src/feeds/errors.js';
import { createFetcher, parseRetryAfter, type FetcherOptions } from '../../../src/feeds/fetch.js';
import { createUrlGuard } from '../../../src/feeds/network-guard.js';
import { parseFeed } from '../../../src/feeds/parse.js';
import { gzipBomb, rssFeed, startFeedServer, type FeedServer } from '../../fakes/feed-server.js';
import { encodeGb18030 } from '../../fakes/gbk.js';
import { feedError } from '../../helpers/feed-error.js';

const FEED = rssFeed([{ title: '嘉兴新闻', link: 'https://e.cn/1' }], { title: '嘉兴日报' });
let server: FeedServer;

const fetcher = (o: Partial<FetcherOptions> = {}) =>
  createFetcher({ userAgent: 'xiangxun-test/1.0', timeoutMs: 300, maxBytes: 256 * 1024, minHostGapMs: 0, ...o });


beforeAll(async () => {
  server = await startFeedServer();
});
afterAll(() => server.close());
beforeEach(() => server.resetStats());

describe('fetcher: success', () => {
  it('fetches, decodes and hashes a feed, sending the expected headers', async () => {
    server.setRoute('/ok', { body: FEED, etag: '"v1"', lastModified: 'Sat, 07 May 2022 01:00:00 GMT' });
    const out = await fetcher().fetch({ url: server.url('/ok') });
    expect(out).toMatchObject({
      kind: 'fetched',
      status: 200,
      finalUrl: server.url('/ok'),
      text: FEED,
      charset: 'utf-8',
      contentType: 'application/rss+xml; charset=utf-8',
      etag: '"v1"',
      lastModified: 'Sat, 07 May 2022 01:00:00 GMT',
      hash: createHash('sha256').update(FEED).digest('hex'),
    });
    const h = server.requests[0]!.headers;
    expect(h['user-agent']).toBe('xiangxun-test/1.0');
    expect(h.accept).toContain('application/rss+xml');
    expect(h['accept-encoding']).toMatch(/gzip.*deflate.*br/);
    expect(h['if-none-match']).toBeUndefined();
  });

  it('asks for HTML when told to', async () => {
    server.setRoute('/page', { body: '<html><body>页面</body></html>', contentType: 'text/html; charset=utf-8' });
    const out = await fetcher().fetch({ url: server.url('/page'), accept: 'html' });
    expect(out.kind).toBe('fetched');
    expect(server.requests[0]!.headers.accept).toMatch(/^text\/html/);
  });

  it('decodes GBK bytes', async () => {
    const gbk = rssFeed([{ title: '海宁新闻' }], { title: '嘉兴在线', encoding: 'gb2312' });
    server.setRoute('/gbk', { body: encodeGb18030(gbk), contentType: 'text/xml' });
    const out = await fetcher().fetch({ url: server.url('/gbk') });
    expect(out).toMatchObject({ kind: 'fetched', charset: 'gb18030', text: gbk });
  });

  it('decompresses gzip', async () => {
    server.setRoute('/gz', { body: FEED, gzip: true });
    const out = await fetcher().fetch({ url: server.url('/gz') });
    expect(out).toMatchObject({ kind: 'fetched', text: FEED });
  });

  it('sends conditional headers and reports not-modified', async () => {
    server.setRoute('/etag', { body: FEED, etag: '"abc"' });
    const out = await fetcher().fetch({ url: server.url('/etag'), etag: '"abc"', lastModified: 'Sat, 07 May 2022 01:00:00 GMT' });
    expect(out).toEqual({ kind: 'not-modified', etag: '"abc"', lastModified: 'Sat, 07 May 2022 01:00:00 GMT', maxAgeMs: null });
    expect(server.requests[0]!.headers['if-none-match']).toBe('"abc"');
    expect(server.requests[0]!.headers['if-modified-since']).toBe('Sat, 07 May 2022 01:00:00 GMT');

    server.setRoute('/lm', { body: FEED, lastModified: 'Sat, 07 May 2022 01:00:00 GMT' });
    expect((await fetcher().fetch({ url: server.url('/lm'), lastModified: 'Sat, 07 May 2022 01:00:00 GMT' })).kind).toBe('not-modified');
    expect((await fetcher().fetch({ url: server.url('/lm'), lastModified: 'Fri, 06 May 2022 01:00:00 GMT' })).kind).toBe('fetched');
  });

  it('reports unchanged when the body hashes as before', async () => {
    server.setRoute('/same', { body: FEED, etag: '"e"', headers: { 'cache-control': 'public, max-age=300' } });
    const f = fetcher();
    const first = await f.fetch({ url: server.url('/same') });
    if (first.kind !== 'fetched') throw new Error('expected fetched');
    expect(first.maxAgeMs).toBe(300_000);
    const second = await f.fetch({ url: server.url('/same'), previousHash: first.hash });
    expect(second).toEqual({ kind: 'unchanged', hash: first.hash, etag: '"e"', lastModified: null, maxAgeMs: 300_000 });
  });

  it('follows a chain of relative redirects and reports the final URL', async () => {
    server.setRoute('/chain', { fault: 'redirects', count: 3 });
    const seen: string[] = [];
    const out = await fetcher({ checkUrl: async (u) => void seen.push(u.search) }).fetch({ url: server.url('/chain') });
    expect(out).toMatchObject({ kind: 'fetched', finalUrl: server.url('/chain?n=3') });
    expect(seen).toEqual(['', '?n=1', '?n=2', '?n=3']); // checkUrl runs on every hop
  });
});

describe('fetcher: failures', () => {
  it('times out a server that never answers', async () => {
    server.setRoute('/hang', { fault: 'timeout' });
    // The server never answers: only the deadline can end the request, and the error says so.
    const e = await feedError(fetcher().fetch({ url: server.url('/hang') }));
    expect(e.kind).toBe('timeout');
  });

  it('times out a body that stops half-way (the deadline covers the body)', async () => {
    server.setRoute('/stall', { fault: 'stall-body' });
    expect((await feedError(fetcher().fetch({ url: server.url('/stall') }))).kind).toBe('timeout');
  });

  it('reports a reset connection as a network error', async () => {
    server.setRoute('/reset', { fault: 'reset' });
    const e = await feedError(fetcher().fetch({ url: server.url('/reset') }));
    expect(e.kind).toBe('network');
    expect(e.message).toBe('connection reset by 127.0.0.1');
  });

  it('reports a refused connection as a network error', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as { port: number }).port;
    await new Promise((r) => probe.close(r));
    const e = await feedError(fetcher().fetch({ url: `http://127.0.0.1:${port}/` }));
    expect(e).toMatchObject({ kind: 'network', message: 'connection refused by 127.0.0.1' });
  });

  it.each([
    [404, 'HTTP 404 Not Found'],
    [500, 'HTTP 500 Internal Server Error'],
    [503, 'HTTP 503 Service Unavailable'],
  ])('turns HTTP %i into an http error without the body', async (status, message) => {
    server.setRoute('/status', { status, body: 'stack trace with secrets' });
    const e = await feedError(fetcher().fetch({ url: server.url('/status') }));
    expect(e).toMatchObject({ kind: 'http', status, message, retryAfterMs: undefined });
  });

  it('reads Retry-After as seconds or as a date', async () => {
    server.setRoute('/429', { status: 429, headers: { 'Retry-After': '120' } });
    expect(await feedError(fetcher().fetch({ url: server.url('/429') }))).toMatchObject({ kind: 'http', status: 429, retryAfterMs: 120_000 });
    const at = new Date(Date.now() + 60_000).toUTCString();
    server.setRoute('/503', { status: 503, headers: { 'Retry-After': at } });
    const e = await feedError(fetcher().fetch({ url: server.url('/503') }));
    expect(e.retryAfterMs).toBeGreaterThan(55_000);
    expect(e.retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it('stops after too many redirects', async () => {
    server.setRoute('/many', { fault: 'redirects', count: 6 });
    expect((await feedError(fetcher().fetch({ url: server.url('/many') }))).kind).toBe('too-many-redirects');
    expect(server.requests).toHaveLength(6);
    server.setRoute('/five', { fault: 'redirects', count: 5 });
    expect((await fetcher().fetch({ url: server.url('/five') })).kind).toBe('fetched');
    expect((await feedError(fetcher({ maxRedirects: 1 }).fetch({ url: server.url('/five') }))).kind).toBe('too-many-redirects');
  });

  it('detects a redirect loop', async () => {
    server.setRoute('/loop', { fault: 'redirect-loop' });
    expect((await feedError(fetcher().fetch({ url: server.url('/loop') }))).kind).toBe('redirect-loop');
  });

  it('lets checkUrl block a hop', async () => {
    server.setRoute('/r', { fault: 'redirects', count: 2 });
    const checkUrl = async (u: URL) => {
      if (u.search === '?n=2') throw new FeedError('blocked', 'private address');
    };
    expect(await feedError(fetcher({ checkUrl }).fetch({ url: server.url('/r') }))).toMatchObject({ kind: 'blocked', message: 'private address' });
    expect(server.requests).toHaveLength(2);
  });

  it('bounds a hanging checkUrl by the deadline and treats its other errors as blocked', async () => {
    server.setRoute('/ok2', { body: FEED });
    const hang = fetcher({ checkUrl: () => new Promise(() => undefined) });
    expect((await feedError(hang.fetch({ url: server.url('/ok2') }))).kind).toBe('timeout');
    const broken = fetcher({ checkUrl: async () => Promise.reject(new Error('EAI_AGAIN internal detail')) });
    expect(await feedError(broken.fetch({ url: server.url('/ok2') }))).toMatchObject({ kind: 'blocked', message: '127.0.0.1 may not be fetched' });
    expect(server.requests).toHaveLength(0);
  });

  it('refuses non-http URLs and junk', async () => {
    expect((await feedError(fetcher().fetch({ url: 'file:///etc/passwd' }))).kind).toBe('blocked');
    expect((await feedError(fetcher().fetch({ url: 'not a url' }))).kind).toBe('blocked');
  });

  it('stops reading a body that passes the limit', async () => {
    server.setRoute('/huge', { fault: 'huge' });
    const e = await feedError(fetcher().fetch({ url: server.url('/huge') }));
    expect(e).toMatchObject({ kind: 'too-large', message: 'the response is larger than 256 KB' });
    server.setRoute('/big', { body: Buffer.alloc(300 * 1024, 0x20) });
    expect((await feedError(fetcher().fetch({ url: server.url('/big') }))).kind).toBe('too-large');
  });

  it('reports a body that claims gzip but is not as a decode error', async () => {
    server.setRoute('/badgz', { body: 'plain text, not gzip', headers: { 'Content-Encoding': 'gzip' } });
    expect((await feedError(fetcher().fetch({ url: server.url('/badgz') }))).kind).toBe('decode');
  });

  it('stops a gzip bomb by counting decompressed bytes', async () => {
    server.setRoute('/bomb', { fault: 'gzip-bomb' });
    gzipBomb(); // build it first so its own cost is not measured
    const before = process.memoryUsage().rss;
    const e = await feedError(fetcher({ timeoutMs: 5000, maxBytes: 1024 * 1024 }).fetch({ url: server.url('/bomb') }));
    expect(e.kind).toBe('too-large');
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024); // never near the 110 MB it inflates to
  });
});

describe('fetcher: guard', () => {
  const guard = createUrlGuard({ allowPrivateNetwork: false, lookup: async () => [] });
  afterAll(() => guard.close());

  it('skips the guard on the first hop of a trusted URL only', async () => {
    server.setRoute('/trusted', { body: FEED });
    server.setRoute('/bounce', { fault: 'redirects', count: 1 });
    const seen: string[] = [];
    const f = fetcher({ guard, checkUrl: async (u) => void seen.push(u.pathname + u.search) });
    expect((await f.fetch({ url: server.url('/trusted'), trusted: true })).kind).toBe('fetched');
    expect(await feedError(f.fetch({ url: server.url('/trusted') }))).toMatchObject({ kind: 'blocked', message: '127.0.0.1 is a loopback address' });
    expect(await feedError(f.fetch({ url: server.url('/bounce'), trusted: true }))).toMatchObject({ kind: 'blocked', message: '127.0.0.1 is a loopback address' });
    expect(server.requests.map((r) => r.path)).toEqual(['/trusted', '/bounce']); // nothing sent to a blocked hop
    expect(seen).toEqual(['/trusted', '/bounce']); // checkUrl still sees trusted hops; the blocked ones never got to it
  });
});

describe('fetcher + parser', () => {
  const fetchAndParse = async (path: string) => {
    const out = await fetcher().fetch({ url: server.url(path) });
    if (out.kind !== 'fetched') throw new Error('expected fetched');
    return parseFeed(out.text, { timeZone: 'Asia/Shanghai', now: Date.now(), baseUrl: out.finalUrl });
  };

  it('turns a truncated body into malformed and an HTML page into not-a-feed', async () => {
    server.setRoute('/truncated', { fault: 'truncated' });
    server.setRoute('/html', { fault: 'html' });
    expect((await feedError(fetchAndParse('/truncated'))).kind).toBe('malformed');
    expect((await feedError(fetchAndParse('/html'))).kind).toBe('not-a-feed');
  });

  it('reads a gzipped GBK feed end to end', async () => {
    const xml = rssFeed([{ title: '桐乡新闻', link: '/tx/1.html' }], { title: '嘉兴在线', encoding: 'gbk', link: '' });
    server.setRoute('/gbk.xml', { body: encodeGb18030(xml.replace('<link></link>', '')), gzip: true, contentType: 'text/xml' });
    const feed = await fetchAndParse('/gbk.xml');
    expect(feed.items[0]).toMatchObject({ title: '桐乡新闻', link: server.url('/tx/1.html') });
  });
});

describe('fetcher: per-host limits', () => {
  it('never has more than perHostConcurrency requests in flight to one host', async () => {
    server.setRoute('/slow', { body: FEED, delayMs: 60 });
    const f = fetcher({ timeoutMs: 5000 });
    const outs = await Promise.all(Array.from({ length: 6 }, () => f.fetch({ url: server.url('/slow') })));
    expect(outs.every((o) => o.kind === 'fetched')).toBe(true);
    expect(server.maxConcurrent).toBe(2);
  });

  it('spaces request starts to one host by minHostGapMs', async () => {
    server.setRoute('/gap', { body: FEED });
    const f = fetcher({ minHostGapMs: 60, timeoutMs: 5000 });
    await Promise.all(Array.from({ length: 4 }, () => f.fetch({ url: server.url('/gap') })));
    const starts = server.requests.map((r) => r.at);
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(40);
  });

  it('does not hold back other hosts', async () => {
    const other = await startFeedServer();
    try {
      server.setRoute('/slow', { body: FEED, delayMs: 150 });
      other.setRoute('/fast', { body: FEED });
      const f = fetcher({ perHostConcurrency: 1, timeoutMs: 5000 });
      let slowDone = false;
      const slow = f.fetch({ url: server.url('/slow') }).then(() => (slowDone = true));
      await f.fetch({ url: other.url('/fast') });
      expect(slowDone).toBe(false); // the other host was not queued behind the slow one
      await slow;
    } finally {
      await other.close();
    }
  });

  it('leaves no timers behind when idle', async () => {
    server.setRoute('/idle', { body: FEED });
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    const f = fetcher({ minHostGapMs: 30 });
    await Promise.all([1, 2, 3].map(() => f.fetch({ url: server.url('/idle') })));
    expect(timers()).toBeLessThanOrEqual(before);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and dates, and ignores junk', () => {
    const now = Date.UTC(2024, 0, 1);
    expect(parseRetryAfter('30', now)).toBe(30_000);
    expect(parseRetryAfter(new Date(now + 90_000).toUTCString(), now)).toBe(90_000);
    expect(parseRetryAfter(new Date(now - 90_000).toUTCString(), now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
