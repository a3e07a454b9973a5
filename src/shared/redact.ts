// Secrets that must never reach a log line, wherever they sit in what is logged. An
// interaction token is a bearer credential for 15 minutes (anyone holding it can answer as
// the bot), and a webhook URL is one for ever; discord.js puts both into the `url` of its
// errors and the reply into `requestBody`, and errors nest (cause, errors[]). Key-based
// redaction alone misses a token inside a URL string, so strings are scrubbed too.

export const CENSOR = '[redacted]';

// /interactions/<id>/<token>/callback and /webhooks/<id>/<token>[/messages/…]: the id stays
// (it helps to follow one interaction through the logs), the token goes.
const PATH_TOKEN = /(\/(?:interactions|webhooks)\/[^/\s?#"'<>]+\/)([^/\s?#"'<>]+)/gi;
// A bot token (three base64url parts); interaction tokens start with base64("interaction:").
const BOT_TOKEN = /\b[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{20,}\b/g;
const INTERACTION_TOKEN = /aW50ZXJhY3Rpb246[A-Za-z0-9_-]+/g;
const AUTH_HEADER = /\b(Bot|Bearer)\s+[A-Za-z0-9._-]{10,}/g;

/** Field names whose values are secret, or are message bodies nobody needs in an error log. */
const SECRET_KEY = /^(?:token|authorization|cookie|set-cookie|password|secret|webhookurl|webhook_url|requestbody)$/i;

const MAX_DEPTH = 8;

export function scrubString(s: string): string {
  if (s.length === 0) return s;
  return s.replace(PATH_TOKEN, `$1${CENSOR}`).replace(INTERACTION_TOKEN, CENSOR).replace(BOT_TOKEN, CENSOR).replace(AUTH_HEADER, `$1 ${CENSOR}`);
}

/** An error as plain data: its own fields (url, requestBody, code …) included, then scrubbed. */
function errorData(e: Error, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  const out: Record<string, unknown> = { type: e.name, message: e.message, stack: e.stack };
  for (const key of Object.keys(e)) out[key] = (e as unknown as Record<string, unknown>)[key];
  if (e.cause !== undefined) out.cause = e.cause;
  if (e instanceof AggregateError) out.errors = e.errors;
  return scrubObject(out, depth, seen);
}

function scrubObject(obj: object, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(obj)) out[key] = SECRET_KEY.test(key) && value != null ? CENSOR : scrubValue(value, depth + 1, seen);
  return out;
}

/** A copy of `value` with every secret censored (cycles and depth bounded). */
export function scrubValue(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === 'string') return scrubString(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH) return '[too deep]';
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (value instanceof Error) return errorData(value, depth, seen);
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, depth + 1, seen));
  if (value instanceof URL) return scrubString(value.href);
  if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`;
  if (value instanceof Map) return scrubValue(Object.fromEntries(value), depth + 1, seen);
  if (value instanceof Set) return scrubValue([...value], depth + 1, seen);
  if (value instanceof Date) return value;
  // bigint fields are left to pino; plain objects and class instances are walked by their own keys.
  return scrubObject(value, depth, seen);
}
