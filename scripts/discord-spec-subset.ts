// Vendors the part of Discord's OpenAPI description (discord/discord-api-spec, MIT) that the
// fake Discord validates request bodies against, so the check runs on a clean clone without
// ../shared. Kept: the table of every operation (method, path template, operationId, whether
// it takes a JSON body), the JSON request-body schemas of the operations a news bot can call,
// and the component schemas those reach. Responses, examples and the rest are dropped.
//
//   npx tsx scripts/discord-spec-subset.ts [path/to/openapi.json] [out-dir]
//
// Defaults: ../shared/discord-api-spec/openapi.json → tests/fixtures/discord-spec/.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;
const REF = '#/components/schemas/';

/**
 * Path templates whose request bodies are vendored: what a bot posting to channels, forums
 * and threads, answering interactions and registering commands can send. A call outside
 * these is reported by the fake as "not vendored" so the list grows when the bot does.
 */
export const VENDORED_PREFIXES = [
  '/channels/',
  '/interactions/',
  '/webhooks/{webhook_id}/{webhook_token}',
  '/applications/{application_id}/commands',
  '/applications/{application_id}/guilds/{guild_id}/commands',
];

/**
 * Operations the fake Discord routes, and component schemas it validates a body against
 * directly (a forum post must take the CreateForumThreadRequest branch of `create_thread`,
 * whose anyOf would otherwise accept any `{name}`). Generation fails if the spec loses one,
 * so the fake never silently stops checking a route.
 */
export const REQUIRED_OPERATIONS = [
  'create_message', 'update_message', 'create_thread', 'create_thread_from_message', 'crosspost_message',
  'create_interaction_response', 'execute_webhook', 'update_original_webhook_message', 'update_webhook_message',
  'bulk_set_application_commands', 'bulk_set_guild_application_commands',
];
export const REQUIRED_SCHEMAS = ['CreateForumThreadRequest', 'CreateTextThreadWithMessageRequest', 'MessageEditRequestPartial'];

export interface SpecOperation {
  method: string;
  path: string;
  operationId: string;
  /** Whether the operation takes a JSON body; its schema is vendored when `vendored`. */
  body: boolean;
  vendored: boolean;
}

export interface SpecSubset {
  source: string;
  license: string;
  openapi: string;
  operations: SpecOperation[];
  /** operationId → `requestBody.content['application/json'].schema`. */
  requestBodies: Record<string, Json>;
  components: { schemas: Record<string, Json> };
}

const isObject = (v: Json | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

function collectRefs(node: Json | undefined, schemas: JsonObject, out: Set<string>): void {
  if (Array.isArray(node)) {
    for (const v of node) collectRefs(v, schemas, out);
    return;
  }
  if (!isObject(node)) return;
  const ref = node.$ref;
  if (typeof ref === 'string' && ref.startsWith(REF)) {
    const name = ref.slice(REF.length);
    if (!out.has(name)) {
      if (!(name in schemas)) throw new Error(`dangling $ref ${ref}`);
      out.add(name);
      collectRefs(schemas[name], schemas, out);
    }
  }
  for (const v of Object.values(node)) collectRefs(v, schemas, out);
}

export function subsetSpec(spec: JsonObject, source: string): SpecSubset {
  const paths = isObject(spec.paths) ? spec.paths : {};
  const components = isObject(spec.components) && isObject(spec.components.schemas) ? spec.components.schemas : {};
  const operations: SpecOperation[] = [];
  const requestBodies: Record<string, Json> = {};
  const reached = new Set<string>();
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    for (const method of METHODS) {
      const op = item[method];
      if (!isObject(op) || typeof op.operationId !== 'string') continue;
      const content = isObject(op.requestBody) && isObject(op.requestBody.content) ? op.requestBody.content : {};
      const json = isObject(content['application/json']) ? content['application/json'].schema : undefined;
      const vendored = json !== undefined && VENDORED_PREFIXES.some((p) => path.startsWith(p));
      operations.push({ method: method.toUpperCase(), path, operationId: op.operationId, body: json !== undefined, vendored });
      if (vendored && json !== undefined) {
        requestBodies[op.operationId] = json;
        collectRefs(json, components, reached);
      }
    }
  }
  const missing = [
    ...REQUIRED_OPERATIONS.filter((id) => !operations.some((op) => op.operationId === id)),
    ...REQUIRED_SCHEMAS.filter((name) => !reached.has(name)),
  ];
  if (missing.length > 0) throw new Error(`the spec lacks what the fake Discord validates against: ${missing.join(', ')}`);
  const schemas = Object.fromEntries([...reached].sort().map((name) => [name, components[name] as Json]));
  const info = isObject(spec.info) ? spec.info : {};
  return {
    source,
    license: 'MIT, Copyright 2023 Discord: see LICENSE in this folder. Trimmed copy, generated by scripts/discord-spec-subset.ts.',
    openapi: `${String(spec.openapi)} (API version ${String(info.version)})`,
    operations,
    requestBodies,
    components: { schemas },
  };
}

/** Stable text: the fixture is regenerated byte for byte from the same spec. */
export const renderSubset = (subset: SpecSubset): string => `${JSON.stringify(subset, null, 1)}\n`;

const here = dirname(fileURLToPath(import.meta.url));
export const DEFAULT_SPEC = resolve(here, '../../shared/discord-api-spec/openapi.json');
export const DEFAULT_OUT = resolve(here, '../tests/fixtures/discord-spec');
export const SOURCE = 'discord/discord-api-spec specs/openapi.json at commit 74fda0f';

function main(): void {
  const specPath = resolve(process.argv[2] ?? DEFAULT_SPEC);
  const outDir = resolve(process.argv[3] ?? DEFAULT_OUT);
  const spec = JSON.parse(readFileSync(specPath, 'utf8')) as JsonObject;
  const subset = subsetSpec(spec, SOURCE);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'requests.json'), renderSubset(subset));
  const licence = join(dirname(specPath), 'LICENSE');
  // Written, not copied: a copy would keep the read-only mode of the shared folder.
  if (existsSync(licence)) writeFileSync(join(outDir, 'LICENSE'), readFileSync(licence));
  const n = Object.keys(subset.requestBodies).length;
  console.log(`${n} request bodies, ${Object.keys(subset.components.schemas).length} component schemas, ${subset.operations.length} operations → ${outDir}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
