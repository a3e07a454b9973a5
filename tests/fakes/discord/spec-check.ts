// Every request body the bot sends, checked against Discord's own OpenAPI description
// (discord/discord-api-spec, MIT; trimmed copy in tests/fixtures/discord-spec, made by
// scripts/discord-spec-subset.ts). The hand-written limits in validate.ts say how Discord
// answers; this says whether the shape is one Discord defines at all: field types, enums,
// nesting, components, lengths the limits file never thought of.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import AjvModule, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import formatsModule from 'ajv-formats';
import { isObject, type JsonObject } from './types.js';

// ajv and ajv-formats are CommonJS: NodeNext types the default import as the module object,
// whose `default` is the class (at run time both are the same function).
const Ajv2020 = AjvModule.default;
const addFormats = formatsModule.default;

const FIXTURE = fileURLToPath(new URL('../../fixtures/discord-spec/requests.json', import.meta.url));
const SPEC_ID = 'https://discord.com/api/v10/openapi.json';

interface Operation {
  method: string;
  path: string;
  operationId: string;
  body: boolean;
  vendored: boolean;
}

interface Subset {
  operations: Operation[];
  requestBodies: Record<string, unknown>;
  components: { schemas: Record<string, unknown> };
}

export interface SpecViolation {
  method: string;
  /** The request path as sent, below `/api/v10`. */
  path: string;
  operationId: string;
  /** `instancePath message`, e.g. `/embeds/0/title must NOT have more than 256 characters`. */
  errors: string[];
  body: unknown;
}

export interface SpecResult {
  operationId: string;
  /** Empty when the body is valid. */
  errors: ErrorObject[];
}

/**
 * Fields the spec types differently from what Discord documents and accepts. Each widens the
 * spec's type rather than dropping the check, and says why.
 *
 * Permission bit sets (`default_member_permissions` of a command, `permissions` of a role,
 * `allow` / `deny` of an overwrite): the spec says integer, but Discord documents them as
 * "string (serialized bit set)" because they outgrow 2^53, and discord.js sends strings.
 * Discord accepts both; the string keeps the same non-negative decimal form.
 */
const PERMISSION_BIT_SETS = new Set(['default_member_permissions', 'permissions', 'allow', 'deny']);

function widenPermissionBitSets(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(widenPermissionBitSets);
    return;
  }
  if (!isObject(node)) return;
  const props = node.properties;
  if (isObject(props)) {
    for (const [name, schema] of Object.entries(props)) {
      const type = isObject(schema) ? schema.type : undefined;
      const integer = type === 'integer' || (Array.isArray(type) && type.includes('integer'));
      if (PERMISSION_BIT_SETS.has(name) && integer) {
        props[name] = { anyOf: [schema, { type: 'string', pattern: '^(0|[1-9][0-9]{0,19})$' }] };
      }
    }
  }
  for (const value of Object.values(node)) widenPermissionBitSets(value);
}

/**
 * Channel types: the spec's ChannelTypes stops at 15 (GUILD_FORUM), but Discord documents
 * 16 GUILD_MEDIA, and a command's channel option may offer it (`channel_types`). The enum is
 * widened by that one documented value.
 */
function addMediaChannelType(schemas: Record<string, unknown>): void {
  const types = schemas.ChannelTypes;
  if (!isObject(types) || !Array.isArray(types.oneOf)) return;
  if (!types.oneOf.some((t) => isObject(t) && t.const === 16)) types.oneOf.push({ title: 'GUILD_MEDIA', const: 16 });
}

const segments = (path: string): string[] => path.split('/').filter(Boolean);

class SpecChecker {
  private readonly ajv: InstanceType<typeof Ajv2020>;
  private readonly operations: Array<Operation & { segments: string[]; literals: number }>;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(subset: Subset) {
    widenPermissionBitSets(subset.components.schemas);
    widenPermissionBitSets(subset.requestBodies);
    addMediaChannelType(subset.components.schemas);
    // strict off: the spec carries OpenAPI keywords (`x-discord-union`, `discriminator`…) ajv does not know.
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
    addFormats(this.ajv);
    this.ajv.addFormat('snowflake', /^(0|[1-9][0-9]*)$/);
    // A nonce is any string up to 25 characters; the schema already bounds its length.
    this.ajv.addFormat('nonce', true);
    this.ajv.addSchema({ $id: SPEC_ID, components: subset.components, requestBodies: subset.requestBodies });
    this.operations = subset.operations.map((op) => {
      const segs = segments(op.path);
      return { ...op, segments: segs, literals: segs.filter((s) => !s.startsWith('{')).length };
    });
    // `/messages/@original` must win over `/messages/{message_id}`: most literal segments first.
    this.operations.sort((a, b) => b.literals - a.literals);
  }

  operation(method: string, path: string): Operation | undefined {
    const segs = segments(path);
    return this.operations.find(
      (op) => op.method === method && op.segments.length === segs.length && op.segments.every((s, i) => s.startsWith('{') || s === segs[i]),
    );
  }

  /**
   * undefined when the spec has no JSON body for this call (or knows no such call).
   * `schema` names a component schema that replaces the operation's request body: the
   * branch of a union the call must take (a forum post must be a CreateForumThreadRequest,
   * though `create_thread`'s anyOf also lets any `{name}` through as a thread without message).
   */
  check(method: string, path: string, body: unknown, schema?: string): SpecResult | undefined {
    const op = this.operation(method, path);
    if (!op || !op.body) return undefined;
    if (!op.vendored) {
      const message = `no vendored schema for ${op.operationId}: add its path to VENDORED_PREFIXES in scripts/discord-spec-subset.ts`;
      return { operationId: op.operationId, errors: [{ instancePath: '', schemaPath: '', keyword: 'vendored', params: {}, message }] };
    }
    const pointer = schema ? `${SPEC_ID}#/components/schemas/${schema}` : `${SPEC_ID}#/requestBodies/${op.operationId}`;
    let validate = this.compiled.get(pointer);
    if (!validate) {
      validate = this.ajv.getSchema(pointer);
      if (!validate) throw new Error(`fake-discord: cannot compile ${pointer}`);
      this.compiled.set(pointer, validate);
    }
    const operationId = schema ? `${op.operationId} (${schema})` : op.operationId;
    return { operationId, errors: validate(body) ? [] : [...(validate.errors ?? [])] };
  }
}

let shared: SpecChecker | undefined;

/** One checker per process: the schemas are read and each operation compiled once. */
export function specChecker(): SpecChecker {
  shared ??= new SpecChecker(JSON.parse(readFileSync(FIXTURE, 'utf8')) as Subset);
  return shared;
}

/**
 * The errors worth showing. A union (`oneOf` / `anyOf`) that fails reports every branch;
 * the branch that got deepest into the body is the one the sender meant.
 */
export function relevantErrors(errors: ErrorObject[]): ErrorObject[] {
  const leaves = errors.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf');
  if (leaves.length === 0) return errors;
  const depth = (e: ErrorObject): number => e.instancePath.split('/').length;
  const deepest = Math.max(...leaves.map(depth));
  return leaves.filter((e) => depth(e) === deepest);
}

export const describeErrors = (errors: ErrorObject[]): string[] =>
  relevantErrors(errors).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}${e.keyword === 'const' || e.keyword === 'enum' ? ` ${JSON.stringify(e.params)}` : ''}`);

/** The codes Discord puts in a 50035 tree for the failures a schema can name. */
function discordError(e: ErrorObject): { code: string; message: string } {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'maxLength':
    case 'maxItems':
    case 'maxProperties':
      return { code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${String(p.limit)} or fewer in length.` };
    case 'minLength':
    case 'minItems':
      return { code: 'BASE_TYPE_MIN_LENGTH', message: `Must be ${String(p.limit)} or more in length.` };
    case 'required':
      return { code: 'BASE_TYPE_REQUIRED', message: 'This field is required' };
    case 'enum':
    case 'const':
      return { code: 'BASE_TYPE_CHOICES', message: `Value must be one of ${JSON.stringify(p.allowedValues ?? p.allowedValue)}.` };
    case 'maximum':
      return { code: 'NUMBER_TYPE_MAX', message: `Value should be less than or equal to ${String(p.limit)}.` };
    case 'minimum':
      return { code: 'NUMBER_TYPE_MIN', message: `Value should be greater than or equal to ${String(p.limit)}.` };
    case 'format':
      return p.format === 'uri' ? { code: 'URL_TYPE_INVALID_URL', message: 'Not a well formed URL.' } : { code: 'BASE_TYPE_BAD_FORMAT', message: e.message ?? 'Invalid format.' };
    default:
      return { code: 'BASE_TYPE_INVALID', message: e.message ?? 'Invalid value.' };
  }
}

/** Discord's nested `errors` tree (`embeds → 0 → title → _errors`) for a 50035 answer. */
export function errorTree(errors: ErrorObject[]): JsonObject {
  const tree: JsonObject = {};
  for (const e of relevantErrors(errors)) {
    const path = e.instancePath.split('/').filter(Boolean).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    if (e.keyword === 'required') path.push(String((e.params as { missingProperty?: string }).missingProperty));
    let node = tree;
    for (const key of path) {
      if (!isObject(node[key])) node[key] = {};
      node = node[key] as JsonObject;
    }
    ((node._errors ??= []) as unknown[]).push(discordError(e));
  }
  return tree;
}
