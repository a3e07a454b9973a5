// Shared builders for the store contract: every record is made through the ports themselves,
// so each store is exercised the same way, with nothing engine-specific.
import type { FeedSource } from '../../src/domain/types.js';
import type { NewArticle, Store, StorePorts } from '../../src/store/ports.js';

/** Opens a fresh, empty, migrated store; the contract closes it after each test. */
export type MakeStore = () => Promise<Store>;

export const T0 = Date.UTC(2026, 0, 5, 2, 0, 0);

export const source = (id: string, over: Partial<FeedSource> = {}): FeedSource => ({
  id,
  name: `${id} 日报`,
  url: `https://news.example.cn/${id}.xml`,
  region: '330400',
  intervalMinutes: null,
  fullText: 'auto',
  ...over,
});

export function article(feedId: string, storyId: number, n: number, over: Partial<NewArticle> = {}): NewArticle {
  return {
    feedId,
    storyId,
    itemKey: `item-${n}`,
    guid: `guid-${n}`,
    url: `https://news.example.cn/a/${n}.html`,
    canonicalUrl: `https://news.example.cn/a/${n}.html`,
    title: `嘉兴新闻第${n}条`,
    html: `<p>正文${n}</p>`,
    text: `正文${n}`,
    body: null,
    author: null,
    sourceOutlet: null,
    breadcrumb: [],
    publishedAt: T0 - n * 60_000,
    firstSeenAt: T0,
    script: 'simplified',
    summary: `摘要${n}`,
    ...over,
  };
}

/** A story with one article of `feedId`, tagged with the regions given (ancestors included by the caller). */
export async function storyWith(s: StorePorts, feedId: string, n: number, regions: string[] = ['330400', '330000']): Promise<{ storyId: number; articleId: number }> {
  const storyId = await s.articles.insertStory({ titleKey: `key-${n}`, publishedAt: T0 - n * 60_000, firstSeenAt: T0, postable: true, holdReason: null });
  const articleId = await s.articles.insertArticle(article(feedId, storyId, n));
  await s.articles.addRegions(storyId, regions.map((code) => ({ code, confidence: 1, source: 'feed' as const })));
  return { storyId, articleId };
}

export async function subscribe(s: StorePorts, guildId: string, channelId: string, regionCode: string, over: { mode?: 'instant' | 'digest'; include?: string[]; exclude?: string[] } = {}): Promise<number> {
  return s.subscriptions.subscribe(
    { guildId, channelId, regionCode, mode: over.mode ?? 'instant', include: over.include ?? [], exclude: over.exclude ?? [], createdBy: 'mod-1' },
    T0,
  );
}
