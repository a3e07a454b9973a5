import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileQuery, MAX_QUERY_LENGTH } from '../../../src/search/query-syntax.js';

const ok = (q: string) => {
  const c = compileQuery(q);
  if (!c.ok) throw new Error(`expected ok for ${q}: ${c.message}`);
  return c;
};

describe('compileQuery', () => {
  it('turns a Han run into a phrase of bigrams', () => {
    expect(ok('嘉兴市').match).toBe('("嘉兴 兴市")');
    expect(ok('嘉興').match).toBe(ok('嘉兴').match);
    expect(ok('嘉兴市').plan).toEqual({ table: 'fts', match: '("嘉兴 兴市")', require: [], exclude: [], positive: ['"嘉兴 兴市"'] });
  });

  it('makes a single character a prefix query, or a token of the character index', () => {
    const c = ok('嘉');
    expect(c.match).toBe('("嘉" *)');
    expect(c.plan).toEqual({ table: 'chars', match: '("嘉")' });
    expect(ok('嘉 app').plan).toEqual({ table: 'chars', match: '("嘉") AND ("app")' });
  });

  it('keeps non-ASCII words off the character index, where SQLite may split them into a phrase (found by fuzzing)', () => {
    // unicode61 (Unicode 6.1) reads ᦰ as a separator: "ꜗᦰ1" became the phrase "ꜗ 1", which
    // the position-free search_chars rejects with an SQLite error.
    const c = ok('ꜗᦰ¹𠀀');
    expect(c.plan).toEqual({ table: 'fts', match: '("ꜗᦰ1")', require: ['𠀀'], exclude: [], positive: ['"ꜗᦰ1"'] });
    const db = new Database(':memory:');
    db.exec("CREATE VIRTUAL TABLE f USING fts5(title, body, facets, content='', contentless_delete=1)");
    expect(() => db.prepare('SELECT rowid FROM f WHERE f MATCH ?').all(c.plan.match)).not.toThrow();
    db.close();
    expect(ok('café 市').plan.table).toBe('fts');
    expect(ok('cafe 市').plan.table).toBe('chars');
  });

  it('keeps Latin-only queries on the positional index, for bm25', () => {
    expect(ok('app').plan.table).toBe('fts');
  });

  it('checks single characters next to longer terms in the character index', () => {
    expect(ok('嘉兴 市').plan).toEqual({ table: 'fts', match: '("嘉兴")', require: ['市'], exclude: [], positive: ['"嘉兴"'] });
    expect(ok('嘉兴 -市').plan).toEqual({ table: 'fts', match: '("嘉兴")', require: [], exclude: ['市'], positive: ['"嘉兴"'] });
    expect(ok('嘉兴，市 市').plan).toMatchObject({ match: '("嘉兴")', require: ['市'] });
    // No positive longer term to drive the search: prefixes inline.
    expect(ok('市 -嘉兴').plan).toEqual({ table: 'fts', match: '(("市" *)) NOT ("嘉兴")', require: [], exclude: [], positive: ['"市" *'] });
  });

  it('ANDs parts, keeps Latin words and numbers whole, and excludes -words', () => {
    expect(ok('嘉兴 iPhone 15').match).toBe('("嘉兴") AND ("iphone") AND ("15")');
    expect(ok('嘉兴 -海宁').match).toBe('(("嘉兴")) NOT ("海宁")');
  });

  it('keeps a quoted phrase together, tokens in order', () => {
    expect(ok('"new york"').match).toBe('("new york")');
    expect(ok('“嘉兴 日报”').match).toBe('("嘉兴 兴 日报")');
    expect(ok('"iphone 新"').match).toBe('("iphone 新" *)');
    expect(ok('"iphone 新"').plan.table).toBe('fts');
  });

  it('gives the snippet maker the pieces to highlight', () => {
    expect(ok('嘉兴 iPhone -海宁').needles).toEqual([
      { text: '嘉兴', word: false },
      { text: 'iphone', word: true },
    ]);
    expect(ok('"new  york"').needles[0]).toEqual({ text: 'new york', word: false });
  });

  it.each([
    ['', 'empty-query'],
    ['   ', 'empty-query'],
    ['"', 'no-terms'],
    ['*', 'no-terms'],
    ['" * ^ : ( ) - + { }', 'no-terms'],
    ['😀🎉', 'no-terms'],
    ['\u200b\u200d', 'no-terms'],
    ['-嘉兴', 'no-terms'],
    ['嘉'.repeat(MAX_QUERY_LENGTH + 1), 'too-long'],
  ])('rejects %j as %s', (q, error) => {
    const c = compileQuery(q);
    expect(c.ok).toBe(false);
    if (!c.ok) {
      expect(c.error).toBe(error);
      expect(c.message.length).toBeGreaterThan(10);
    }
  });

  it('treats FTS5 operators as plain words', () => {
    expect(ok('a OR b').match).toBe('("a") AND ("or") AND ("b")');
    expect(ok('NEAR(嘉兴 海宁)').match).toBe('("near" AND "嘉兴") AND ("海宁")');
    expect(ok('title:嘉兴^').match).toBe('("title" AND "嘉兴")');
  });

  it('never yields an expression FTS5 rejects, whatever the input', () => {
    const db = new Database(':memory:');
    db.exec("CREATE VIRTUAL TABLE f USING fts5(title, body, facets, content='', contentless_delete=1)");
    db.exec("CREATE VIRTUAL TABLE c USING fts5(terms, content='', contentless_delete=1, detail=none)");
    const run = (table: string, match: string) => db.prepare(`SELECT rowid FROM ${table} WHERE ${table} MATCH ? LIMIT 1`).all(match);
    const pieces = fc.constantFrom('"', '*', '^', ':', '(', ')', '-', ' ', 'NEAR', 'OR', 'AND', 'NOT', '{', '}', '+', '嘉', '兴', '興', 'a', '1', '😀', '\u200b', '\u0000', '“', '」');
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.array(pieces, { maxLength: 30 }).map((a) => a.join(''))), (q) => {
        const c = compileQuery(q);
        if (!c.ok) return;
        run('f', c.match);
        if (c.plan.table === 'chars') run('c', c.plan.match);
        else {
          run('f', c.plan.match);
          for (const ch of [...c.plan.require, ...c.plan.exclude]) run('c', `"${ch}"`);
        }
      }),
      { numRuns: 500 },
    );
    db.close();
  });
});
