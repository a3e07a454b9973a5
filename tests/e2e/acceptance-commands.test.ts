// The acceptance scenario in one run: a moderator subscribes #news to 嘉兴 through
// autocomplete typed as 嘉興, a new Jiaxing story arrives there, /news search query:嘉興 finds
// it, /why explains it, and an ordinary member's /region subscribe is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord, type InteractionResponse } from '../fakes/fake-discord.js';
import { rssFeed, startFeedServer, type FeedServer } from '../fakes/feed-server.js';
import { registerCommands, startBotEnv, type BotEnv } from '../helpers/bot-env.js';

let fake: FakeDiscord;
let feeds: FeedServer;
let env: BotEnv;
beforeAll(async () => {
  fake = await startFakeDiscord({ rateLimit: { perChannel: 5, windowMs: 1000 } });
  feeds = await startFeedServer();
  await registerCommands(fake);
  env = await startBotEnv(fake);
});
afterAll(async () => {
  await env?.close();
  await fake?.close();
  await feeds?.close();
});

/** Everything the user was shown by one interaction, as text. */
const text = (responses: InteractionResponse[]) => JSON.stringify(responses.map((r) => r.body));
const settle = async (h: ReturnType<FakeDiscord['slash']>) => {
  await h.waitForResponse();
  await new Promise((r) => setTimeout(r, 300)); // a deferred reply's edit follows
  return text(h.responses());
};

describe('acceptance: commands end to end', () => {
  it('subscribe via autocomplete → story posted → search finds it → /why explains it → a member is refused', async () => {
    const choices = await fake.autocomplete({ name: 'region', subcommand: 'subscribe', options: { region: '嘉興' }, focused: 'region', user: 'moderator', locale: 'zh-TW' }).choices();
    const jiaxing = choices.find((c) => c.value === '330400');
    expect(jiaxing?.name).toBe('浙江省 › 嘉興市');
    const sub = await settle(fake.slash({ name: 'region', subcommand: 'subscribe', options: { region: String(jiaxing!.value), channel: fake.channels.news }, user: 'moderator', locale: 'zh-TW' }));
    expect(sub).toContain('已訂閱');

    const link = 'https://news.example.cn/jx/accept-1.html';
    feeds.setRoute('/jx.xml', { body: rssFeed([{ title: '嘉兴市南湖区新建口袋公园向市民开放', link, guid: 'accept-1', date: new Date().toUTCString(), description: '<p>嘉兴市南湖区三座口袋公园今天向市民开放，方便周边居民休闲。</p>' }], { title: 'jx' }) });
    env.writeFeeds([{ id: 'jx', url: feeds.url('/jx.xml'), region: '330400', name: '嘉兴日报' }]);
    await env.poll();
    const [posted] = await fake.waitForMessages(fake.channels.news, 1);
    // Posted in the server's script: its Discord locale is zh-CN, so Simplified.
    expect(JSON.stringify(posted!.body)).toContain('嘉兴市南湖区新建口袋公园向市民开放');

    const search = await settle(fake.slash({ name: 'news', subcommand: 'search', options: { query: '嘉興' }, user: 'member', locale: 'zh-TW' }));
    expect(search).toContain('口袋公園');

    const why = await settle(fake.slash({ name: 'why', options: { url: link }, user: 'moderator', locale: 'zh-CN' }));
    expect(why).toMatch(/嘉兴市/);
    expect(why).toContain(`<#${fake.channels.news}>`);

    const refused = await settle(fake.slash({ name: 'region', subcommand: 'subscribe', options: { region: '330400' }, user: 'member', locale: 'zh-CN' }));
    expect(refused).toMatch(/管理服务器/);
  });
});
