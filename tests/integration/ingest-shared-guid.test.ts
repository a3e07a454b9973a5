// Distinct items that share a guid (issue 10, problem 5) in the real ingest path: each is
// stored once, an item stored alone before its sibling appeared is not stored again, and an
// ordinary feed keeps the item keys it always had.
import { describe, expect, it } from 'vitest';
import { pollMany } from '../../src/ingest/poll-many.js';
import { rssFeed, type TestItem } from '../fakes/feed-server.js';
import { useIngestWorld } from '../helpers/ingest-env.js';

const world = useIngestWorld();

const item = (n: number, extra: Partial<TestItem> = {}): TestItem => ({
  title: `第${n}期:嘉兴市民生实事项目进展${'甲乙丙丁戊'[n % 5]}`,
  link: `https://podcast.example.cn/ep/${n}.html`,
  guid: `id-${n}`,
  date: new Date(Date.UTC(2026, 11, 4, n)).toUTCString(),
  description: `<p>第${n}期节目。嘉兴市${'东南西北中'[n % 5]}片区的民生项目建设情况通报,涉及道路、学校和社区服务。</p>`,
  ...extra,
});

async function pollWith(items: TestItem[]) {
  world.server.setRoute('/shared.xml', { body: rssFeed(items, { title: 'shared' }) });
  world.env.writeFeeds([{ id: 'shared', url: world.server.url('/shared.xml') }]);
  const [report] = await pollMany(world.env.services.ingestDeps(), world.env.services.feeds.list(), { concurrency: 1 });
  return report!;
}
const keys = () => world.env.services.db.prepare("SELECT item_key FROM articles WHERE feed_id = 'shared' ORDER BY id").pluck().all() as string[];

describe('items that share a guid', () => {
  it('stores both of two items with one guid but different titles and links', async () => {
    const report = await pollWith([item(1, { guid: 'same' }), item(2, { guid: 'same' })]);
    expect(report.items.map((i) => i.title).sort()).toEqual([item(1).title, item(2).title].sort());
    expect(new Set(keys()).size).toBe(2);
    expect((await pollWith([item(1, { guid: 'same' }), item(2, { guid: 'same' })])).items).toEqual([]);
  });

  it('stores only the newcomer when a sibling appears with the guid of an item stored alone', async () => {
    expect((await pollWith([item(1, { guid: 'same' })])).items).toHaveLength(1);
    expect(keys()).toEqual(['g:same']);
    const second = await pollWith([item(2, { guid: 'same' }), item(1, { guid: 'same' })]);
    expect(second.items.map((i) => i.title)).toEqual([item(2).title]);
    expect((await pollWith([item(2, { guid: 'same' }), item(1, { guid: 'same' })])).items).toEqual([]);
    expect(keys()).toHaveLength(2);
  });

  it('tells siblings with one guid and one link apart by title, the first stored alone', async () => {
    const link = 'https://podcast.example.cn/feed.mp3';
    expect((await pollWith([item(1, { guid: link, link })])).items).toHaveLength(1);
    const second = await pollWith([item(2, { guid: link, link }), item(1, { guid: link, link })]);
    expect(second.items.map((i) => i.title)).toEqual([item(2).title]);
    expect((await pollWith([item(2, { guid: link, link }), item(1, { guid: link, link })])).items).toEqual([]);
  });

  it('keeps the keys an ordinary feed always had, so nothing is stored again', async () => {
    await pollWith([item(1), item(2)]);
    expect(keys().sort()).toEqual(['g:id-1', 'g:id-2']);
    const next = await pollWith([item(3), item(2), item(1)]);
    expect(next.items.map((i) => i.title)).toEqual([item(3).title]);
    expect(keys().sort()).toEqual(['g:id-1', 'g:id-2', 'g:id-3']);
  });
});
