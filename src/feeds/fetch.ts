// Fetching feed and article bytes from servers we do not control. Everything a hostile or
// broken server can do is bounded: time (one deadline over headers, body and redirects),
// size (counted after decompression, so a gzip bomb stops at maxBytes), redirects (followed
// by hand so every hop passes the guard and checkUrl), and load on one host (a small per-host
// queue). Only the first hop of an operator's own URL is trusted; every other hop meets the guard.
import { freshnessMs } from './cache-headers.js';
import { createHash, type Hash } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { decodeBytes, type Decoded } from '../text/charset.js';
import { FeedError } from './errors.js';
import type { UrlGuard } from './network-guard.js';

export interface FetcherOptions {
  userAgent: string;
  timeoutMs: number;
  maxBytes: number;
  maxRedirects?: number;
  perHostConcurrency?: number;
  minHostGapMs?: number;
  /** Replaces both the plain and the guarded fetch (tests), so it bypasses the connect-time rule. */
  fetchImpl?: typeof fetch;
  /** Network policy for untrusted hops: checked before connecting and again at connect time. */
  guard?: UrlGuard;
  /** Throws FeedError('blocked') for URLs we must not contact; called on every hop, trusted or not. */
  checkUrl?: (url: URL) => Promise<void>;
}

export interface FetchRequest {
  url: string;
  etag?: string | null;
  lastModified?: string | null;
  previousHash?: string | null;
  accept?: 'feed' | 'html';
  /** The operator's configured URL: its first hop may reach private networks (RSSHub often runs on 127.0.0.1) but never cloud metadata; redirects meet the full guard. */
  trusted?: boolean;
}

export type FetchOutcome =
  | {
      kind: 'fetched';
      status: number;
      finalUrl: string;
      bytes: Buffer;
      text: string;
      charset: string;
      contentType: string | null;
      etag: string | null;
      lastModified: string | null;
      hash: string;
      /** How long the response says it stays fresh (Cache-Control / Expires), when it says. */
      maxAgeMs?: number | null;
      /** The charset declaration lied, or bad bytes were replaced (decodeBytes warnings). */
      decodeWarnings?: readonly string[];
    }
  | { kind: 'not-modified'; etag: string | null; lastModified: string | null; maxAgeMs?: number | null }
  | { kind: 'unchanged'; hash: string; etag: string | null; lastModified: string | null; maxAgeMs?: number | null };

export interface Fetcher {
  fetch(req: FetchRequest): Promise<FetchOutcome>;
}

const ACCEPT = {
  feed: 'application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5',
  html: 'text/html, application/xhtml+xml;q=0.9, */*;q=0.5',
};
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Retry-After as a delay in ms: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

const formatBytes = (n: number): string =>
  n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MB` : `${Math.ceil(n / 1024)} KB`;

/** Low-level failures, keyed by the code undici puts on `err.cause`, in words an admin can act on. */
function networkError(err: unknown, host: string): FeedError {
  const cause = (err as { cause?: { code?: string; message?: string; errors?: Array<{ code?: string }> } })?.cause;
  // The guard's connect-time lookup refuses with a FeedError, which undici hands back as the cause.
  if (cause instanceof FeedError) return cause;
  const code = cause?.code ?? cause?.errors?.[0]?.code ?? (err as { code?: string })?.code ?? '';
  // The fetch standard refuses some ports outright (e.g. 1, 25, 6000); undici says only this.
  if (cause?.message === 'bad port') return new FeedError('blocked', `the port used by ${host} is not allowed`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NODATA') return new FeedError('network', `could not resolve host ${host}`);
  if (code === 'ECONNREFUSED') return new FeedError('network', `connection refused by ${host}`);
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') return new FeedError('network', `connection reset by ${host}`);
  if (code === 'ETIMEDOUT' || (code.startsWith('UND_ERR_') && code.endsWith('TIMEOUT'))) return new FeedError('timeout', `${host} did not answer in time`);
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return new FeedError('network', `${host} is unreachable`);
  if (/CERT|TLS|SSL|SELF_SIGNED/.test(code)) return new FeedError('network', `TLS certificate problem at ${host} (${code})`);
  if (/^Z_|ERR_ZLIB|BROTLI/.test(code)) return new FeedError('decode', `the response from ${host} could not be decompressed`);
  return new FeedError('network', `network error while contacting ${host}${code ? ` (${code})` : ''}`);
}

const isStaleSocket = (err: unknown): boolean => {
  const code = (err as { cause?: { code?: string } })?.cause?.code;
  return code === 'UND_ERR_SOCKET' || code === 'ECONNRESET';
};

interface HostState {
  active: number;
  lastStart: number;
  queue: Array<() => void>;
  timer: ReturnType<typeof setTimeout> | null;
}

/**
 * At most `max` requests in flight per host and `gapMs` between their starts. A timer exists
 * only while someone is waiting, so an idle fetcher never keeps the process alive.
 */
function hostLimiter(max: number, gapMs: number) {
  const hosts = new Map<string, HostState>();

  const pump = (host: string, s: HostState): void => {
    while (s.queue.length && s.active < max && !s.timer) {
      const wait = s.lastStart + gapMs - Date.now();
      if (wait > 0) {
        s.timer = setTimeout(() => {
          s.timer = null;
          pump(host, s);
        }, wait);
        return;
      }
      s.active++;
      s.lastStart = Date.now();
      s.queue.shift()!();
    }
  };

  const sweep = (): void => {
    const now = Date.now();
    for (const [h, s] of hosts) if (!s.active && !s.queue.length && !s.timer && now - s.lastStart >= gapMs) hosts.delete(h);
  };

  return async (host: string): Promise<() => void> => {
    if (hosts.size > 256) sweep();
    let s = hosts.get(host);
    if (!s) hosts.set(host, (s = { active: 0, lastStart: -Infinity, queue: [], timer: null }));
    const state = s;
    await new Promise<void>((resolve) => {
      state.queue.push(resolve);
      pump(host, state);
    });
    let released = false;
    return () => {
      if (released) return;
      released = true;
      state.active--;
      pump(host, state);
    };
  };
}

type Body = ReadableStream<Uint8Array> | null;

/**
 * Reads at most maxBytes (after decompression); stops reading the moment the limit is passed.
 * The bytes are hashed as they arrive: hashing a multi-megabyte body at the end is one more
 * block of the event loop.
 */
async function readCapped(body: Body, maxBytes: number, stop: () => void, hash: Hash): Promise<Buffer> {
  if (!body) return Buffer.alloc(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      stop();
      await reader.cancel().catch(() => undefined);
      throw new FeedError('too-large', `the response is larger than ${formatBytes(maxBytes)}`);
    }
    chunks.push(value);
    hash.update(value);
  }
  return Buffer.concat(chunks, total);
}

export function createFetcher(opts: FetcherOptions): Fetcher {
  const maxRedirects = opts.maxRedirects ?? 5;
  const guard = opts.guard;
  const checkUrl = opts.checkUrl ?? (async () => undefined);
  const acquire = hostLimiter(Math.max(1, opts.perHostConcurrency ?? 2), Math.max(0, opts.minHostGapMs ?? 500));

  async function run(req: FetchRequest): Promise<FetchOutcome> {
    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      throw new FeedError('blocked', 'the feed URL is not a valid URL');
    }
    const headers: Record<string, string> = {
      'User-Agent': opts.userAgent,
      Accept: ACCEPT[req.accept ?? 'feed'],
      'Accept-Encoding': 'gzip, deflate, br',
      'Accept-Language': 'zh-CN,zh;q=0.9,zh-TW;q=0.8,en;q=0.5',
    };
    if (req.etag) headers['If-None-Match'] = req.etag;
    if (req.lastModified) headers['If-Modified-Since'] = req.lastModified;

    const controller = new AbortController();
    let timedOut = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let release: (() => void) | null = null;
    // checkUrl may resolve DNS, which can hang: it runs under the same deadline as the request.
    const deadline = new Promise<never>((_, reject) =>
      controller.signal.addEventListener('abort', () => reject(new FeedError('timeout', `no answer within ${opts.timeoutMs} ms`)), { once: true }),
    );
    deadline.catch(() => undefined);
    const seen = new Set<string>([url.href]);
    try {
      for (let hop = 0; ; hop++) {
        if (url.protocol !== 'http:' && url.protocol !== 'https:') {
          throw new FeedError('blocked', `only http and https URLs can be fetched, not ${url.protocol.slice(0, 20)}`);
        }
        release?.();
        release = await acquire(url.host);
        // The deadline starts when the first request may go out, not while it waits in the
        // host queue behind other feeds of the same site.
        timer ??= setTimeout(() => {
          timedOut = true;
          controller.abort();
        }, opts.timeoutMs);
        const screened = guard !== undefined && !(hop === 0 && req.trusted);
        const hopUrl = url;
        const checks = (async () => {
          if (screened) await guard.check(hopUrl);
          // Trusted means private networks are allowed, not cloud metadata.
          else if (guard) await guard.checkTrusted(hopUrl);
          await checkUrl(hopUrl);
        })();
        try {
          await Promise.race([checks, deadline]);
        } catch (e) {
          throw e instanceof FeedError ? e : new FeedError('blocked', `${url.hostname} may not be fetched`);
        }

        const host = url.hostname;
        const doFetch = opts.fetchImpl ?? (screened ? guard.fetch : (guard?.trustedFetch ?? fetch));
        let res: Response | null = null;
        for (let attempt = 0; !res; attempt++) {
          try {
            res = await doFetch(url, { method: 'GET', headers, redirect: 'manual', signal: controller.signal });
          } catch (e) {
            if (timedOut) throw new FeedError('timeout', `${host} did not answer within ${opts.timeoutMs} ms`);
            // A kept-alive connection the server closed meanwhile fails at once: a GET is safe to send once more.
            if (attempt === 0 && isStaleSocket(e)) continue;
            throw networkError(e, host);
          }
        }
        const header = (name: string): string | null => res.headers.get(name);

        if (REDIRECTS.has(res.status) && header('location')) {
          await res.body?.cancel().catch(() => undefined);
          let next: URL;
          try {
            next = new URL(header('location')!, url);
          } catch {
            throw new FeedError('http', `HTTP ${res.status} redirect to an invalid URL`, res.status);
          }
          next.hash = '';
          if (seen.has(next.href)) throw new FeedError('redirect-loop', `redirect loop at ${next.hostname}`, res.status);
          if (hop + 1 > maxRedirects) throw new FeedError('too-many-redirects', `more than ${maxRedirects} redirects`, res.status);
          seen.add(next.href);
          url = next;
          continue;
        }
        const etag = header('etag') ?? req.etag ?? null;
        const lastModified = header('last-modified') ?? req.lastModified ?? null;
        const maxAgeMs = freshnessMs({ cacheControl: header('cache-control'), expires: header('expires'), date: header('date'), age: header('age') });
        if (res.status === 304) {
          await res.body?.cancel().catch(() => undefined);
          return { kind: 'not-modified', etag, lastModified, maxAgeMs };
        }
        if (res.status >= 300) {
          await res.body?.cancel().catch(() => undefined);
          const reason = STATUS_CODES[res.status] ?? 'Error';
          const retryAfterMs = parseRetryAfter(header('retry-after'));
          throw new FeedError('http', `HTTP ${res.status} ${reason}`, res.status, retryAfterMs);
        }
        const length = Number(header('content-length'));
        // Refused before reading: a body over the limit on the wire is over it once inflated too.
        if (Number.isFinite(length) && length > opts.maxBytes) {
          await res.body?.cancel().catch(() => undefined);
          throw new FeedError('too-large', `the response is larger than ${formatBytes(opts.maxBytes)}`);
        }

        let bytes: Buffer;
        const hasher = createHash('sha256');
        try {
          bytes = await readCapped(res.body, opts.maxBytes, () => controller.abort(), hasher);
        } catch (e) {
          if (e instanceof FeedError) throw e;
          if (timedOut) throw new FeedError('timeout', `${host} did not send the whole response within ${opts.timeoutMs} ms`);
          throw networkError(e, host);
        }
        const hash = hasher.digest('hex');
        if (req.previousHash && req.previousHash === hash) return { kind: 'unchanged', hash, etag, lastModified, maxAgeMs };
        const contentType = header('content-type');
        // Decoded when first read: ingest decodes a large feed on a worker thread from the
        // bytes, and must not pay for decoding it here on the event loop first.
        let decoded: Decoded | null = null;
        const decode = (): Decoded => (decoded ??= decodeBytes(bytes, contentType));
        return {
          kind: 'fetched',
          status: res.status,
          finalUrl: url.href,
          bytes,
          get text() {
            return decode().text;
          },
          get charset() {
            return decode().charset;
          },
          contentType,
          etag: header('etag'),
          lastModified: header('last-modified'),
          hash,
          maxAgeMs,
          get decodeWarnings() {
            return decode().warnings;
          },
        };
      }
    } finally {
      if (timer) clearTimeout(timer);
      release?.();
    }
  }

  return { fetch: run };
}
