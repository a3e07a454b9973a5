// Stores feeds, stories and articles with plain SQL, so search tests do not depend on the
// ingest pipeline. Regions are given as codes; their ancestors are added like ingest does.
import { openDatabase, type Db } from '../../src/store/database.js';
import { createSearchIndex, type SearchIndex } from '../../src/store/sqlite-search/index-writer.js';

export interface TestArticle {
  title: string;
  body?: string;
  /** Stored in articles.text; the body column stays null unless `fullBody` is given. */
  fullBody?: string;
  feedId?: string;
  regions?: string[];
  publishedAt?: number | null;
  firstSeenAt?: number;
  url?: string;
  /** Join an existing story instead of creating one. */
  storyId?: number;
}

export interface TestStore {
  readonly db: Db;
  readonly index: SearchIndex;
  addFeed(id: string, name?: string, region?: string): void;
  /** Stores and indexes one article (one transaction, as ingest does); returns its id. */
  add(a: TestArticle): { articleId: number; storyId: number };
  close(): void;
}

/** Six-digit code plus its prefecture and province, as story_regions holds them. */
export function withAncestors(code: string): string[] {
  const out = new Set([code]);
  if (!code.endsWith('00')) out.add(`${code.slice(0, 4)}00`);
  if (!code.endsWith('0000')) out.add(`${code.slice(0, 2)}0000`);
  return [...out];
}

export const T0 = Date.UTC(2025, 4, 1, 2, 0, 0);

export function createTestStore(path = ':memory:'): TestStore {
  const db = openDatabase(path);
  const index = createSearchIndex(db);
  const feeds = new Set<string>();
  let seq = 0;
  const insertFeed = db.prepare('INSERT INTO feeds (id, name, url, region, created_at) VALUES (?, ?, ?, ?, ?)');
  const insertStory = db.prepare('INSERT INTO stories (title_key, published_at, first_seen_at) VALUES (?, ?, ?)');
  const insertRegion = db.prepare("INSERT OR IGNORE INTO story_regions (story_id, code, confidence, source) VALUES (?, ?, 1.0, 'feed')");
  const insertArticle = db.prepare(`
    INSERT INTO articles (feed_id, story_id, item_key, url, title, html, text, body, published_at, first_seen_at, script)
    VALUES (?, ?, ?, ?, ?, '', ?, ?, ?, ?, 'simplified')`);

  const self: TestStore = {
    db,
    index,
    addFeed(id, name = `${id} 日报`, region = '330400') {
      if (feeds.has(id)) return;
      insertFeed.run(id, name, `https://example.com/${encodeURIComponent(id)}.xml`, region, T0);
      feeds.add(id);
    },
    add(a) {
      const feedId = a.feedId ?? 'jiaxing-daily';
      self.addFeed(feedId);
      seq++;
      const firstSeenAt = a.firstSeenAt ?? T0 + seq * 60_000;
      const publishedAt = a.publishedAt === undefined ? firstSeenAt : a.publishedAt;
      return db.transaction(() => {
        let storyId = a.storyId;
        if (storyId === undefined) {
          storyId = Number(insertStory.run(a.title, publishedAt, firstSeenAt).lastInsertRowid);
          for (const code of a.regions ?? []) for (const c of withAncestors(code)) insertRegion.run(storyId, c);
        }
        const text = a.body ?? '';
        const articleId = Number(
          insertArticle.run(feedId, storyId, `item-${seq}`, a.url ?? `https://example.com/a/${seq}`, a.title, text, a.fullBody ?? null, publishedAt, firstSeenAt).lastInsertRowid,
        );
        index.indexArticle({ id: articleId, title: a.title, body: a.fullBody ?? text });
        return { articleId, storyId };
      })();
    },
    close: () => db.close(),
  };
  return self;
}
