// Which story an item joins when the poll stores it (store-items.ts): the match planned before
// enrichment is used as it is only while nothing could have changed it; an item whose title key
// or link this poll already stored, or any write by someone else since the plan, is matched
// again. Real SQLite, parser and pipeline; the fetcher is an in-process fake.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inlineFeedReader } from '../../src/ingest/feed-reader.js';
import type { Enricher } from '../../src/ingest/ports.js';
import { pollFeed, type IngestDeps } from '../../src/ingest/poll-feed.js';
import { documentFetcher, rssFeed, type TestItem } from '../fakes/feed-server.js';
import { createIngestEnv, type IngestEnv } from '../helpers/ingest-env.js';

const DAY = 86_400_000;
let env: IngestEnv;
beforeEach(() => {
  env = createIngestEnv({ FIRST_POLL_BACKLOG: '100000', MAX_ITEM_AGE_HOURS: '0' });
  env.writeFeeds([
    { id: 'f', url: 'https://feeds.example.cn/f.xml' },
    { id: 'other', url: 'https://feeds.example.cn/other.xml' },
  ]);
});
afterEach(() => env.close());


function deps(items: TestItem[], enricher?: (base: Enricher) => Enricher, chunkItems = 500): IngestDeps {
  const base = env.services.ingestDeps();
  return { ...base, fetcher: documentFetcher(() => rssFeed(items, { title: 'f' })), reader: inlineFeedReader(), enricher: enricher ? enricher(base.enricher) : base.enricher, settings: { ...base.settings, bounds: { chunkItems } } };
}

const rfc822 = (ms: number) => new Date(ms).toUTCString();
const storyOf = (feedId: string, guid: string) => env.services.db.prepare('SELECT story_id FROM articles WHERE feed_id = ? AND guid = ?').pluck().get(feedId, guid) as number;
const count = (sql: string) => env.services.db.prepare(sql).pluck().get() as number;

/** Stores a story with one article of the feed `other`, as another poll would. */
function storeOther(title: string, publishedAt: number, guid: string, link: string | null = null): number {
  const s = env.services;
  return s.db.transaction(() => {
    const storyId = s.articles.insertStory({ titleKey: title, publishedAt, firstSeenAt: publishedAt, postable: true, holdReason: null });
    s.articles.insertArticle({ feedId: 'other', storyId, itemKey: `g:${guid}`, guid, url: link, canonicalUrl: link, title, html: '', text: '', body: null, author: null, sourceOutlet: null, breadcrumb: [], publishedAt, firstSeenAt: publishedAt, script: 'simplified', summary: null });
    return storyId;
  })();
}

describe('the story an item joins at store time', () => {
  it('an item repeating a title key this poll stored joins that story, across chunks too', async () => {
    const now = Date.now();
    const items = [0, 1, 2].map((i) => ({ title: '嘉兴市召开安全生产工作会议', guid: `same-${i}`, date: rfc822(now - i * 60_000) }));
    const r = await pollFeed(deps(items, undefined, 1), env.services.feeds.get('f')!);
    expect(r.chunks).toBe(3);
    expect(r.items.map((i) => i.newStory)).toEqual([true, false, false]);
    expect(count('SELECT count(*) FROM stories')).toBe(1);
    expect(new Set(['same-0', 'same-1', 'same-2'].map((g) => storyOf('f', g))).size).toBe(1);
  });

  it('an item whose link this poll stored joins the story of that link', async () => {
    const now = Date.now();
    const link = 'https://news.example.cn/a/1.html';
    const items = [
      { title: '秀洲区重点项目集中开工', guid: 'l1', link, date: rfc822(now) },
      { title: '总投资超百亿的项目开工仪式', guid: 'l2', link, date: rfc822(now - 60_000) },
    ];
    const r = await pollFeed(deps(items), env.services.feeds.get('f')!);
    expect(r.items.map((i) => i.newStory)).toEqual([true, false]);
    expect(storyOf('f', 'l2')).toBe(storyOf('f', 'l1'));
  });

  it('an item whose story another feed stored during the enrichment joins it', async () => {
    const now = Date.now();
    let other = 0;
    const racing = (base: Enricher): Enricher => ({
      async enrich(item, feed) {
        // Between the plan and the store: another poll commits the same story.
        if (other === 0) other = storeOther('嘉兴市召开安全生产工作会议', now, 'o1');
        return base.enrich(item, feed);
      },
    });
    const r = await pollFeed(deps([{ title: '嘉兴市召开安全生产工作会议', guid: 'n1', date: rfc822(now) }], racing), env.services.feeds.get('f')!);
    expect(r.items.map((i) => [i.newStory, i.storyId])).toEqual([[false, other]]);
    expect(count('SELECT count(*) FROM stories')).toBe(1);
  });

  it('an item within reach of an older story and of one this poll created joins the newer one, as stored', async () => {
    const now = Date.now();
    const title = '嘉兴市召开安全生产工作会议';
    const old = storeOther(title, now - 5 * DAY, 'o-old');
    // Newest first: the first is out of the older story's window and starts a story; the second
    // is within both windows and joins the story the first started (the newest one that fits).
    const items = [
      { title, guid: 'newer', date: rfc822(now) },
      { title, guid: 'middle', date: rfc822(now - 2.5 * DAY) },
    ];
    const r = await pollFeed(deps(items), env.services.feeds.get('f')!);
    expect(r.items.map((i) => i.newStory)).toEqual([true, false]);
    expect(storyOf('f', 'middle')).toBe(storyOf('f', 'newer'));
    expect(storyOf('f', 'middle')).not.toBe(old);
  });
});
