import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollMany } from '../../src/ingest/poll-many.js';
import { rssFeed, startFeedServer, type FeedServer, type Route, type TestItem } from '../fakes/feed-server.js';
import { FAULT_ROUTES } from '../fakes/fault-catalog.js';
import { createIngestEnv } from '../helpers/ingest-env.js';

let server: FeedServer;
beforeAll(async () => {
  server = await startFeedServer();
});
afterAll(async () => {
  await server.close();
});

const good = (n: number): TestItem => ({ title: `海宁市新闻${n}`, link: `https://news.example.cn/${n}`, guid: `g${n}`, date: new Date(Date.now() - n * 60_000).toUTCString(), description: '<p>海宁市今天发布消息。</p>' });

/**
 * Each fault the issue lists, with what the feed's record must say. The deadline is generous
 * so that on a slow, busy machine every fault shows as itself (a gzip bomb as too large, not as
 * a timeout); the one fault that is about the deadline is tested on its own below.
 */
const FAULTS: Array<[string, Route, RegExp]> = [
  ['http-500', { status: 500, body: 'oops' }, /HTTP 500/],
  ['http-404', { status: 404, body: 'gone' }, /HTTP 404/],
  ['reset', { fault: 'reset' }, /network|reset|closed/i],
  ['redirect-loop', { fault: 'redirect-loop' }, /redirect/i],
  ['too-many-redirects', { fault: 'redirects', count: 8 }, /redirect/i],
  ['huge', { fault: 'huge' }, /too large|limit|MB/i],
  ['gzip-bomb', { fault: 'gzip-bomb' }, /too large|limit|MB/i],
  ['malformed', { body: '<rss><channel><item><title>a</title></channel>' }, /malformed|XML/i],
  ['truncated', { fault: 'truncated' }, /malformed|truncated|XML/i],
  ['html', { fault: 'html' }, /HTML page/i],
];

describe('bad feeds are recorded on their feed and never affect the others', () => {
  it('records each fault with a clear reason while good feeds ingest', async () => {
    const env = createIngestEnv({ FIRST_POLL_BACKLOG: '1000', MAX_ITEM_AGE_HOURS: '0', FETCH_MAX_BYTES: String(1024 * 1024), FETCH_TIMEOUT_MS: '60000' });
    try {
      for (const [id, route] of FAULTS) server.setRoute(`/f/${id}`, route);
      server.setRoute('/f/good', { body: rssFeed([good(1), good(2)], { title: 'good' }) });
      server.setRoute('/f/empty', { body: rssFeed([], { title: 'empty' }) });
      server.setRoute('/f/odd-items', FAULT_ROUTES['odd-items']!);
      env.writeFeeds([
        ...FAULTS.map(([id]) => ({ id, url: server.url(`/f/${id}`) })),
        { id: 'good', url: server.url('/f/good') },
        { id: 'empty', url: server.url('/f/empty') },
        { id: 'odd-items', url: server.url('/f/odd-items') },
      ]);
      const reports = new Map((await pollMany(env.services.ingestDeps(), env.services.feeds.list(), { concurrency: 8 })).map((r) => [r.feedId, r]));
      for (const [id, , pattern] of FAULTS) {
        const state = env.services.feeds.get(id)!;
        expect(reports.get(id)?.status, id).toBe('error');
        expect(state.lastError, id).toMatch(pattern);
        expect(state.failureCount, id).toBe(1);
        expect(state.nextPollAt, id).toBeGreaterThan(env.clock.now);
      }
      expect(reports.get('good')?.items).toHaveLength(2);
      expect(reports.get('empty')?.warnings.join()).toMatch(/no items/);
      const odd = reports.get('odd-items')!;
      expect(odd.status).toBe('fetched');
      // No title: titled from its text; no link: kept; one guid on two items with different
      // titles and links: two items (issue 10, problem 5); absurd dates: no date.
      expect(odd.items.map((i) => i.title)).toEqual(expect.arrayContaining(['没有链接的条目', '重复的 guid', '1970 年的日期', '2100 年的日期']));
      expect(odd.items.filter((i) => i.title.startsWith('重复的'))).toHaveLength(2);
      expect(odd.warnings.join('\n')).toMatch(/1970|2100|date/);
      const dates = env.services.db.prepare("SELECT published_at FROM articles WHERE guid IN ('old','future')").pluck().all();
      expect(dates).toEqual([null, null]);
    } finally {
      env.close();
    }
  });

  it('records a feed that never answers as a timeout', async () => {
    // The server never answers, so only the deadline can end the request: its length is the
    // point here, and no machine is too slow to reach it.
    const env = createIngestEnv({ FIRST_POLL_BACKLOG: '1000', MAX_ITEM_AGE_HOURS: '0', FETCH_TIMEOUT_MS: '1500' });
    try {
      server.setRoute('/t/timeout', { fault: 'timeout' });
      env.writeFeeds([{ id: 'timeout', url: server.url('/t/timeout') }]);
      const [report] = await pollMany(env.services.ingestDeps(), env.services.feeds.list());
      expect(report?.status).toBe('error');
      expect(env.services.feeds.get('timeout')!.lastError).toMatch(/did not answer within/);
    } finally {
      env.close();
    }
  });

  it('backs off exponentially, pauses after a day of failures, and resumes on success', async () => {
    const env = createIngestEnv({ FEED_PAUSE_AFTER_HOURS: '24' });
    try {
      server.setRoute('/b/flaky', { status: 503, body: 'down', headers: { 'retry-after': '1' } });
      env.writeFeeds([{ id: 'flaky', url: server.url('/b/flaky') }]);
      const deps = env.services.ingestDeps();
      const delays: number[] = [];
      for (let i = 0; i < 4; i++) {
        await pollMany(deps, [env.services.feeds.get('flaky')!]);
        delays.push(env.services.feeds.get('flaky')!.nextPollAt! - env.clock.now);
        env.clock.now += 60_000;
      }
      expect(delays[1]).toBeGreaterThan(delays[0]!);
      expect(delays[2]).toBeGreaterThan(delays[1]!);
      expect(env.services.feeds.get('flaky')?.pausedAt).toBeNull();
      env.clock.now += 25 * 3_600_000;
      const r = await pollMany(deps, [env.services.feeds.get('flaky')!]);
      expect(r[0]?.paused).toBe(true);
      const paused = env.services.feeds.get('flaky')!;
      expect(paused.pauseReason).toMatch(/failing for 24 h.*HTTP 503/);
      expect(env.services.feeds.due(env.clock.now).map((f) => f.id)).not.toContain('flaky');
      server.setRoute('/b/flaky', { body: rssFeed([good(1)], { title: 'ok' }) });
      env.clock.now += 24 * 3_600_000;
      expect(env.services.feeds.due(env.clock.now).map((f) => f.id)).toContain('flaky');
      await pollMany(deps, env.services.feeds.due(env.clock.now));
      const resumed = env.services.feeds.get('flaky')!;
      expect(resumed.pausedAt).toBeNull();
      expect(resumed.failureCount).toBe(0);
    } finally {
      env.close();
    }
  });
});
