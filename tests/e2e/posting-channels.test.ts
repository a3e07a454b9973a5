// Role pings and corrections (issue #15) in a text, an announcement and a forum channel,
// subscribed through /region: a ping reaches only the subscription's role, and a corrected
// story edits the post already made — also a text post with a thread, a published
// (crossposted) announcement and a forum post with its title — instead of posting again.
// One fake and one bot for the file; each kind follows its own county, so no story crosses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InteractionResponse } from '../fakes/discord/interactions.js';
import { startFakeDiscord, type FakeDiscord, type RoleSeed, type StoredMessage } from '../fakes/fake-discord.js';
import { rssFeed, startFeedServer, type FeedServer, type TestItem } from '../fakes/feed-server.js';
import { CHANNEL_KINDS, makeChannel, posted, registerCommands, startBotEnv, waitPosted, type BotEnv, type ChannelKind } from '../helpers/bot-env.js';

let fake: FakeDiscord;
let feeds: FeedServer;
let env: BotEnv;
let role: RoleSeed;
let other: RoleSeed;
const ids = {} as Record<ChannelKind, { ping: string; fix: string }>;
// 海宁, 海盐, 桐乡: counties of 嘉兴, one per kind.
// Headlines unlike each other across kinds, so no two are taken for one story told twice.
const COUNTY: Record<ChannelKind, { code: string; warning: string; plain: string; original: [string, string]; corrected: [string, string] }> = {
  text: {
    code: '330481', warning: '海宁气象台发布暴雨蓝色预警', plain: '海宁图书馆延长开放时间',
    original: ['海宁市召开安全生产工作会议', '海宁市召开安全生产工作会议，部署下一阶段重点工作。会议要求各镇街压实责任。'],
    corrected: ['海宁市召开安全生产和消防工作会议', '更正：海宁市召开安全生产和消防工作会议，部署冬季消防重点工作。会议要求各镇街落实消防责任，开展隐患排查。'],
  },
  announcement: {
    code: '330424', warning: '暴雨即将影响海盐沿海地区', plain: '海盐县举办首届草莓采摘节',
    original: ['海盐县启动农村饮用水改造', '海盐县启动农村饮用水改造工程，计划三年内惠及十万人口。'],
    corrected: ['海盐县全面启动农村饮用水提标改造', '更新：海盐县全面启动农村饮用水提标改造工程，计划两年内惠及十二万人口，总投资五亿元。'],
  },
  forum: {
    code: '330483', warning: '桐乡防汛办提醒市民防范强暴雨', plain: '乌镇景区推出夜游新线路',
    original: ['桐乡市发布促进消费十条措施', '桐乡市发布促进消费十条措施，涉及汽车、家电和餐饮等领域。'],
    corrected: ['桐乡市发布促进消费十二条措施', '更正：桐乡市发布促进消费十二条措施，涉及汽车、家电、餐饮和文旅等领域，即日起施行。'],
  },
};

beforeAll(async () => {
  fake = await startFakeDiscord({ rateLimit: { perChannel: 5, windowMs: 1000 } });
  feeds = await startFeedServer();
  await registerCommands(fake);
  // Made before the bot logs in: it learns them from GUILD_CREATE.
  role = fake.createRole({ name: '天气预警', mentionable: true });
  other = fake.createRole({ name: '其他', mentionable: true });
  for (const kind of CHANNEL_KINDS) ids[kind] = { ping: await makeChannel(fake, kind, `${kind}-ping`), fix: await makeChannel(fake, kind, `${kind}-fix`) };
  env = await startBotEnv(fake);
});
afterAll(async () => {
  await env?.close();
  await fake?.close();
  await feeds?.close();
});

function shown(r: InteractionResponse): string {
  const data = (r.kind === 'callback' ? (r.body.data as Record<string, unknown>) : r.body) ?? {};
  return String(data.content ?? '');
}
const subscribe = async (options: Record<string, string | boolean>) =>
  shown(await fake.slash({ name: 'region', subcommand: 'subscribe', options, user: 'moderator', locale: 'zh-CN' }).waitForResponse());

let seq = 0;
const item = (title: string, extra: Partial<TestItem> = {}): TestItem => ({
  title,
  link: `https://news.example.cn/pc${++seq}.html`,
  guid: `pc${seq}`,
  date: new Date().toUTCString(),
  description: `<p>${title}。相关部门表示，各项工作正在有序推进。</p>`,
  ...extra,
});
async function publish(path: string, items: TestItem[], region: string) {
  feeds.setRoute(path, { body: rssFeed(items, { title: 'pc' }) });
  env.writeFeeds([{ id: path.replace(/\W/g, ''), url: feeds.url(path), region }]);
  return env.poll();
}
const titleOf = (m: Pick<StoredMessage, 'body'>) => (m.body.embeds as Array<{ title?: string }> | undefined)?.[0]?.title ?? '';
const until = (what: string, ok: () => boolean) => fake.waitFor(() => (ok() ? true : undefined), 15_000, what);

describe.each(CHANNEL_KINDS)('posting options in a %s channel', (kind: ChannelKind) => {
  const county = COUNTY[kind];

  it('pings only the subscription role, only for stories with its words, and never @everyone', async () => {
    const ch = ids[kind].ping;
    expect(await subscribe({ region: county.code, channel: ch, mention: role.id, mention_words: '暴雨' })).toContain(`<@&${role.id}>`);
    // Words a feed could carry that would ping everyone or another role if Discord parsed them.
    const warning = `${county.warning} @everyone <@&${other.id}>`;
    await publish(`/ping-${kind}.xml`, [item(warning), item(county.plain)], county.code);
    const messages = await waitPosted(fake, ch, 2);
    expect(messages).toHaveLength(2);
    for (const m of messages) {
      expect(m.pings.everyone).toBe(false);
      expect(m.pings.users).toEqual([]);
      expect(m.pings.roles, titleOf(m)).toEqual(titleOf(m).includes('暴雨') ? [role.id] : []);
      expect(m.body.allowed_mentions).toEqual(titleOf(m).includes('暴雨') ? { parse: [], roles: [role.id] } : { parse: [] });
    }
  });

  it('edits the post in place when its story is corrected, says so, and never posts again', async () => {
    const ch = ids[kind].fix;
    // The option each kind offers rides along: a thread on a text post, publishing an announcement.
    const extra: Record<string, boolean> = kind === 'text' ? { thread: true } : kind === 'announcement' ? { crosspost: true } : {};
    await subscribe({ region: county.code, channel: ch, ...extra });
    const guid = `fix-${kind}`;
    const original = item(county.original[0], { guid, link: `https://news.example.cn/${guid}.html`, description: `<p>${county.original[1]}</p>` });
    const corrected = { ...original, title: county.corrected[0], description: `<p>${county.corrected[1]}</p>` };
    const path = `/fix-${kind}.xml`;
    await publish(path, [original], county.code);
    const [post] = await waitPosted(fake, ch, 1);
    if (kind === 'text') await until('the thread on the post', () => fake.threads(ch).length === 1);
    if (kind === 'announcement') await until('the crosspost', () => fake.message(post!.id)?.crosspostedAt !== undefined);

    const reports = await publish(path, [corrected], county.code);
    expect(reports[0]!.revised?.length).toBe(1);
    await until('the post edited', () => fake.editHistory(post!.id).length === 2);
    await new Promise((r) => setTimeout(r, 300));
    const last = fake.editHistory(post!.id).at(-1)!.message;
    expect(titleOf({ body: last })).toBe(corrected.title);
    expect(JSON.stringify(last.embeds)).toContain('已更新');
    expect(posted(fake, ch)).toHaveLength(1);
    if (kind === 'forum') {
      expect(fake.threads(ch)).toHaveLength(1);
      expect(fake.thread(post!.id)!.name).toBe(corrected.title);
    }
    // A text post keeps its one thread; a published announcement stays published.
    if (kind === 'text') expect(fake.threads(ch)).toHaveLength(1);
    if (kind === 'announcement') expect(fake.message(post!.id)!.crosspostedAt).toBeDefined();
  });
});
