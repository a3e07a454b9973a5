// /feeds add, list and remove through the real discord.js client and the fake Discord: a
// server's own feed and a list page without a feed are fetched once, previewed, polled, and
// their new stories go to that server only; another server subscribed to the same region
// receives the catalog's stories but never these.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultGuildSeed, snowflake, startFakeDiscord, type FakeDiscord, type GuildSeed, type InteractionResponse, type JsonObject, type SlashOpts } from '../fakes/fake-discord.js';
import { rssFeed, startFeedServer, type FeedServer, type TestItem } from '../fakes/feed-server.js';
import { feeds as feedsCommand } from '../../commands/feeds.js';
import type { CommandInput } from '../../commands/types.js';
import { commandDeps } from '../../src/app/command-deps.js';
import { readOpml } from '../../src/feeds/opml.js';
import { registerCommands, startBotEnv, type BotEnv } from '../helpers/bot-env.js';
import { sqliteServices } from '../../src/app/services.js';

let fake: FakeDiscord;
let feeds: FeedServer;
let env: BotEnv;
const OTHER_GUILD = snowflake();
const OTHER_CHANNEL = snowflake();

const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const rssItem = (id: string, title: string): TestItem => ({ title, link: feeds.url(`/county/${id}.html`), guid: id, date: new Date().toUTCString(), description: `<p>青溪县讯 ${title}。嘉兴市有关部门介绍了相关情况。</p>` });
const ARTICLE = (title: string) => `<!DOCTYPE html><html><head><title>${title}</title></head><body><h1>${title}</h1><p>嘉兴讯 ${title}，这是记者在嘉兴市现场采访时了解到的情况。</p><p>有关部门表示，下一步将继续做好各项工作，确保惠及更多群众。</p></body></html>`;

function columnPage(items: Array<[string, string]>): string {
  const lis = items.map(([id, title]) => `<li><a href="/column/${today().replace(/-/g, '')}/${id}.html">${title}</a><span>${today()}</span></li>`).join('');
  return `<!DOCTYPE html><html><head><title>本地新闻 青溪融媒</title></head><body><div class="nav"><a href="/">首页</a> <a href="/column/">本地</a> <a href="/notice/">公告</a></div><ul class="list">${lis}</ul><div class="page"><a href="/column/index_2.html">下一页</a></div><p>主办：青溪县融媒体中心</p></body></html>`;
}
const COLUMN: Array<[string, string]> = [['500101', '嘉兴市青溪县冬季送温暖活动启动'], ['500102', '嘉兴市青溪县新建三座口袋公园'], ['500103', '嘉兴市青溪县农民丰收节开幕'], ['500104', '嘉兴市青溪县学校食堂通过检查'], ['500105', '嘉兴市青溪县图书馆延长开放时间']];

type Shown = { content: string; ephemeral: boolean; embeds: Array<{ title?: string; description?: string; url?: string }> };
const view = (data: JsonObject | undefined): Shown => ({ content: String(data?.content ?? ''), ephemeral: (Number(data?.flags ?? 0) & 64) !== 0, embeds: (data?.embeds as Shown['embeds']) ?? [] });

/** A deferred /feeds command: the acknowledgement, then the edit the moderator sees. */
async function deferred(opts: Omit<SlashOpts, 'name'>): Promise<Shown> {
  const h = fake.slash({ name: 'feeds', user: 'moderator', locale: 'zh-CN', ...opts });
  const ack = await h.waitForResponse();
  expect(ack.type).toBe(5);
  expect(Number((ack.body.data as JsonObject | undefined)?.flags ?? 0) & 64).toBe(64);
  return view((await h.waitForEdit()).message);
}
async function direct(opts: Omit<SlashOpts, 'name'>): Promise<Shown> {
  const r: InteractionResponse = await fake.slash({ name: 'feeds', user: 'moderator', locale: 'zh-CN', ...opts }).waitForResponse();
  return view(r.kind === 'callback' ? (r.body.data as JsonObject) : r.body);
}
const deliveredTo = (title: string) =>
  (sqliteServices(env.bot.services).db.prepare('SELECT d.channel_id AS c FROM deliveries d JOIN articles a ON a.story_id = d.story_id WHERE a.title = ?').all(title) as Array<{ c: string }>).map((r) => r.c);

beforeAll(async () => {
  const home = defaultGuildSeed();
  const other: GuildSeed = {
    ...home, id: OTHER_GUILD, name: '另一个服',
    roles: home.roles.map((r) => (r.id === home.id ? { ...r, id: OTHER_GUILD } : { ...r, id: snowflake() })),
    members: home.members.map((m) => ({ ...m, roles: [] })),
    channels: [{ id: OTHER_CHANNEL, name: 'general' }],
  };
  fake = await startFakeDiscord({ rateLimit: { perChannel: 5, windowMs: 1000 }, guilds: [home, other] });
  feeds = await startFeedServer();
  await registerCommands(fake);
  env = await startBotEnv(fake, { FIRST_POLL_BACKLOG: '0', MAX_FEEDS_PER_GUILD: '2' });
  feeds.setRoute('/catalog.xml', { body: rssFeed([rssItem('c1', '嘉兴市目录新闻第一条')], { title: '目录' }) });
  env.writeFeeds([{ id: 'catalog', url: feeds.url('/catalog.xml'), region: '330400', name: '目录新闻源' }]);
  await env.poll(); // the catalog feed's first poll: backlog
  // The other server subscribes to the same region directly; it is not the one adding feeds.
  env.repos.subscriptions.subscribe({ guildId: OTHER_GUILD, channelId: OTHER_CHANNEL, regionCode: '330400', mode: 'instant', include: [], exclude: [], createdBy: fake.users.moderator }, Date.now());
});
afterAll(async () => {
  await env?.close();
  await fake?.close();
  await feeds?.close();
});

describe('/feeds add with a feed URL', () => {
  it('previews the feed, stores it for this server, and posts its next item here only', async () => {
    feeds.setRoute('/county.xml', { body: rssFeed([rssItem('n1', '嘉兴市青溪县召开安全生产会议'), rssItem('n2', '嘉兴市青溪县公交线路调整')], { title: '青溪新闻' }) });
    const sub = await direct({ name: 'region', subcommand: 'subscribe', options: { region: '330400', channel: fake.channels.news } } as never);
    expect(sub.content).toContain('浙江省 › 嘉兴市');

    const r = await deferred({ subcommand: 'add', options: { url: feeds.url('/county.xml'), region: '330400' } });
    expect(r.content).toMatch(/^已添加新闻源 \*\*青溪新闻\*\*（RSS\/Atom 新闻源），地区：浙江省 › 嘉兴市。当前共 2 条，下面是最新的 2 条/);
    expect(r.embeds.map((e) => e.title).sort()).toEqual(['嘉兴市青溪县公交线路调整', '嘉兴市青溪县召开安全生产会议']);
    expect(r.embeds[0]!.description).toContain('青溪县讯');

    await env.poll(); // first poll of the new feed: what it had is backlog, nothing posted
    expect(deliveredTo('嘉兴市青溪县召开安全生产会议')).toEqual([]);

    feeds.setRoute('/county.xml', { body: rssFeed([rssItem('n3', '嘉兴市青溪县新图书馆开馆'), rssItem('n1', '嘉兴市青溪县召开安全生产会议'), rssItem('n2', '嘉兴市青溪县公交线路调整')], { title: '青溪新闻' }) });
    feeds.setRoute('/catalog.xml', { body: rssFeed([rssItem('c2', '嘉兴市目录新闻第二条'), rssItem('c1', '嘉兴市目录新闻第一条')], { title: '目录' }) });
    await env.poll();
    const posted = await fake.waitForMessages(fake.channels.news, 2);
    expect(posted.map((m) => JSON.stringify(m.body)).join()).toContain('嘉兴市青溪县新图书馆开馆');
    expect(deliveredTo('嘉兴市青溪县新图书馆开馆')).toEqual([fake.channels.news]);
    // The catalog's story reaches both servers: the other server was listening, and still got nothing of the server's own feed.
    expect(deliveredTo('嘉兴市目录新闻第二条').sort()).toEqual([fake.channels.news, OTHER_CHANNEL].sort());
    await fake.waitForMessages(OTHER_CHANNEL, 1);
    expect(fake.messages(OTHER_CHANNEL).map((m) => JSON.stringify(m.body)).join()).not.toContain('青溪县新图书馆');
  });

  it('says so when the feed is already there, and fetches it only once for two servers', async () => {
    const again = await deferred({ subcommand: 'add', options: { url: feeds.url('/county.xml'), region: '330400' }, locale: 'en-US' });
    expect(again.content).toMatch(/^This server already has this feed: \*\*青溪新闻\*\*/);
    const catalog = await deferred({ subcommand: 'add', options: { url: feeds.url('/catalog.xml'), region: '330400' }, locale: 'zh-TW' });
    expect(catalog.content).toMatch(/^這個新聞來源已在機器人的目錄中（\*\*目录新闻源\*\*）/);
    const other = await deferred({ subcommand: 'add', options: { url: feeds.url('/county.xml'), region: '330400' }, guildId: OTHER_GUILD, channelId: OTHER_CHANNEL, memberPermissions: 1n << 5n } as never);
    expect(other.content).toMatch(/^已添加新闻源/);
    expect(other.content).not.toContain('注意');
    expect(sqliteServices(env.bot.services).db.prepare("SELECT count(*) AS n FROM feeds WHERE origin = 'guild'").get()).toEqual({ n: 1 });
    expect(sqliteServices(env.bot.services).db.prepare('SELECT count(*) AS n FROM guild_feeds').get()).toEqual({ n: 2 });
  });
});

describe('/feeds add with a list page', () => {
  it('offers the page as a feed with its confidence, and posts a new link on the page', async () => {
    feeds.setRoute('/column/', { body: columnPage(COLUMN), contentType: 'text/html; charset=utf-8' });
    const r = await deferred({ subcommand: 'add', options: { url: feeds.url('/column/'), region: '嘉兴', name: '青溪本地' } });
    expect(r.content).toMatch(/^已添加新闻源 \*\*青溪本地\*\*（新闻列表页，识别置信度 0\.\d\d），地区：浙江省 › 嘉兴市。当前共 5 条，下面是最新的 3 条/);
    expect(r.content).toContain('列表里出现的新链接就是新条目');
    expect(r.embeds).toHaveLength(3);
    await env.poll(); // backlog

    const fresh: [string, string] = ['500106', '嘉兴市青溪县老年食堂正式开业'];
    feeds.setRoute(`/column/${today().replace(/-/g, '')}/500106.html`, { body: ARTICLE(fresh[1]), contentType: 'text/html; charset=utf-8' });
    feeds.setRoute('/column/', { body: columnPage([fresh, ...COLUMN]), contentType: 'text/html; charset=utf-8' });
    await env.poll();
    expect(deliveredTo(fresh[1])).toEqual([fake.channels.news]);
    await fake.waitFor(() => fake.messages(fake.channels.news).some((m) => JSON.stringify(m.body).includes(fresh[1])));
    expect(deliveredTo('嘉兴市青溪县冬季送温暖活动启动')).toEqual([]);
  });
});

describe('/feeds list and remove', () => {
  it('lists the server’s feeds with health, and the catalog feeds that serve its subscriptions', async () => {
    const r = await direct({ subcommand: 'list', locale: 'en-US' });
    expect(r.ephemeral).toBe(true);
    expect(r.embeds[0]!.title).toBe("This server's feeds (2/2)");
    expect(r.embeds[0]!.description).toMatch(/\*\*青溪新闻\*\* `g:[0-9a-f]{12}` · 浙江省 › 嘉兴市 — ✅ healthy/);
    expect(r.embeds[0]!.description).toMatch(/\*\*青溪本地\*\* `g:[0-9a-f]{12}` · 浙江省 › 嘉兴市 · list page — ✅ healthy/);
    expect(r.embeds[1]!.description).toMatch(/\*\*目录新闻源\*\* `catalog`/);
  });

  it('refuses a third feed at the limit, then removes one chosen by autocomplete', async () => {
    feeds.setRoute('/third.xml', { body: rssFeed([rssItem('t1', '嘉兴市第三个新闻源的条目')], { title: '第三' }) });
    const full = await deferred({ subcommand: 'add', options: { url: feeds.url('/third.xml'), region: '330400' } });
    expect(full.content).toBe('本服务器已有 2 个新闻源，达到上限。请先用 /feeds remove 移除不需要的。');
    const choices = await fake.autocomplete({ name: 'feeds', subcommand: 'remove', options: { feed: '本地' }, focused: 'feed', user: 'moderator' }).choices();
    expect(choices).toHaveLength(1);
    expect(choices[0]!.name).toMatch(/^青溪本地 · 127\.0\.0\.1$/);
    const removed = await direct({ subcommand: 'remove', options: { feed: choices[0]!.value } });
    expect(removed.content).toBe('已移除新闻源 **青溪本地**。本服务器不会再收到它的新闻。');
    expect(sqliteServices(env.bot.services).feeds.list().map((f) => f.id)).not.toContain(choices[0]!.value);
    const status = await direct({ subcommand: 'status' });
    expect(status.content).toMatch(/^共 2 个新闻源/);
  });

  it('answers bad input clearly, in the user’s language, and stores nothing', async () => {
    const before = sqliteServices(env.bot.services).db.prepare('SELECT count(*) AS n FROM guild_feeds').get();
    const cases: Array<[Record<string, string>, 'zh-CN' | 'zh-TW' | 'en-US', RegExp]> = [
      [{ url: 'ftp://example.com/feed', region: '330400' }, 'en-US', /is not an http:\/\/ or https:\/\/ address/],
      [{ url: feeds.url('/third.xml'), region: '不存在的地方' }, 'zh-CN', /^找不到地区“不存在的地方”/],
    ];
    for (const [options, locale, expected] of cases) {
      const r = await deferred({ subcommand: 'add', options, locale });
      expect(r.content).toMatch(expected);
    }
    expect(sqliteServices(env.bot.services).db.prepare('SELECT count(*) AS n FROM guild_feeds').get()).toEqual(before);
  });

  it('refuses a member without Manage Server', async () => {
    const r = await deferred({ subcommand: 'add', user: 'member', options: { url: feeds.url('/third.xml'), region: '330400' }, locale: 'en-US', memberPermissions: 0n } as never);
    expect(r.content).toMatch(/Only members with the Manage Server permission/);
  });
});

// The fake Discord cannot upload files with a slash command yet, so the two attachment
// subcommands run through their handler with the bot's real dependencies.
describe('/feeds export and import (handlers)', () => {
  const input = (subcommand: string, extra: Partial<CommandInput> = {}): CommandInput => ({
    interactionId: snowflake(), name: 'feeds', subcommand, options: {}, userId: fake.users.moderator, guildId: fake.guildId,
    channelId: fake.channels.general, locale: 'zh-CN', memberPermissions: 1n << 5n, ...extra,
  });
  const deps = () => commandDeps(env.bot, async () => ({ postable: true, exists: true, missing: [] }));

  it('exports an .opml file and imports it into another server with every feed and region', async () => {
    const out = await feedsCommand.execute(input('export'), deps());
    expect(out.content).toBe('本服务器的 1 个新闻源已导出（OPML 2.0，地区代码在 region 属性中）。');
    expect(out.files?.[0]?.name).toBe('xiangxun-feeds.opml');
    const opml = out.files![0]!.data;
    expect(readOpml(opml).map((f) => [f.name, f.region])).toEqual([['青溪新闻', '330400']]);
    feeds.setRoute('/upload/feeds.opml', { body: opml, contentType: 'text/x-opml' });
    const third = snowflake();
    const r = await feedsCommand.execute(input('import', { guildId: third, attachments: { file: { url: feeds.url('/upload/feeds.opml'), name: 'feeds.opml', size: opml.length } } }), deps());
    expect(r.content).toBe('导入完成：1 个已添加，0 个已存在，0 个无效，0 个未尝试。');
    expect(r.embeds![0]!.description).toMatch(/^✅ 已添加 \*\*青溪新闻\*\*/);
    expect((await env.bot.services.feedAdmin.list(third)).map((f) => [f.url, f.guildRegion])).toEqual((await env.bot.services.feedAdmin.list(fake.guildId)).map((f) => [f.url, f.guildRegion]));
  });

  it('takes the file as a Discord attachment through /feeds import', async () => {
    const opml = await env.bot.services.feedAdmin.exportOpml(fake.guildId);
    feeds.setRoute('/attachments/feeds.opml', { body: opml, contentType: 'text/x-opml' });
    const r = await deferred({ subcommand: 'import', guildId: OTHER_GUILD, channelId: OTHER_CHANNEL, memberPermissions: 1n << 5n, locale: 'en-US', attachments: { file: { url: feeds.url('/attachments/feeds.opml'), filename: 'feeds.opml', size: opml.length } } } as never);
    // The other server added the same feed earlier: it is reported, not added twice.
    expect(r.content).toBe('Import done: 0 added, 1 already there, 0 invalid, 0 not tried.');
    expect(r.embeds[0]!.description).toMatch(/^• exists \*\*青溪新闻\*\*/);
  });

  it('answers a missing, oversized or malformed file in the user’s language, storing nothing', async () => {
    const other = snowflake();
    feeds.setRoute('/upload/bad.opml', { body: '<opml><body><outline text="x"', contentType: 'text/x-opml' });
    feeds.setRoute('/upload/many.opml', { body: `<opml version="2.0"><body>${'<outline text="x" xmlUrl="http://x.example/f"/>'.repeat(10_000)}</body></opml>`, contentType: 'text/x-opml' });
    const file = (path: string, size = 100) => ({ file: { url: feeds.url(path), name: 'f.opml', size } });
    expect((await feedsCommand.execute(input('import', { guildId: other, locale: 'en-US' }), deps())).content).toBe('Attach an .opml file.');
    expect((await feedsCommand.execute(input('import', { guildId: other, attachments: file('/upload/bad.opml', 50 * 1024 * 1024) }), deps())).content).toBe('文件太大（最多 1024 KB）。');
    expect((await feedsCommand.execute(input('import', { guildId: other, locale: 'zh-TW', attachments: file('/upload/bad.opml') }), deps())).content).toBe('這不是有效的 OPML 檔案（XML 格式有誤）。');
    expect((await feedsCommand.execute(input('import', { guildId: other, locale: 'en-US', attachments: file('/upload/many.opml') }), deps())).content).toMatch(/^The file has too many entries \(10000 outlines/);
    feeds.setRoute('/upload/odd.opml', { body: '<opml version="2.0"><body><outline text="坏" xmlUrl="ftp://x.example/f" region="330400"/><outline text="无地区" xmlUrl="http://x.example/f"/></body></opml>', contentType: 'text/x-opml' });
    const odd = await feedsCommand.execute(input('import', { guildId: other, attachments: file('/upload/odd.opml') }), deps());
    expect(odd.content).toBe('导入完成：0 个已添加，0 个已存在，2 个无效，0 个未尝试。');
    expect(odd.embeds![0]!.description).toBe('✗ 无效 **坏** ftp://x.example/f：不是 http(s) 网址\n✗ 无效 **无地区** http://x.example/f：没有地区');
    expect(await env.bot.services.feedAdmin.list(other)).toEqual([]);
  });

  it('tells a server adding a shared feed with another region that the first region places its stories', async () => {
    const r = await feedsCommand.execute(input('add', { guildId: snowflake(), options: { url: feeds.url('/county.xml'), region: '330481' } }), deps());
    expect(r.content).toMatch(/^已添加新闻源 \*\*青溪新闻\*\*（RSS\/Atom 新闻源），地区：浙江省 › 嘉兴市 › 海宁市。/);
    expect(r.content).toContain('注意：其他服务器先添加了这个新闻源，地区为 浙江省 › 嘉兴市。');
  });

  it('shows names and addresses from the file escaped, never cut inside an escape', async () => {
    const other = snowflake();
    const name = `${'名'.repeat(79)}*`;
    feeds.setRoute('/upload/marks.opml', { body: `<opml version="2.0"><body><outline text="${name}" xmlUrl="ftp://x.example/**bold**_x_" region="330400"/></body></opml>`, contentType: 'text/x-opml' });
    const r = await feedsCommand.execute(input('import', { guildId: other, attachments: { file: { url: feeds.url('/upload/marks.opml'), name: 'f.opml', size: 200 } } }), deps());
    const line = r.embeds![0]!.description!;
    const shown = /^✗ 无效 \*\*(.*)\*\* (.*)：不是 http\(s\) 网址$/.exec(line);
    expect(shown, line).not.toBeNull();
    expect(shown![1]!.length).toBeLessThanOrEqual(80);
    expect(shown![1]).not.toMatch(/(?<!\\)(?:\\\\)*\\$/);
    expect(shown![2]).toBe('ftp://x.example/\\*\\*bold\\*\\*\\_x\\_');
  });
});
