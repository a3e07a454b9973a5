// /region subscribe and unsubscribe through the real discord.js client, in a text, an
// announcement and a forum channel (issue #15): the reply, the first story posted there
// once, the refusal of a channel the bot may not post in, the posting option that fits the
// kind and the one that does not, and silence after unsubscribing. One fake for the file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InteractionResponse } from '../fakes/discord/interactions.js';
import { Permission, startFakeDiscord, type FakeDiscord, type StoredMessage } from '../fakes/fake-discord.js';
import { rssFeed, startFeedServer, type FeedServer, type TestItem } from '../fakes/feed-server.js';
import { CHANNEL_KINDS, makeChannel, posted, registerCommands, startBotEnv, waitPosted, type BotEnv, type ChannelKind } from '../helpers/bot-env.js';

let fake: FakeDiscord;
let feeds: FeedServer;
let env: BotEnv;
/** Per kind: an open channel, one where the bot may not send, and one for the option test. */
const ids = {} as Record<ChannelKind, { open: string; closed: string; options: string }>;
/** Subscribed to 嘉兴 throughout, so a story's arrival there says the worker has handled it. */
let sentinel = '';
/** A media channel: a forum whose posts show as a gallery; the bot posts there as in a forum. */
let media = '';

beforeAll(async () => {
  fake = await startFakeDiscord({ rateLimit: { perChannel: 5, windowMs: 1000 } });
  feeds = await startFeedServer();
  await registerCommands(fake);
  for (const kind of CHANNEL_KINDS) {
    ids[kind] = { open: await makeChannel(fake, kind, `${kind}-open`), closed: await makeChannel(fake, kind, `${kind}-closed`), options: await makeChannel(fake, kind, `${kind}-options`) };
    fake.revokeBot(Permission.SendMessages, ids[kind].closed);
  }
  sentinel = await makeChannel(fake, 'text', 'sentinel');
  media = fake.createForum({ name: 'gallery', tags: ['嘉兴'], media: true }).id;
  env = await startBotEnv(fake);
  env.subscribe(sentinel, '330400');
});
afterAll(async () => {
  await env?.close();
  await fake?.close();
  await feeds?.close();
});

function shown(r: InteractionResponse): { content: string; ephemeral: boolean } {
  const data = (r.kind === 'callback' ? (r.body.data as Record<string, unknown>) : r.body) ?? {};
  return { content: String(data.content ?? ''), ephemeral: (Number(data.flags ?? 0) & 64) !== 0 };
}
const region = async (subcommand: string, options: Record<string, string | boolean>, locale: 'zh-CN' | 'zh-TW' | 'en-US' = 'zh-CN') =>
  shown(await fake.slash({ name: 'region', subcommand, options, user: 'moderator', locale }).waitForResponse());

// Headlines unlike each other, so no two are taken for one story told twice.
const HEADLINES: Record<ChannelKind, [string, string, string]> = {
  text: ['嘉兴市图书馆新馆正式开放', '南湖区举办秋季运动会', '秀洲区农贸市场完成改造'],
  announcement: ['嘉兴港集装箱吞吐量创新高', '海盐县启动冬季植树活动', '桐乡市开通三条公交线路'],
  forum: ['平湖市举办西瓜灯文化节', '嘉善县推进乡村道路提升', '乌镇戏剧节公布演出名单'],
};

let seq = 0;
const story = (title: string): TestItem => ({ title, link: `https://news.example.cn/rc${++seq}.html`, guid: `rc${seq}`, date: new Date().toUTCString(), description: `<p>${title}。记者从有关部门了解到，相关工作正在推进。</p>` });
/** Serves one more story on a feed of 嘉兴 and polls; resolves once the sentinel channel has it. */
async function publish(title: string): Promise<void> {
  const path = `/rc${++seq}.xml`;
  feeds.setRoute(path, { body: rssFeed([story(title)], { title: 'rc' }) });
  env.writeFeeds([{ id: `rc${seq}`, url: feeds.url(path), region: '330400' }]);
  await env.poll();
  await fake.waitFor(() => posted(fake, sentinel).some((m) => JSON.stringify(m.body).includes(title)), 10_000, `${title} in the sentinel`);
}
const has = (ch: string, title: string) => posted(fake, ch).filter((m: StoredMessage) => JSON.stringify(m.body).includes(title)).length;

describe.each(CHANNEL_KINDS)('/region in a %s channel', (kind: ChannelKind) => {
  it('subscribes, confirms the path and the channel, posts a new story there once, and nothing after unsubscribing', async () => {
    const ch = ids[kind].open;
    const r = await region('subscribe', { region: '330400', channel: ch });
    expect(r.ephemeral).toBe(true);
    expect(r.content).toContain('浙江省 › 嘉兴市');
    expect(r.content).toContain(`<#${ch}>`);
    // A forum is told which of its tags its posts will carry.
    if (kind === 'forum') expect(r.content).toMatch(/论坛频道：每条新闻一个帖子，标签：嘉興、浙江/);
    const [first, second] = HEADLINES[kind];
    await publish(first);
    await waitPosted(fake, ch, 1);
    expect(has(ch, first)).toBe(1);
    if (kind === 'forum') expect(fake.threads(ch).map((t) => t.name)).toEqual([first]);

    const off = await region('unsubscribe', { region: '330400', channel: ch });
    expect(off.content).toMatch(/已取消/);
    await publish(second);
    await new Promise((r) => setTimeout(r, 300));
    expect(has(ch, second)).toBe(0);
    expect(posted(fake, ch)).toHaveLength(1);
  });

  it('refuses up front a channel where the bot may not send, naming the permission', async () => {
    const ch = ids[kind].closed;
    const r = await region('subscribe', { region: '330100', channel: ch }, 'en-US');
    expect(r.ephemeral).toBe(true);
    expect(r.content).toMatch(/lacks these permissions.*SendMessages/);
    expect(env.repos.subscriptions.listForGuild(fake.guildId).some((s) => s.channelId === ch)).toBe(false);
  });

  it('takes the posting option that fits the kind and refuses the one that does not', async () => {
    const ch = ids[kind].options;
    // crosspost: only an announcement channel has followers to publish to.
    if (kind !== 'announcement') expect((await region('subscribe', { region: '330400', channel: ch, crosspost: true })).content).toMatch(/只有公告频道可以发布给关注者/);
    // thread: a text or announcement post gets one; a forum post is a thread already, so it is noted and ignored.
    const r = await region('subscribe', { region: '330400', channel: ch, thread: true, ...(kind === 'announcement' ? { crosspost: true } : {}) });
    expect(r.content).toMatch(kind === 'forum' ? /论坛帖子本身就是讨论串/ : /每条新闻会开一个讨论串/);
    if (kind === 'announcement') expect(r.content).toMatch(/发布给关注本频道的服务器/);
    const title = HEADLINES[kind][2];
    await publish(title);
    const [post] = await waitPosted(fake, ch, 1);
    expect(has(ch, title)).toBe(1);
    if (kind === 'forum') {
      expect(fake.threads(ch)).toEqual([expect.objectContaining({ id: post!.id, kind: 'forum-post', name: title })]);
    } else {
      await fake.waitFor(() => fake.threads(ch).length === 1, 10_000, 'a thread on the post');
      expect(fake.threads(ch)[0]).toMatchObject({ id: post!.id, kind: 'from-message' });
    }
    if (kind === 'announcement') await fake.waitFor(() => fake.message(post!.id)?.crosspostedAt !== undefined, 10_000, 'the crosspost');
  });
});

describe('/region in a media channel', () => {
  it('subscribes and makes one tagged post per story, as in a forum', async () => {
    const r = await region('subscribe', { region: '330400', channel: media });
    expect(r.content).toContain(`<#${media}>`);
    const title = '南湖区新建三座口袋公园开放';
    await publish(title);
    const [post] = await waitPosted(fake, media, 1);
    expect(fake.threads(media)).toEqual([expect.objectContaining({ id: post!.id, kind: 'forum-post', name: title, appliedTags: [expect.any(String)] })]);
  });
});
