import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pollMany } from '../../src/ingest/poll-many.js';
import type { PollReport } from '../../src/ingest/poll-feed.js';
import { atomFeed, rssFeed, startFeedServer, type FeedServer, type TestItem } from '../fakes/feed-server.js';
import { encodeBig5, encodeGb18030 } from '../fakes/gbk.js';
import { createIngestEnv, type IngestEnv, type TestFeed } from '../helpers/ingest-env.js';

let server: FeedServer;
let env: IngestEnv;
const HOUR = 3_600_000;

beforeAll(async () => {
  server = await startFeedServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  env = createIngestEnv({ FIRST_POLL_BACKLOG: '1000', MAX_ITEM_AGE_HOURS: '0' });
});
afterEach(() => env.close());

const rfc822 = (ms: number) => new Date(ms).toUTCString();
const item = (n: number, extra: Partial<TestItem> = {}): TestItem => ({
  title: `嘉兴新闻第${n}条:秀洲区举行项目观摩活动`,
  link: `https://news.example.cn/a/${n}.html`,
  guid: `id-${n}`,
  date: rfc822(Date.now() - n * 60_000),
  description: `<p>第${n}条。嘉兴市秀洲区昨天举行重点项目观摩活动,现场察看了一批产业项目的建设进度。</p>`,
  ...extra,
});

async function poll(feeds?: TestFeed[]): Promise<Map<string, PollReport>> {
  if (feeds) env.writeFeeds(feeds);
  const s = env.services;
  // One feed at a time, in id order, so "the first source" of a shared story is deterministic.
  const reports = await pollMany(s.ingestDeps(), s.feeds.list(), { concurrency: 1 });
  return new Map(reports.map((r) => [r.feedId, r]));
}

const count = (sql: string, ...args: unknown[]) => env.services.db.prepare(sql).pluck().get(...args) as number;

describe('ingest against a local feed server', () => {
  it('decodes UTF-8, GBK (prolog only), Big5 and a lying charset into the same Chinese text', async () => {
    const simp = '嘉兴市举行2022年度第一次互学互比互赛活动';
    const trad = '嘉興市舉行2022年度第一次互學互比互賽活動';
    server.setRoute('/utf8.xml', { body: rssFeed([item(1, { title: simp, guid: 'u' })], { title: 'utf8' }), contentType: 'application/rss+xml; charset=utf-8' });
    server.setRoute('/gbk.xml', { body: encodeGb18030(rssFeed([item(2, { title: `${simp}(GBK)`, guid: 'g' })], { title: 'gbk', encoding: 'GBK' })), contentType: 'text/xml' });
    server.setRoute('/big5.xml', { body: encodeBig5(rssFeed([item(3, { title: `${trad}(Big5)`, guid: 'b', description: '<p>嘉興新聞</p>' })], { title: 'big5', encoding: 'Big5' })), contentType: 'text/xml; charset=big5' });
    // UTF-8 bytes that claim gb2312 in both the header and the prolog.
    server.setRoute('/lying.xml', { body: rssFeed([item(4, { title: `${simp}(lying)`, guid: 'l' })], { title: 'lying', encoding: 'gb2312' }), contentType: 'text/xml; charset=gb2312' });
    const r = await poll([
      { id: 'utf8', url: server.url('/utf8.xml') },
      { id: 'gbk', url: server.url('/gbk.xml') },
      { id: 'big5', url: server.url('/big5.xml') },
      { id: 'lying', url: server.url('/lying.xml') },
    ]);
    for (const id of ['utf8', 'gbk', 'big5', 'lying']) expect(r.get(id)?.status, id).toBe('fetched');
    const titles = env.services.db.prepare('SELECT feed_id, title FROM articles ORDER BY feed_id').all() as { feed_id: string; title: string }[];
    expect(titles).toEqual([
      { feed_id: 'big5', title: `${trad}(Big5)` },
      { feed_id: 'gbk', title: `${simp}(GBK)` },
      { feed_id: 'lying', title: `${simp}(lying)` },
      { feed_id: 'utf8', title: simp },
    ]);
  });

  it('a second poll costs nothing: 304 with an ETag, "unchanged" without one', async () => {
    server.setRoute('/etag.xml', { body: rssFeed([item(1), item(2)], { title: 'e' }), etag: '"v1"' });
    server.setRoute('/plain.xml', { body: rssFeed([item(3), item(4)], { title: 'p' }) });
    const feeds = [{ id: 'etag', url: server.url('/etag.xml') }, { id: 'plain', url: server.url('/plain.xml') }];
    const first = await poll(feeds);
    expect(first.get('etag')?.items).toHaveLength(2);
    const articles = count('SELECT count(*) FROM articles');
    const second = await poll();
    expect(second.get('etag')?.status).toBe('not-modified');
    expect(second.get('plain')?.status).toBe('unchanged');
    expect(count('SELECT count(*) FROM articles')).toBe(articles);
    expect(server.requests.filter((q) => q.path === '/etag.xml').at(-1)?.headers['if-none-match']).toBe('"v1"');
  });

  it('survives a restart between polls: nothing is new again', async () => {
    server.setRoute('/r.xml', { body: rssFeed([item(1), item(2), item(3)], { title: 'r' }) });
    await poll([{ id: 'r', url: server.url('/r.xml') }]);
    env.restart();
    // A reordered feed with one new item: only that item is new.
    server.setRoute('/r.xml', { body: rssFeed([item(3), item(4), item(1), item(2)], { title: 'r' }) });
    const r = await poll();
    expect(r.get('r')?.items.map((i) => i.title)).toEqual([item(4).title]);
    expect(count('SELECT count(*) FROM articles')).toBe(4);
  });

  it('stores the same story from a Traditional and a Simplified feed as one story with two sources', async () => {
    const when = Date.now() - HOUR;
    server.setRoute('/trad.xml', { body: rssFeed([item(1, { title: '嘉興市舉行2022年度第一次“互學互比互賽”', guid: 't1', link: 'https://tw.example.cn/1', date: rfc822(when) })], { title: 't' }) });
    server.setRoute('/simp.atom', { body: atomFeed([item(1, { title: '嘉兴市举行2022年度第一次“互学互比互赛”', guid: 's1', link: 'https://cn.example.cn/1', date: new Date(when + 20 * 60_000).toISOString() })], { title: 's' }) });
    await poll([{ id: 'a-trad', url: server.url('/trad.xml') }, { id: 'b-simp', url: server.url('/simp.atom') }]);
    expect(count('SELECT count(*) FROM articles')).toBe(2);
    expect(count('SELECT count(*) FROM stories')).toBe(1);
    const story = env.services.articles.story(count('SELECT id FROM stories'))!;
    expect(story.feedId).toBe('a-trad');
    expect(story.alsoReportedBy.map((a) => a.feedId)).toEqual(['b-simp']);
  });

  it('keeps distinct stories apart even with similar titles far apart in time', async () => {
    server.setRoute('/x.xml', {
      body: rssFeed([item(1, { title: '嘉兴市召开安全生产工作会议', guid: 'x1', date: rfc822(Date.now() - 10 * 24 * HOUR) }), item(2, { title: '嘉兴市召开安全生产工作会议', guid: 'x2', date: rfc822(Date.now()) })], { title: 'x' }),
    });
    await poll([{ id: 'x', url: server.url('/x.xml') }]);
    expect(count('SELECT count(*) FROM stories')).toBe(2);
  });

  it("posts nothing from a new feed's first poll by default, and holds items that are too old", async () => {
    env.close();
    env = createIngestEnv({ FIRST_POLL_BACKLOG: '0', MAX_ITEM_AGE_HOURS: '48' });
    server.setRoute('/n.xml', { body: rssFeed([item(1), item(2)], { title: 'n' }) });
    const first = await poll([{ id: 'n', url: server.url('/n.xml') }]);
    expect(first.get('n')?.items.every((i) => !i.postable && i.holdReason?.startsWith('backlog'))).toBe(true);
    server.setRoute('/n.xml', { body: rssFeed([item(3, { date: rfc822(Date.now() - 72 * HOUR) }), item(4), item(1), item(2)], { title: 'n' }) });
    const second = await poll();
    const byTitle = new Map(second.get('n')!.items.map((i) => [i.title, i]));
    expect(byTitle.get(item(4).title!)?.postable).toBe(true);
    expect(byTitle.get(item(3).title!)?.holdReason).toMatch(/too old/);
  });

  it('dry runs store nothing', async () => {
    server.setRoute('/d.xml', { body: rssFeed([item(1)], { title: 'd' }) });
    env.writeFeeds([{ id: 'd', url: server.url('/d.xml') }]);
    const reports = await pollMany(env.services.ingestDeps(), env.services.feeds.list(), { dryRun: true });
    expect(reports[0]?.items).toHaveLength(1);
    expect(count('SELECT count(*) FROM articles')).toBe(0);
    expect(env.services.feeds.get('d')?.lastFetchAt).toBeNull();
  });
});
