// RSSHub's route table (data/rsshub-routes.json, made by scripts/catalog-routes.ts) and a
// matcher for `{rsshub}/…` catalog URLs. RSSHub routes use Hono path syntax: `:name`,
// `:name?` (optional), `:name{regex}` (a pattern that may span slashes), `*`.

/** One route as the table stores it; absent fields mean "no restriction" / false. */
export interface RsshubRoute {
  readonly path: string;
  readonly name?: string;
  /** Allowed values for parameters the route restricts (an `options` enum or a documented list). */
  readonly values?: Readonly<Record<string, readonly string[]>>;
  readonly puppeteer?: boolean;
  readonly antiCrawler?: boolean;
  /** Config keys the route cannot run without. */
  readonly config?: readonly string[];
}

export interface RsshubRouteTable {
  readonly source: { readonly package: string; readonly version: string };
  readonly routes: readonly RsshubRoute[];
}

export interface PathParam {
  readonly name: string;
  readonly optional: boolean;
  readonly pattern: string | null; // the {regex}, when given
}

type Segment = { kind: 'literal'; text: string } | { kind: 'param'; param: PathParam; suffix: string } | { kind: 'star' };

/** Splits a route path into segments; slashes inside `{…}` belong to the pattern. */
export function parseRoutePath(path: string): Segment[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of path) {
    if (ch === '{') depth++;
    if (ch === '}') depth--;
    if (ch === '/' && depth === 0) {
      if (cur) parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur) parts.push(cur);
  return parts.map((p): Segment => {
    if (p === '*') return { kind: 'star' };
    const m = /^:([A-Za-z0-9_]+)(\{.*\})?(.*?)(\?)?$/s.exec(p);
    if (!m) return { kind: 'literal', text: p };
    const pattern = m[2] ? m[2].slice(1, -1) : null;
    return { kind: 'param', param: { name: m[1]!, optional: m[4] === '?', pattern }, suffix: m[3] ?? '' };
  });
}

export function routeParams(path: string): PathParam[] {
  return parseRoutePath(path).flatMap((s) => (s.kind === 'param' ? [s.param] : []));
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function toRegex(path: string): { re: RegExp; names: string[] } {
  const names: string[] = [];
  let src = '^';
  for (const seg of parseRoutePath(path)) {
    if (seg.kind === 'literal') src += `/${escape(seg.text)}`;
    else if (seg.kind === 'star') src += '(?:/.*)?';
    else {
      names.push(seg.param.name);
      const body = `(${seg.param.pattern ?? '[^/]+'})${escape(seg.suffix)}`;
      src += seg.param.optional ? `(?:/${body})?` : `/${body}`;
    }
  }
  return { re: new RegExp(`${src}/?$`, 's'), names };
}

export interface RouteMatch {
  readonly route: RsshubRoute;
  readonly params: Readonly<Record<string, string>>;
  /** Parameters whose value the route does not accept. */
  readonly rejected: readonly string[];
}

const literalCount = (path: string) => parseRoutePath(path).filter((s) => s.kind === 'literal').length;

/**
 * The routes a path (no host, no query) matches, most specific first: more literal
 * segments, then routes that accept every value, so `/people/paper/01` prefers the
 * paper route over the catch-all `/people/:site?/:category{.+}?`.
 */
export function matchRoute(table: RsshubRouteTable, rawPath: string): RouteMatch[] {
  const path = safeDecode(rawPath.split(/[?#]/)[0] ?? '');
  const found: RouteMatch[] = [];
  for (const route of table.routes) {
    const { re, names } = compiled(route.path);
    const m = re.exec(path);
    if (!m) continue;
    const params: Record<string, string> = {};
    names.forEach((n, i) => {
      const v = m[i + 1];
      if (v !== undefined) params[n] = v;
    });
    const rejected = Object.entries(route.values ?? {})
      .filter(([n, allowed]) => params[n] !== undefined && !allowed.includes(params[n]!))
      .map(([n]) => n);
    found.push({ route, params, rejected });
  }
  return found.sort(
    (a, b) => a.rejected.length - b.rejected.length || literalCount(b.route.path) - literalCount(a.route.path),
  );
}

const cache = new Map<string, { re: RegExp; names: string[] }>();
function compiled(path: string) {
  let c = cache.get(path);
  if (!c) cache.set(path, (c = toRegex(path)));
  return c;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
