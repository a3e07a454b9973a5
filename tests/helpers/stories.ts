// Stores stories through the real repositories, for routing and delivery tests.
import { createArticlesRepo } from '../../src/store/articles-repo.js';
import type { Db } from '../../src/store/database.js';
import { createFeedsRepo } from '../../src/store/feeds-repo.js';

/** Six-digit code plus its prefecture and province, as ingest stores them. */
export function regionsWithAncestors(code: string): string[] {
  const out = new Set([code]);
  if (!code.endsWith('00')) out.add(`${code.slice(0, 4)}00`);
  if (!code.endsWith('0000')) out.add(`${code.slice(0, 2)}0000`);
  return [...out];
}

export function createStoryWriter(db: Db, feedId = 'jiaxing-daily') {
  const feeds = createFeedsRepo(db);
  const articles = createArticlesRepo(db);
  if (!feeds.get(feedId)) feeds.sync([{ id: feedId, name: '嘉兴日报', url: 'https://example.cn/feed.xml', region: '330400', intervalMinutes: null, fullText: 'never' }], Date.now());
  let n = 0;
  return {
    articles,
    add(story: { title: string; text?: string; region: string; summary?: string; url?: string }): number {
      n++;
      return db.transaction(() => {
        const now = Date.now();
        const storyId = articles.insertStory({ titleKey: `k${n}-${story.title}`, publishedAt: now, firstSeenAt: now, postable: true, holdReason: null });
        const text = story.text ?? `${story.title}。这是第${n}条测试新闻的正文，内容完整。`;
        articles.insertArticle({ feedId, storyId, itemKey: `g:${n}-${now}`, guid: String(n), url: story.url ?? `https://example.cn/${n}.html`, canonicalUrl: null, title: story.title, html: `<p>${text}</p>`, text, body: null, author: null, sourceOutlet: null, breadcrumb: [], publishedAt: now, firstSeenAt: now, script: 'simplified', summary: story.summary ?? text });
        articles.addRegions(storyId, regionsWithAncestors(story.region).map((code) => ({ code, confidence: 1, source: 'body' as const })));
        return storyId;
      })();
    },
  };
}
