import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFetcher } from '../../../src/feeds/fetch.js';
import { classifyAddress, classifyHostname, createUrlGuard, parseIPv4, parseIPv6, type UrlGuard, type UrlGuardOptions } from '../../../src/feeds/network-guard.js';
import { startFeedServer, type FeedServer } from '../../fakes/feed-server.js';
import { feedError } from '../../helpers/feed-error.js';


/** A resolver that knows only the names a test gives it. */
const names = (table: Record<string, string[]>) => async (host: string) => {
  const found = table[host];
  if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return found;
};

const guards: UrlGuard[] = [];
const guard = (o: UrlGuardOptions): UrlGuard => {
  const g = createUrlGuard(o);
  guards.push(g);
  return g;
};
afterAll(() => Promise.all(guards.map((g) => g.close())));

describe('classifyAddress: IPv4', () => {
  it.each([
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['10.0.0.1', 'private'],
    ['10.255.255.255', 'private'],
    ['100.64.0.1', 'shared'],
    ['100.127.255.254', 'shared'],
    ['100.100.100.200', 'metadata'], // Alibaba Cloud
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['169.254.1.1', 'link-local'],
    ['169.254.169.254', 'metadata'],
    ['169.254.170.2', 'metadata'],
    ['169.254.0.23', 'metadata'], // Tencent Cloud
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.0.0.8', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['192.168.1.1', 'private'],
    ['198.18.0.1', 'reserved'],
    ['198.19.255.255', 'reserved'],
    ['198.51.100.7', 'reserved'],
    ['203.0.113.9', 'reserved'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'broadcast'],
  ])('%s is %s', (ip, kind) => {
    expect(classifyAddress(ip)).toBe(kind);
  });

  it.each(['1.1.1.1', '8.8.8.8', '114.114.114.114', '101.226.4.6', '172.15.255.255', '172.32.0.1', '100.63.255.255', '100.128.0.1', '169.253.0.1', '223.255.255.255', '192.0.1.1'])(
    '%s is public',
    (ip) => expect(classifyAddress(ip)).toBeNull(),
  );

  it('reads every numeric form inet_aton and the URL standard accept', () => {
    const loopback = 0x7f000001;
    for (const form of ['127.0.0.1', '2130706433', '0177.0.0.1', '0x7f.0.0.1', '0X7F.0.0.1', '127.1', '127.0.1', '0x7f.1', '0177.1', '017700000001', '0x7f000001', '0x7f.0.0x0.01', '127.0.0.1.', '0x00000000007f.1'])
      expect(parseIPv4(form), form).toBe(loopback);
    for (const form of ['2130706433', '0177.0.0.1', '0x7f.1', '127.1', '0x7f.0.0x0.01']) expect(classifyAddress(form), form).toBe('loopback');
    expect(classifyAddress('0xa.1')).toBe('private');
    expect(classifyAddress('2852039166')).toBe('metadata'); // 169.254.169.254
    expect(classifyAddress('0')).toBe('unspecified');
  });

  it('rejects what is not an IPv4 address', () => {
    for (const junk of ['', '256.0.0.1', '1.2.3.4.5', '08.0.0.1', '0x100000000', '1.16777216', 'example.com', '1..2', '127.0.0.1.nip.io', '::1'])
      expect(parseIPv4(junk), junk).toBeNull();
  });
});

describe('classifyAddress: IPv6', () => {
  it.each([
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['fc00::1', 'private'],
    ['fd12:3456:789a::1', 'private'],
    ['fd00:ec2::254', 'metadata'], // AWS IMDS over IPv6
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf::1', 'link-local'],
    ['fec0::1', 'private'],
    ['ff02::1', 'multicast'],
    ['ff05::1:3', 'multicast'],
    ['2001:db8::1', 'reserved'],
    ['100::1', 'reserved'],
    ['4000::1', 'reserved'], // outside 2000::/3, the only global unicast space
    // IPv4 inside IPv6 is judged by the IPv4 address it reaches.
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.1.2.3', 'private'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['::ffff:a9fe:a9fe', 'metadata'],
    ['::127.0.0.1', 'loopback'], // IPv4-compatible (deprecated)
    ['::7f00:1', 'loopback'],
    ['::8.8.8.8', 'reserved'], // deprecated form, never a way to a real host
    ['::ffff:0:10.0.0.1', 'private'], // IPv4-translated
    ['64:ff9b::127.0.0.1', 'loopback'], // NAT64
    ['64:ff9b::a9fe:a9fe', 'metadata'],
    ['64:ff9b::192.168.0.1', 'private'],
    ['64:ff9b:1::1', 'private'], // local-use NAT64
    ['2002:7f00:1::', 'loopback'], // 6to4 of 127.0.0.1
    ['2002:c0a8:101::1', 'private'], // 6to4 of 192.168.1.1
    ['2002:a9fe:a9fe::', 'metadata'],
    ['2001:0:4136:e378:8000:63bf:80ff:fffe', 'loopback'], // Teredo, client 127.0.0.1 (inverted)
  ])('%s is %s', (ip, kind) => {
    expect(classifyAddress(ip)).toBe(kind);
  });

  it.each(['2606:4700::1111', '2400:3200::1', '2001:4860:4860::8888', '::ffff:1.1.1.1', '64:ff9b::1.1.1.1', '2002:101:101::1'])('%s is public', (ip) => {
    expect(classifyAddress(ip)).toBeNull();
  });

  it('parses compressed, full and dotted forms to the same number', () => {
    expect(parseIPv6('::ffff:127.0.0.1')).toBe(parseIPv6('0:0:0:0:0:ffff:7f00:1'));
    expect(parseIPv6('[2606:4700::1111]')).toBe(0x2606_4700_0000_0000_0000_0000_0000_1111n);
    expect(parseIPv6('1::')).toBe(1n << 112n);
    for (const junk of ['', '1:2:3', ':::1', '1::2::3', 'g::1', '127.0.0.1', 'example.com']) expect(parseIPv6(junk), junk).toBeNull();
  });

  it('calls anything that is not an address invalid', () => {
    expect(classifyAddress('example.com')).toBe('invalid');
    expect(classifyAddress('')).toBe('invalid');
  });
});

describe('URL hosts', () => {
  it('the URL parser already turns decimal, octal, hex, short, encoded and full-width hosts into dotted form', () => {
    for (const u of ['http://2130706433/', 'http://0177.0.0.1/', 'http://0x7f.0.0.1/', 'http://127.1/', 'http://0x7f.1/', 'http://017700000001/', 'http://127.0.0.1./', 'http://%31%32%37.0.0.1/', 'http://１２７.０.０.１/'])
      expect(new URL(u).hostname, u).toBe('127.0.0.1');
    expect(new URL('http://[::ffff:127.0.0.1]/').hostname).toBe('[::ffff:7f00:1]');
    expect(new URL('http://[::127.0.0.1]/').hostname).toBe('[::7f00:1]');
    expect(new URL('http://LOCALHOST./').hostname).toBe('localhost.');
    for (const u of ['http://08.0.0.1/', 'http://256.0.0.1/', 'http://[fe80::1%25eth0]/']) expect(() => new URL(u), u).toThrow();
  });

  it('judges names that need no DNS, and leaves ordinary names to it', () => {
    for (const h of ['localhost', 'LOCALHOST', 'localhost.', 'app.localhost', 'a.b.localhost']) expect(classifyHostname(h), h).toBe('loopback');
    for (const h of ['metadata.google.internal', 'metadata.google.internal.', 'metadata.goog', 'metadata']) expect(classifyHostname(h), h).toBe('metadata');
    expect(classifyHostname('0x7f.1')).toBe('loopback');
    expect(classifyHostname('1.1.1.1')).toBeNull();
    for (const h of ['news.example.cn', 'localhost.example.cn', '127.0.0.1.nip.io', 'notlocalhost']) expect(classifyHostname(h), h).toBeUndefined();
  });
});

describe('createUrlGuard: check', () => {
  const strict = () => guard({ allowPrivateNetwork: false, lookup: names({ 'news.example.cn': ['101.226.4.6', '240e:e9::6'], 'evil.example.cn': ['127.0.0.1'], 'mixed.example.cn': ['101.226.4.6', '10.0.0.7'], 'v6.example.cn': ['::ffff:192.168.1.1'], 'meta.example.cn': ['169.254.169.254'] }) });

  it.each([
    ['http://127.0.0.1:1200/', '127.0.0.1 is a loopback address'],
    ['http://2130706433/', '127.0.0.1 is a loopback address'],
    ['http://0177.0.0.1/', '127.0.0.1 is a loopback address'],
    ['http://10.0.0.1/a.html', '10.0.0.1 is a private address'],
    ['http://[::1]/', '::1 is a loopback address'],
    ['http://[::ffff:127.0.0.1]/', '::ffff:7f00:1 is a loopback address'],
    ['http://[fd00:ec2::254]/', 'fd00:ec2::254 is a cloud metadata address'],
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254 is a cloud metadata address'],
    ['http://100.64.1.1/', '100.64.1.1 is a carrier-grade NAT address'],
    ['http://0.0.0.0/', '0.0.0.0 is an unspecified address'],
    ['http://localhost/', 'localhost is a loopback address'],
    ['http://metadata.google.internal/computeMetadata/v1/', 'metadata.google.internal is a cloud metadata address'],
    ['http://evil.example.cn/', 'evil.example.cn resolves to a loopback address'],
    ['http://mixed.example.cn/', 'mixed.example.cn resolves to a private address'],
    ['http://v6.example.cn/', 'v6.example.cn resolves to a private address'],
    ['http://meta.example.cn/', 'meta.example.cn resolves to a cloud metadata address'],
    ['file:///etc/passwd', 'only http and https URLs can be fetched, not file:'],
    ['ftp://news.example.cn/a', 'only http and https URLs can be fetched, not ftp:'],
    ['gopher://127.0.0.1:6379/_INFO', 'only http and https URLs can be fetched, not gopher:'],
    ['data:text/html,<p>hi</p>', 'only http and https URLs can be fetched, not data:'],
  ])('blocks %s', async (url, message) => {
    expect(await feedError(strict().check(new URL(url)))).toMatchObject({ kind: 'blocked', message });
  });

  it('lets public addresses and names through', async () => {
    const g = strict();
    for (const u of ['https://1.1.1.1/', 'http://[2606:4700::1111]/', 'https://news.example.cn/a/1.html', 'http://[::ffff:1.1.1.1]/']) await expect(g.check(new URL(u)), u).resolves.toBeUndefined();
  });

  it('reports a name that does not resolve as a network error, not as blocked', async () => {
    expect(await feedError(strict().check(new URL('http://nowhere.example.cn/')))).toMatchObject({ kind: 'network', message: 'could not resolve host nowhere.example.cn' });
  });

  it('with allowPrivateNetwork lets private addresses through, but never metadata', async () => {
    const g = guard({ allowPrivateNetwork: true, lookup: names({}) });
    for (const u of ['http://127.0.0.1:1200/', 'http://10.0.0.1/', 'http://[::1]/', 'http://localhost/', 'http://192.168.1.1/', 'http://intranet.lan/'])
      await expect(g.check(new URL(u)), u).resolves.toBeUndefined();
    for (const u of ['http://169.254.169.254/', 'http://[fd00:ec2::254]/', 'http://metadata.google.internal/', 'http://[::ffff:a9fe:a9fe]/'])
      expect((await feedError(g.check(new URL(u)))).kind, u).toBe('blocked');
    expect((await feedError(g.check(new URL('file:///etc/passwd')))).kind).toBe('blocked');
  });
});

describe('createUrlGuard: connect time', () => {
  let server: FeedServer;
  beforeAll(async () => {
    server = await startFeedServer();
    server.setRoute('/page', { body: '<html><body>页面</body></html>', contentType: 'text/html; charset=utf-8' });
  });
  afterAll(() => server.close());
  beforeEach(() => server.resetStats());

  const fetcher = (g: UrlGuard) => createFetcher({ userAgent: 'xiangxun-test/1.0', timeoutMs: 1000, maxBytes: 64 * 1024, minHostGapMs: 0, guard: g });

  it('dials the address the guard resolved, keeping the name for the Host header', async () => {
    const g = guard({ allowPrivateNetwork: true, lookup: names({ 'news.example.test': ['127.0.0.1'] }) });
    const out = await fetcher(g).fetch({ url: `http://news.example.test:${server.port}/page`, accept: 'html' });
    expect(out.kind).toBe('fetched');
    expect(server.requests[0]!.headers.host).toBe(`news.example.test:${server.port}`);
  });

  it('refuses a DNS answer that changes to a private address between check and connect (rebinding)', async () => {
    let calls = 0;
    const lookup = async () => (++calls === 1 ? ['101.226.4.6'] : ['127.0.0.1']);
    const g = guard({ allowPrivateNetwork: false, lookup });
    const e = await feedError(fetcher(g).fetch({ url: `http://rebind.example.test:${server.port}/page` }));
    expect(e).toMatchObject({ kind: 'blocked', message: 'rebind.example.test resolves to a loopback address' });
    expect(calls).toBe(2); // once in check(), once inside the socket's connect
    expect(server.requests).toHaveLength(0);
  });

  it('refuses metadata at connect time even with private addresses allowed', async () => {
    const g = guard({ allowPrivateNetwork: true, lookup: names({ 'meta.example.test': ['169.254.169.254'] }) });
    const e = await feedError(fetcher(g).fetch({ url: `http://meta.example.test:${server.port}/page` }));
    expect(e).toMatchObject({ kind: 'blocked', message: 'meta.example.test resolves to a cloud metadata address' });
  });

  it('reports a name the connect-time lookup cannot resolve as a network error', async () => {
    const g = guard({ allowPrivateNetwork: true, lookup: names({}) });
    expect(await feedError(fetcher(g).fetch({ url: `http://gone.example.test:${server.port}/page` }))).toMatchObject({ kind: 'network', message: 'could not resolve host gone.example.test' });
  });
});

describe('a trusted first hop (a configured feed, `xiangxun extract URL`)', () => {
  let server: FeedServer;
  beforeAll(async () => {
    server = await startFeedServer();
    server.setRoute('/feed', { body: '<rss version="2.0"><channel><title>t</title></channel></rss>', contentType: 'application/rss+xml' });
  });
  afterAll(() => server.close());
  beforeEach(() => server.resetStats());

  const fetcher = (g: UrlGuard) => createFetcher({ userAgent: 'xiangxun-test/1.0', timeoutMs: 1000, maxBytes: 64 * 1024, minHostGapMs: 0, guard: g });

  it('classifies Azure’s wire server as metadata', () => {
    expect(classifyAddress('168.63.129.16')).toBe('metadata');
    expect(classifyAddress('::ffff:168.63.129.16')).toBe('metadata');
  });

  it('may reach the operator’s own loopback service', async () => {
    const g = guard({ allowPrivateNetwork: false, lookup: names({}) });
    expect((await fetcher(g).fetch({ url: server.url('/feed'), trusted: true })).kind).toBe('fetched');
  });

  it.each([
    'http://169.254.169.254/latest/meta-data/',
    'http://[fd00:ec2::254]/latest/meta-data/',
    'http://168.63.129.16/machine?comp=goalstate',
    'http://metadata.google.internal/computeMetadata/v1/',
    'http://100.100.100.200/latest/meta-data/',
    'http://0xa9fea9fe/latest/meta-data/',
  ])('refuses %s before connecting, with private networks allowed or not', async (url) => {
    for (const allowPrivateNetwork of [false, true]) {
      const g = guard({ allowPrivateNetwork, lookup: names({}) });
      expect(await feedError(fetcher(g).fetch({ url, trusted: true }))).toMatchObject({ kind: 'blocked' });
      await expect(g.checkTrusted(new URL(url))).rejects.toMatchObject({ kind: 'blocked' });
    }
  });

  it('refuses a configured name that resolves to a metadata address, at connect time', async () => {
    const g = guard({ allowPrivateNetwork: false, lookup: names({ 'feeds.example.test': ['169.254.169.254'] }) });
    const e = await feedError(fetcher(g).fetch({ url: `http://feeds.example.test:${server.port}/feed`, trusted: true }));
    expect(e).toMatchObject({ kind: 'blocked', message: 'feeds.example.test resolves to a cloud metadata address' });
    expect(server.requests).toHaveLength(0);
  });
});
