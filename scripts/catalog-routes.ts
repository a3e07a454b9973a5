// Builds data/rsshub-routes.json, RSSHub's route table, from the `rsshub` package on npm:
//
//   npm run catalog:routes                          # newest published rsshub, packed into a temp dir
//   npm run catalog:routes -- --version 1.0.0-master.f99e982
//   npm run catalog:routes -- --package /path/to/unpacked/rsshub   # a copy you already have
//
// The package is never installed into this project (it is large and AGPL; we only call an
// RSSHub instance over HTTP). Without --package the script runs `npm pack rsshub@VERSION`
// into a temporary directory, unpacks it with tar, reads it and deletes it. The default
// version is the newest one published (by publish time): the `latest` dist-tag has lagged
// behind the `1.0.0-master.*` builds.
//
// Where the routes come from: the package's library build (dist-lib/) bundles RSSHub's
// generated route metadata (assets/build/routes.js) as a module that default-exports
// { namespace: { name, routes: { path: { parameters, features, description, module } } } }.
// Each `module` is a lazy `() => import(…)`, so importing that one file runs no route code.
// The output is committed; re-run to upgrade and review the diff.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RsshubRoute } from '../src/feeds/rsshub-routes.js';
import { routeParams } from '../src/feeds/rsshub-routes.js';

const OUT = new URL('../data/rsshub-routes.json', import.meta.url);

interface RawParam {
  description?: string;
  options?: { value: string; label?: string }[];
}
interface RawRoute {
  path: string | string[]; // one route may answer at several paths
  name?: string;
  parameters?: Record<string, string | RawParam>;
  description?: string;
  features?: { requirePuppeteer?: boolean; antiCrawler?: boolean; requireConfig?: false | { name: string; optional?: boolean }[] };
}
type RawTable = Record<string, { name?: string; routes: Record<string, RawRoute> }>;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function newestVersion(): string {
  const times = JSON.parse(execFileSync('npm', ['view', 'rsshub', 'time', '--json'], { encoding: 'utf8' })) as Record<string, string>;
  const versions = Object.entries(times).filter(([v]) => v !== 'created' && v !== 'modified');
  versions.sort((a, b) => Date.parse(b[1]) - Date.parse(a[1]));
  if (!versions[0]) throw new Error('npm view rsshub time returned no versions');
  return versions[0][0];
}

function packToTemp(version: string): { dir: string; cleanup: () => void } {
  const tmp = mkdtempSync(join(tmpdir(), 'rsshub-pkg-'));
  const cleanup = () => rmSync(tmp, { recursive: true, force: true });
  try {
    const name = execFileSync('npm', ['pack', `rsshub@${version}`, '--pack-destination', tmp, '--silent'], { encoding: 'utf8' }).trim().split('\n').pop()!;
    execFileSync('tar', ['-xzf', join(tmp, name), '-C', tmp]);
    return { dir: join(tmp, 'package'), cleanup };
  } catch (e) {
    cleanup();
    throw e;
  }
}

async function loadRoutes(pkgDir: string): Promise<RawTable> {
  const lib = join(pkgDir, 'dist-lib');
  const file = readdirSync(lib).find((f) => {
    if (!f.endsWith('.mjs')) return false;
    const text = readFileSync(join(lib, f), 'utf8');
    return text.includes('//#region assets/build/routes.js') && text.includes('as default');
  });
  if (!file) throw new Error(`no bundled route table (assets/build/routes.js) under ${lib}`);
  return ((await import(pathToFileURL(join(lib, file)).href)) as { default: RawTable }).default;
}

// A documented list restricts a parameter only when the parameter says "see the table"
// and does not also say other values can be found on the site (then the table is a sample).
const SEE_TABLE = /见下表|見下表|见下|見下|see (the )?(table|below)/i;
const OPEN_ENDED = /可在|可从|找到|URL|url|链接|網址|网址|填入|获取|例如|更多|such as|can be found/i;
const ID_LIKE = /^[A-Za-z0-9_.~\-/]*$/;

/** Values a route's description lists for a parameter in markdown tables, or undefined. */
function documentedValues(spec: string | RawParam | undefined, description: string | undefined, all: RawRoute['parameters']): string[] | undefined {
  const text = typeof spec === 'string' ? spec : spec?.description;
  if (!text || !description || !SEE_TABLE.test(text) || OPEN_ENDED.test(text)) return undefined;
  // Two parameters pointing at "the table" leave it unclear which table is whose.
  const pointing = Object.values(all ?? {}).filter((p) => SEE_TABLE.test(typeof p === 'string' ? p : (p.description ?? '')));
  if (pointing.length !== 1) return undefined;
  const values: string[] = [];
  for (const table of markdownTables(description)) {
    const [header, ...body] = table;
    if (!header || body.length === 0) continue;
    if (body.length === 1 && header.some((c) => !ID_LIKE.test(c))) {
      // Horizontal: labels in the header, values in the one row below.
      if (body[0]!.every((c) => ID_LIKE.test(c))) values.push(...body[0]!);
      continue;
    }
    // Vertical: the one column whose cells are all identifiers holds the values.
    const cols = header.map((_, i) => i).filter((i) => body.every((r) => ID_LIKE.test(r[i] ?? '')) && body.some((r) => r[i]));
    if (cols.length === 1) values.push(...body.map((r) => r[cols[0]!] ?? ''));
  }
  const nonEmpty = values.filter(Boolean);
  return nonEmpty.length ? nonEmpty : undefined;
}

/** Markdown tables as rows of trimmed cells, without the separator row. */
function markdownTables(md: string): string[][][] {
  const tables: string[][][] = [];
  let cur: string[][] = [];
  for (const line of md.split('\n')) {
    const t = line.trim();
    if (t.startsWith('|')) {
      const cells = t.replace(/^\||\|$/g, '').split('|').map((c) => c.trim().replace(/^`|`$/g, ''));
      if (!cells.every((c) => /^:?-+:?$/.test(c))) cur.push(cells);
    } else if (cur.length) {
      tables.push(cur);
      cur = [];
    }
  }
  if (cur.length) tables.push(cur);
  return tables;
}

function convert(ns: string, nsName: string | undefined, raw: RawRoute, sub: string): RsshubRoute {
  const path = `/${ns}${sub === '/' ? '' : sub}`;
  const values: Record<string, string[]> = {};
  const params = routeParams(sub);
  for (const p of params) {
    const spec = raw.parameters?.[p.name];
    const options = typeof spec === 'object' ? spec.options?.map((o) => String(o.value)) : undefined;
    const listed = options?.length ? options : documentedValues(spec, raw.description, raw.parameters);
    if (listed?.length) values[p.name] = [...new Set(listed)];
  }
  const f = raw.features ?? {};
  const config = Array.isArray(f.requireConfig) ? f.requireConfig.filter((c) => !c.optional).map((c) => c.name) : [];
  return {
    path,
    name: [nsName, raw.name].filter(Boolean).join(' · '),
    ...(Object.keys(values).length ? { values } : {}),
    ...(f.requirePuppeteer ? { puppeteer: true } : {}),
    ...(f.antiCrawler ? { antiCrawler: true } : {}),
    ...(config.length ? { config } : {}),
  };
}

async function main(): Promise<void> {
  const given = arg('package');
  const version = given ? undefined : (arg('version') ?? newestVersion());
  const pkg = given ? { dir: given, cleanup: () => {} } : packToTemp(version!);
  try {
    const meta = JSON.parse(readFileSync(join(pkg.dir, 'package.json'), 'utf8')) as { version: string };
    const raw = await loadRoutes(pkg.dir);
    const byPath = new Map<string, RsshubRoute>();
    for (const [ns, v] of Object.entries(raw)) {
      for (const r of Object.values(v.routes)) {
        for (const sub of Array.isArray(r.path) ? r.path : [r.path]) {
          const route = convert(ns, v.name, r, sub);
          // The same route object is listed once per path it answers; keep the first.
          if (!byPath.has(route.path)) byPath.set(route.path, route);
        }
      }
    }
    const routes = [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const head = {
      $comment: 'Generated by `npm run catalog:routes` (scripts/catalog-routes.ts) from the rsshub package on npm. Do not edit; re-run to upgrade.',
      source: { package: 'rsshub', version: meta.version },
    };
    // One route per line keeps the diff of an upgrade readable.
    const lines = routes.map((r) => JSON.stringify(r));
    writeFileSync(OUT, `${JSON.stringify(head).slice(0, -1)},"routes":[\n${lines.join(',\n')}\n]}\n`);
    const restricted = routes.filter((r) => r.values).length;
    console.log(`rsshub ${meta.version}: ${routes.length} routes (${restricted} with restricted parameter values, ${routes.filter((r) => r.puppeteer).length} puppeteer, ${routes.filter((r) => r.antiCrawler).length} anti-crawler) -> data/rsshub-routes.json`);
  } finally {
    pkg.cleanup();
  }
}

main().catch((e: unknown) => {
  console.error((e as Error).message);
  process.exitCode = 1;
});
