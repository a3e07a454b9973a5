// Outgoing messages in Discord's API shape, without discord.js: the delivery layer builds
// plain objects and the Discord adapter posts them as they are. Discord checks most limits
// only on its side (50035), so everything here is measured and fitted before sending.
import { isPublicHostname } from '../shared/addresses.js';
import { sentenceSpans } from '../text/sentences.js';

export interface EmbedField {
  name: string;
  value: string;
  inline?: boolean;
}

export interface Embed {
  title?: string;
  url?: string;
  description?: string;
  color?: number;
  fields?: EmbedField[];
  footer?: { text: string };
  author?: { name: string; url?: string };
  timestamp?: string; // ISO 8601
  /** The article's picture, by address: Discord's proxy fetches it; nothing is uploaded. */
  image?: { url: string };
  thumbnail?: { url: string };
}

export interface OutgoingMessage {
  content?: string;
  embeds: Embed[];
  /** Nobody is pinged from text; a subscription's role, when it has one, is the only exception. */
  allowed_mentions: { parse: []; roles?: string[] };
}

// Discord documents its limits in "characters" without saying how astral characters count;
// UTF-16 units are never fewer than code points, so counting them is the safe side.
export const LIMITS = {
  content: 2000,
  embeds: 10,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  authorName: 256,
  total: 6000,
  // Not a documented figure: longer links have been refused, and no news URL needs more.
  url: 2048,
} as const;

/** What Discord adds up towards the 6000 limit, in UTF-16 units. */
export function embedLength(embed: Embed): number {
  let n = (embed.title?.length ?? 0) + (embed.description?.length ?? 0);
  for (const f of embed.fields ?? []) n += f.name.length + f.value.length;
  return n + (embed.footer?.text.length ?? 0) + (embed.author?.name.length ?? 0);
}

/** Total over all embeds of a message (the content has its own limit). */
export function messageLength(msg: OutgoingMessage): number {
  return msg.embeds.reduce((n, e) => n + embedLength(e), 0);
}

const blank = (s: string | undefined): boolean => s === undefined || /^\s*$/u.test(s);
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * True for an absolute http(s) URL Discord will take as a link and readers may be sent to:
 * links come from feeds, so one with credentials, or to a private or metadata address (a
 * reader's router, an intranet name), is not published as clickable.
 */
export function isLinkUrl(url: string): boolean {
  if (url.length > LIMITS.url || /\s/.test(url)) return false;
  try {
    const u = new URL(url);
    return (u.protocol === 'http:' || u.protocol === 'https:') && !u.username && !u.password && isPublicHostname(u.hostname);
  } catch {
    return false;
  }
}

function checkText(problems: string[], where: string, text: string | undefined, max: number, required: boolean): void {
  if (text === undefined) return;
  if (required && blank(text)) problems.push(`${where} is empty`);
  if (text.length > max) problems.push(`${where} has ${text.length} characters (max ${max})`);
  // JSON cannot carry half a surrogate pair; Discord answers with a parse error.
  if (LONE_SURROGATE.test(text)) problems.push(`${where} contains a lone surrogate`);
}

/** Everything Discord would refuse about this message; empty when it can be sent. */
export function validateMessage(msg: OutgoingMessage): string[] {
  const problems: string[] = [];
  if (!Array.isArray(msg.allowed_mentions?.parse) || msg.allowed_mentions.parse.length > 0) {
    problems.push('mentions must be disabled (allowed_mentions.parse = [])');
  }
  // A role may be pinged only when the content mentions exactly that role (a subscription's ping).
  const roles = msg.allowed_mentions?.roles ?? [];
  if (roles.length > 1 || (roles.length === 1 && !(msg.content ?? '').includes(`<@&${roles[0]}>`))) {
    problems.push('a ping names exactly the one role its content mentions');
  }
  checkText(problems, 'content', msg.content, LIMITS.content, false);
  if (msg.embeds.length > LIMITS.embeds) problems.push(`${msg.embeds.length} embeds (max ${LIMITS.embeds})`);
  if (blank(msg.content) && msg.embeds.length === 0) problems.push('message is empty');
  msg.embeds.forEach((e, i) => {
    const at = `embed ${i}`;
    checkText(problems, `${at} title`, e.title, LIMITS.title, false);
    checkText(problems, `${at} description`, e.description, LIMITS.description, false);
    checkText(problems, `${at} footer`, e.footer?.text, LIMITS.footer, true);
    checkText(problems, `${at} author`, e.author?.name, LIMITS.authorName, true);
    const fields = e.fields ?? [];
    if (fields.length > LIMITS.fields) problems.push(`${at} has ${fields.length} fields (max ${LIMITS.fields})`);
    fields.forEach((f, j) => {
      checkText(problems, `${at} field ${j} name`, f.name, LIMITS.fieldName, true);
      checkText(problems, `${at} field ${j} value`, f.value, LIMITS.fieldValue, true);
    });
    if (blank(e.title) && blank(e.description) && fields.length === 0 && blank(e.footer?.text) && blank(e.author?.name)) {
      problems.push(`${at} has no text`);
    }
    if (e.url !== undefined && !isLinkUrl(e.url)) problems.push(`${at} url is not an http(s) link`);
    if (e.author?.url !== undefined && !isLinkUrl(e.author.url)) problems.push(`${at} author url is not an http(s) link`);
    for (const [name, media] of [['image', e.image], ['thumbnail', e.thumbnail]] as const) {
      if (media !== undefined && !isLinkUrl(media.url)) problems.push(`${at} ${name} url is not an http(s) link`);
    }
    if (e.color !== undefined && !(Number.isInteger(e.color) && e.color >= 0 && e.color <= 0xffffff)) {
      problems.push(`${at} color ${e.color} is not a 24-bit RGB value`);
    }
    if (e.timestamp !== undefined && !(ISO.test(e.timestamp) && !Number.isNaN(Date.parse(e.timestamp)))) {
      problems.push(`${at} timestamp ${e.timestamp} is not ISO 8601`);
    }
  });
  const total = messageLength(msg);
  if (total > LIMITS.total) problems.push(`embeds total ${total} characters (max ${LIMITS.total})`);
  return problems;
}

// ---- Fitting text into a limit ----

/** Characters that must not be left dangling at the end of a cut. */
const CLAUSE = new Set([...'，、,：:；;']);
const OPENERS = /[\s“‘「『（(【《〈〔［[｢"'—-]+$/u;
const SENTENCE_SHARE = 0.4; // a sentence end this far into the room is worth the loss
const CLAUSE_SHARE = 0.6;

let graphemes: Intl.Segmenter | undefined;

/** Largest grapheme boundary ≤ `at` (never inside a pair, a ZWJ sequence or a combining run). */
function graphemeBoundary(text: string, at: number): number {
  graphemes ??= new Intl.Segmenter('und', { granularity: 'grapheme' });
  let best = 0;
  // Boundaries before `at` do not depend on what follows far beyond it.
  for (const { index, segment } of graphemes.segment(text.slice(0, at + 64))) {
    if (index + segment.length > at) break;
    best = index + segment.length;
  }
  // A single huge cluster (a flood of combining marks) has no boundary inside: fall back to
  // code points, which at least keeps surrogate pairs whole.
  if (best === 0 && at > 0) {
    const c = text.charCodeAt(at);
    best = c >= 0xdc00 && c <= 0xdfff && at > 0 ? at - 1 : at;
  }
  return best;
}

function unitIndexOfCodePoint(text: string, count: number): number {
  let i = 0;
  for (let seen = 0; seen < count && i < text.length; seen++) {
    const c = text.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < text.length ? 2 : 1;
  }
  return i;
}

const codePoints = (s: string): number => [...s].length;

/**
 * Fits text into `max` units (UTF-16 for Discord's limits, code points for a reader's
 * budget). A cut lands on the last sentence end that keeps enough of the text, else a
 * clause mark or a space, else a grapheme boundary, and is marked with "…".
 */
export function clipText(text: string, max: number, unit: 'utf16' | 'codePoint' = 'utf16'): string {
  const limit = Math.max(0, Math.floor(max));
  const size = unit === 'utf16' ? text.length : codePoints(text);
  if (size <= limit) return text;
  if (limit === 0) return '';
  // Room for the text before the ellipsis, as a UTF-16 index.
  const room = unit === 'utf16' ? limit - 1 : unitIndexOfCodePoint(text, limit - 1);
  if (room <= 0) return '…';
  let cut = -1;
  // Look a little past the room so a "." before a digit or inside a URL is judged right.
  const window = text.slice(0, room + 1000);
  const spans = sentenceSpans(window);
  if (window.length < text.length) spans.pop(); // ends where the window does, not the text
  for (const [, end] of spans) if (end <= room && end >= room * SENTENCE_SHARE) cut = end;
  if (cut >= 0) return `${text.slice(0, cut)}…`;
  for (let i = room - 1; i >= room * CLAUSE_SHARE && cut < 0; i--) {
    if (CLAUSE.has(text[i]!) || /\s/.test(text[i]!)) cut = i;
  }
  if (cut >= 0) {
    // Drop the mark and any opening bracket or quote left with nothing after it.
    let head = text.slice(0, cut).replace(OPENERS, '');
    while (head.length > 0 && CLAUSE.has(head[head.length - 1]!)) head = head.slice(0, -1).replace(OPENERS, '');
    if (head.length > 0) return `${head}…`;
  }
  return `${text.slice(0, graphemeBoundary(text, room)).replace(/\u200d+$/, '')}…`;
}

// ---- Markdown-safe text ----

/**
 * Makes text inert as Discord markdown: a title cannot close a link or open a code block,
 * and @everyone/@here are broken with a zero-width space (mentions are off anyway, but the
 * text should not read as one either).
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_~|[\]()<>]/g, '\\$&')
    // Line-start markers; a backslash before a digit would show, so a list number gets "1\."
    .replace(/^(\s*)([-#>+])(?=\s)/gm, '$1\\$2')
    .replace(/^(\s*\d+)\.(?=\s)/gm, '$1\\.')
    .replace(/@(everyone|here)/gi, '@\u200b$1');
}

/** Escaped text within `max` UTF-16 units, cut on the raw text so no escape is split. */
export function fitEscaped(raw: string, max: number): string {
  let limit = max;
  for (;;) {
    const out = escapeMarkdown(clipText(raw, limit));
    if (out.length <= max) return out;
    limit -= out.length - max;
  }
}

/** Items joined within `max`, the ones that did not fit (and `hidden`) counted by `more`. */
export function fitList(items: readonly string[], sep: string, max: number, more: (n: number) => string, hidden = 0): string {
  const kept: string[] = [];
  let used = 0;
  for (let i = 0; i < items.length; i++) {
    const rest = items.length - i - 1 + hidden;
    const add = (kept.length ? sep.length : 0) + items[i]!.length;
    const tail = rest > 0 ? sep.length + more(rest).length : 0;
    if (used + add + tail > max) break;
    kept.push(items[i]!);
    used += add;
  }
  const left = items.length - kept.length + hidden;
  return left > 0 ? [...kept, more(left)].join(sep) : kept.join(sep);
}
