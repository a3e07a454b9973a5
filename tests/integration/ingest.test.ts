import { describe, expect, it } from 'vitest';
import { pollMany } from '../../src/ingest/poll-many.js';
import type { PollReport } from '../../src/ingest/poll-feed.js';
import { atomFeed, rssFeed, type TestItem } from '../fakes/feed-server.js';
import { encodeBig5, encodeGb18030 } from '../fakes/gbk.js';
import { type TestFeed, useIngestWorld } from '../helpers/ingest-env.js';

const HOUR = 3_600_000;
const world = useIngestWorld();

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
  if (feeds) world.env.writeFeeds(feeds);
  const s = world.env.services;
  // One feed at a time, in id order, so "the first source" of a shared story is deterministic.
  const reports = await pollMany(s.ingestDeps(), s.feeds.list(), { concurrency: 1 });
  return new Map(reports.map((r) => [r.feedId, r]));
}

const count = (sql: string, ...args: unknown[]) => world.env.services.db.prepare(sql).pluck().get(...args) as number;

describe('ingest against a local feed server', () => {
  it('decodes UTF-8, GBK (prolog only), Big5 and a lying charset into the same Chinese text', async () => {
    const simp = '嘉兴市举行2022年度第一次互学互比互赛活动';
    const trad = '嘉興市舉行2022年度第一次互學互比互賽活動';
    world.server.setRoute('/utf8.xml', { body: rssFeed([item(1, { title: simp, guid: 'u' })], { title: 'utf8' }), contentType: 'application/rss+xml; charset=utf-8' });
    world.server.setRoute('/gbk.xml', { body: encodeGb18030(rssFeed([item(2, { title: `${simp}(GBK)`, guid: 'g' })], { title: 'gbk', encoding: 'GBK' })), contentType: 'text/xml' });
    world.server.setRoute('/big5.xml', { body: encodeBig5(rssFeed([item(3, { title: `${trad}(Big5)`, guid: 'b', description: '<p>嘉興新聞</p>' })], { title: 'big5', encoding: 'Big5' })), contentType: 'text/xml; charset=big5' });
    // UTF-8 bytes that claim gb2312 in both the header and the prolog.
    world.server.setRoute('/lying.xml', { body: rssFeed([item(4, { title: `${simp}(lying)`, guid: 'l' })], { title: 'lying', encoding: 'gb2312' }), contentType: 'text/xml; charset=gb2312' });
    const r = await poll([
      { id: 'utf8', url: world.server.url('/utf8.xml') },
      { id: 'gbk', url: world.server.url('/gbk.xml') },
      { id: 'big5', url: world.server.url('/big5.xml') },
      { id: 'lying', url: world.server.url('/lying.xml') },
    ]);
    for (const id of ['utf8', 'gbk', 'big5', 'lying']) expect(r.get(id)?.status, id).toBe('fetched');
    const titles = world.env.services.db.prepare('SELECT feed_id, title FROM articles ORDER BY feed_id').all() as { feed_id: string; title: string }[];
    expect(titles).toEqual([
      { feed_id: 'big5', title: `${trad}(Big5)` },
      { feed_id: 'gbk', title: `${simp}(GBK)` },
      { feed_id: 'lying', title: `${simp}(lying)` },
      { feed_id: 'utf8', title: simp },
    ]);
  });

  it('a second poll costs nothing: 304 with an ETag, "unchanged" without one', async () => {
    world.server.setRoute('/etag.xml', { body: rssFeed([item(1), item(2)], { title: 'e' }), etag: '"v1"' });
    world.server.setRoute('/plain.xml', { body: rssFeed([item(3), item(4)], { title: 'p' }) });
    const feeds = [{ id: 'etag', url: world.server.url('/etag.xml') }, { id: 'plain', url: world.server.url('/plain.xml') }];
    const first = await poll(feeds);
    expect(first.get('etag')?.items).toHaveLength(2);
    const articles = count('SELECT count(*) FROM articles');
    const second = await poll();
    expect(second.get('etag')?.status).toBe('not-modified');
    expect(second.get('plain')?.status).toBe('unchanged');
    expect(count('SELECT count(*) FROM articles')).toBe(articles);
    expect(world.server.requests.filter((q) => q.path === '/etag.xml').at(-1)?.headers['if-none-match']).toBe('"v1"');
  });

  it('survives a restart between polls: nothing is new again', async () => {
    world.server.setRoute('/r.xml', { body: rssFeed([item(1), item(2), item(3)], { title: 'r' }) });
    await poll([{ id: 'r', url: world.server.url('/r.xml') }]);
    world.env.restart();
    // A reordered feed with one new item: only that item is new.
    world.server.setRoute('/r.xml', { body: rssFeed([item(3), item(4), item(1), item(2)], { title: 'r' }) });
    const r = await poll();
    expect(r.get('r')?.items.map((i) => i.title)).toEqual([item(4).title]);
    expect(count('SELECT count(*) FROM articles')).toBe(4);
  });

  it('stores the same story from a Traditional and a Simplified feed as one story with two sources', async () => {
    const when = Date.now() - HOUR;
    world.server.setRoute('/trad.xml', { body: rssFeed([item(1, { title: '嘉興市舉行2022年度第一次“互學互比互賽”', guid: 't1', link: 'https://tw.example.cn/1', date: rfc822(when) })], { title: 't' }) });
    world.server.setRoute('/simp.atom', { body: atomFeed([item(1, { title: '嘉兴市举行2022年度第一次“互学互比互赛”', guid: 's1', link: 'https://cn.example.cn/1', date: new Date(when + 20 * 60_000).toISOString() })], { title: 's' }) });
    await poll([{ id: 'a-trad', url: world.server.url('/trad.xml') }, { id: 'b-simp', url: world.server.url('/simp.atom') }]);
    expect(count('SELECT count(*) FROM articles')).toBe(2);
    expect(count('SELECT count(*) FROM stories')).toBe(1);
    const story = world.env.services.articles.story(count('SELECT id FROM stories'))!;
    expect(story.feedId).toBe('a-trad');
    expect(story.alsoReportedBy.map((a) => a.feedId)).toEqual(['b-simp']);
  });

  it('keeps distinct stories apart even with similar titles far apart in time', async () => {
    world.server.setRoute('/x.xml', {
      body: rssFeed([item(1, { title: '嘉兴市召开安全生产工作会议', guid: 'x1', date: rfc822(Date.now() - 10 * 24 * HOUR) }), item(2, { title: '嘉兴市召开安全生产工作会议', guid: 'x2', date: rfc822(Date.now()) })], { title: 'x' }),
    });
    await poll([{ id: 'x', url: world.server.url('/x.xml') }]);
    expect(count('SELECT count(*) FROM stories')).toBe(2);
  });

  it("posts nothing from a new feed's first poll by default, and holds items that are too old", async () => {
    world.reopen({ FIRST_POLL_BACKLOG: '0', MAX_ITEM_AGE_HOURS: '48' });
    world.server.setRoute('/n.xml', { body: rssFeed([item(1), item(2)], { title: 'n' }) });
    const first = await poll([{ id: 'n', url: world.server.url('/n.xml') }]);
    expect(first.get('n')?.items.every((i) => !i.postable && i.holdReason?.startsWith('backlog'))).toBe(true);
    world.server.setRoute('/n.xml', { body: rssFeed([item(3, { date: rfc822(Date.now() - 72 * HOUR) }), item(4), item(1), item(2)], { title: 'n' }) });
    const second = await poll();
    const byTitle = new Map(second.get('n')!.items.map((i) => [i.title, i]));
    expect(byTitle.get(item(4).title!)?.postable).toBe(true);
    expect(byTitle.get(item(3).title!)?.holdReason).toMatch(/too old/);
  });

  it('dry runs store nothing', async () => {
    world.server.setRoute('/d.xml', { body: rssFeed([item(1)], { title: 'd' }) });
    world.env.writeFeeds([{ id: 'd', url: world.server.url('/d.xml') }]);
    const reports = await pollMany(world.env.services.ingestDeps(), world.env.services.feeds.list(), { dryRun: true });
    expect(reports[0]?.items).toHaveLength(1);
    expect(count('SELECT count(*) FROM articles')).toBe(0);
    expect(world.env.services.feeds.get('d')?.lastFetchAt).toBeNull();
  });
});
