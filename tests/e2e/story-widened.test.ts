// A story first carried only by a server's own feed goes only to that server. When a catalog
// feed (or another server's feed) later carries it too, the servers it now reaches get it,
// and the first server does not get it a second time.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../fakes/fake-discord.js';
import { rssFeed, startFeedServer, type FeedServer, type TestItem } from '../fakes/feed-server.js';
import { startBotEnv, type BotEnv } from '../helpers/bot-env.js';
import { sqliteServices } from '../../src/app/services.js';

let feeds: FeedServer;
let fake: FakeDiscord;
let env: BotEnv;
const GUILD_B = '200000000000000002';
const CHANNEL_B = '200000000000000022';
const GUILD_C = '300000000000000003';
const CHANNEL_C = '300000000000000033';

beforeAll(async () => {
  feeds = await startFeedServer();
});
afterAll(async () => {
  await feeds.close();
});
beforeEach(async () => {
  fake = await startFakeDiscord();
});
afterEach(async () => {
  await env?.close();
  await fake.close();
});

const item = (n: number, title: string): TestItem => ({
  title,
  link: `https://news.example.cn/widen/${n}.html`,
  guid: `w${n}`,
  date: new Date().toUTCString(),
  description: `<p>${title}。相关部门表示，各项工作正在有序推进。</p>`,
});
const S = item(1, '嘉兴市新建三所社区食堂投入使用');
const S_TITLE = S.title!;
const T = item(2, '嘉兴市图书馆周末延长开放时间');

function rows(storyTitle: string): Array<{ guild_id: string; channel_id: string }> {
  return sqliteServices(env.bot.services).db
    .prepare(`SELECT d.guild_id, d.channel_id FROM deliveries d JOIN articles a ON a.story_id = d.story_id WHERE a.title = ? GROUP BY d.id ORDER BY d.id`)
    .all(storyTitle) as Array<{ guild_id: string; channel_id: string }>;
}

describe('a story a server feed stored first', () => {
  it('reaches every subscribed server once the catalog carries it, and the first server once', async () => {
    env = await startBotEnv(fake);
    env.subscribe(fake.channels.news, '330400');
    env.repos.subscriptions.subscribe({ guildId: GUILD_B, channelId: CHANNEL_B, regionCode: '330400', mode: 'instant', include: [], exclude: [], createdBy: 'u2' }, Date.now());
    feeds.setRoute('/own-a.xml', { body: rssFeed([S], { title: 'A 的源' }) });
    feeds.setRoute('/catalog.xml', { body: rssFeed([T], { title: '目录' }) });
    env.writeFeeds([{ id: 'cat', url: feeds.url('/catalog.xml'), region: '330400' }]);
    const added = sqliteServices(env.bot.services).guildFeeds.add({ guildId: fake.guildId, url: feeds.url('/own-a.xml'), name: 'A 的源', region: '330400', kind: 'feed', addedBy: 'u1' }, 10, Date.now());
    expect(added.status).toBe('added');

    await env.poll();
    expect(rows(S_TITLE).map((r) => r.guild_id)).toEqual([fake.guildId]);

    feeds.setRoute('/catalog.xml', { body: rssFeed([T, { ...S, guid: 'cat-1' }], { title: '目录' }) });
    await env.poll();
    expect(rows(S_TITLE)).toEqual([
      { guild_id: fake.guildId, channel_id: fake.channels.news },
      { guild_id: GUILD_B, channel_id: CHANNEL_B },
    ]);
    await env.poll(); // nothing new: nothing routed again
    expect(rows(S_TITLE)).toHaveLength(2);
    await fake.waitForMessages(fake.channels.news, 2); // S and T
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.messages(fake.channels.news)).toHaveLength(2);
  });

  it('reaches a second server whose own feed joins the story, and no server without one', async () => {
    env = await startBotEnv(fake);
    env.subscribe(fake.channels.news, '330400');
    for (const [guildId, channelId] of [[GUILD_B, CHANNEL_B], [GUILD_C, CHANNEL_C]] as const) {
      env.repos.subscriptions.subscribe({ guildId, channelId, regionCode: '330400', mode: 'instant', include: [], exclude: [], createdBy: 'u2' }, Date.now());
    }
    feeds.setRoute('/own-a2.xml', { body: rssFeed([S], { title: 'A 的源' }) });
    feeds.setRoute('/own-b2.xml', { body: rssFeed([], { title: 'B 的源' }) });
    sqliteServices(env.bot.services).guildFeeds.add({ guildId: fake.guildId, url: feeds.url('/own-a2.xml'), name: 'A 的源', region: '330400', kind: 'feed', addedBy: 'u1' }, 10, Date.now());
    sqliteServices(env.bot.services).guildFeeds.add({ guildId: GUILD_B, url: feeds.url('/own-b2.xml'), name: 'B 的源', region: '330400', kind: 'feed', addedBy: 'u2' }, 10, Date.now());
    await env.poll();
    expect(rows(S_TITLE).map((r) => r.guild_id)).toEqual([fake.guildId]);

    feeds.setRoute('/own-b2.xml', { body: rssFeed([{ ...S, guid: 'b-1' }], { title: 'B 的源' }) });
    await env.poll();
    expect(rows(S_TITLE).map((r) => r.guild_id)).toEqual([fake.guildId, GUILD_B]);
  });
});
