// Posting through the real discord.js client to the fake Discord: the delivery tests.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defaultGuildSeed, startFakeDiscord, type FakeDiscord } from '../fakes/fake-discord.js';
import { rssFeed, startFeedServer, type FeedServer, type TestItem } from '../fakes/feed-server.js';
import { startBotEnv, type BotEnv } from '../helpers/bot-env.js';

let feeds: FeedServer;
let fake: FakeDiscord;
let env: BotEnv;

beforeAll(async () => {
  feeds = await startFeedServer();
});
afterAll(async () => {
  await feeds.close();
});
beforeEach(async () => {
  // A Taiwan server: its default script is tw.
  fake = await startFakeDiscord({ guilds: [{ ...defaultGuildSeed(), preferredLocale: 'zh-TW' }], rateLimit: { perChannel: 5, windowMs: 1000 } });
});
afterEach(async () => {
  await env?.close();
  await fake.close();
});

let seq = 0;
const item = (title: string, extra: Partial<TestItem> = {}): TestItem => ({
  title,
  link: `https://news.example.cn/${++seq}.html`,
  guid: `g${seq}`,
  date: new Date().toUTCString(),
  description: `<p>${title}。相关部门表示，各项工作正在有序推进，预计年底前全面完成。</p>`,
  ...extra,
});
const titles = (channelId: string) => fake.messages(channelId).map((m) => (m.body.embeds as Array<{ title?: string }>)?.[0]?.title ?? '');

async function withFeed(items: TestItem[], region = '330400') {
  const path = `/f${++seq}.xml`;
  feeds.setRoute(path, { body: rssFeed(items, { title: 'test' }) });
  env.writeFeeds([{ id: `feed${seq}`, url: feeds.url(path), region }]);
  return env.poll();
}

describe('delivery through Discord', () => {
  it('posts a subscribed story in the server script, once, with mentions disabled', async () => {
    env = await startBotEnv(fake);
    env.subscribe(fake.channels.news, '330400');
    await withFeed([item('嘉兴市举行重点项目集中开工活动')]);
    const [msg] = await fake.waitForMessages(fake.channels.news, 1);
    expect(titles(fake.channels.news)).toEqual(['嘉興市舉行重點項目集中開工活動']);
    expect(msg!.body.allowed_mentions).toEqual({ parse: [] });
    expect(msg!.nonce).toMatch(/^xxd/);
    expect(fake.rateLimitHits).toBe(0);
  });

  it('routes a 海宁 story to a 浙江 subscription, and posts it once when two subscriptions of a channel match', async () => {
    env = await startBotEnv(fake);
    env.subscribe(fake.channels.news, '330000');
    env.subscribe(fake.channels.news, '330481');
    env.subscribe(fake.channels.general, '330400');
    await withFeed([item('海宁市推出企业开办一件事联办服务')], '330481');
    await fake.waitForMessages(fake.channels.news, 1);
    await fake.waitForMessages(fake.channels.general, 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.messages(fake.channels.news)).toHaveLength(1);
    expect(fake.messages(fake.channels.general)).toHaveLength(1);
  });

  it('applies include and exclude words', async () => {
    env = await startBotEnv(fake);
    env.subscribe(fake.channels.news, '330400', { include: ['地铁'] });
    env.subscribe(fake.channels.general, '330400', { exclude: ['广告'] });
    await withFeed([item('嘉兴地铁一号线开通试运营'), item('嘉兴商场广告位招商'), item('嘉兴图书馆延长开放时间')]);
    await fake.waitForMessages(fake.channels.news, 1);
    await fake.waitForMessages(fake.channels.general, 2);
    await new Promise((r) => setTimeout(r, 300));
    expect(titles(fake.channels.news)).toEqual(['嘉興地鐵一號線開通試運營']);
    expect(titles(fake.channels.general).sort()).toEqual(['嘉興圖書館延長開放時間', '嘉興地鐵一號線開通試運營'].sort());
  });

  it('pauses only a deleted channel (10003) or one without permission (50013); the others go on', async () => {
    env = await startBotEnv(fake);
    env.subscribe(fake.channels.news, '330400');
    env.subscribe(fake.channels.general, '330400');
    env.subscribe(fake.channels.announcements, '330400');
    fake.deleteChannel(fake.channels.general);
    fake.denyPermission(fake.channels.announcements);
    await withFeed([item('嘉兴新闻一'), item('嘉兴新闻二')]);
    await fake.waitForMessages(fake.channels.news, 2);
    const subs = env.bot.subscriptions;
    await fake.waitFor(() => subs.channel(fake.channels.general)?.pauseCode === 10003 && subs.channel(fake.channels.announcements)?.pauseCode === 50013);
    const list = subs.listForGuild(fake.guildId);
    expect(list.find((s) => s.channelId === fake.channels.general)?.pausedReason).toMatch(/deleted|Unknown Channel/);
    expect(list.find((s) => s.channelId === fake.channels.news)?.pausedReason).toBeNull();
    await withFeed([item('嘉兴新闻三')]);
    await fake.waitForMessages(fake.channels.news, 3);
    expect(fake.messages(fake.channels.announcements)).toHaveLength(0);
  });

  it('survives a 429 and a 5xx without losing or repeating a story', async () => {
    env = await startBotEnv(fake);
    env.subscribe(fake.channels.news, '330400');
    fake.failNext('POST /channels/:id/messages', 1, { status: 429, retryAfter: 0.2 });
    fake.failNext('POST /channels/:id/messages', 1, { status: 500 });
    await withFeed([item('嘉兴新闻甲'), item('嘉兴新闻乙'), item('嘉兴新闻丙')]);
    await fake.waitForMessages(fake.channels.news, 3, 20_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(new Set(titles(fake.channels.news)).size).toBe(3);
    expect(fake.messages(fake.channels.news)).toHaveLength(3);
  });

  it('turns a burst of 50 stories into at most the cap of posts plus a digest', async () => {
    env = await startBotEnv(fake, { BURST_CAP: '10' });
    env.subscribe(fake.channels.news, '330400');
    await withFeed(Array.from({ length: 50 }, (_, i) => item(`嘉兴快讯第${i + 1}号:秀洲区第${i + 1}个项目开工`)));
    // Digest messages carry a digest nonce (xxg…), posts a delivery nonce (xxd…).
    const isDigest = (m: { nonce?: string | number }) => String(m.nonce ?? '').startsWith('xxg');
    await fake.waitFor(() => fake.messages(fake.channels.news).some(isDigest), 20_000);
    const posts = fake.messages(fake.channels.news);
    const digests = posts.filter(isDigest);
    expect(digests).toHaveLength(1);
    expect(posts.length - digests.length).toBeLessThanOrEqual(10);
    // Every story is either posted or listed in the digest.
    const all = JSON.stringify(posts.map((m) => m.body));
    for (let i = 1; i <= 50; i++) expect(all, `story ${i}`).toContain(`第${i}號`);
    expect(fake.rateLimitHits).toBe(0);
  });
});
