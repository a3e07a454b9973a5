// Contract: feeds, poll leases, servers' feeds, schedule and bounds.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/ports.js';
import { source, T0, type MakeStore } from './fixtures.js';

export function feedsContract(make: MakeStore): void {
  describe('feeds', () => {
    let store: Store;
    beforeEach(async () => void (store = await make()));
    afterEach(async () => store.close());

    it('syncs the catalog: adds, updates, retires; a new URL forgets its validators', async () => {
      await store.feeds.sync([source('a'), source('b')], T0);
      await store.feeds.recordSuccess('a', { status: 'fetched', now: T0, nextPollAt: T0 + 60_000, etag: '"e1"', lastModified: 'Mon', newItems: 3 });
      await store.feeds.sync([source('a', { name: '新名', url: 'https://news.example.cn/moved.xml' })], T0);
      const a = await store.feeds.get('a');
      expect(a).toMatchObject({ name: '新名', url: 'https://news.example.cn/moved.xml', etag: null, lastModified: null, inCatalog: true, itemCount: 3, initialized: true });
      expect((await store.feeds.list()).map((f) => f.id)).toEqual(['a']);
      expect(await store.feeds.get('b')).toMatchObject({ inCatalog: false });
      expect(await store.feeds.get('nope')).toBeNull();
    });

    it('is due until a success plans the next poll; failures count up, pause and resume', async () => {
      await store.feeds.sync([source('a'), source('b')], T0);
      expect((await store.feeds.due(T0)).map((f) => f.id)).toEqual(['a', 'b']);
      await store.feeds.recordSuccess('a', { status: 'not-modified', now: T0, nextPollAt: T0 + 600_000 });
      expect((await store.feeds.due(T0 + 1)).map((f) => f.id)).toEqual(['b']);
      await store.feeds.recordFailure('b', { error: 'HTTP 500', now: T0, nextPollAt: T0 + 60_000, pauseReason: null });
      await store.feeds.recordFailure('b', { error: 'HTTP 404', now: T0 + 1000, nextPollAt: T0 + 86_400_000, pauseReason: 'gone' });
      const b = await store.feeds.get('b');
      expect(b).toMatchObject({ failureCount: 2, failingSince: T0, lastError: 'HTTP 404', lastStatus: 'error', pausedAt: T0 + 1000, pauseReason: 'gone' });
      expect(await store.feeds.resume('b')).toBe(true);
      expect(await store.feeds.get('b')).toMatchObject({ failureCount: 0, pausedAt: null, pauseReason: null, nextPollAt: null });
      expect(await store.feeds.resume('nope')).toBe(false);
    });

    it('keeps the warning unless a success says otherwise, and the items digest', async () => {
      await store.feeds.sync([source('a')], T0);
      await store.feeds.recordSuccess('a', { status: 'fetched', now: T0, nextPollAt: T0, warning: 'charset lied' });
      await store.feeds.recordSuccess('a', { status: 'not-modified', now: T0, nextPollAt: T0 });
      expect((await store.feeds.get('a'))?.lastWarning).toBe('charset lied');
      await store.feeds.recordSuccess('a', { status: 'fetched', now: T0, nextPollAt: T0, warning: null });
      expect((await store.feeds.get('a'))?.lastWarning).toBeNull();
      await store.feeds.setItemsHash('a', 'abc');
      expect((await store.feeds.get('a'))?.itemsHash).toBe('abc');
    });

    it('leases a feed to one poller at a time, until it is released or runs out', async () => {
      await store.feeds.sync([source('a')], T0);
      expect(await store.leases.acquire('a', 'poller-1', T0, 60_000)).toBe(true);
      expect(await store.leases.acquire('a', 'poller-2', T0 + 1000, 60_000)).toBe(false);
      expect(await store.leases.acquire('a', 'poller-1', T0 + 1000, 60_000)).toBe(true); // renewal
      await store.leases.release('a', 'poller-2'); // not the holder: no effect
      expect(await store.leases.acquire('a', 'poller-2', T0 + 2000, 60_000)).toBe(false);
      await store.leases.release('a', 'poller-1');
      expect(await store.leases.acquire('a', 'poller-2', T0 + 2000, 60_000)).toBe(true);
      expect(await store.leases.acquire('a', 'poller-1', T0 + 2000 + 60_001, 60_000)).toBe(true); // expired
    });

    it('gives a server its own feeds, with a limit, and never duplicates a catalog feed', async () => {
      await store.feeds.sync([source('cat')], T0);
      const feed = { guildId: 'g1', url: 'https://local.example.cn/rss.xml', name: '本地', region: '330402', kind: 'feed' as const, addedBy: 'u1' };
      const added = await store.guildFeeds.add(feed, 2, T0);
      expect(added.status).toBe('added');
      expect(await store.guildFeeds.add(feed, 2, T0)).toMatchObject({ status: 'exists' });
      expect(await store.guildFeeds.add({ ...feed, url: source('cat').url }, 2, T0)).toMatchObject({ status: 'in-catalog' });
      await store.guildFeeds.add({ ...feed, url: 'https://local.example.cn/2.xml' }, 2, T0);
      expect(await store.guildFeeds.add({ ...feed, url: 'https://local.example.cn/3.xml' }, 2, T0)).toEqual({ status: 'limit', limit: 2 });
      expect(await store.guildFeeds.count('g1')).toBe(2);
      const list = await store.guildFeeds.listForGuild('g1');
      expect(list.map((f) => f.guildName)).toEqual(['本地', '本地']);
      expect(list[0]).toMatchObject({ origin: 'guild', inCatalog: false, guildRegion: '330402' });
      expect((await store.feeds.list()).length).toBe(3); // a feed a server has is polled
      expect(await store.guildFeeds.urlFacts(source('cat').url)).toEqual({ trusted: true, listPage: false });
      expect(await store.guildFeeds.urlFacts(feed.url)).toEqual({ trusted: false, listPage: false });
      const id = list[0]!.id;
      expect(await store.guildFeeds.remove('g1', id)).toBe(true);
      expect(await store.guildFeeds.get('g1', id)).toBeNull();
      expect(await store.guildFeeds.catalogFeed(source('cat').url)).toMatchObject({ id: 'cat' });
    });

    it('learns rates and records bounds per feed', async () => {
      await store.feeds.sync([source('a'), source('b', { intervalMinutes: 30 })], T0);
      const hourly = Array.from({ length: 24 }, (_, h) => (h === 8 ? 0.5 : 0.0217));
      await store.schedule.record('a', { items: 12, hours: 24, hourly }, T0 + 3_600_000);
      const rates = await store.schedule.rates();
      expect(rates.find((r) => r.id === 'a')).toMatchObject({ fixed: false, rate: { items: 12, hours: 24 } });
      expect(rates.find((r) => r.id === 'b')).toEqual({ id: 'b', fixed: true, rate: null });
      expect((await store.feeds.get('a'))?.nextPollAt).toBe(T0 + 3_600_000);
      await store.schedule.reschedule('a', T0 + 5);
      expect((await store.feeds.get('a'))?.nextPollAt).toBe(T0 + 5);
      const first = await store.bounds.record('a', { itemsInFeed: 100_000, dropped: 99_800, flag: 'flood', now: T0 });
      expect(first).toMatchObject({ itemsInFeed: 100_000, lastDropped: 99_800, droppedTotal: 99_800, flaggedAt: T0 });
      await store.bounds.record('a', { itemsInFeed: 20, dropped: 0, flag: null, now: T0 + 1 });
      expect((await store.bounds.all()).get('a')).toMatchObject({ itemsInFeed: 20, lastDropped: 0, droppedTotal: 99_800, flaggedAt: null });
    });
  });
}
