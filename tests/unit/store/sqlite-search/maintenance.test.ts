import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyRetention, optimize, type OptimizeProgress } from '../../../../src/store/sqlite-search/maintenance.js';
import { createSearch } from '../../../../src/store/sqlite-search/query.js';
import { createTestStore, T0, type TestStore } from '../../../helpers/articles.js';

const DAY = 86_400_000;
let store: TestStore;
let dir: string | null = null;
afterEach(() => {
  store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

describe('optimize', () => {
  it('runs every step on a file database and reports each', () => {
    dir = mkdtempSync(join(tmpdir(), 'xiangxun-search-'));
    store = createTestStore(join(dir, 'test.db'));
    for (let i = 0; i < 30; i++) store.add({ title: `嘉兴新闻 ${i}`, body: '海宁市召开会议。'.repeat(20) });
    const seen: OptimizeProgress[] = [];
    const result = optimize(store.db, (p) => seen.push(p));
    expect(seen.filter((p) => p.phase === 'done').map((p) => p.step)).toEqual(['refresh', 'merge-index', 'merge-chars', 'analyze', 'vacuum']);
    expect(result.afterBytes).toBeGreaterThan(0);
    const { search } = createSearch(store.db);
    const res = search({ query: '嘉兴', limit: 25 });
    expect(res.ok && res.items.length).toBe(25);
  });
});

describe('applyRetention', () => {
  it('keeps everything by default', () => {
    store = createTestStore();
    store.add({ title: '很旧', publishedAt: T0 - 1000 * DAY });
    expect(applyRetention(store.db, 0, T0)).toEqual({ articles: 0, stories: 0, storiesKept: 0 });
  });

  it('removes old articles, their stories and their index rows', () => {
    store = createTestStore();
    store.add({ title: '嘉兴旧闻', publishedAt: T0 - 400 * DAY, firstSeenAt: T0 - 400 * DAY, regions: ['330400'] });
    store.add({ title: '嘉兴无日期旧闻', publishedAt: null, firstSeenAt: T0 - 500 * DAY });
    const fresh = store.add({ title: '嘉兴新闻', publishedAt: T0 - DAY, firstSeenAt: T0 - DAY });
    const r = applyRetention(store.db, 365 * DAY, T0);
    expect(r).toEqual({ articles: 2, stories: 2, storiesKept: 0 });
    const { search } = createSearch(store.db);
    const res = search({ query: '嘉兴', limit: 25 });
    expect(res.ok && res.items.map((h) => h.articleId)).toEqual([fresh.articleId]);
    expect(store.db.prepare('SELECT count(*) FROM search_docs').pluck().get()).toBe(1);
    expect(store.db.prepare('SELECT count(*) FROM story_regions').pluck().get()).toBe(0);
  });

  it('keeps a story that still has a newer article, pointing it at that article', () => {
    store = createTestStore();
    const old = store.add({ title: '旧来源', publishedAt: T0 - 400 * DAY });
    const newer = store.add({ title: '新来源', publishedAt: T0 - DAY, storyId: old.storyId });
    store.db.prepare('UPDATE stories SET primary_article_id = ? WHERE id = ?').run(old.articleId, old.storyId);
    expect(applyRetention(store.db, 365 * DAY, T0).articles).toBe(1);
    expect(store.db.prepare('SELECT primary_article_id FROM stories WHERE id = ?').pluck().get(old.storyId)).toBe(newer.articleId);
  });
});
