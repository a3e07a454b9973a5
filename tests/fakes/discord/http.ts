// The REST server: `node:http` on 127.0.0.1, a tiny router over `/api/v10`, the request log,
// auth, the fault queue and the rate limiter. Routes only compute answers.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeGateway } from './gateway.js';
import type { RateLimiter } from './rate-limit.js';
import { describeErrors, errorTree, specChecker, type SpecViolation } from './spec-check.js';
import { formError } from './validate.js';
import { isObject, type FaultSpec, type LoggedRequest, type Reply, type UploadedFile } from './types.js';

export interface RouteContext {
  method: string;
  /** Decoded path below `/api/v10`. */
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  /** Files that came with a multipart body. */
  files: UploadedFile[];
}

export interface RouteDef {
  method: string;
  /** `/channels/:channel/messages`; `:name` captures one segment. */
  pattern: string;
  /** Bot routes need `Authorization: Bot <token>`; interaction webhooks carry none. */
  auth: boolean;
  /** Rate limited per route and the first parameter, with X-RateLimit-* headers. */
  limited?: boolean;
  handler: (ctx: RouteContext) => Reply;
  /**
   * A component schema to validate the body against instead of the operation's own, when
   * the spec's union is too loose to check anything (see spec-check.ts).
   */
  specSchema?: (params: Record<string, string>) => string | undefined;
}

interface QueuedFault {
  method: string;
  segments: string[];
  left: number;
  spec: FaultSpec;
}

const split = (path: string): string[] => path.split('/').filter(Boolean);

function match(pattern: string[], segments: string[]): Record<string, string> | null {
  if (pattern.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i] as string;
    const s = segments[i] as string;
    if (p.startsWith(':')) params[p.slice(1)] = s;
    else if (p !== s) return null;
  }
  return params;
}

async function readBody(req: IncomingMessage): Promise<{ body: unknown; files: UploadedFile[] }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const type = req.headers['content-type'] ?? '';
  if (raw.length === 0) return { body: undefined, files: [] };
  if (type.startsWith('multipart/form-data')) {
    // discord.js sends files as multipart with the JSON in `payload_json`.
    const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
    const files: UploadedFile[] = [];
    for (const [key, value] of form.entries()) {
      if (/^files\[\d+\]$/.test(key) && typeof value !== 'string') files.push({ filename: value.name, size: value.size });
    }
    const json = form.get('payload_json');
    return { body: typeof json === 'string' ? JSON.parse(json) : {}, files };
  }
  try {
    return { body: JSON.parse(raw.toString('utf8')), files: [] };
  } catch {
    return { body: raw.toString('utf8'), files: [] };
  }
}

export class RestServer {
  readonly server: Server;
  readonly requests: LoggedRequest[] = [];
  /** `METHOD /path` of requests no route knew: a missing route in the fake shows up here. */
  readonly unknownRoutes: string[] = [];
  readonly internalErrors: string[] = [];
  /** Bodies that Discord's OpenAPI description rejects (answered 50035, as Discord would). */
  readonly specViolations: SpecViolation[] = [];
  /** Request bodies checked against the spec, by operationId. */
  readonly specChecked = new Map<string, number>();
  /** Off only for tests of the fake that need a body past the spec. */
  specCheck = true;
  private readonly routes: Array<RouteDef & { segments: string[] }> = [];
  private readonly faults: QueuedFault[] = [];

  constructor(
    private readonly token: string,
    private readonly limiter: RateLimiter,
    gateway: FakeGateway,
  ) {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((e: unknown) => {
        // A throw in the fake must not become an unhandled rejection that kills the test run.
        this.internalErrors.push(`${req.method} ${req.url}: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' }).end('fake-discord internal error');
      });
    });
    this.server.on('upgrade', (req, socket, head) => {
      if ((req.url ?? '').startsWith('/gateway')) gateway.handleUpgrade(req, socket, head);
      else socket.destroy();
    });
  }

  add(...defs: RouteDef[]): void {
    for (const d of defs) this.routes.push({ ...d, segments: split(d.pattern) });
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  failNext(matcher: string, n: number, spec: FaultSpec): void {
    const [method = '*', path = '/'] = matcher.trim().split(/\s+/);
    // Matchers are relative to /api/v10 like the log, but a full path should work too.
    const segments = split(path).map((s) => decodeURIComponent(s));
    if (segments[0] === 'api' && segments[1] === 'v10') segments.splice(0, 2);
    this.faults.push({ method: method.toUpperCase(), segments, left: n, spec });
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  private takeFault(method: string, segments: string[]): FaultSpec | undefined {
    const fault = this.faults.find(
      (f) => f.left > 0 && (f.method === '*' || f.method === method) && match(f.segments, segments) !== null,
    );
    if (!fault) return undefined;
    fault.left--;
    return fault.spec;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const segments = split(url.pathname).map((s) => decodeURIComponent(s));
    const entry: LoggedRequest = {
      method, path: '/' + segments.join('/'), query: Object.fromEntries(url.searchParams), authorized: req.headers.authorization !== undefined,
      body: undefined, status: 0, at: Date.now(),
    };
    this.requests.push(entry);
    const { body, files } = await readBody(req);
    entry.body = body;
    if (segments[0] !== 'api' || segments[1] !== 'v10') return this.write(res, entry, this.notFound(entry));
    const rest = segments.slice(2);
    entry.path = '/' + rest.join('/');

    let route: (typeof this.routes)[number] | undefined;
    let params: Record<string, string> | null = null;
    for (const r of this.routes) {
      if (r.method !== method) continue;
      params = match(r.segments, rest);
      if (params) {
        route = r;
        break;
      }
    }
    if (!route || !params) return this.write(res, entry, this.notFound(entry));
    if (route.auth && req.headers.authorization !== `Bot ${this.token}`) {
      return this.write(res, entry, { status: 401, body: { message: '401: Unauthorized', code: 0 } });
    }

    const invalid = this.checkSpec(entry, body, route.specSchema?.(params));
    if (invalid) return this.write(res, entry, invalid);

    const fault = this.takeFault(method, rest);
    if (fault && fault.status !== 'reset') return this.write(res, entry, faultReply(fault));
    if (fault && !fault.afterProcessing) {
      entry.status = -1;
      req.socket.destroy();
      return;
    }

    let headers: Record<string, string> = {};
    if (route.limited) {
      const template = `${method} ${route.pattern.replace(/:\w+/g, ':id')}`;
      const decision = this.limiter.take(template, Object.values(params)[0] ?? '');
      headers = decision.headers;
      if (!decision.ok) {
        return this.write(res, entry, {
          status: 429, headers, body: { message: 'You are being rate limited.', retry_after: decision.retryAfter, global: false },
        });
      }
    }
    const reply = route.handler({ method, path: entry.path, params, query: url.searchParams, body, files });
    if (fault) {
      // The write happened; only its answer is lost.
      entry.status = -1;
      entry.code = isObject(reply.body) && typeof reply.body.code === 'number' ? reply.body.code : undefined;
      req.socket.destroy();
      return;
    }
    this.write(res, entry, { ...reply, headers: { ...headers, ...reply.headers } });
  }

  /** Validates the body against the operation's request schema; a 50035 reply when it fails. */
  private checkSpec(entry: LoggedRequest, body: unknown, schema?: string): Reply | null {
    if (!this.specCheck || body === undefined) return null;
    const result = specChecker().check(entry.method, entry.path, body, schema);
    if (!result) return null;
    entry.operationId = result.operationId;
    this.specChecked.set(result.operationId, (this.specChecked.get(result.operationId) ?? 0) + 1);
    if (result.errors.length === 0) return null;
    this.specViolations.push({ method: entry.method, path: entry.path, operationId: result.operationId, errors: describeErrors(result.errors), body });
    return formError(errorTree(result.errors));
  }

  private notFound(entry: LoggedRequest): Reply {
    this.unknownRoutes.push(`${entry.method} ${entry.path}`);
    return { status: 404, body: { message: '404: Not Found', code: 0 } };
  }

  private write(res: ServerResponse, entry: LoggedRequest, reply: Reply): void {
    entry.status = reply.status;
    if (isObject(reply.body) && typeof reply.body.code === 'number' && reply.status >= 400) entry.code = reply.body.code;
    if (res.destroyed) return;
    // A 204 must carry no Content-Type: discord.js would try to parse the empty body as JSON.
    if (reply.status === 204 || reply.body === undefined) {
      res.writeHead(reply.status, reply.headers).end();
      return;
    }
    const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    const type = typeof reply.body === 'string' ? 'text/plain; charset=utf-8' : 'application/json';
    res.writeHead(reply.status, { ...reply.headers, 'Content-Type': type, 'Content-Length': String(Buffer.byteLength(text)) }).end(text);
  }
}

function faultReply(spec: Extract<FaultSpec, { status: number }>): Reply {
  if (spec.status !== 429) return { status: spec.status, body: `${spec.status}: fake-discord injected upstream error` };
  const retryAfter = spec.retryAfter ?? 0.1;
  const headers: Record<string, string> = {
    // Always present: @discordjs/rest reads only this header, and without it retries in a tight loop.
    'Retry-After': String(retryAfter),
    'X-RateLimit-Scope': spec.global ? 'global' : 'user',
  };
  if (spec.global) headers['X-RateLimit-Global'] = 'true';
  return { status: 429, headers, body: { message: 'You are being rate limited.', retry_after: retryAfter, global: spec.global ?? false } };
}
