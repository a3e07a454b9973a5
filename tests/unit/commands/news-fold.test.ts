import { describe, expect, it } from 'vitest';
import { storyPage, type Found } from '../../../commands/news-fold.js';
import type { SearchHit, SearchResponse } from '../../../src/search/request.js';

const hit = (articleId: number, storyId: number): SearchHit => ({
  articleId, storyId, title: `t${articleId}`, url: null, feedId: `f${articleId}`, feedName: `feed ${articleId}`,
  publishedAt: null, firstSeenAt: 0, regions: [], snippet: '',
});

/** An index of articles (story id each), paged by position; records every request. */
function index(stories: number[], fail: Set<number> = new Set()) {
  const asked: { from: number; limit: number }[] = [];
  const page = (from: number, limit: number): Found => {
    asked.push({ from, limit });
    const items = stories.slice(from, from + limit).map((s, i) => hit(from + i, s));
    return { ok: true, items, nextCursor: from + limit < stories.length ? String(from + limit) : null };
  };
  return {
    asked,
    first: (from: number) => async (limit: number) => page(from, limit),
    more: async (cursor: string, limit: number): Promise<SearchResponse> => (fail.has(Number(cursor)) ? { ok: false, error: 'too-broad', message: 'x' } : page(Number(cursor), limit)),
  };
}

describe('/news search pages of stories', () => {
  it('folds articles of one story into one row and fills the page from the next hits', async () => {
    const ix = index([1, 1, 2, 1, 3, 4, 5, 6, 7]);
    const p = await storyPage(ix.first(0), ix.more, 5, new Set());
    expect(p.items.map((h) => h.storyId)).toEqual([1, 2, 3, 4, 5]);
    expect(p.items[0]!.articleId).toBe(0); // the first hit of a story stands for it
    // Never more hits than free rows: the next page starts right after the last one used.
    expect(ix.asked).toEqual([{ from: 0, limit: 5 }, { from: 5, limit: 2 }]);
    expect(p.nextCursor).toBe('7');
  });

  it('skips stories earlier pages showed', async () => {
    const ix = index([1, 2, 3, 2, 4]);
    const p = await storyPage(ix.first(0), ix.more, 5, new Set([2]));
    expect(p.items.map((h) => h.storyId)).toEqual([1, 3, 4]);
    expect(p.nextCursor).toBeNull();
  });

  it('ends the page with what it has when a later round fails or after a few rounds', async () => {
    const failing = index([1, 1, 1, 2, 3, 4], new Set([3]));
    const p = await storyPage(failing.first(0), failing.more, 3, new Set());
    expect(p.items.map((h) => h.storyId)).toEqual([1]);
    expect(p.nextCursor).toBe('3');
    const dupes = index(Array(50).fill(9));
    const q = await storyPage(dupes.first(0), dupes.more, 5, new Set());
    expect(q.items.map((h) => h.storyId)).toEqual([9]);
    expect(dupes.asked.length).toBeLessThanOrEqual(4);
    expect(q.nextCursor).not.toBeNull();
  });
});
