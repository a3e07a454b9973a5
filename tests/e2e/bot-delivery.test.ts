// Posting through the real discord.js client to the fake Discord: the delivery tests,
// each run in a text, an announcement and a forum channel (issue #15). "What was posted" is
// read back the same way for every kind: a channel's messages, or a forum's post starters.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defaultGuildSeed, startFakeDiscord, type FakeDiscord, type StoredMessage } from '../fakes/fake-discord.js';
import { rssFeed, startFeedServer, type FeedServer, type TestItem } from '../fakes/feed-server.js';
import { CHANNEL_KINDS, makeChannel, postRoute, posted, startBotEnv, waitPosted, type BotEnv, type ChannelKind } from '../helpers/bot-env.js';
import { sqliteServices } from '../../src/app/services.js';

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
const titleOf = (m: StoredMessage) => (m.body.embeds as Array<{ title?: string }>)?.[0]?.title ?? '';
const titles = (channelId: string) => posted(fake, channelId).map(titleOf);
const settle = () => new Promise((r) => setTimeout(r, 300));

async function withFeed(items: TestItem[], region = '330400') {
  const path = `/f${++seq}.xml`;
  feeds.setRoute(path, { body: rssFeed(items, { title: 'test' }) });
  env.writeFeeds([{ id: `feed${seq}`, url: feeds.url(path), region }]);
  return env.poll();
}

describe.each(CHANNEL_KINDS)('delivery through Discord (%s channel)', (kind: ChannelKind) => {
  // Channels made before the bot logs in reach it in GUILD_CREATE.
  const channels = (...names: string[]) => Promise.all(names.map((n) => makeChannel(fake, kind, n)));

  it('posts a subscribed story in the server script, once, with mentions disabled', async () => {
    const [ch] = await channels('jx');
    env = await startBotEnv(fake);
    env.subscribe(ch!, '330400');
    await withFeed([item('嘉兴市举行重点项目集中开工活动')]);
    const [msg] = await waitPosted(fake, ch!, 1);
    await settle();
    expect(titles(ch!)).toEqual(['嘉興市舉行重點項目集中開工活動']);
    expect(msg!.body.allowed_mentions).toEqual({ parse: [] });
    if (kind === 'forum') {
      // A forum post cannot carry a nonce; its title is the headline, its tags the forum's own naming its places.
      const [post] = fake.threads(ch!);
      expect(post).toMatchObject({ id: msg!.id, kind: 'forum-post', name: '嘉興市舉行重點項目集中開工活動' });
      const tagIds = fake.guilds[0]!.channels.find((c) => c.id === ch)!.tags!;
      // Most specific place first; 海宁 and 体育 name none of its places.
      expect(post!.appliedTags.map((id) => tagIds.find((t) => t.id === id)!.name)).toEqual(['嘉興', '浙江']);
    } else {
      expect(msg!.nonce).toMatch(/^xxd/);
    }
    expect(fake.rateLimitHits).toBe(0);
  });

  it('routes a 海宁 story to a 浙江 subscription, and posts it once when two subscriptions of a channel match', async () => {
    const [province, city] = await channels('zj', 'jx');
    env = await startBotEnv(fake);
    env.subscribe(province!, '330000');
    env.subscribe(province!, '330481');
    env.subscribe(city!, '330400');
    await withFeed([item('海宁市推出企业开办一件事联办服务')], '330481');
    await waitPosted(fake, province!, 1);
    await waitPosted(fake, city!, 1);
    await settle();
    expect(posted(fake, province!)).toHaveLength(1);
    expect(posted(fake, city!)).toHaveLength(1);
  });

  it('applies include and exclude words', async () => {
    const [only, never] = await channels('metro', 'no-ads');
    env = await startBotEnv(fake);
    env.subscribe(only!, '330400', { include: ['地铁'] });
    env.subscribe(never!, '330400', { exclude: ['广告'] });
    await withFeed([item('嘉兴地铁一号线开通试运营'), item('嘉兴商场广告位招商'), item('嘉兴图书馆延长开放时间')]);
    await waitPosted(fake, only!, 1);
    await waitPosted(fake, never!, 2);
    await settle();
    expect(titles(only!)).toEqual(['嘉興地鐵一號線開通試運營']);
    expect(titles(never!).sort()).toEqual(['嘉興圖書館延長開放時間', '嘉興地鐵一號線開通試運營'].sort());
  });

  it('pauses only a deleted channel (10003) or one without permission (50013); the others go on', async () => {
    const [ok, gone, denied, vanished] = await channels('ok', 'gone', 'denied', 'vanished');
    env = await startBotEnv(fake);
    for (const ch of [ok!, gone!, denied!, vanished!]) env.subscribe(ch, '330400');
    fake.deleteChannel(gone!);
    fake.denyPermission(denied!);
    // Deleted while the bot watches: CHANNEL_DELETE takes it out of the client's cache first.
    fake.deleteChannel(vanished!, { notify: true });
    await fake.waitFor(() => (env.discord.client.channels.cache.has(vanished!) ? undefined : true), 5000, 'the channel gone from the cache');
    await withFeed([item('嘉兴新闻一'), item('嘉兴新闻二')]);
    await waitPosted(fake, ok!, 2);
    const subs = env.repos.subscriptions;
    await fake.waitFor(() => subs.channel(gone!)?.pauseCode === 10003 && subs.channel(denied!)?.pauseCode === 50013 && subs.channel(vanished!)?.pauseCode === 10003);
    const list = subs.listForGuild(fake.guildId);
    expect(list.find((s) => s.channelId === gone)?.pausedReason).toMatch(/deleted|Unknown Channel/);
    expect(list.find((s) => s.channelId === ok)?.pausedReason).toBeNull();
    await withFeed([item('嘉兴新闻三')]);
    await waitPosted(fake, ok!, 3);
    for (const ch of [gone!, denied!, vanished!]) expect(posted(fake, ch)).toHaveLength(0);
  });

  it('survives a 429 and a 5xx without losing or repeating a story', async () => {
    const [ch] = await channels('jx');
    env = await startBotEnv(fake);
    env.subscribe(ch!, '330400');
    // A forum post goes by POST /channels/{forum}/threads; a retried one looks for its earlier attempt first.
    fake.failNext(postRoute(kind), 1, { status: 429, retryAfter: 0.2 });
    fake.failNext(postRoute(kind), 1, { status: 500 });
    await withFeed([item('嘉兴新闻甲'), item('嘉兴新闻乙'), item('嘉兴新闻丙')]);
    await waitPosted(fake, ch!, 3, 20_000);
    await settle();
    expect(new Set(titles(ch!)).size).toBe(3);
    expect(posted(fake, ch!)).toHaveLength(3);
    // Both faults were met on the route a post of this kind takes.
    const path = kind === 'forum' ? `/channels/${ch}/threads` : `/channels/${ch}/messages`;
    expect(fake.requests.filter((r) => r.method === 'POST' && r.path === path).map((r) => r.status).filter((s) => s >= 400).sort()).toEqual([429, 500]);
    if (kind === 'forum') expect(fake.threads(ch!)).toHaveLength(3);
  });

  it('posts a story once when the answer to its post was lost on the way back', async () => {
    const [ch] = await channels('lost');
    env = await startBotEnv(fake);
    env.subscribe(ch!, '330400');
    // The post is made, then the connection drops: the bot cannot know it went out. A message
    // carries a nonce (Discord answers a repeat with the first message); a forum post cannot,
    // so the bot looks for the post its first attempt made before posting again.
    fake.failNext(postRoute(kind), 1, { status: 'reset', afterProcessing: true });
    await withFeed([item('嘉兴市民中心举办公益集市')]);
    const db = sqliteServices(env.bot.services).db;
    const delivery = () => db.prepare('SELECT state, attempts, last_error AS error FROM deliveries').get() as { state: string; attempts: number; error: string | null } | undefined;
    // Its retry waits the worker's backoff (5 s); the test moves it forward instead of waiting.
    await fake.waitFor(() => (delivery()?.state === 'pending' && delivery()?.error ? true : undefined), 20_000, 'the retry planned');
    db.prepare('UPDATE deliveries SET next_attempt_at = 0').run();
    env.bot.worker.kick();
    await fake.waitFor(() => (delivery()?.state === 'sent' ? true : undefined), 20_000, 'the delivery recorded');
    expect(delivery()!.attempts).toBe(2);
    await settle();
    expect(titles(ch!)).toEqual(['嘉興市民中心舉辦公益集市']);
    if (kind === 'forum') {
      expect(fake.threads(ch!)).toHaveLength(1);
      expect(fake.requests.some((r) => r.method === 'GET' && r.path === `/guilds/${fake.guildId}/threads/active`)).toBe(true);
    } else {
      expect(fake.nonceReplays).toBe(1);
    }
  });

  // A digest message carries a nonce, so Discord answers its repeat with the first message; in
  // a forum it becomes a post, which cannot carry one, so a retry looks for the post an earlier
  // attempt made first.
  it('posts a digest once when the answer to it was lost on the way back', async () => {
    const [ch] = await channels('lost-digest');
    // One post, the rest in a burst digest that waits until the test lets it go.
    env = await startBotEnv(fake, { BURST_CAP: '1' }, { burstDigestDelayMs: 3_600_000 });
    env.subscribe(ch!, '330400');
    const db = sqliteServices(env.bot.services).db;
    const digest = () => db.prepare('SELECT state, attempts, last_error AS error FROM digests').get() as { state: string; attempts: number; error: string | null } | undefined;
    const release = () => (db.prepare('UPDATE digests SET next_attempt_at = 0').run(), env.bot.worker.kick());
    await withFeed([item('南湖区举办秋季运动会'), item('秀洲区农贸市场完成改造'), item('平湖市举办西瓜灯文化节')]);
    await waitPosted(fake, ch!, 1);
    await fake.waitFor(() => (digest()?.state === 'pending' ? true : undefined), 10_000, 'the digest planned');
    fake.failNext(postRoute(kind), 1, { status: 'reset', afterProcessing: true });
    release();
    // The retry waits the worker's backoff; the test moves it forward.
    await fake.waitFor(() => (digest()?.state === 'pending' && digest()?.error ? true : undefined), 20_000, 'the digest retry planned');
    release();
    await fake.waitFor(() => (digest()?.state === 'sent' ? true : undefined), 20_000, 'the digest recorded');
    await settle();
    const digests = posted(fake, ch!).filter((m) => /^又有 \d+ 則新聞/.test(titleOf(m)));
    expect(digests.map(titleOf)).toEqual(['又有 2 則新聞']);
    expect(posted(fake, ch!)).toHaveLength(2);
  });

  it('turns a burst of 50 stories into at most the cap of posts plus a digest', async () => {
    const [ch] = await channels('burst');
    env = await startBotEnv(fake, { BURST_CAP: '10' });
    env.subscribe(ch!, '330400');
    await withFeed(Array.from({ length: 50 }, (_, i) => item(`嘉兴快讯第${i + 1}号:秀洲区第${i + 1}个项目开工`)));
    // The digest is titled "又有 N 則新聞". In a text or announcement channel it is a message
    // with a digest nonce (xxg…; posts carry xxd…); a forum has no place for a message outside
    // a post, so there the digest is a post of its own titled by that header, tagged by its
    // stories' places, and with no nonce (a forum post cannot carry one).
    const isDigest = (m: StoredMessage) => /^又有 \d+ 則新聞/.test(titleOf(m));
    await fake.waitFor(() => posted(fake, ch!).some(isDigest), 20_000, 'the digest');
    await settle();
    const posts = posted(fake, ch!);
    const digests = posts.filter(isDigest);
    expect(digests).toHaveLength(1);
    expect(posts.length - digests.length).toBeLessThanOrEqual(10);
    if (kind === 'forum') {
      const post = fake.thread(digests[0]!.id)!;
      expect(post.name).toBe(titleOf(digests[0]!));
      expect(post.appliedTags.length).toBeGreaterThan(0);
    } else {
      expect(String(digests[0]!.nonce)).toMatch(/^xxg/);
    }
    // Every story is either posted or listed in the digest.
    const all = JSON.stringify(posts.map((m) => m.body));
    for (let i = 1; i <= 50; i++) expect(all, `story ${i}`).toContain(`第${i}號`);
    expect(fake.rateLimitHits).toBe(0);
  });
});

// Forum-only: a forum that requires a tag on every post (REQUIRE_TAG). The subscription was
// accepted because one of its tags names the subscribed place, so every story post carries it.
describe('delivery to a forum that requires a tag', () => {
  const strictForum = async (tags: string[]) => fake.createForum({ name: 'strict', tags, requireTag: true }).id;

  it('tags every story post with the place it names', async () => {
    const forum = await strictForum(['嘉兴', '体育']);
    env = await startBotEnv(fake);
    env.subscribe(forum, '330400');
    await withFeed([item('南湖区举办秋季运动会'), item('秀洲区农贸市场完成改造')]);
    await waitPosted(fake, forum, 2);
    expect(fake.threads(forum).every((t) => t.appliedTags.length === 1)).toBe(true);
  });

  // A digest post in a tag-requiring forum carries the tags of its stories' places.
  it('lists the stories past the burst cap in a digest post', async () => {
    const forum = await strictForum(['嘉兴']);
    env = await startBotEnv(fake, { BURST_CAP: '1' }, { burstDigestDelayMs: 3_600_000 });
    env.subscribe(forum, '330400');
    const db = sqliteServices(env.bot.services).db;
    const digest = () => db.prepare('SELECT state, last_error AS error FROM digests').get() as { state: string; error: string | null } | undefined;
    await withFeed([item('嘉兴港集装箱吞吐量创新高'), item('海盐县启动冬季植树活动'), item('平湖市举办西瓜灯文化节')]);
    await waitPosted(fake, forum, 1);
    await fake.waitFor(() => (digest()?.state === 'pending' ? true : undefined), 10_000, 'the digest planned');
    db.prepare('UPDATE digests SET next_attempt_at = 0').run();
    env.bot.worker.kick();
    await fake.waitFor(() => (digest()?.state === 'sent' || digest()?.state === 'failed' ? true : undefined), 20_000, 'the digest settled');
    expect(digest(), JSON.stringify(digest())).toMatchObject({ state: 'sent' });
    expect(posted(fake, forum).filter((m) => /^又有 \d+ 則新聞/.test(titleOf(m)))).toHaveLength(1);
  });
});
