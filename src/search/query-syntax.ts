// User query → FTS5 MATCH expressions. Every token is quoted, so `"`, `*`, `^`, `:`,
// parentheses and AND/OR/NOT/NEAR in the input are only characters: bad input yields an
// error value, never an exception or a different query.
import { normalizeForMatch } from '../text/script.js';
import { pushSegmentTokens, segment, type Segment } from './tokens.js';

/** Longest query accepted, in UTF-16 units; longer input is a mistake, not a search. */
export const MAX_QUERY_LENGTH = 200;

/**
 * How many terms one query may have. Each single character and each excluded word is a
 * doclist read over the whole range a search walks; a common one matches most articles,
 * so thirty of them made one search read tens of millions of index entries. A user who
 * needs more narrows with a longer word, a region or a date instead.
 */
export const QUERY_BOUNDS = { maxSingleChars: 6, maxExcluded: 6, maxTerms: 12 } as const;

/** What the snippet maker looks for in the normalized text. `word`: whole words only. */
export interface Needle {
  readonly text: string;
  readonly word: boolean;
}

/**
 * How to run the query. `chars`: only single characters and words, answered by the
 * position-free search_chars table. `fts`: search_fts for `match`, plus single characters
 * to require or exclude, which the runner either adds as prefixes (`"字" *`, cheap for a
 * rare character) or checks per candidate in search_chars (cheap for a common one).
 */
export type QueryPlan =
  | { readonly table: 'chars'; readonly match: string }
  | {
      readonly table: 'fts';
      readonly match: string;
      readonly require: readonly string[];
      readonly exclude: readonly string[];
      /** The positive parts of `match`, each a MATCH expression: what relevance weighs. */
      readonly positive: readonly string[];
    };

export type CompiledQuery =
  | {
      readonly ok: true;
      readonly plan: QueryPlan;
      /** The whole query as one search_fts expression (single characters as prefixes). */
      readonly match: string;
      readonly needles: readonly Needle[];
    }
  | { readonly ok: false; readonly error: 'empty-query' | 'too-long' | 'no-terms' | 'too-many-terms'; readonly message: string };

interface Part {
  readonly text: string;
  readonly quoted: boolean;
  readonly negated: boolean;
}

const QUOTES = new Set(['"', '“', '”', '「', '」', '『', '』']);
const SPACE = /\s/u;

/** Splits user input into parts: whitespace separates, quotes group, a leading '-' negates. */
function splitParts(q: string): Part[] {
  const parts: Part[] = [];
  let i = 0;
  while (i < q.length) {
    while (i < q.length && SPACE.test(q[i]!)) i++;
    if (i >= q.length) break;
    let negated = false;
    if (q[i] === '-' && i + 1 < q.length && !SPACE.test(q[i + 1]!)) {
      negated = true;
      i++;
    }
    if (QUOTES.has(q[i]!)) {
      // An unbalanced quote runs to the end of the input rather than failing.
      let j = i + 1;
      while (j < q.length && !QUOTES.has(q[j]!)) j++;
      parts.push({ text: q.slice(i + 1, j), quoted: true, negated });
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < q.length && !SPACE.test(q[j]!) && !QUOTES.has(q[j]!)) j++;
    parts.push({ text: q.slice(i, j), quoted: false, negated });
    i = j;
  }
  return parts;
}

const quote = (t: string) => `"${t.replaceAll('"', '""')}"`;
const isChar = (s: Segment): s is Segment & { cjk: true } => s.cjk && s.chars.length === 1;

/** One unquoted segment: bigram phrase, single-character prefix, or whole word. */
function segmentExpr(s: Segment): string {
  if (!s.cjk) return quote(s.text);
  if (s.chars.length === 1) return `${quote(s.chars[0]!)} *`;
  const bigrams: string[] = [];
  for (let i = 1; i < s.chars.length; i++) bigrams.push(s.chars[i - 1]! + s.chars[i]!);
  return quote(bigrams.join(' '));
}

/**
 * A quoted phrase: the document token stream of its text, so adjacent words must be
 * adjacent in the article. A trailing CJK run drops its single-character token (the
 * article's run may go on); a trailing single character becomes a prefix.
 */
function phraseExpr(segs: readonly Segment[]): string {
  if (segs.length === 1) return segmentExpr(segs[0]!);
  const tokens: string[] = [];
  for (const s of segs) pushSegmentTokens(s, tokens);
  const last = segs[segs.length - 1]!;
  let prefix = false;
  if (last.cjk) {
    if (last.chars.length > 1) tokens.pop();
    else prefix = true;
  }
  return quote(tokens.join(' ')) + (prefix ? ' *' : '');
}

function joinBoolean(positive: readonly string[], negative: readonly string[]): string {
  let match = positive.map((p) => `(${p})`).join(' AND ');
  for (const n of negative) match = `(${match}) NOT (${n})`;
  return match;
}

function needlesOf(part: Part, segs: readonly Segment[]): Needle[] {
  const each = segs.map((s) => (s.cjk ? { text: s.chars.join(''), word: false } : { text: s.text, word: true }));
  // The whole phrase is preferred where it occurs verbatim; its pieces cover other spellings.
  return part.quoted && segs.length > 1 ? [{ text: part.text.trim().replace(/\s+/gu, ' '), word: false }, ...each] : each;
}

/** Compiles user input; see QueryPlan for how the result is run. */
export function compileQuery(input: string): CompiledQuery {
  if (input.length > MAX_QUERY_LENGTH) {
    return { ok: false, error: 'too-long', message: `The query is too long (at most ${MAX_QUERY_LENGTH} characters).` };
  }
  // Control characters separate; format characters (zero-width) vanish, as in documents.
  // eslint-disable-next-line no-control-regex
  const cleaned = input.replace(/[\u0000-\u001f\u007f-\u009f]/gu, ' ');
  if (cleaned.trim() === '') return { ok: false, error: 'empty-query', message: 'Type something to search for.' };

  const all = { pos: [] as string[], neg: [] as string[] }; // whole query, prefixes inline
  const main = { pos: [] as string[], neg: [] as string[] }; // without separable single characters
  const chars = { pos: [] as string[], neg: [] as string[], ok: true, single: false };
  const require: string[] = [];
  const exclude: string[] = [];
  const needles: Needle[] = [];
  const counts = { terms: 0, excluded: 0, chars: new Set<string>() };
  for (const part of splitParts(normalizeForMatch(cleaned))) {
    const segs = segment(part.text);
    if (segs.length === 0) continue;
    counts.terms += segs.length;
    if (part.negated) counts.excluded++;
    // Inside a quoted phrase a character is part of the phrase, not a lookup of its own.
    if (!part.quoted || segs.length === 1) for (const s of segs) if (isChar(s)) counts.chars.add(s.chars[0]!);
    const phrase = part.quoted && segs.length > 1;
    const expr = phrase ? phraseExpr(segs) : segs.map(segmentExpr).join(' AND ');
    if (phrase || segs.some((s) => s.cjk && s.chars.length > 1)) chars.ok = false;
    // search_chars keeps no positions, so a word its tokenizer splits is a phrase it cannot
    // run. unicode61 reads Unicode 6.1 tables, where some of today's letters (ᦰ) are
    // separators: only ASCII words are sure to stay one token there.
    if (segs.some((s) => !s.cjk && /\P{ASCII}/u.test(s.text))) chars.ok = false;
    if (segs.some(isChar)) chars.single = true;
    const charsExpr = segs.map((s) => quote(s.cjk ? s.chars[0]! : s.text)).join(' AND ');
    if (part.negated) {
      all.neg.push(expr);
      chars.neg.push(charsExpr);
      if (segs.length === 1 && isChar(segs[0]!)) exclude.push(segs[0].chars[0]!);
      else main.neg.push(expr);
      continue;
    }
    all.pos.push(expr);
    chars.pos.push(charsExpr);
    needles.push(...needlesOf(part, segs));
    if (phrase) main.pos.push(expr);
    else
      for (const s of segs) {
        if (isChar(s)) require.push(s.chars[0]!);
        else main.pos.push(segmentExpr(s));
      }
  }
  const { maxSingleChars, maxExcluded, maxTerms } = QUERY_BOUNDS;
  if (counts.chars.size > maxSingleChars || counts.excluded > maxExcluded || counts.terms > maxTerms) {
    return {
      ok: false,
      error: 'too-many-terms',
      message: `Too many separate terms: use at most ${maxSingleChars} single characters, ${maxExcluded} excluded words and ${maxTerms} terms in all (a longer word narrows better).`,
    };
  }
  if (all.pos.length === 0) {
    return {
      ok: false,
      error: 'no-terms',
      message: all.neg.length
        ? 'Add at least one word to look for; a query of only excluded words matches nothing.'
        : 'The query has no letters, digits or Chinese characters to search for.',
    };
  }
  const match = joinBoolean(all.pos, all.neg);
  let plan: QueryPlan;
  if (chars.ok && chars.single) plan = { table: 'chars', match: joinBoolean(chars.pos, chars.neg) };
  else if (main.pos.length > 0) {
    plan = { table: 'fts', match: joinBoolean(main.pos, main.neg), require: [...new Set(require)], exclude: [...new Set(exclude)], positive: main.pos };
  } else plan = { table: 'fts', match, require: [], exclude: [], positive: all.pos };
  return { ok: true, plan, match, needles };
}
