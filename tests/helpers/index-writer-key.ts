// What cached SQLite corpora (the search bench's, the abuse soak's seed) are keyed by: the rows
// the index writer writes for fixed articles, not the bytes of its files. A faster way to the
// same rows (or a file moved) keeps a 1M corpus that takes about forty minutes to build; any
// change in a token, a facet, a key or a recorded shift makes a new one.
import { createHash } from 'node:crypto';
import { migrate, openDatabase } from '../../src/store/database.js';
import { createSearchIndex } from '../../src/store/sqlite-search/index-writer.js';

const T = Date.UTC(2026, 0, 5, 8);

// Han in both scripts, Latin with diacritics, digits, quotes, an empty body, repeated and
// unsorted region codes, no date, a future date, and many articles in one key unit.
const ARTICLES: ReadonlyArray<{ title: string; body: string; codes: string[]; publishedAt: number | null }> = [
  { title: '嘉兴市召开安全生产工作会议', body: '海宁 Haining 2025年，秀洲区“平安”创建。', codes: ['330481', '330400', '330000'], publishedAt: T },
  { title: '嘉興市召開會議', body: 'Café Über naïve it\'s a\\b', codes: ['330400', '330000', '330400'], publishedAt: T - 86_400_000 },
  { title: '消息1', body: '', codes: [], publishedAt: null },
  { title: '同一时刻的第二条', body: '秀洲区', codes: ['330411', '330400', '330000'], publishedAt: T },
  { title: '明天才发布', body: '未来的日期', codes: ['330000'], publishedAt: T + 86_400_000 * 3 },
  ...Array.from({ length: 40 }, (_, i) => ({ title: `同一分钟第${i}条快讯`, body: `新闻${'正文'.repeat(i)}`, codes: i % 2 ? ['330400', '330000'] : ['330000'], publishedAt: T + 1000 })),
];

/** A digest of every row the index writer writes for ARTICLES, through both of its ways in. */
export function indexWriterKey(): string {
  const db = openDatabase(':memory:');
  try {
    migrate(db);
    db.prepare("INSERT INTO feeds (id, name, url, region, created_at) VALUES ('f', 'f', 'https://news.example/f.xml', '330400', 0)").run();
    const index = createSearchIndex(db);
    const story = db.prepare('INSERT INTO stories (title_key, published_at, first_seen_at) VALUES (?, ?, ?)');
    const region = db.prepare("INSERT OR IGNORE INTO story_regions (story_id, code, confidence, source) VALUES (?, ?, 0.9, 'body')");
    const article = db.prepare("INSERT INTO articles (feed_id, story_id, item_key, title, html, text, published_at, first_seen_at, script) VALUES ('f', ?, ?, ?, '', ?, ?, ?, 'simplified')");
    ARTICLES.forEach((a, i) =>
      db.transaction(() => {
        const storyId = Number(story.run(a.title, a.publishedAt, T).lastInsertRowid);
        for (const c of a.codes) region.run(storyId, c);
        const id = Number(article.run(storyId, `k${i}`, a.title, a.body, a.publishedAt, T).lastInsertRowid);
        // The corpus is built through indexArticle; the ingest's way in is checked alike.
        if (i % 2) index.indexArticle({ id, title: a.title, body: a.body });
        else index.indexNewArticle({ id, title: a.title, body: a.body, feedId: 'f', publishedAt: a.publishedAt, firstSeenAt: T, regionCodes: a.codes });
      })(),
    );
    const hash = createHash('sha1');
    for (const table of ['search_docs', 'search_fts_data', 'search_fts_idx', 'search_chars_data', 'search_chars_idx', 'meta']) {
      hash.update(table);
      for (const row of db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).raw().all()) hash.update(JSON.stringify(row, (_, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v)));
    }
    return hash.digest('hex');
  } finally {
    db.close();
  }
}
