// Discord-native posting (issue #15) through the real discord.js client and the fake Discord:
// forum posts with tags, role pings limited to one role, threads and crossposts, and
// corrections that edit posts instead of posting again — also across a restart mid-edit.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { InteractionResponse } from '../fakes/discord/interactions.js';
import { startFakeDiscord, type FakeDiscord } from '../fakes/fake-discord.js';
import { rssFeed, startFeedServer, type FeedServer, type TestItem } from '../fakes/feed-server.js';
import { registerCommands, startBotEnv, type BotEnv } from '../helpers/bot-env.js';
import { sqliteServices } from '../../src/app/services.js';

let feeds: FeedServer;
let fake: FakeDiscord;
let env: BotEnv | null = null;

beforeAll(async () => {
  feeds = await startFeedServer();
});
afterAll(async () => {
  await feeds.close();
});
beforeEach(async () => {
  fake = await startFakeDiscord({ rateLimit: { perChannel: 5, windowMs: 1000 } });
  await registerCommands(fake);
});
afterEach(async () => {
  await env?.close();
  env = null;
  await fake.close();
});

let seq = 0;
const item = (title: string, extra: Partial<TestItem> = {}): TestItem => ({
  title,
  link: `https://news.example.cn/p${++seq}.html`,
  guid: `p${seq}`,
  date: new Date().toUTCString(),
  description: `<p>${title}。相关部门表示，各项工作正在有序推进，预计年底前全面完成。</p>`,
  ...extra,
});

/** Serves the items as one feed of the region and polls it. */
async function publish(path: string, items: TestItem[], region = '330481') {
  feeds.setRoute(path, { body: rssFeed(items, { title: 'test' }) });
  env!.writeFeeds([{ id: path.replace(/\W/g, ''), url: feeds.url(path), region }]);
  return env!.poll();
}

function shown(r: InteractionResponse): { content: string; ephemeral: boolean } {
  const data = (r.kind === 'callback' ? (r.body.data as Record<string, unknown>) : r.body) ?? {};
  return { content: String(data.content ?? ''), ephemeral: (Number(data.flags ?? 0) & 64) !== 0 };
}
const subscribe = async (options: Record<string, string | boolean>) =>
  shown(await fake.slash({ name: 'region', subcommand: 'subscribe', options, user: 'moderator', locale: 'zh-CN' }).waitForResponse());

const until = async (what: string, ok: () => boolean) => fake.waitFor(() => (ok() ? true : undefined), 15_000, what);
const title = (body: Record<string, unknown>) => (body.embeds as Array<{ title?: string }> | undefined)?.[0]?.title ?? '';

/** A channel the client learnt of from the gateway, as one a moderator just made. */
async function seen(id: string): Promise<string> {
  await fake.waitFor(() => env!.discord.client.channels.cache.get(id), 5000, 'the channel in the cache');
  return id;
}

describe('forum channels', () => {
  it('makes one post per story, titled by the headline and tagged with the forum tags naming its places', async () => {
    env = await startBotEnv(fake);
    const seed = fake.createForum({ name: '家乡论坛', tags: ['海寧', '嘉兴', '体育'] });
    const forum = await seen(seed.id);
    const r = await subscribe({ region: '330481', channel: forum });
    expect(r.ephemeral).toBe(true);
    expect(r.content).toContain('海寧');
    await publish('/forum.xml', [item('海宁市推出企业开办一件事联办服务'), item('海宁潮音节开幕')]);
    await until('two forum posts', () => fake.threads(forum).length === 2);
    await new Promise((r) => setTimeout(r, 300));
    const posts = fake.threads(forum);
    expect(posts).toHaveLength(2);
    const tags = seed.tags!;
    const ids = (names: string[]) => names.map((n) => tags.find((t) => t.name === n)!.id);
    for (const p of posts) {
      expect(p.kind).toBe('forum-post');
      expect(p.appliedTags).toEqual(ids(['海寧', '嘉兴']));
      // The starter message is the story's embed; the post's title is its headline.
      const starter = fake.message(p.id)!;
      expect(title(starter.body)).toBe(p.name);
    }
    expect(posts.map((p) => p.name).sort()).toEqual(['海宁市推出企业开办一件事联办服务', '海宁潮音节开幕'].sort());
  });

  it('refuses a forum that requires a tag none of its tags can give, with the reason', async () => {
    env = await startBotEnv(fake);
    const strict = await seen(fake.createForum({ name: '严格论坛', tags: ['体育'], requireTag: true }).id);
    const r = await subscribe({ region: '330481', channel: strict });
    expect(r.content).toMatch(/标签/);
    expect(env.repos.subscriptions.listForGuild(fake.guildId)).toHaveLength(0);
  });
});

describe('role pings', () => {
  it('pings only the subscription role, only for stories with its words, never in a digest', async () => {
    env = await startBotEnv(fake);
    const role = fake.createRole({ name: '天气预警', mentionable: true });
    fake.createRole({ name: '其他', mentionable: true });
    await fake.waitFor(() => env!.discord.client.guilds.cache.get(fake.guildId)?.roles.cache.get(role.id), 5000, 'the role');
    const r = await subscribe({ region: '330481', channel: fake.channels.general, mention: role.id, mention_words: '暴雨' });
    expect(r.content).toContain(`<@&${role.id}>`);
    await publish('/ping.xml', [item('海宁发布暴雨蓝色预警 @everyone'), item('海宁图书馆延长开放时间')]);
    const messages = await fake.waitForMessages(fake.channels.general, 2);
    const pinged = messages.filter((m) => m.pings.roles.length > 0);
    expect(pinged.map((m) => title(m.body))).toEqual(['海宁发布暴雨蓝色预警 @everyone']);
    for (const m of messages) {
      expect(m.pings.everyone).toBe(false);
      expect(m.pings.users).toEqual([]);
      expect(m.pings.roles).toEqual(title(m.body).includes('暴雨') ? [role.id] : []);
    }
  });

  it('refuses a role the bot may not ping, and @everyone', async () => {
    env = await startBotEnv(fake);
    const quiet = fake.createRole({ name: '安静', mentionable: false });
    await fake.waitFor(() => env!.discord.client.guilds.cache.get(fake.guildId)?.roles.cache.get(quiet.id), 5000, 'the role');
    expect((await subscribe({ region: '330481', channel: fake.channels.general, mention: quiet.id })).content).toMatch(/不能提醒/);
    expect((await subscribe({ region: '330481', channel: fake.channels.general, mention: fake.guildId })).content).toMatch(/everyone/);
    expect(env.repos.subscriptions.listForGuild(fake.guildId)).toHaveLength(0);
  });
});

describe('threads and crossposts', () => {
  it('opens a thread on each post in a text channel and publishes each post of an announcement channel', async () => {
    env = await startBotEnv(fake);
    expect((await subscribe({ region: '330481', channel: fake.channels.general, thread: true })).content).toMatch(/讨论串/);
    expect((await subscribe({ region: '330481', channel: fake.channels.announcements, crosspost: true })).content).toMatch(/关注/);
    expect((await subscribe({ region: '330400', channel: fake.channels.general, crosspost: true })).content).toMatch(/公告频道/);
    await publish('/threads.xml', [item('海宁举行马拉松比赛')]);
    const [post] = await fake.waitForMessages(fake.channels.general, 1);
    const [ann] = await fake.waitForMessages(fake.channels.announcements, 1);
    await until('a thread on the post', () => fake.threads(fake.channels.general).length === 1);
    expect(fake.threads(fake.channels.general)[0]).toMatchObject({ id: post!.id, kind: 'from-message', name: '海宁举行马拉松比赛' });
    await until('the crosspost', () => fake.message(ann!.id)?.crosspostedAt !== undefined);
  });
});

describe('corrections', () => {
  const original = () => item('海宁市召开安全生产工作会议', { guid: 'fix-1', link: 'https://news.example.cn/fix-1.html', description: '<p>海宁市召开安全生产工作会议，部署下一阶段重点工作。会议要求各镇街压实责任。</p>' });
  const corrected = () => ({
    ...original(),
    title: '海宁市召开安全生产和消防工作会议',
    description: '<p>更正：海宁市召开安全生产和消防工作会议，部署冬季消防重点工作。会议要求各镇街落实消防责任，开展隐患排查。</p>',
  });

  it('edits the post in place (text channel and forum), says it was updated, and never posts again', async () => {
    env = await startBotEnv(fake);
    const forum = await seen(fake.createForum({ name: '论坛', tags: ['海宁'] }).id);
    env.subscribe(fake.channels.general, '330481');
    await subscribe({ region: '330481', channel: forum });
    await publish('/fix.xml', [original()]);
    const [post] = await fake.waitForMessages(fake.channels.general, 1);
    await until('the forum post', () => fake.threads(forum).length === 1);
    const thread = fake.threads(forum)[0]!;

    const reports = await publish('/fix.xml', [corrected()]);
    expect(reports[0]!.revised?.length).toBe(1);
    await until('both posts edited', () => fake.editHistory(post!.id).length === 2 && fake.editHistory(thread.id).length === 2);
    await new Promise((r) => setTimeout(r, 300));
    for (const id of [post!.id, thread.id]) {
      const last = fake.editHistory(id).at(-1)!.message;
      expect(title(last)).toBe('海宁市召开安全生产和消防工作会议');
      expect(JSON.stringify(last.embeds)).toContain('已更新');
    }
    expect(fake.thread(thread.id)!.name).toBe('海宁市召开安全生产和消防工作会议');
    expect(fake.messages(fake.channels.general)).toHaveLength(1);
    expect(fake.threads(forum)).toHaveLength(1);

    // The same document again: nothing more to edit.
    await env.poll();
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.editHistory(post!.id)).toHaveLength(2);
  });

  it('leaves a post a moderator deleted alone', async () => {
    env = await startBotEnv(fake);
    env.subscribe(fake.channels.general, '330481');
    await publish('/gone.xml', [original()]);
    const [post] = await fake.waitForMessages(fake.channels.general, 1);
    fake.deleteMessage(post!.id);
    await publish('/gone.xml', [corrected()]);
    const posting = () => sqliteServices(env!.bot.services).db.prepare("SELECT state, last_error FROM edits").all() as Array<{ state: string; last_error: string | null }>;
    await until('the edit left alone', () => posting()[0]?.state === 'skipped');
    expect(fake.messages(fake.channels.general).filter((m) => !m.deleted)).toHaveLength(0);
  });

  it('an edit interrupted by a restart is made once the bot is back, and nothing is posted twice', async () => {
    env = await startBotEnv(fake);
    env.subscribe(fake.channels.general, '330481');
    await publish('/restart.xml', [original()]);
    const [post] = await fake.waitForMessages(fake.channels.general, 1);
    const dir = env.dir;
    // The correction is stored and its edit taken, then the bot stops before recording it done.
    await env.bot.worker.stop(0);
    await publish('/restart.xml', [corrected()]);
    const db = sqliteServices(env.bot.services).db;
    db.prepare("UPDATE edits SET state = 'sending', attempts = 1").run();
    await env.close();
    env = await startBotEnv(fake, {}, {}, dir);
    await until('the edit made after the restart', () => fake.editHistory(post!.id).length >= 2);
    await until('the edit recorded', () => (sqliteServices(env!.bot.services).db.prepare("SELECT state FROM edits").get() as { state: string }).state === 'done');
    expect(title(fake.editHistory(post!.id).at(-1)!.message)).toBe('海宁市召开安全生产和消防工作会议');
    expect(fake.messages(fake.channels.general)).toHaveLength(1);
  });
});
