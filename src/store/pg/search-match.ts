// Runs a search MATCH expression on the Postgres index. The search layer compiles user input
// into FTS5 MATCH syntax (src/search/query-syntax.ts); that output is a small, fully quoted
// language — phrases "a b", a prefix "字" *, AND, OR, NOT and parentheses — translated here to
// a tsquery over the same tokens, so both stores answer one compiled query alike:
//   "北京 京天"   → '北京' <-> '京天'   (a Han string is the phrase of its bigrams)
//   "字" *        → '字':*              (bigrams starting with it, and a run's last character)
//   A NOT B       → A & !B
import type { PgQueryable } from './connection.js';
import { lexeme, quoteLexeme } from './lexemes.js';

type Node =
  | { readonly k: 'phrase'; readonly tokens: readonly string[]; readonly prefix: boolean }
  | { readonly k: 'and' | 'or' | 'not'; readonly a: Node; readonly b: Node };

export class MatchSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MatchSyntaxError';
  }
}

type Tok = { t: 'str'; v: string } | { t: 'op'; v: 'AND' | 'OR' | 'NOT' | '(' | ')' | '*' };

function lex(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === ' ' || c === '\t' || c === '\n') i++;
    else if (c === '"') {
      let v = '';
      i++;
      for (;;) {
        if (i >= src.length) throw new MatchSyntaxError('unterminated string');
        if (src[i] === '"') {
          if (src[i + 1] === '"') {
            v += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        v += src[i++];
      }
      out.push({ t: 'str', v });
    } else if (c === '(' || c === ')' || c === '*') {
      out.push({ t: 'op', v: c });
      i++;
    } else {
      const m = /^(AND|OR|NOT)\b/u.exec(src.slice(i));
      if (!m) throw new MatchSyntaxError(`unexpected ${JSON.stringify(c)} at ${i}`);
      out.push({ t: 'op', v: m[1] as 'AND' | 'OR' | 'NOT' });
      i += m[1]!.length;
    }
  }
  return out;
}

/** Parses the MATCH language; precedence as in FTS5: NOT, then AND (also implicit), then OR. */
export function parseMatch(src: string): Node {
  const toks = lex(src);
  let p = 0;
  const peek = () => toks[p];
  const isOp = (v: string) => peek()?.t === 'op' && peek()!.v === v;
  const primary = (): Node => {
    const t = toks[p++];
    if (!t) throw new MatchSyntaxError('unexpected end');
    if (t.t === 'op' && t.v === '(') {
      const e = or();
      if (!isOp(')')) throw new MatchSyntaxError('missing )');
      p++;
      return e;
    }
    if (t.t !== 'str') throw new MatchSyntaxError(`unexpected ${t.v}`);
    const prefix = isOp('*');
    if (prefix) p++;
    const tokens = t.v.split(/\s+/u).filter(Boolean).map(lexeme);
    if (tokens.length === 0) throw new MatchSyntaxError('empty phrase');
    return { k: 'phrase', tokens, prefix };
  };
  const not = (): Node => {
    let a = primary();
    while (isOp('NOT')) {
      p++;
      a = { k: 'not', a, b: primary() };
    }
    return a;
  };
  const startsPrimary = () => peek() !== undefined && (peek()!.t === 'str' || isOp('('));
  const and = (): Node => {
    let a = not();
    for (;;) {
      if (isOp('AND')) p++;
      else if (!startsPrimary()) break;
      a = { k: 'and', a, b: not() };
    }
    return a;
  };
  const or = (): Node => {
    let a = and();
    while (isOp('OR')) {
      p++;
      a = { k: 'or', a, b: and() };
    }
    return a;
  };
  const e = or();
  if (p !== toks.length) throw new MatchSyntaxError('trailing input');
  return e;
}

const hasPhrase = (n: Node): boolean => (n.k === 'phrase' ? n.tokens.length > 1 : hasPhrase(n.a) || hasPhrase(n.b));

/**
 * The tsquery of a node. `loose`: phrases as plain AND, for articles whose positions were cut
 * (exact = false). A negated phrase cannot be loosened without excluding too much, so it is left
 * out there: such an article may be found where it should not, never missed.
 */
function toTsquery(n: Node, loose: boolean): string {
  switch (n.k) {
    case 'phrase': {
      const parts = n.tokens.map(quoteLexeme);
      if (n.prefix) parts[parts.length - 1] += ':*';
      return parts.length === 1 ? parts[0]! : `(${parts.join(loose ? ' & ' : ' <-> ')})`;
    }
    case 'and':
      return `(${toTsquery(n.a, loose)} & ${toTsquery(n.b, loose)})`;
    case 'or':
      return `(${toTsquery(n.a, loose)} | ${toTsquery(n.b, loose)})`;
    case 'not':
      if (loose && hasPhrase(n.b)) return toTsquery(n.a, loose);
      return `(${toTsquery(n.a, loose)} & !${toTsquery(n.b, false)})`;
  }
}

export interface MatchSql {
  /** A boolean SQL condition on search_docs (alias-free) using parameters $from, $from+1. */
  readonly where: string;
  readonly params: readonly string[];
}

/** The search_docs condition for a MATCH expression over search_fts (the tokens column). */
export function matchCondition(match: string, from = 1): MatchSql {
  const node = parseMatch(match);
  const strict = toTsquery(node, false);
  if (!hasPhrase(node)) return { where: `tokens @@ $${from}::tsquery`, params: [strict] };
  return {
    where: `(tokens @@ $${from}::tsquery OR (NOT exact AND tokens @@ $${from + 1}::tsquery))`,
    params: [strict, toTsquery(node, true)],
  };
}

/** The search_docs condition for a MATCH expression over search_chars (the terms column). */
export function charsCondition(match: string, from = 1): MatchSql {
  return { where: `terms @@ $${from}::tsquery`, params: [toTsquery(parseMatch(match), true)] };
}

export interface MatchedDoc {
  readonly doc: number;
  readonly articleId: number;
}

/** Newest first: up to `limit` documents matching, with keys below `before` when given. */
export async function newestMatches(
  db: PgQueryable,
  match: string,
  opts: { limit: number; before?: number | null; table?: 'fts' | 'chars' },
): Promise<MatchedDoc[]> {
  const cond = opts.table === 'chars' ? charsCondition(match, 3) : matchCondition(match, 3);
  const r = await db.query<{ doc: number; article_id: number }>(
    `SELECT doc, article_id FROM search_docs WHERE ${cond.where} AND doc < $1 ORDER BY doc DESC LIMIT $2`,
    [opts.before ?? Number.MAX_SAFE_INTEGER, opts.limit, ...cond.params],
  );
  return r.rows.map((row) => ({ doc: row.doc, articleId: row.article_id }));
}
