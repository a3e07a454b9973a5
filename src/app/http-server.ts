// Health and metrics over HTTP for supervisors and Prometheus. Three read-only endpoints,
// no request body is ever read, and nothing here reveals the token, channel names or feed
// URLs: readiness reasons are fixed phrases plus error codes.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError } from '../config/config.js';

export interface Readiness {
  readonly ready: boolean;
  readonly reasons: readonly string[];
}

export interface HttpSources {
  /** Cheap: answered on every probe. */
  readiness(): Readiness | Promise<Readiness>;
  metrics(): Promise<{ contentType: string; body: string }>;
}

export interface HttpServer {
  readonly port: number;
  close(): Promise<void>;
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
};

async function handle(sources: HttpSources, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' });
    res.end();
    return;
  }
  if (path === '/healthz') return json(res, 200, { status: 'ok' });
  if (path === '/readyz') {
    const r = await sources.readiness();
    return json(res, r.ready ? 200 : 503, { status: r.ready ? 'ready' : 'not ready', reasons: r.reasons });
  }
  if (path === '/metrics') {
    const m = await sources.metrics();
    res.writeHead(200, { 'content-type': m.contentType, 'cache-control': 'no-store' });
    res.end(m.body);
    return;
  }
  json(res, 404, { error: 'not found', endpoints: ['/healthz', '/readyz', '/metrics'] });
}

/**
 * Listens on host:port. A port that is taken or not allowed is a configuration problem, so it
 * is reported as a ConfigError naming HTTP_PORT (or HTTP_HOST for an address that cannot be bound).
 */
export async function startHttpServer(opts: { host: string; port: number; sources: HttpSources; onError?: (err: unknown) => void }): Promise<HttpServer> {
  const server: Server = createServer((req, res) => {
    handle(opts.sources, req, res).catch((err: unknown) => {
      opts.onError?.(err);
      if (!res.headersSent) json(res, 500, { error: 'internal error' });
      else res.end();
    });
  });
  // Probes are short; idle keep-alive sockets must not hold shutdown.
  server.keepAliveTimeout = 2_000;
  await new Promise<void>((resolve, reject) => {
    const onStartError = (err: NodeJS.ErrnoException) => {
      const variable = err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND' ? 'HTTP_HOST' : 'HTTP_PORT';
      const why =
        err.code === 'EADDRINUSE' ? `port ${opts.port} is already in use on ${opts.host}`
        : err.code === 'EACCES' ? `port ${opts.port} needs privileges this process does not have`
        : `cannot listen on ${opts.host}:${opts.port} (${err.code ?? err.message})`;
      reject(new ConfigError([variable], `Invalid configuration:\n  ${variable}: ${why}`));
    };
    server.once('error', onStartError);
    server.listen(opts.port, opts.host, () => {
      // From here on an error is a runtime problem: reported, never fatal.
      server.off('error', onStartError);
      server.on('error', (err) => opts.onError?.(err));
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
