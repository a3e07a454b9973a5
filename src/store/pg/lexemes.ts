// The application's search tokens as Postgres lexemes. SQLite's FTS5 reads the token text with
// its unicode61 tokenizer, which folds case and strips diacritics from letters; the same fold is
// applied here to every lexeme written and every lexeme looked for, so `café` and `cafe` meet in
// both stores. Tokens are written as tsvector/tsquery literals, never through a text-search
// configuration: nothing is stemmed, split or dropped.

/** tsvector keeps positions up to this; later ones would all collapse onto it. */
export const MAX_POSITION = 16_383;
/** tsvector keeps at most this many positions of one lexeme; later ones are dropped. */
export const MAX_POSITIONS_PER_LEXEME = 256;

// Only a token holding a letter outside ASCII can change (Han, kana and Hangul are left alone).
const FOLDABLE = /[^\p{ASCII}\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/** The lexeme of one application token: diacritics removed, as unicode61 does. */
export function lexeme(token: string): string {
  if (!FOLDABLE.test(token)) return token;
  return token.normalize('NFD').replace(/\p{Mn}/gu, '').normalize('NFC');
}

/** A lexeme quoted for a tsvector or tsquery literal. */
export function quoteLexeme(lex: string): string {
  // Most lexemes (Han bigrams) hold neither character: no copies made for them.
  if (!lex.includes("'") && !lex.includes('\\')) return "'" + lex + "'";
  return `'${lex.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}

export interface BuiltVector {
  /** The tsvector literal. */
  readonly text: string;
  /** False when a position past tsvector's limits was lost (a phrase may not be provable). */
  readonly exact: boolean;
}

/**
 * The search_fts document: title tokens at positions 1…n (weight A), body tokens after a gap
 * of one position so no phrase spans the two (weight B), and the facets without positions
 * (matched only as single lexemes; they can never meet a text token).
 */
export function ftsVector(title: string, body: string, facets: readonly string[]): BuiltVector {
  // Each lexeme's entry is built as it goes ("'lex':1A,5B"), with how many positions it holds:
  // one string grown per lexeme rather than a list of position strings joined at the end.
  const entries = new Map<string, { text: string; count: number }>();
  let exact = true;
  let pos = 0;
  // Asked once of the whole text, not of each token: an article of Han text has nothing to fold.
  const fold = FOLDABLE.test(title) || FOLDABLE.test(body);
  const add = (tokens: string, weight: 'A' | 'B') => {
    if (!tokens) return;
    for (const t of tokens.split(' ')) {
      if (!t) continue;
      pos++;
      const lex = fold ? lexeme(t) : t;
      let entry = entries.get(lex);
      if (!entry) entries.set(lex, (entry = { text: quoteLexeme(lex), count: 0 }));
      if (pos > MAX_POSITION || entry.count >= MAX_POSITIONS_PER_LEXEME) {
        exact = false;
        continue;
      }
      entry.text += (entry.count++ === 0 ? ':' : ',') + pos + weight;
    }
  };
  add(title, 'A');
  pos++;
  add(body, 'B');
  let text = '';
  for (const entry of entries.values()) text += (text ? ' ' : '') + entry.text;
  for (const f of facets) if (!entries.has(f)) text += (text ? ' ' : '') + quoteLexeme(lexeme(f));
  return { text, exact };
}

/** The search_chars document: each distinct term once, no positions. */
export function termsVector(terms: string): string {
  const seen = new Set<string>();
  const fold = FOLDABLE.test(terms);
  let text = '';
  for (const t of terms.split(' ')) {
    if (!t) continue;
    const lex = fold ? lexeme(t) : t;
    if (seen.has(lex)) continue;
    seen.add(lex);
    text += (text ? ' ' : '') + quoteLexeme(lex);
  }
  return text;
}
