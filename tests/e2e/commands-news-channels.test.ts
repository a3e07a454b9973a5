// /news search and its Post button where members talk (issue #15): a text channel, an
// announcement channel and a forum post (a thread; a forum itself holds no messages). The
// chosen result is posted publicly where the search was made, and only by a member who
// may write there: Send Messages in a channel, Send Messages in Threads in a forum post.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Permission, startFakeDiscord, type FakeDiscord, type InteractionResponse, type JsonObject } from '../fakes/fake-discord.js';
import { rssFeed, startFeedServer, type FeedServer } from '../fakes/feed-server.js';
import { CHANNEL_KINDS, makeChannel, registerCommands, startBotEnv, waitPosted, type BotEnv, type ChannelKind } from '../helpers/bot-env.js';

let fake: FakeDiscord;
let feeds: FeedServer;
let env: BotEnv;
/** Where a member runs /news for each kind: the channel, or for a forum one of its posts. */
const place = {} as Record<ChannelKind, string>;
const HEADLINES = ['嘉兴市图书馆新馆正式开放', '南湖区举办秋季运动会', '秀洲区农贸市场完成改造', '嘉善县推进乡村道路提升'];

beforeAll(async () => {
  fake = await startFakeDiscord({ rateLimit: { perChannel: 5, windowMs: 1000 } });
  feeds = await startFeedServer();
  await registerCommands(fake);
  const forum = await makeChannel(fake, 'forum', 'forum');
  place.text = fake.channels.general;
  place.announcement = await makeChannel(fake, 'announcement', 'bulletin');
  env = await startBotEnv(fake);
  // The bot's own posts give the forum its threads.
  env.subscribe(forum, '330400');
  const now = Date.now();
  feeds.setRoute('/jx.xml', { body: rssFeed(HEADLINES.map((title, i) => ({ title, link: `https://news.example.cn/nc/${i}`, guid: `nc${i}`, date: new Date(now - (i + 1) * 60_000).toUTCString(), description: `<p>嘉兴讯 ${title}。记者从有关部门了解到相关情况。</p>` })), { title: 'jx' }) });
  env.writeFeeds([{ id: 'jx', url: feeds.url('/jx.xml'), region: '330400', name: '嘉兴日报' }]);
  await env.poll();
  const [post] = await waitPosted(fake, forum, HEADLINES.length);
  place.forum = post!.id;
  await fake.waitFor(() => env.discord.client.channels.cache.get(place.forum), 5000, 'the forum post in the cache');
});
afterAll(async () => {
  await env?.close();
  await fake?.close();
  await feeds?.close();
});

interface Shown {
  ephemeral: boolean;
  content: string;
  messageId: string;
  posts: string[];
}
function view(message: JsonObject | undefined, data: JsonObject = message ?? {}): Shown {
  const rows = (data.components as Array<{ components: Array<{ custom_id: string }> }> | undefined) ?? [];
  return {
    ephemeral: (Number(message?.flags ?? data.flags ?? 0) & 64) !== 0,
    content: String(data.content ?? ''),
    messageId: String(message?.id ?? ''),
    posts: rows.flatMap((r) => r.components).map((b) => b.custom_id).filter((id) => id.startsWith('news:s:')),
  };
}
async function search(channelId: string): Promise<Shown> {
  const h = fake.slash({ name: 'news', subcommand: 'search', options: { query: '嘉兴' }, channelId, locale: 'zh-CN' });
  expect((await h.waitForResponse()).type).toBe(5);
  return view((await h.waitForEdit()).message);
}
async function press(customId: string, at: Shown, channelId: string, memberPermissions?: bigint) {
  const h = fake.click({ customId, messageId: at.messageId, user: 'member', locale: 'zh-CN', channelId, ...(memberPermissions !== undefined ? { memberPermissions } : {}) });
  const r: InteractionResponse = await h.waitForResponse();
  return { h, r, shown: view(r.message, (r.body.data as JsonObject | undefined) ?? {}) };
}

describe.each(CHANNEL_KINDS)('/news in a %s channel', (kind: ChannelKind) => {
  it('posts the chosen result publicly where the search was made', async () => {
    const at = place[kind];
    const found = await search(at);
    expect(found.ephemeral).toBe(true);
    expect(found.posts.length).toBeGreaterThan(0);
    const { h, r } = await press(found.posts[0]!, found, at);
    expect(r.type).toBe(6);
    const f = await h.waitForFollowUp();
    expect(Number(f.body.flags ?? 0) & 64).toBe(0);
    expect(f.body.content).toBe(`<@${fake.users.member}> 分享了一条新闻：`);
    expect(f.message).toMatchObject({ channel_id: at });
  });

  it('refuses a member who may not write there, by the permission that place needs', async () => {
    const at = place[kind];
    const found = await search(at);
    const view = Permission.ViewChannel;
    // In a forum post a member writes with Send Messages in Threads; elsewhere with Send Messages.
    const lacking = kind === 'forum' ? view | Permission.SendMessages : view | Permission.SendMessagesInThreads;
    const refused = await press(found.posts[0]!, found, at, lacking);
    expect(refused.r.type).toBe(4);
    expect(refused.shown.ephemeral).toBe(true);
    expect(refused.shown.content).toMatch(/你在这个频道没有发言权限/);
    const enough = kind === 'forum' ? view | Permission.SendMessagesInThreads : view | Permission.SendMessages;
    const ok = await press(found.posts[0]!, found, at, enough);
    expect(ok.r.type).toBe(6);
    expect((await ok.h.waitForFollowUp()).message).toMatchObject({ channel_id: at });
  });
});
