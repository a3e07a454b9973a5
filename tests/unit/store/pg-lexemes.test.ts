// The Postgres lexemes (store/pg/lexemes.ts): the vectors fold each token as FTS5's unicode61
// does, whichever way they get there (Han text skips the fold as a whole).
import { describe, expect, it } from 'vitest';
import { ftsVector, lexeme, quoteLexeme, termsVector } from '../../../src/store/pg/lexemes.js';

// The vector as written token by token, the plain way: what the fast paths must equal.
function plainFts(title: string, body: string, facets: readonly string[]): string {
  const positions = new Map<string, string[]>();
  let pos = 0;
  const add = (tokens: string, weight: string) => {
    for (const t of tokens.split(' ').filter(Boolean)) {
      pos++;
      const list = positions.get(lexeme(t)) ?? [];
      positions.set(lexeme(t), list);
      if (list.length < 256) list.push(`${pos}${weight}`);
    }
  };
  add(title, 'A');
  pos++;
  add(body, 'B');
  const parts = [...positions].map(([lex, list]) => `${quoteLexeme(lex)}:${list.join(',')}`);
  for (const f of facets) if (!positions.has(f)) parts.push(quoteLexeme(lexeme(f)));
  return parts.join(' ');
}

describe('Postgres lexemes', () => {
  it('folds diacritics in any token of a text that has them, and leaves Han text as it is', () => {
    expect(ftsVector('嘉兴 兴市', '市秀', ['r330400']).text).toBe("'嘉兴':1A '兴市':2A '市秀':4B 'r330400'");
    expect(ftsVector('café 嘉兴', 'Über', []).text).toBe("'cafe':1A '嘉兴':2A 'Uber':4B");
    expect(termsVector('é e 新 新')).toBe("'e' '新'");
  });

  it('quotes what a literal needs quoted, and only that', () => {
    expect(quoteLexeme('新闻')).toBe("'新闻'");
    expect(quoteLexeme("it's")).toBe("'it''s'");
    expect(quoteLexeme('a\\b')).toBe("'a\\\\b'");
  });

  it('writes the same vectors as folding token by token, on random texts', () => {
    const chars = ['新', '闻', 'é', 'a', "'", '\\', ' ', ' ', 'Ü', 'k', 'ﬁ', 'ñ'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 2000; i++) {
      const text = Array.from({ length: Math.floor(next() * 24) }, () => chars[Math.floor(next() * chars.length)]).join('');
      const half = text.slice(0, Math.floor(text.length / 2));
      expect(ftsVector(half, text, ['fñ']).text).toBe(plainFts(half, text, ['fñ']));
      expect(termsVector(text)).toBe([...new Set(text.split(' ').filter(Boolean).map(lexeme))].map(quoteLexeme).join(' '));
    }
  });
});
