import { afterEach, describe, expect, it } from 'vitest';
import { keyBase, MAX_SHIFT_KEY, recordedShift, sortTime } from '../../../../src/store/sqlite-search/index-writer.js';
import { createArticlesRepo } from '../../../../src/store/articles-repo.js';
import { createTestStore, T0, type TestStore, withAncestors } from '../../../helpers/articles.js';

let store: TestStore;
afterEach(() => store?.close());

const docs = (s: TestStore) => s.db.prepare('SELECT doc, article_id AS articleId, at FROM search_docs ORDER BY doc').all() as { doc: number; articleId: number; at: number }[];
const ftsHas = (s: TestStore, match: string) => s.db.prepare('SELECT rowid FROM search_fts WHERE search_fts MATCH ?').pluck().all(match) as number[];

describe('sortTime', () => {
  it('uses the publication time, unless missing or in the future', () => {
    expect(sortTime(1000, 5000)).toBe(1000);
    expect(sortTime(null, 5000)).toBe(5000);
    expect(sortTime(5000 + 2 * 3_600_000, 5000)).toBe(5000);
  });
});

describe('createSearchIndex', () => {
  it('keys articles by time, so a late backlog item sorts among its peers', () => {
    store = createTestStore();
    const a = store.add({ title: '新', body: '嘉兴', publishedAt: T0 + 3_600_000 });
    const b = store.add({ title: '旧', body: '嘉兴', publishedAt: T0 - 86_400_000 });
    const rows = docs(store);
    expect(rows.map((r) => r.articleId)).toEqual([b.articleId, a.articleId]);
    expect(rows[0]!.doc).toBe(keyBase(T0 - 86_400_000));
  });

  it('gives colliding times the next free keys and records the largest shift', () => {
    store = createTestStore();
    for (let i = 0; i < 70; i++) store.add({ title: `同一时刻 ${i}`, publishedAt: T0, firstSeenAt: T0 + 1000 });
    const keys = docs(store).map((r) => r.doc);
    expect(new Set(keys).size).toBe(70);
    expect(keys[0]).toBe(keyBase(T0));
    expect(keys[69]).toBe(keyBase(T0) + 69);
    expect(store.db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(MAX_SHIFT_KEY)).toBe('69');
  });

  it('records a large shift rounded up to a coarse grid, never below the shift used', () => {
    for (const shift of [0, 1, 69, 256, 257, 1000, 4097, 99_999]) {
      const r = recordedShift(shift);
      expect(r).toBeGreaterThanOrEqual(shift);
      expect(r).toBeLessThanOrEqual(shift <= 256 ? shift : Math.ceil(shift * 1.125));
    }
    store = createTestStore();
    for (let i = 0; i < 300; i++) store.add({ title: `同一时刻 ${i}`, publishedAt: T0, firstSeenAt: T0 + 1000 });
    const keys = docs(store).map((r) => r.doc);
    expect(new Set(keys).size).toBe(300);
    const recorded = Number(store.db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(MAX_SHIFT_KEY));
    expect(recorded).toBeGreaterThanOrEqual(Math.max(...keys) - keyBase(T0));
  });

  it('replaces an article’s rows when it is indexed again', () => {
    store = createTestStore();
    const { articleId } = store.add({ title: '标题', body: '嘉兴' });
    store.index.indexArticle({ id: articleId, title: '标题', body: '海宁' });
    expect(ftsHas(store, '"嘉兴"')).toEqual([]);
    expect(ftsHas(store, '"海宁"')).toHaveLength(1);
    expect(docs(store)).toHaveLength(1);
  });

  it('moves the key when the article’s time changes', () => {
    store = createTestStore();
    const { articleId } = store.add({ title: '标题', body: '嘉兴', publishedAt: T0 });
    store.db.prepare('UPDATE articles SET published_at = ? WHERE id = ?').run(T0 - 86_400_000, articleId);
    store.index.indexArticle({ id: articleId, title: '标题', body: '嘉兴' });
    expect(docs(store).map((r) => r.doc)).toEqual([keyBase(T0 - 86_400_000)]);
    expect(ftsHas(store, '"嘉兴"')).toEqual([keyBase(T0 - 86_400_000)]);
  });

  it('removes an article from both indexes on request and when its row is deleted', () => {
    store = createTestStore();
    const a = store.add({ title: '甲', body: '嘉兴' });
    const b = store.add({ title: '乙', body: '嘉兴' });
    store.index.removeArticle(a.articleId);
    expect(docs(store).map((r) => r.articleId)).toEqual([b.articleId]);
    store.db.prepare('DELETE FROM articles WHERE id = ?').run(b.articleId);
    expect(docs(store)).toEqual([]);
    expect(ftsHas(store, '"嘉兴"')).toEqual([]);
    expect(store.db.prepare("SELECT rowid FROM search_chars WHERE search_chars MATCH '\"嘉\"'").all()).toEqual([]);
  });

  it('marks articles stale when their story’s regions change, and refreshes them', () => {
    store = createTestStore();
    const { articleId, storyId } = store.add({ title: '新闻', body: '内容', regions: ['330481'] });
    createArticlesRepo(store.db).addRegions(storyId, [{ code: '320000', confidence: 0.5, source: 'body' }]);
    expect(store.db.prepare('SELECT article_id FROM search_stale').pluck().all()).toEqual([articleId]);
    expect(store.index.refreshStale()).toBe(1);
    expect(ftsHas(store, '"\uE000320000"')).toHaveLength(1);
    expect(store.db.prepare('SELECT count(*) FROM search_stale').pluck().get()).toBe(0);
  });

  it('marks an article stale when its stored text changes, but not for an untouched update', () => {
    store = createTestStore();
    const { articleId } = store.add({ title: '新闻', body: '内容' });
    store.db.prepare('UPDATE articles SET title = title, summary = ? WHERE id = ?').run('摘要', articleId);
    expect(store.db.prepare('SELECT count(*) FROM search_stale').pluck().get()).toBe(0);
    store.db.prepare('UPDATE articles SET body = ? WHERE id = ?').run('全文提到海宁', articleId);
    store.index.refreshStale();
    expect(ftsHas(store, '"海宁"')).toHaveLength(1);
  });

  it('writes the region facets in code order whatever order the regions were added in, then the feed', () => {
    store = createTestStore();
    const { articleId, storyId } = store.add({ title: '新闻', body: '内容', regions: ['330481'] });
    createArticlesRepo(store.db).addRegions(storyId, [
      { code: '320000', confidence: 0.5, source: 'body' },
      { code: '110000', confidence: 0.5, source: 'body' },
    ]);
    store.index.indexArticle({ id: articleId, title: '新闻', body: '内容' });
    store.db.exec('CREATE VIRTUAL TABLE temp.fts_terms USING fts5vocab(main, search_fts, instance)');
    const facets = store.db.prepare("SELECT term FROM temp.fts_terms WHERE col = 'facets' ORDER BY offset").pluck().all() as string[];
    const regions = facets.slice(0, -1);
    expect(regions).toEqual([...regions].sort());
    expect(regions).toEqual(expect.arrayContaining(['\uE000110000', '\uE000320000', '\uE000330481']));
    expect(facets.at(-1)!.startsWith('\uE001')).toBe(true);
    expect(store.db.prepare('SELECT count(*) FROM search_stale').pluck().get()).toBe(0);
  });

  it('refuses to index an article that is not stored', () => {
    store = createTestStore();
    expect(() => store.index.indexArticle({ id: 999, title: 'x', body: 'y' })).toThrow(/not stored/u);
  });
});

describe('indexNewArticle', () => {
  // Everything FTS5 holds, read back through fts5vocab (instance: term, doc, column, offset).
  function indexed(s: TestStore) {
    s.db.exec("CREATE VIRTUAL TABLE v_fts USING fts5vocab('search_fts', 'instance'); CREATE VIRTUAL TABLE v_chars USING fts5vocab('search_chars', 'instance')");
    return {
      docs: docs(s),
      fts: s.db.prepare('SELECT term, doc, col, offset FROM v_fts ORDER BY doc, col, offset, term').all(),
      chars: s.db.prepare('SELECT term, doc FROM v_chars ORDER BY doc, term').all(),
    };
  }

  it('writes the rows indexArticle writes, from the facts given instead of read back', () => {
    const articles = [
      { title: '嘉兴市召开安全生产工作会议', body: '海宁 Haining 2025年', regions: ['330481', '330402'], publishedAt: T0 },
      { title: '消息1', body: '', regions: [], publishedAt: null },
      { title: '同一时刻', body: '秀洲区', regions: ['330411'], publishedAt: T0 },
    ];
    const byRead = createTestStore();
    for (const a of articles) byRead.add({ ...a, feedId: 'f', firstSeenAt: T0 + 1000 });
    store = createTestStore();
    store.addFeed('f');
    const insertStory = store.db.prepare('INSERT INTO stories (title_key, published_at, first_seen_at) VALUES (?, ?, ?)');
    const insertRegion = store.db.prepare("INSERT INTO story_regions (story_id, code, confidence, source) VALUES (?, ?, 1.0, 'feed')");
    const insertArticle = store.db.prepare("INSERT INTO articles (feed_id, story_id, item_key, title, html, text, published_at, first_seen_at, script) VALUES ('f', ?, ?, ?, '', ?, ?, ?, 'simplified')");
    articles.forEach((a, i) =>
      store.db.transaction(() => {
        const storyId = Number(insertStory.run(a.title, a.publishedAt, T0 + 1000).lastInsertRowid);
        // Given with a repeat, as enrichment's tags may name a code twice.
        const codes = a.regions.flatMap(withAncestors);
        for (const c of new Set(codes)) insertRegion.run(storyId, c);
        const id = Number(insertArticle.run(storyId, `k${i}`, a.title, a.body, a.publishedAt, T0 + 1000).lastInsertRowid);
        store.index.indexNewArticle({ id, title: a.title, body: a.body, feedId: 'f', publishedAt: a.publishedAt, firstSeenAt: T0 + 1000, regionCodes: [...codes, ...codes.slice(0, 1)] });
      })(),
    );
    const expected = indexed(byRead);
    byRead.close();
    expect(expected.fts.length).toBeGreaterThan(10);
    expect(indexed(store)).toEqual(expected);
  });

  it('runs only inside the transaction that stored the article', () => {
    store = createTestStore();
    const { articleId } = store.add({ title: '标题', body: '嘉兴' });
    expect(() => store.index.indexNewArticle({ id: articleId, title: '标题', body: '嘉兴', feedId: 'jiaxing-daily', publishedAt: T0, firstSeenAt: T0, regionCodes: [] })).toThrow(/inside the transaction/);
  });
});
