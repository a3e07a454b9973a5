// /news button state: what a custom id can carry, and what a stored search lets through.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../../commands/errors.js';
import { COMMON } from '../../../commands/i18n.js';
import { definition, MAX_QUERY } from '../../../commands/news.js';
import {
  decodeSaved, MAX_CUSTOM_ID, MAX_PAGE, openButton, pageId, parseButton, postId, saveSearch, SEARCH_TTL_MS,
  type ButtonRef, type SavedSearch,
} from '../../../commands/news-state.js';
import { MAX_QUERY_LENGTH } from '../../../src/search/query-syntax.js';
import { openDatabase, type Db } from '../../../src/store/database.js';
import type { SearchesPort } from '../../../src/store/ports.js';
import { createSqliteStore } from '../../../src/store/sqlite-store.js';

const OWNER = '584169327427584000';
const OTHER = '584169327427584001';
const T = Date.UTC(2025, 4, 1);
const SEARCH: SavedSearch = { kind: 'search', guild: '584169327427584999', query: '嘉興 "南湖" -台风', region: '330400', days: 7, since: T - 7 * 86_400_000, sort: 'relevance', script: 'tw' };

/** The error a call rejects with, to compare its text with the one users are shown. */
async function thrown(run: Promise<unknown>): Promise<UserError> {
  try {
    await run;
  } catch (e) {
    if (e instanceof UserError) return e;
    throw e;
  }
  throw new Error('nothing thrown');
}

describe('custom ids', () => {
  it('round-trip pages and posts', () => {
    expect(parseButton(pageId(OWNER, 'abcDEF_-12x', 3))).toEqual({ kind: 'page', owner: OWNER, key: 'abcDEF_-12x', page: 3 });
    expect(parseButton(postId(OWNER, 'abcDEF_-12x', 7, 123456))).toEqual({ kind: 'post', owner: OWNER, key: 'abcDEF_-12x', n: 7, storyId: 123456 });
  });

  it('stay within Discord’s 100 characters at their largest', () => {
    const owner = '9'.repeat(20);
    const key = 'k'.repeat(32);
    expect(pageId(owner, key, MAX_PAGE).length).toBeLessThanOrEqual(MAX_CUSTOM_ID);
    expect(postId(owner, key, MAX_PAGE, 999_999_999_999_999).length).toBeLessThanOrEqual(MAX_CUSTOM_ID);
  });

  it('reject anything this version did not write', () => {
    for (const id of [
      'news:p', 'news:p:1:abcdefgh', 'news:p:x:abcdefgh:1', 'news:p:1:abc:1', 'news:p:1:abcdefgh:-1', 'news:p:1:abcdefgh:10000',
      'news:p:1:abc:defgh:1', 'news:p:1:abcdefgh:1:extra', 'news:s:1:abcdefgh:1', 'news:s:1:abcdefgh:1:2:3', 'region:p:1:abcdefgh:1',
      ` news:p:1:abcdefgh:1`, 'news:p:1:abcdefgh:1\n', `news:p:${'1'.repeat(21)}:abcdefgh:1`,
    ]) {
      expect(parseButton(id), id).toBeNull();
    }
  });
});

describe('stored requests', () => {
  it('decode what was saved and refuse damaged or foreign rows', () => {
    expect(decodeSaved(JSON.stringify(SEARCH))).toEqual(SEARCH);
    expect(decodeSaved(JSON.stringify({ kind: 'latest', guild: null, region: '330400' }))).toEqual({ kind: 'latest', guild: null, region: '330400' });
    for (const bad of ['', 'null', '5', '[]', '{', JSON.stringify({ ...SEARCH, kind: 'other' }), JSON.stringify({ ...SEARCH, sort: 'oldest' }),
      JSON.stringify({ ...SEARCH, script: 'klingon' }), JSON.stringify({ ...SEARCH, since: 'yesterday' }), JSON.stringify({ ...SEARCH, query: 5 }),
      JSON.stringify({ ...SEARCH, days: 1.5 }), JSON.stringify({ kind: 'latest' }), JSON.stringify({ kind: 'latest', region: '330400' }), JSON.stringify({ ...SEARCH, guild: 5 })]) {
      expect(decodeSaved(bad), bad).toBeNull();
    }
  });
});

describe('opening a stored search from a button', () => {
  let db: Db;
  let repo: SearchesPort;
  beforeEach(() => {
    db = openDatabase(':memory:');
    repo = createSqliteStore(db).searches;
  });
  afterEach(() => db.close());

  const page = (owner: string, key: string, n = 1): ButtonRef => ({ kind: 'page', owner, key, page: n });

  it('gives the owner the search and its page cursors', async () => {
    const key = await saveSearch(repo, OWNER, SEARCH, 'cursor-1', T);
    expect(key).toMatch(/^[\w-]{11}$/);
    expect(await openButton(repo, page(OWNER, key), OWNER, T + 1000)).toEqual({ key, saved: SEARCH, pages: [null, 'cursor-1'] });
    await repo.setPageCursor(key, 2, 'cursor-2');
    // A cursor is only recorded next to pages already reached.
    await repo.setPageCursor(key, 9, 'cursor-9');
    expect((await repo.get(key))!.pages).toEqual([null, 'cursor-1', 'cursor-2']);
  });

  it('refuses anyone else, whether the id names the owner or the presser', async () => {
    const key = await saveSearch(repo, OWNER, SEARCH, null, T);
    expect((await thrown(openButton(repo, page(OWNER, key), OTHER, T))).text).toBe(COMMON.notYours);
    expect((await thrown(openButton(repo, page(OTHER, key), OTHER, T))).text).toBe(COMMON.notYours);
    expect((await thrown(openButton(repo, { kind: 'post', owner: OTHER, key, n: 1, storyId: 1 }, OTHER, T))).text).toBe(COMMON.notYours);
  });

  it('expires a search after its lifetime, an unknown key and a damaged row', async () => {
    const key = await saveSearch(repo, OWNER, SEARCH, null, T);
    await expect(openButton(repo, page(OWNER, key), OWNER, T + SEARCH_TTL_MS)).resolves.toMatchObject({ key });
    expect((await thrown(openButton(repo, page(OWNER, key), OWNER, T + SEARCH_TTL_MS + 1))).text).toBe(COMMON.expired);
    expect((await thrown(openButton(repo, page(OWNER, 'nosuchkey'), OWNER, T))).text).toBe(COMMON.expired);
    db.prepare("UPDATE searches SET request = '{oops' WHERE key = ?").run(key);
    expect((await thrown(openButton(repo, page(OWNER, key), OWNER, T))).text).toBe(COMMON.expired);
  });

  it('prunes expired searches when a new one is saved', async () => {
    const old = await saveSearch(repo, OWNER, SEARCH, null, T);
    const fresh = await saveSearch(repo, OWNER, SEARCH, null, T + SEARCH_TTL_MS + 1);
    expect(await repo.get(old)).toBeNull();
    expect(await repo.get(fresh)).not.toBeNull();
  });
});

describe('the /news definition', () => {
  it('lets Discord enforce the search’s own query limit', () => {
    expect(MAX_QUERY).toBe(MAX_QUERY_LENGTH);
    const query = definition.options[0].options[0];
    expect(query).toMatchObject({ name: 'query', max_length: MAX_QUERY_LENGTH, min_length: 1 });
  });
});
