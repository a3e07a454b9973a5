// Corrections at ingest (issue #15): a known item whose title or text changed materially is
// stored again and its story revised; a changed body whose items did not change (a new build
// date) is not even parsed.
import { describe, expect, it } from 'vitest';
import { pollMany } from '../../src/ingest/poll-many.js';
import { rssFeed, type TestItem } from '../fakes/feed-server.js';
import { useIngestWorld } from '../helpers/ingest-env.js';

const world = useIngestWorld();

const items = (title: string, text: string): TestItem[] => [
  { title, link: 'https://news.example.cn/c1.html', guid: 'c1', date: new Date(Date.UTC(2026, 11, 5, 8)).toUTCString(), description: `<p>${text}</p>` },
  { title: '嘉兴图书馆延长开放时间', link: 'https://news.example.cn/c2.html', guid: 'c2', date: new Date(Date.UTC(2026, 11, 5, 7)).toUTCString(), description: '<p>嘉兴图书馆宣布延长开放时间，方便市民阅读。</p>' },
];
const withDate = (xml: string, date: string) => xml.replace('<description>test</description>', `<description>test</description><lastBuildDate>${date}</lastBuildDate>`);

describe('corrections at ingest', () => {
  it('skips the parse for a new build date, revises a material change, and ignores a trivial one', async () => {
    const s = world.env.services;
    const serve = (title: string, text: string, date: string) => world.server.setRoute('/c.xml', { body: withDate(rssFeed(items(title, text), { title: 'c' }), date) });
    world.env.writeFeeds([{ id: 'c', url: world.server.url('/c.xml') }]);
    const poll = async () => (await pollMany(s.ingestDeps(), s.feeds.list(), { concurrency: 1 }))[0]!;

    serve('嘉兴市召开安全生产工作会议', '嘉兴市召开安全生产工作会议，部署下一阶段重点工作。', 'Sat, 05 Dec 2026 08:00:00 GMT');
    expect((await poll()).items).toHaveLength(2);

    // Only the channel's build date changed: the items' digest is the same, nothing is parsed.
    serve('嘉兴市召开安全生产工作会议', '嘉兴市召开安全生产工作会议，部署下一阶段重点工作。', 'Sat, 05 Dec 2026 09:00:00 GMT');
    const quiet = await poll();
    expect([quiet.status, quiet.chunks, quiet.revised ?? []]).toEqual(['fetched', 0, []]);

    // A trivial change (full-width punctuation and spacing) is read and compared, but revises nothing.
    serve('嘉兴市召开安全生产工作会议 ', '嘉兴市召开安全生产工作会议,部署下一阶段重点工作.', 'Sat, 05 Dec 2026 10:00:00 GMT');
    expect((await poll()).revised).toEqual([]);

    // A new headline: the article is stored again and its story revised.
    serve('嘉兴市召开安全生产和消防工作会议', '更正：嘉兴市召开安全生产和消防工作会议，部署冬季消防重点工作。', 'Sat, 05 Dec 2026 11:00:00 GMT');
    const revised = (await poll()).revised ?? [];
    expect(revised).toHaveLength(1);
    expect(revised[0]!.reasons).toContain('title');
    const row = s.db.prepare("SELECT a.title, s.revision FROM articles a JOIN stories s ON s.id = a.story_id WHERE a.item_key LIKE '%c1%'").get() as { title: string; revision: number };
    expect(row).toEqual({ title: '嘉兴市召开安全生产和消防工作会议', revision: 1 });
    // The corrected headline finds the story too: a late copy of it joins instead of being new.
    expect(s.articles.storiesByTitleKey('嘉兴市召开安全生产和消防工作会议').length).toBeGreaterThan(0);
  });
});
