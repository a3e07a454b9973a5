// Contract: the outbox (fan-out, claims, sends, digests), edits, health and the unit of work.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/ports.js';
import { source, storyWith, subscribe, T0, type MakeStore } from './fixtures.js';

export function deliveryContract(make: MakeStore): void {
  describe('outbox', () => {
    let store: Store;
    beforeEach(async () => {
      store = await make();
      await store.feeds.sync([source('a')], T0);
    });
    afterEach(async () => store.close());

    it('fans a story out once per channel, judging word lists and skipping paused channels', async () => {
      await subscribe(store, 'g1', 'c1', '330000');
      await subscribe(store, 'g1', 'c1', '330400', { mode: 'digest' }); // same channel: one row
      await subscribe(store, 'g1', 'c2', '330400', { include: ['台风'] });
      await subscribe(store, 'g2', 'c3', '330400', { mode: 'digest' });
      await subscribe(store, 'g3', 'c4', '330000');
      await store.subscriptions.pauseChannel('c4', 'g3', 50001, 'missing access', T0);
      const { storyId } = await storyWith(store, 'a', 1);
      const lists = await store.outbox.wordListsFor(storyId);
      expect(lists.map((l) => l.include)).toEqual([['台风']]);
      expect(await store.outbox.fanOut(storyId, [], T0)).toBe(2); // c1 and c3; c2 refused by its words
      expect(await store.outbox.fanOut(storyId, [], T0)).toBe(0); // exactly once
      const rows = await store.outbox.forStory(storyId);
      expect(rows.map((r) => [r.channelId, r.state, r.mode])).toEqual([
        ['c1', 'pending', 'instant'],
        ['c3', 'queued', 'digest'],
        ['c4', 'skipped', 'instant'],
      ]);
      expect(rows.find((r) => r.channelId === 'c4')?.lastError).toContain('missing access');
      expect(await store.outbox.fanOut(storyId, [lists[0]!.key], T0)).toBe(1); // c2 once its words accept it
      expect(await store.outbox.enqueue({ storyId, guildId: 'g1', channelId: 'c1', subscriptionId: null, mode: 'instant', state: 'pending', reason: null }, T0)).toBe(false);
      expect((await store.outbox.queuedForGuild('g2')).map((r) => r.channelId)).toEqual(['c3']);
    });

    it('hands each due delivery to one claimer at a time and takes it back after its lease', async () => {
      for (let c = 0; c < 6; c++) await subscribe(store, 'g1', `c${c}`, '330000');
      const { storyId } = await storyWith(store, 'a', 1);
      await store.outbox.fanOut(storyId, [], T0);
      expect(await store.outbox.nextDueAt()).toBe(T0);
      const [a, b] = await Promise.all([store.outbox.claim(T0, 4, 30_000), store.outbox.claim(T0, 4, 30_000)]);
      const ids = [...a, ...b].map((i) => i.id);
      expect(ids.length).toBe(6);
      expect(new Set(ids).size).toBe(6);
      expect([...a, ...b].every((i) => i.state === 'sending' && i.attempts === 1)).toBe(true);
      expect(await store.outbox.claim(T0 + 1000, 10, 30_000)).toEqual([]);
      await store.outbox.markSent(a[0]!.id, 'm1', T0 + 1000, { messageChannelId: null, revision: 0 });
      await store.outbox.retryLater(a[1]!.id, T0 + 5000, 'HTTP 500');
      const back = await store.outbox.claim(T0 + 30_001, 10, 30_000);
      expect(back.map((i) => i.id).sort()).toEqual(ids.filter((id) => id !== a[0]!.id).sort());
      expect(back.find((i) => i.id === a[1]!.id)?.attempts).toBe(2);
      expect(await store.outbox.forStoryInChannel(storyId, a[0]!.channelId)).toMatchObject({ state: 'sent', messageId: 'm1', sentAt: T0 + 1000 });
      expect(await store.outbox.sentSince(a[0]!.channelId, T0)).toBe(1);
    });

    it('splits the channels among the live deliverers, each channel to one', async () => {
      expect(await store.deliverers.heartbeat('d-b', T0, 10_000)).toEqual({ index: 0, count: 1 });
      expect(await store.deliverers.heartbeat('d-a', T0, 10_000)).toEqual({ index: 0, count: 2 });
      expect(await store.deliverers.heartbeat('d-b', T0 + 1, 10_000)).toEqual({ index: 1, count: 2 });
      for (let c = 0; c < 12; c++) await subscribe(store, 'g1', `chan-${c}`, '330000');
      const { storyId } = await storyWith(store, 'a', 1);
      await store.outbox.fanOut(storyId, [], T0);
      const a = await store.outbox.claim(T0, 50, 30_000, { index: 0, count: 2 });
      const b = await store.outbox.claim(T0, 50, 30_000, { index: 1, count: 2 });
      expect(a.length + b.length).toBe(12);
      expect(a.length).toBeGreaterThan(0);
      expect(b.length).toBeGreaterThan(0);
      const channelsOf = (items: typeof a) => new Set(items.map((i) => i.channelId));
      for (const c of channelsOf(a)) expect(channelsOf(b).has(c)).toBe(false);
      // A deliverer whose row lapsed is no longer counted; one that leaves goes at once.
      expect(await store.deliverers.heartbeat('d-a', T0 + 20_000, 10_000)).toEqual({ index: 0, count: 1 });
      await store.deliverers.heartbeat('d-c', T0 + 20_000, 10_000);
      await store.deliverers.leave('d-c');
      expect(await store.deliverers.heartbeat('d-a', T0 + 20_001, 10_000)).toEqual({ index: 0, count: 1 });
    });

    it('sends, retries and finishes; a channel gone skips what is left', async () => {
      await subscribe(store, 'g1', 'c1', '330000');
      const one = await storyWith(store, 'a', 1);
      const two = await storyWith(store, 'a', 2);
      await store.outbox.fanOut(one.storyId, [], T0);
      await store.outbox.fanOut(two.storyId, [], T0);
      const [first, second] = await store.outbox.due(T0, 10);
      expect(await store.outbox.begin(first!.id)).toBe(true);
      await store.outbox.finish(first!.id, 'failed', 'HTTP 400');
      expect(await store.outbox.begin(first!.id)).toBe(false);
      expect(await store.outbox.skipChannel('c1', 'channel deleted')).toBe(1);
      expect(await store.outbox.forStoryInChannel(second!.storyId, 'c1')).toMatchObject({ state: 'skipped', lastError: 'channel deleted' });
      expect(await store.outbox.nextDueAt()).toBeNull();
    });

    it('rolls deliveries into burst and scheduled digests', async () => {
      await subscribe(store, 'g1', 'c1', '330000');
      await subscribe(store, 'g1', 'c2', '330000', { mode: 'digest' });
      const one = await storyWith(store, 'a', 1);
      const two = await storyWith(store, 'a', 2);
      for (const s of [one, two]) await store.outbox.fanOut(s.storyId, [], T0);
      const pending = await store.outbox.due(T0, 10);
      const burst = await store.outbox.rollIntoBurst(pending[0]!, T0 + 60_000, T0);
      expect(await store.outbox.rollIntoBurst(pending[1]!, T0 + 60_000, T0)).toBe(burst);
      const queued = await store.outbox.queuedForGuild('g1');
      const scheduled = await store.outbox.createScheduledDigest('c2', 'g1', queued.map((q) => q.id), T0 - 1, T0);
      const digests = await store.outbox.dueDigests(T0 + 60_000, 10);
      expect(digests.map((d) => [d.id, d.kind, d.storyIds.length])).toEqual([
        [scheduled, 'scheduled', 2],
        [burst, 'burst', 2],
      ]);
      await store.outbox.beginDigest(burst);
      await store.outbox.digestRetry(burst, T0 + 120_000, 'HTTP 500');
      await store.outbox.digestSent(scheduled, ['m1', 'm2'], T0 + 60_000);
      expect((await store.outbox.dueDigests(T0 + 120_000, 10)).map((d) => [d.id, d.attempts])).toEqual([[burst, 1]]);
      await store.outbox.digestFinish(burst, 'failed', 'HTTP 403');
      expect(await store.outbox.dueDigests(T0 + 999_999, 10)).toEqual([]);
      expect(await store.outbox.sentSince('c2', T0)).toBe(1);
    });

    it('queues one edit per post of a revised story, and for a post sent while it changed', async () => {
      await subscribe(store, 'g1', 'c1', '330000');
      await subscribe(store, 'g1', 'c2', '330000');
      const { storyId } = await storyWith(store, 'a', 1);
      await store.outbox.fanOut(storyId, [], T0);
      const [d1, d2] = await store.outbox.due(T0, 10);
      await store.outbox.markSent(d1!.id, 'm1', T0, { messageChannelId: null, revision: 0 });
      expect(await store.posting.reviseStory(storyId, T0 + 1)).toBe(1);
      await store.outbox.markSent(d2!.id, 'm2', T0 + 2, { messageChannelId: 'thread-9', revision: 0 });
      const edits = await store.posting.dueEdits(T0 + 5, 10);
      expect(edits.map((e) => [e.messageId, e.messageChannelId, e.revision])).toEqual([
        ['m1', 'c1', 1],
        ['m2', 'thread-9', 1],
      ]);
      expect(await store.posting.beginEdit(edits[0]!)).toBe(true);
      await store.posting.editDone(edits[0]!, T0 + 6);
      await store.posting.editFinish(edits[1]!, 'skipped', 'message deleted', T0 + 6);
      expect(await store.posting.dueEdits(T0 + 10, 10)).toEqual([]);
      expect(await store.posting.editCounts()).toEqual({ done: 1, skipped: 1 });
      expect(await store.health.outboxPending()).toBe(0);
      expect(await store.health.deliveryCreatedAt(d1!.id)).toBe(T0);
    });
  });

  describe('unit of work', () => {
    let store: Store;
    beforeEach(async () => {
      store = await make();
      await store.feeds.sync([source('a')], T0);
    });
    afterEach(async () => store.close());

    it('commits everything together', async () => {
      await subscribe(store, 'g1', 'c1', '330000');
      const storyId = await store.transaction(async (tx) => {
        const { storyId } = await storyWith(tx, 'a', 1);
        await tx.outbox.fanOut(storyId, [], T0);
        return storyId;
      });
      expect((await store.outbox.forStory(storyId)).length).toBe(1);
    });

    it('rolls everything back when the work throws', async () => {
      await expect(
        store.transaction(async (tx) => {
          await storyWith(tx, 'a', 1);
          throw new Error('routing failed');
        }),
      ).rejects.toThrow('routing failed');
      expect(await store.articles.hasItem('a', 'item-1')).toBe(false);
      expect(await store.articles.recentStories(0, 10)).toEqual([]);
    });

    it('runs units of work one after another, and calls outside wait for them', async () => {
      const order: string[] = [];
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      const first = store.transaction(async (tx) => {
        await storyWith(tx, 'a', 1);
        order.push('first wrote');
        await held;
        order.push('first done');
      });
      const outside = store.articles.hasItem('a', 'item-1').then((v) => order.push(`outside saw ${v}`));
      const second = store.transaction(async (tx) => {
        order.push(`second saw ${await tx.articles.hasItem('a', 'item-1')}`);
      });
      await new Promise((r) => setTimeout(r, 20));
      release();
      await Promise.all([first, outside, second]);
      expect(order.slice(0, 2)).toEqual(['first wrote', 'first done']);
      expect(order).toContain('outside saw true');
      expect(order).toContain('second saw true');
    });

    it('refuses a call through the store itself from inside a unit of work, instead of waiting for ever', async () => {
      await expect(store.transaction(async () => store.feeds.list())).rejects.toThrow(/inside its own unit of work/u);
      await expect(store.transaction(async () => store.transaction(async () => 1))).rejects.toThrow(/inside its own unit of work/u);
      expect((await store.feeds.list()).length).toBe(1); // and the store still works
    });

    it('reports its schema version and a write probe', async () => {
      expect(await store.schemaVersion()).toBeGreaterThanOrEqual(13);
      expect(await store.health.probeWrite()).toBeNull();
      expect(await store.health.pausedFeeds()).toBe(0);
      expect(await store.health.pausedChannels()).toBe(0);
    });
  });
}
