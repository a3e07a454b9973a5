import { afterEach, describe, expect, it } from 'vitest';
import { migrate, openDatabase, type Db } from '../../../src/store/database.js';
import { createArticlesRepo } from '../../../src/store/articles-repo.js';
import { MIGRATIONS } from '../../../src/store/migrations/index.js';
import { createSearchIndex } from '../../../src/store/sqlite-search/index-writer.js';
import type { RegionTag } from '../../../src/domain/types.js';

let db: Db | undefined;
afterEach(() => db?.close());

const T = Date.UTC(2026, 0, 1);
const tag = (code: string, confidence = 1, source: RegionTag['source'] = 'feed'): RegionTag => ({ code, confidence, source });
const stale = (d: Db) => d.prepare('SELECT article_id FROM search_stale ORDER BY article_id').pluck().all();

function store(d: Db) {
  d.prepare("INSERT INTO feeds (id, name, url, region, created_at) VALUES ('f', 'f', 'https://example.com/f.xml', '330400', 0)").run();
  const articles = createArticlesRepo(d);
  const index = createSearchIndex(d);
  let n = 0;
  const add = (storyId: number, title: string) => {
    n++;
    const id = articles.insertArticle({ feedId: 'f', storyId, itemKey: `g:${n}`, guid: String(n), url: null, canonicalUrl: null, title, html: '', text: title, body: null, author: null, sourceOutlet: null, breadcrumb: ['新闻', '本地'], publishedAt: T, firstSeenAt: T, script: 'simplified', summary: null });
    index.indexArticle({ id, title, body: title });
    return id;
  };
  return { articles, index, add };
}

describe('articles repository', () => {
  it('stores stories and articles with every field, the first article as the primary source', () => {
    db = openDatabase(':memory:');
    const { articles, add } = store(db);
    const storyId = articles.insertStory({ titleKey: 'k', publishedAt: T, firstSeenAt: T + 1, postable: false, holdReason: 'backlog' });
    const first = add(storyId, '第一篇');
    add(storyId, '第二篇');
    expect(db.prepare('SELECT title_key, published_at, first_seen_at, postable, hold_reason, primary_article_id FROM stories').get()).toEqual({
      title_key: 'k', published_at: T, first_seen_at: T + 1, postable: 0, hold_reason: 'backlog', primary_article_id: first,
    });
    expect(db.prepare('SELECT feed_id, item_key, guid, title, breadcrumb, script FROM articles WHERE id = ?').get(first)).toEqual({
      feed_id: 'f', item_key: 'g:1', guid: '1', title: '第一篇', breadcrumb: '新闻 > 本地', script: 'simplified',
    });
  });

  it('a new story’s regions mark nothing stale; regions added to an indexed story mark its articles stale', () => {
    db = openDatabase(':memory:');
    const { articles, index, add } = store(db);
    const storyId = articles.insertStory({ titleKey: 'k', publishedAt: T, firstSeenAt: T, postable: true, holdReason: null });
    articles.addRegions(storyId, [tag('330402'), tag('330400', 1, 'ancestor')]);
    const a = add(storyId, '南湖新闻');
    expect(stale(db)).toEqual([]);
    articles.addRegions(storyId, [tag('330400', 0.5, 'body')]); // known code: confidence kept at its highest
    expect(db.prepare("SELECT confidence FROM story_regions WHERE story_id = ? AND code = '330400'").pluck().get(storyId)).toBe(1);
    articles.addRegions(storyId, [tag('320000', 0.4, 'body')]);
    expect(stale(db)).toEqual([a]);
    expect(index.refreshStale()).toBe(1);
    expect(db.prepare('SELECT rowid FROM search_fts WHERE search_fts MATCH ?').pluck().all('"\uE000320000"')).toHaveLength(1);
    expect(stale(db)).toEqual([]);
  });

  it('migration 011 drops the region insert trigger and keeps the delete and move triggers and the data', () => {
    db = openDatabase(':memory:', { migrate: false });
    const upTo10 = MIGRATIONS.filter((m) => m.version <= 10);
    for (const m of upTo10) db.exec(m.sql);
    db.pragma('user_version = 10');
    // Written as the version-10 program did, with SQL: today's repository needs today's schema.
    db.prepare("INSERT INTO feeds (id, name, url, region, created_at) VALUES ('f', 'f', 'https://example.com/f.xml', '330400', 0)").run();
    const storyId = Number(db.prepare("INSERT INTO stories (title_key, published_at, first_seen_at) VALUES ('k', ?, ?)").run(T, T).lastInsertRowid);
    const articleId = Number(
      db.prepare("INSERT INTO articles (feed_id, story_id, item_key, title, html, text, first_seen_at, script) VALUES ('f', ?, 'g:1', '旧数据', '', '旧数据', ?, 'simplified')").run(storyId, T).lastInsertRowid,
    );
    createSearchIndex(db).indexArticle({ id: articleId, title: '旧数据', body: '旧数据' });
    db.prepare("INSERT INTO story_regions (story_id, code, confidence, source) VALUES (?, '330400', 1, 'feed')").run(storyId);
    expect(stale(db)).toHaveLength(1); // the old trigger
    migrate(db);
    const triggers = db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'story_regions' ORDER BY name").pluck().all();
    expect(triggers).toEqual(['search_region_moved', 'search_region_removed']);
    expect(db.prepare('SELECT count(*) FROM story_regions').pluck().get()).toBe(1);
    expect(stale(db)).toHaveLength(1);
  });
});
