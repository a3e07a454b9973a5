// Reading feedparser's test-file headers and checking the `Expect:` expressions that map onto
// this project's fields. feedparser exposes sanitised HTML in titles and summaries; our
// items carry plain text, so expected values are compared after the same HTML-to-text step.
import type { ParsedFeed } from '../src/feeds/parse.js';
import { canonicalCharset } from '../src/text/charset.js';
import { htmlToText } from '../src/text/html-text.js';

export interface FileMeta {
  readonly description: string;
  readonly expect: string;
  readonly contentType: string | null;
}

/** The leading comment of a test file (ASCII, so zero bytes of UTF-16/32 can be dropped). */
export function readMeta(bytes: Uint8Array): FileMeta {
  const head = Buffer.from(Buffer.from(bytes.subarray(0, 8192)).filter((b) => b !== 0)).toString('latin1');
  const line = (name: string): string => new RegExp(`^${name}:[ \\t]*(.*)$`, 'm').exec(head)?.[1]?.trim() ?? '';
  const header = line('Header');
  const ct = /^content-type:\s*(.*)$/i.exec(header);
  return { description: line('Description'), expect: line('Expect'), contentType: ct ? ct[1]!.trim() : null };
}

/** A Python string literal ('…', "…", u'…') to its value; null if it is not one. */
export function pythonString(src: string): string | null {
  const m = /^u?(['"])([\s\S]*)\1$/.exec(src.trim());
  if (!m) return null;
  return m[2]!.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[nrt\\'"])/g, (_a, e: string) => {
    if (e[0] === 'x' || e[0] === 'u' || e[0] === 'U') return String.fromCodePoint(Number.parseInt(e.slice(1), 16));
    return ({ n: '\n', r: '\r', t: '\t' } as Record<string, string>)[e] ?? e;
  });
}

/** Splits on top-level " and " (not inside quotes or brackets). */
function conjuncts(expr: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let from = 0;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (depth === 0 && expr.startsWith(' and ', i)) {
      out.push(expr.slice(from, i).trim());
      from = i + 5;
    }
  }
  out.push(expr.slice(from).trim());
  return out.filter(Boolean);
}

export type Check = { kind: 'pass' } | { kind: 'fail'; detail: string; field: string; expected: string } | { kind: 'unmapped'; reason: string };

export interface Outcome {
  readonly feed: ParsedFeed | null;
  readonly charset: string;
  readonly asciiOnly: boolean;
}

const flat = (s: string | null | undefined): string => (s ?? '').replace(/\s+/g, ' ').trim();
const asText = (html: string): string => flat(htmlToText(html));

// Our fields for feedparser's names; anything else is reported by its name as unmapped.
const ENTRY_FIELD: Record<string, string> = { title: 'title', link: 'link', id: 'guid', guid: 'guid', description: 'text', summary: 'text', content: 'text' };
const WIDE = /^utf-(?:16|32)/;

function sameCharset(expected: string, actual: string, asciiOnly: boolean): boolean {
  const e = canonicalCharset(expected) ?? expected.toLowerCase();
  if (e === actual || (e.startsWith('utf-16') && actual.startsWith('utf-16')) || (e.startsWith('utf-32') && actual.startsWith('utf-32'))) return true;
  // Pure ASCII reads identically under every ASCII-compatible charset.
  return asciiOnly && !WIDE.test(e) && !WIDE.test(actual);
}

/** One `Expect:` conjunct against our result. */
function checkOne(term: string, o: Outcome): Check {
  if (/^(?:not )?bozo$/.test(term)) return { kind: 'unmapped', reason: 'bozo (well-formedness: counted as parsed/rejected)' };
  let m = /^encoding == (.+)$/.exec(term);
  if (m) {
    const want = pythonString(m[1]!);
    if (want === null) return { kind: 'unmapped', reason: 'encoding (non-literal)' };
    return sameCharset(want, o.charset, o.asciiOnly) ? { kind: 'pass' } : { kind: 'fail', field: 'encoding', expected: want, detail: `encoding ${o.charset}, expected ${want}` };
  }
  m = /^(feed|entries\[(\d+)\])(?:\[['"](\w+)['"]\]|\.(\w+))(\[0\]\[['"]value['"]\])? == (.+)$/.exec(term);
  if (!m) {
    const name = /^(?:feed|entries\[\d+\])(?:\[['"](\w+)['"]\]|\.(\w+))/.exec(term);
    const field = name ? (name[1] ?? name[2]) : term.split(/[\s([.]/)[0];
    return { kind: 'unmapped', reason: `${field}: not a simple equality` };
  }
  const [, scope, index, f1, f2, valueSuffix, literal] = m;
  const field = (f1 ?? f2)!;
  const want = pythonString(literal!);
  if (want === null) return { kind: 'unmapped', reason: `${field}: compared with a non-string value` };
  if (field === 'content' && !valueSuffix) return { kind: 'unmapped', reason: 'content: a list, not a value' };
  if (!o.feed) return { kind: 'fail', field, expected: want, detail: 'no parse' };
  if (scope === 'feed') {
    if (field !== 'title') return { kind: 'unmapped', reason: `feed.${field}: no such field here` };
    return flat(o.feed.title) === asText(want) || flat(o.feed.title) === flat(want) ? { kind: 'pass' } : { kind: 'fail', field, expected: want, detail: `feed title ${JSON.stringify(o.feed.title)}, expected ${JSON.stringify(want)}` };
  }
  const ours = ENTRY_FIELD[field];
  if (!ours) return { kind: 'unmapped', reason: `entries.${field}: no such field here` };
  const item = o.feed.items[Number(index)];
  if (!item) return { kind: 'fail', field, expected: want, detail: `no item ${index} (${o.feed.items.length} items)` };
  let got: string;
  let exp: string;
  if (ours === 'text') [got, exp] = [flat(item.text), asText(want)];
  else if (ours === 'title') [got, exp] = [flat(item.title), asText(want)];
  else [got, exp] = [flat(ours === 'link' ? item.link : item.guid), flat(want)];
  // feedparser gives HTML for HTML constructs and literal text for text ones: either matches ours.
  if (got === exp || got === flat(want)) return { kind: 'pass' };
  return { kind: 'fail', field, expected: want, detail: `${field} ${JSON.stringify(got.slice(0, 80))}, expected ${JSON.stringify(exp.slice(0, 80))}` };
}

export function checkExpect(expect: string, o: Outcome): Check[] {
  return conjuncts(expect).map((t) => checkOne(t, o));
}

export const expectsWellFormed = (expect: string): boolean => conjuncts(expect).includes('not bozo');

const BODY_TAGS = /<(?:description|summary|content|content:encoded|abstract)[\s>]/g;

/**
 * Why a failed check is a difference of design rather than a defect, or null. Each reason
 * follows from the file's structure or from feedparser's result, never from its name.
 */
export function differenceReason(c: Extract<Check, { kind: 'fail' }>, o: Outcome, wellFormed: boolean, source: string): string | null {
  if (c.detail === 'no parse' && !wellFormed) return 'ill-formed file rejected with a named error (feedparser reads it leniently)';
  if (c.detail.startsWith('no item') && o.feed?.warnings.some((w) => w.includes('neither a title nor any text'))) {
    return 'item with neither title nor text dropped (nothing to post)';
  }
  if (['summary', 'description', 'content'].includes(c.field) && (source.match(BODY_TAGS)?.length ?? 0) >= 2) {
    return 'one body per item: the richest of content, summary and description';
  }
  if (/^(?:title|summary|description|content)$/.test(c.field) && new RegExp(`<${c.field}[\\s>]`, 'i').test(source) && !new RegExp(`<${c.field}[\\s>]`).test(source)) {
    return 'element name in another case (XML names are case-sensitive; feedparser ignores case)';
  }
  if (/<|&[#\w]+;|-->/.test(c.expected) || /&lt;|<!\[CDATA\[[^\]]*</.test(source)) return "HTML reduced to text differently from feedparser's sanitiser (scripts, objects, comments dropped)";
  if (!wellFormed) return "ill-formed (bozo) file read differently from feedparser's lenient reading";
  return null;
}
