// A loopback HTTP server for the demo: serves data/samples/ the way real sites do,
// including a GBK feed without a charset header and a feed whose declared charset lies.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  'hangzhou-gbk.xml': 'text/xml', // no charset: only the XML prolog says GBK
  'wenzhou-lying-charset.xml': 'text/xml; charset=gb2312', // the bytes are UTF-8
};
const byExtension = (name: string): string =>
  name.endsWith('.atom') ? 'application/atom+xml; charset=utf-8'
  : name.endsWith('.rdf') ? 'application/rdf+xml; charset=utf-8'
  : name.endsWith('.html') ? 'text/html; charset=utf-8'
  : 'application/rss+xml; charset=utf-8';

export interface SampleServer {
  readonly base: string;
  close(): Promise<void>;
}

/** Tries `preferredPort` first so a second demo run sees the same URLs (and gets 304s). */
/**
 * `root` holds the feeds; `/pages/…` come from `pagesRoot` (the founding example page is the
 * test fixture, kept once).
 */
export async function startSampleServer(root: string, pagesRoot: string, preferredPort = 0): Promise<SampleServer> {
  let base = '';
  const server: Server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    let bytes: Buffer;
    try {
      // `{pages}` in a sample links to article pages on this same server.
      const file = path.startsWith('/pages/') ? join(pagesRoot, path.slice('/pages/'.length)) : join(root, path);
      bytes = Buffer.from(readFileSync(file).toString('latin1').replaceAll('{pages}', `${base}/pages`), 'latin1');
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const etag = `"${createHash('sha1').update(bytes).digest('hex').slice(0, 16)}"`;
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag }).end();
      return;
    }
    const name = path.split('/').pop() ?? '';
    res.writeHead(200, { 'content-type': CONTENT_TYPES[name] ?? byExtension(name), etag, 'content-length': bytes.length });
    res.end(bytes);
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(preferredPort).catch(() => listen(0));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
