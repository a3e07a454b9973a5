// A local feed server for offline tests: real sockets on 127.0.0.1, with routes that behave
// like the broken servers the poller meets (hangs, resets, redirect loops, bombs, lies).
import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import type { Fetcher } from '../../src/feeds/fetch.js';

export interface BodyRoute {
  body?: string | Buffer;
  contentType?: string;
  status?: number;
  etag?: string;
  lastModified?: string;
  gzip?: boolean;
  headers?: Record<string, string>;
  /** Holds the response this long, so concurrent requests overlap. */
  delayMs?: number;
}

export type Fault = 'timeout' | 'stall-body' | 'reset' | 'redirect-loop' | 'huge' | 'gzip-bomb' | 'truncated' | 'html';
export type FaultRoute = { fault: Fault } | { fault: 'redirects'; count: number };
export type Route = BodyRoute | FaultRoute;

export interface LoggedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  at: number;
}

export interface FeedServer {
  readonly port: number;
  url(path: string): string;
  setRoute(path: string, route: Route): void;
  readonly requests: LoggedRequest[];
  /** Highest number of requests that were in flight at the same time. */
  readonly maxConcurrent: number;
  resetStats(): void;
  close(): Promise<void>;
}

export interface TestItem {
  title?: string;
  link?: string;
  guid?: string;
  description?: string;
  content?: string;
  date?: string;
  author?: string;
  cdata?: boolean;
}

export interface FeedMeta {
  title: string;
  link?: string;
  encoding?: string;
  version?: string;
}

export const escapeXml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const text = (tag: string, value: string | undefined, cdata = false): string =>
  value === undefined ? '' : `<${tag}>${cdata ? `<![CDATA[${value}]]>` : escapeXml(value)}</${tag}>`;

const prolog = (encoding = 'UTF-8'): string => `<?xml version="1.0" encoding="${encoding}"?>\n`;

export function rssFeed(items: readonly TestItem[], meta: FeedMeta): string {
  const body = items
    .map(
      (it) =>
        `<item>${text('title', it.title)}${text('link', it.link)}${text('guid', it.guid)}${text('pubDate', it.date)}` +
        `${text('dc:creator', it.author)}${text('description', it.description, it.cdata)}${text('content:encoded', it.content, it.cdata)}</item>`,
    )
    .join('\n');
  return (
    `${prolog(meta.encoding)}<rss version="${meta.version ?? '2.0'}" xmlns:dc="http://purl.org/dc/elements/1.1/" ` +
    `xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>${text('title', meta.title)}` +
    `${text('link', meta.link ?? 'https://news.example.cn/')}<description>test</description>\n${body}\n</channel></rss>\n`
  );
}

export function atomFeed(items: readonly TestItem[], meta: FeedMeta): string {
  const body = items
    .map(
      (it) =>
        `<entry>${text('title', it.title)}${it.link ? `<link rel="alternate" href="${escapeXml(it.link)}"/>` : ''}` +
        `${text('id', it.guid)}${text('published', it.date)}${it.author ? `<author><name>${escapeXml(it.author)}</name></author>` : ''}` +
        `${it.description !== undefined ? `<summary type="html">${escapeXml(it.description)}</summary>` : ''}` +
        `${it.content !== undefined ? `<content type="html">${escapeXml(it.content)}</content>` : ''}</entry>`,
    )
    .join('\n');
  return (
    `${prolog(meta.encoding)}<feed xmlns="http://www.w3.org/2005/Atom">${text('title', meta.title)}` +
    `<link href="${escapeXml(meta.link ?? 'https://news.example.cn/')}"/><id>urn:test</id>\n${body}\n</feed>\n`
  );
}

export function rdfFeed(items: readonly TestItem[], meta: FeedMeta): string {
  const link = meta.link ?? 'https://news.example.cn/';
  const body = items
    .map(
      (it) =>
        `<item rdf:about="${escapeXml(it.link ?? it.guid ?? '')}">${text('title', it.title)}${text('link', it.link)}` +
        `${text('dc:date', it.date)}${text('dc:creator', it.author)}${text('description', it.description, it.cdata)}</item>`,
    )
    .join('\n');
  return (
    `${prolog(meta.encoding)}<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" ` +
    `xmlns:dc="http://purl.org/dc/elements/1.1/"><channel rdf:about="${escapeXml(link)}">${text('title', meta.title)}` +
    `${text('link', link)}<description>test</description></channel>\n${body}\n</rdf:RDF>\n`
  );
}

const SMALL_FEED = rssFeed([{ title: '嘉兴新闻', link: 'https://news.example.cn/1.html', guid: '1' }], { title: '测试' });
const HTML_PAGE = '<!DOCTYPE html><html><head><meta charset="utf-8"><title>首页</title></head><body><p>欢迎</p></body></html>';

let bomb: Buffer | null = null;
/** ~110 KB of gzip that inflates to 110 MB of zeros; built once per process. */
export const gzipBomb = (): Buffer => (bomb ??= gzipSync(Buffer.alloc(110 * 1024 * 1024)));

function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const bare = (t: string): string => t.trim().replace(/^W\//, '');
  return header.split(',').some((t) => t.trim() === '*' || bare(t) === bare(etag));
}

function streamForever(res: ServerResponse): void {
  res.writeHead(200, { 'Content-Type': 'application/rss+xml' });
  const chunk = Buffer.from(`<item><title>${'x'.repeat(65_000)}</title></item>`);
  let sent = 0;
  const pump = (): void => {
    // Bounded so a client that never stops reading cannot keep a test running for ever.
    while (!res.destroyed && sent < 1024 * 1024 * 1024) {
      sent += chunk.length;
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
    res.end();
  };
  res.write(prolog() + '<rss version="2.0"><channel>');
  pump();
}

export async function startFeedServer(): Promise<FeedServer> {
  const routes = new Map<string, Route>();
  const requests: LoggedRequest[] = [];
  const sockets = new Set<Socket>();
  let inFlight = 0;
  let maxConcurrent = 0;

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({ method: req.method ?? 'GET', path: url.pathname + url.search, headers: req.headers, at: Date.now() });
    inFlight++;
    maxConcurrent = Math.max(maxConcurrent, inFlight);
    res.on('close', () => inFlight--);

    const route = routes.get(url.pathname);
    if (!route) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    if ('fault' in route) {
      switch (route.fault) {
        case 'timeout':
          return; // never answers; close() destroys the socket
        case 'stall-body':
          // Headers and the start of a feed, then silence: only a deadline over the body ends it.
          res.writeHead(200, { 'Content-Type': 'application/rss+xml' });
          res.write(SMALL_FEED.slice(0, 60));
          return;
        case 'reset':
          req.socket.destroy();
          return;
        case 'redirect-loop':
          res.writeHead(302, { Location: url.search ? url.pathname : `${url.pathname}?hop=1` }).end();
          return;
        case 'redirects': {
          const n = Number(url.searchParams.get('n') ?? 0);
          if (n < route.count) res.writeHead(302, { Location: `?n=${n + 1}` }).end();
          else res.writeHead(200, { 'Content-Type': 'application/rss+xml; charset=utf-8' }).end(SMALL_FEED);
          return;
        }
        case 'huge':
          streamForever(res);
          return;
        case 'gzip-bomb':
          res.writeHead(200, { 'Content-Type': 'application/rss+xml', 'Content-Encoding': 'gzip' }).end(gzipBomb());
          return;
        case 'truncated':
          res.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end(SMALL_FEED.slice(0, SMALL_FEED.length - 40));
          return;
        case 'html':
          res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(HTML_PAGE);
          return;
      }
    }

    const headers: Record<string, string> = { ...route.headers };
    if (route.etag) headers.ETag = route.etag;
    if (route.lastModified) headers['Last-Modified'] = route.lastModified;
    const inm = req.headers['if-none-match'];
    const ims = req.headers['if-modified-since'];
    // If-None-Match wins over If-Modified-Since when both are sent (RFC 9110 §13.2.2).
    const notModified = route.etag && inm !== undefined
      ? matchesEtag(inm, route.etag)
      : Boolean(route.lastModified && ims && Date.parse(ims) >= Date.parse(route.lastModified));
    const send = (): void => {
      if (res.destroyed) return;
      if (notModified) {
        res.writeHead(304, headers).end();
        return;
      }
      let body = typeof route.body === 'string' ? Buffer.from(route.body) : (route.body ?? Buffer.alloc(0));
      if (route.gzip) {
        body = gzipSync(body);
        headers['Content-Encoding'] = 'gzip';
      }
      headers['Content-Type'] ??= route.contentType ?? 'application/rss+xml; charset=utf-8';
      headers['Content-Length'] = String(body.length);
      res.writeHead(route.status ?? 200, headers).end(body);
    };
    if (route.delayMs) setTimeout(send, route.delayMs);
    else send();
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    url: (path) => `http://127.0.0.1:${port}${path}`,
    setRoute: (path, route) => void routes.set(path, route),
    requests,
    get maxConcurrent() {
      return maxConcurrent;
    },
    resetStats() {
      requests.length = 0;
      maxConcurrent = inFlight;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * A fetcher that hands over `doc()` (read at each fetch) as the feed's body, in process: for
 * tests and benchmarks about what happens after the fetch. The response names `etag` (default none).
 */
export function documentFetcher(doc: () => string, etag: string | null = null): Fetcher {
  return {
    fetch: async () => {
      const text = doc();
      return { kind: 'fetched', status: 200, finalUrl: 'https://feeds.example.cn/f.xml', bytes: Buffer.from(text), text, charset: 'utf-8', contentType: 'application/rss+xml', etag, lastModified: null, hash: createHash('sha256').update(text).digest('hex') };
    },
  };
}
