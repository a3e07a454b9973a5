// /metrics gauges read the store's async health counts at scrape time: read once per cache
// period (overlapping scrapes share a read), and a failed read is asked again next scrape.
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../../src/app/metrics.js';

function counts() {
  const reads = { outboxPending: 0, pausedFeeds: 0, pausedChannels: 0 };
  let pending = 7;
  let fail = false;
  return {
    reads,
    set: (n: number) => (pending = n),
    failNext: () => (fail = true),
    source: {
      outboxPending: async () => {
        reads.outboxPending++;
        if (fail) {
          fail = false;
          throw new Error('store unreachable');
        }
        return pending;
      },
      pausedFeeds: async () => (reads.pausedFeeds++, 2),
      pausedChannels: () => (reads.pausedChannels++, 3), // a synchronous repository still serves
    },
  };
}

const gauge = (body: string, name: string) => Number(new RegExp(`^xiangxun_${name} (\\S+)$`, 'm').exec(body)?.[1]);

describe('metrics from async health counts', () => {
  it('reads each count once per cache period, sharing a read between overlapping scrapes', async () => {
    const c = counts();
    let now = 0;
    const metrics = createMetrics(c.source, { defaultMetrics: false, cacheMs: 10_000, now: () => now });
    const [first, second] = await Promise.all([metrics.render(), metrics.render()]);
    for (const m of [first, second]) {
      expect(gauge(m.body, 'outbox_pending')).toBe(7);
      expect(gauge(m.body, 'feeds_paused')).toBe(2);
      expect(gauge(m.body, 'channels_paused')).toBe(3);
    }
    expect(c.reads).toEqual({ outboxPending: 1, pausedFeeds: 1, pausedChannels: 1 });
    c.set(9);
    now = 9_999;
    expect(gauge((await metrics.render()).body, 'outbox_pending')).toBe(7);
    now = 10_000;
    expect(gauge((await metrics.render()).body, 'outbox_pending')).toBe(9);
    expect(c.reads.outboxPending).toBe(2);
  });

  it('fails the scrape when a count cannot be read, and reads it again on the next one', async () => {
    const c = counts();
    const metrics = createMetrics(c.source, { defaultMetrics: false, cacheMs: 10_000, now: () => 0 });
    c.failNext();
    await expect(metrics.render()).rejects.toThrow('store unreachable');
    expect(gauge((await metrics.render()).body, 'outbox_pending')).toBe(7);
    expect(c.reads.outboxPending).toBe(2);
  });
});
