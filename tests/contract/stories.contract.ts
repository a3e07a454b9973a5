// Contract: articles, stories, regions, subscriptions, settings, corrections and stored searches.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/ports.js';
import { article, source, storyWith, subscribe, T0, type MakeStore } from './fixtures.js';

export function storiesContract(make: MakeStore): void {
  describe('articles and stories', () => {
    let store: Store;
    beforeEach(async () => {
      store = await make();
      await store.feeds.sync([source('a'), source('b')], T0);
    });
    afterEach(async () => store.close());

    it('stores a story once and finds it by item, link and title key', async () => {
      const { storyId } = await storyWith(store, 'a', 1);
      expect(await store.articles.hasItem('a', 'item-1')).toBe(true);
      expect(await store.articles.hasItem('b', 'item-1')).toBe(false);
      expect(await store.articles.storyByCanonicalUrl('https://news.example.cn/a/1.html')).toBe(storyId);
      expect(await store.articles.storyByUrl('https://x.example/none', 'https://news.example.cn/a/1.html')).toBe(storyId);
      expect((await store.articles.storiesByTitleKey('key-1')).map((c) => ({ id: c.id, feedId: c.feedId }))).toEqual([{ id: storyId, feedId: 'a' }]);
      await store.posting.addTitleKey(storyId, 'key-corrected');
      expect((await store.articles.storiesByTitleKey('key-corrected')).map((c) => c.id)).toEqual([storyId]);
      expect((await store.articles.storedUnder('a', 'item-1'))[0]).toMatchObject({ title: '嘉兴新闻第1条', text: '正文1' });
      expect((await store.articles.recentStories(T0 - 1, 10)).map((c) => c.id)).toEqual([storyId]);
    });

    it('tells whether a feed stored anything, and whether anything was written since a stamp', async () => {
      expect(await store.articles.feedHasItems('a')).toBe(false);
      const before = await store.changeStamp();
      await storyWith(store, 'a', 1);
      expect(await store.articles.feedHasItems('a')).toBe(true);
      expect(await store.articles.feedHasItems('b')).toBe(false);
      const after = await store.changeStamp();
      // A store that cannot tell answers null: callers then assume something changed.
      if (before !== null) expect(after).not.toBe(before);
      if (after !== null) expect(await store.changeStamp()).toBe(after);
    });

    it('shows a story from its first source with the others listed, and regions by confidence', async () => {
      const { storyId } = await storyWith(store, 'a', 1, ['330402', '330400', '330000']);
      await store.articles.insertArticle(article('b', storyId, 2));
      await store.articles.addRegions(storyId, [{ code: '330402', confidence: 0.4, source: 'body' }]); // keeps the higher
      const view = await store.articles.story(storyId);
      expect(view).toMatchObject({ storyId, feedId: 'a', feedName: 'a 日报', title: '嘉兴新闻第1条', postable: true, summary: '摘要1', script: 'simplified' });
      expect(view?.alsoReportedBy).toEqual([{ feedId: 'b', feedName: 'b 日报', url: 'https://news.example.cn/a/2.html' }]);
      expect(view?.regions.map((r) => [r.code, r.confidence])).toEqual([['330000', 1], ['330400', 1], ['330402', 1]]);
      expect(await store.articles.matchText(storyId)).toContain('摘要1');
      expect(await store.articles.story(9999)).toBeNull();
    });

    it('stores an item in one step: a new story with its regions, or a known one, each article indexed', async () => {
      // An article as storeItem takes it: without a story id (the call gives it one).
      const fields = (feedId: string, n: number) => {
        const { storyId: _ignored, ...rest } = article(feedId, 0, n);
        return rest;
      };
      const created = await store.transaction((tx) =>
        tx.articles.storeItem({
          story: { create: { titleKey: 'key-1', publishedAt: T0 - 60_000, firstSeenAt: T0, postable: true, holdReason: null }, regions: [{ code: '330400', confidence: 0.9, source: 'title' }, { code: '330000', confidence: 0.9, source: 'title' }] },
          article: fields('a', 1),
          indexedBody: '正文1',
        }),
      );
      const joined = await store.articles.storeItem({ story: { id: created.storyId }, article: fields('b', 2), indexedBody: '正文2' });
      expect(joined.storyId).toBe(created.storyId);
      expect(joined.articleId).not.toBe(created.articleId);
      const view = await store.articles.story(created.storyId);
      expect(view).toMatchObject({ articleId: created.articleId, feedId: 'a', title: '嘉兴新闻第1条', postable: true });
      expect(view?.regions.map((r) => r.code)).toEqual(['330000', '330400']);
      expect(view?.alsoReportedBy.map((o) => o.feedId)).toEqual(['b']);
      expect(await store.articles.hasItem('b', 'item-2')).toBe(true);
      // Both articles are in the index: a new region marks each of them stale, to be refreshed.
      await store.articles.addRegions(created.storyId, [{ code: '330402', confidence: 0.5, source: 'body' }]);
      expect(await store.index.refreshStale(10)).toBe(2);
    });

    it('lists the newest stories of a region and counts them', async () => {
      const one = await storyWith(store, 'a', 1);
      const two = await storyWith(store, 'a', 2, ['330500', '330000']);
      expect(await store.articles.latestInRegion('330000', 10)).toEqual([two.storyId, one.storyId]);
      expect(await store.articles.latestInRegion('330400', 10)).toEqual([one.storyId]);
      const counts = await store.articles.regionCounts(['330000', '330400', '110000'], T0 - 1);
      expect([...counts]).toEqual([['330000', 2], ['330400', 1], ['110000', 0]]);
    });

    it('drops articles past the retention age, and stories nothing else refers to', async () => {
      const YEAR = 365 * 86_400_000;
      const old = await storyWith(store, 'a', 1);
      await storyWith(store, 'a', 2);
      await storyWith(store, 'b', 3);
      expect(await store.maintenance.applyRetention(0, T0 + 2 * YEAR)).toEqual({ articles: 0, stories: 0, storiesKept: 0 });
      expect(await store.maintenance.applyRetention(YEAR, T0 + YEAR / 2)).toEqual({ articles: 0, stories: 0, storiesKept: 0 });
      const result = await store.maintenance.applyRetention(YEAR, T0 + YEAR + 1);
      expect(result.articles).toBe(3);
      expect(result).toEqual({ articles: 3, stories: 3, storiesKept: 0 });
      expect(await store.articles.story(old.storyId)).toBeNull();
      await store.maintenance.checkpoint();
    });

    it('revises a story: the next revision, the corrected text, and facts for its posts', async () => {
      const { storyId, articleId } = await storyWith(store, 'a', 1);
      expect(await store.posting.revision(storyId)).toBe(0);
      await store.posting.reviseArticle({ articleId, title: '更正后的标题', html: '<p>新</p>', text: '新', body: null, summary: null });
      expect(await store.posting.reviseStory(storyId, T0 + 5)).toBe(0); // nothing posted yet: no edits
      expect(await store.posting.postFacts(storyId)).toEqual({ revision: 1, revisedAt: T0 + 5, image: null });
      await store.posting.setArticleImage(articleId, 'https://news.example.cn/p.jpg');
      expect((await store.posting.postFacts(storyId)).image).toBe('https://news.example.cn/p.jpg');
      const known = await store.posting.knownVersion('a', 'item-1');
      expect(known).toMatchObject({ articleId, storyId, title: '更正后的标题', text: '新', primary: true });
      expect((await store.articles.story(storyId))?.summary).toBe('摘要1'); // kept when none was made
    });
  });

  describe('subscriptions, settings and searches', () => {
    let store: Store;
    beforeEach(async () => {
      store = await make();
      await store.feeds.sync([source('a')], T0);
    });
    afterEach(async () => store.close());

    it('subscribes once per channel and region, and finds who a story reaches', async () => {
      const id = await subscribe(store, 'g1', 'c1', '330000');
      expect(await subscribe(store, 'g1', 'c1', '330000', { mode: 'digest', include: ['雨'] })).toBe(id);
      await subscribe(store, 'g2', 'c2', '110000');
      expect(await store.subscriptions.get(id)).toMatchObject({ id, mode: 'digest', include: ['雨'], exclude: [], pausedReason: null, posting: { mentionRole: null, openThread: false } });
      const { storyId } = await storyWith(store, 'a', 1);
      expect((await store.subscriptions.forStory(storyId)).map((s) => s.channelId)).toEqual(['c1']);
      expect((await store.subscriptions.listForGuild('g1')).length).toBe(1);
      await store.subscriptions.pauseChannel('c1', 'g1', 50001, 'missing access', T0);
      expect(await store.subscriptions.channel('c1')).toMatchObject({ guildId: 'g1', pausedAt: T0, pauseCode: 50001, pauseReason: 'missing access' });
      expect((await store.subscriptions.get(id))?.pausedReason).toBe('missing access');
      expect(await store.subscriptions.resumeChannel('c1')).toBe(true);
      expect(await store.subscriptions.unsubscribe('g1', 'c1', '330000')).toBe(true);
      expect(await store.subscriptions.unsubscribe('g1', 'c1', '330000')).toBe(false);
    });

    it('changes only the settings given', async () => {
      expect(await store.settings.settings('g1')).toEqual({ guildId: 'g1', locale: null, script: null, timeZone: null, summaryLength: null, digestTime: null, lastDigestAt: null });
      await store.settings.updateSettings('g1', { script: 'tw', timeZone: 'Asia/Taipei' }, T0);
      await store.settings.updateSettings('g1', { locale: 'zh-TW', summaryLength: 120 }, T0);
      await store.settings.updateSettings('g1', { timeZone: null }, T0);
      await store.settings.markDigestDone('g1', T0 + 9);
      expect(await store.settings.settings('g1')).toEqual({ guildId: 'g1', locale: 'zh-TW', script: 'tw', timeZone: null, summaryLength: 120, digestTime: null, lastDigestAt: T0 + 9 });
      await subscribe(store, 'g1', 'c1', '330000', { mode: 'digest' });
      expect(await store.settings.guildsWithDigests()).toEqual(['g1']);
    });

    it('keeps a search, its pages and results, and posts each result once', async () => {
      const { storyId } = await storyWith(store, 'a', 1);
      const key = await store.searches.create('u1', '{"q":"嘉兴"}', 'cursor-1', T0);
      await store.searches.setPageCursor(key, 2, 'cursor-2');
      expect(await store.searches.get(key)).toMatchObject({ key, userId: 'u1', request: '{"q":"嘉兴"}', pages: [null, 'cursor-1', 'cursor-2'], createdAt: T0 });
      await store.searches.addResults(key, [{ n: 1, storyId }]);
      const other = await storyWith(store, 'a', 2);
      await store.searches.addResults(key, [{ n: 1, storyId: other.storyId }]); // first write wins
      expect(await store.searches.result(key, 1)).toEqual({ storyId, postedAt: null });
      expect(await store.searches.claimPost(key, 1, T0 + 1)).toBe(true);
      expect(await store.searches.claimPost(key, 1, T0 + 2)).toBe(false);
      await store.searches.releasePost(key, 1, T0 + 1);
      expect(await store.searches.claimPost(key, 1, T0 + 3)).toBe(true);
      expect(await store.searches.result(key, 2)).toBeNull();
      expect(await store.searches.prune(T0 + 1)).toBe(1);
      expect(await store.searches.get(key)).toBeNull();
    });
  });
}
