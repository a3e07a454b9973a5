// Issue 10: a feed whose charset declaration lies, or whose bad bytes were replaced, is
// warned about: in the fetch outcome, the poll report (which the poll job logs), on the feed
// for `feeds list` (cleared by a clean fetch), and by `feeds check`.
import { describe, expect, it } from 'vitest';
import { feedsCheckCommand, feedsListCommand } from '../../src/cli/commands/feeds.js';
import { loadConfig } from '../../src/config/config.js';
import { pollMany } from '../../src/ingest/poll-many.js';
import { pollJob } from '../../src/scheduler/poll-job.js';
import { silentLogger } from '../../src/shared/logger.js';
import pino from 'pino';
import { rssFeed, type TestItem } from '../fakes/feed-server.js';
import { useIngestWorld } from '../helpers/ingest-env.js';

const world = useIngestWorld();

const item = (n: number): TestItem => ({
  title: `嘉兴市第${n}批老旧小区改造项目开工`,
  link: `https://news.example.cn/w/${n}.html`,
  guid: `w-${n}`,
  date: new Date(Date.UTC(2026, 11, 4, n)).toUTCString(),
  description: `<p>第${n}批项目涉及多个小区,预计明年完工。</p>`,
});
// UTF-8 bytes that claim gb2312 in the header and the prolog.
const lying = (items: TestItem[]) => ({ body: rssFeed(items, { title: 'lying', encoding: 'gb2312' }), contentType: 'text/xml; charset=gb2312' });
const honest = (items: TestItem[]) => ({ body: rssFeed(items, { title: 'honest' }), contentType: 'application/rss+xml; charset=utf-8' });

async function poll() {
  world.env.writeFeeds([{ id: 'w', url: world.server.url('/w.xml') }]);
  const [report] = await pollMany(world.env.services.ingestDeps(), world.env.services.feeds.list(), { concurrency: 1 });
  return report!;
}

async function cli(command: typeof feedsListCommand, args: string[] = []): Promise<string> {
  const lines: string[] = [];
  const config = loadConfig({ DATABASE_PATH: world.env.dbPath, FEEDS_FILE: world.env.feedsFile, ALLOW_PRIVATE_NETWORK: 'true', FETCH_TIMEOUT_MS: '1500' });
  await command.run(args, { config, logger: silentLogger, out: (l) => lines.push(l), err: (l) => lines.push(l) });
  return lines.join('\n');
}

describe('decoding warnings', () => {
  it('come with the fetched outcome, and are empty for an honest feed', async () => {
    world.server.setRoute('/w.xml', lying([item(1)]));
    const lied = await world.env.services.fetcher.fetch({ url: world.server.url('/w.xml'), trusted: true });
    expect(lied.kind).toBe('fetched');
    expect(lied.kind === 'fetched' && lied.decodeWarnings?.join()).toMatch(/gb2312/i);
    world.server.setRoute('/w.xml', honest([item(1)]));
    const clean = await world.env.services.fetcher.fetch({ url: world.server.url('/w.xml'), trusted: true });
    expect(clean.kind === 'fetched' && clean.decodeWarnings).toEqual([]);
  });

  it('reach the poll report and the feed, stay while nothing changes, and clear on a clean fetch', async () => {
    world.server.setRoute('/w.xml', lying([item(1)]));
    const first = await poll();
    expect(first.warnings.join('\n')).toMatch(/gb2312/i);
    expect(world.env.services.feeds.get('w')?.lastWarning).toMatch(/gb2312/i);
    // Same bytes: 'unchanged' leaves the warning as it was.
    expect((await poll()).status).toBe('unchanged');
    expect(world.env.services.feeds.get('w')?.lastWarning).toMatch(/gb2312/i);
    // Every item known: the quick path records the warning too.
    world.server.setRoute('/w.xml', { ...lying([item(1)]), body: lying([item(1)]).body.replace('<description>test</description>', '<description>test2</description>') });
    const quick = await poll();
    expect(quick.items).toEqual([]);
    expect(quick.warnings.join('\n')).toMatch(/gb2312/i);
    expect(await cli(feedsListCommand)).toMatch(/warning: .*gb2312/i);
    expect(await cli(feedsCheckCommand)).toMatch(/! .*gb2312/i);

    world.server.setRoute('/w.xml', honest([item(2), item(1)]));
    const clean = await poll();
    expect(clean.items).toHaveLength(1);
    expect(clean.warnings.join('\n')).not.toMatch(/gb2312/i);
    expect(world.env.services.feeds.get('w')?.lastWarning).toBeNull();
    expect(await cli(feedsListCommand)).not.toMatch(/warning:/);
  });

  it('are logged at warn by the poll job', async () => {
    world.server.setRoute('/w.xml', lying([item(3)]));
    world.env.writeFeeds([{ id: 'w', url: world.server.url('/w.xml') }]);
    const lines: Array<{ level: number; msg: string; feed?: string; warnings?: string[] }> = [];
    const logger = pino({ level: 'info' }, { write: (l: string) => void lines.push(JSON.parse(l)) });
    await pollJob({ ...world.env.services.ingestDeps(), logger }, { tickCron: '* * * * *' }).run(new AbortController().signal, { periodMs: 0 });
    const warned = lines.find((l) => l.msg === 'feed poll warnings');
    expect(warned).toMatchObject({ level: 40, feed: 'w' });
    expect(warned?.warnings?.join()).toMatch(/gb2312/i);
  });
});
