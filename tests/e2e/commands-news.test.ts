// /news through the real discord.js client and the fake Discord: search in both scripts,
// pages whose buttons only the searcher can use (also after a restart), posting a result
// publicly, the latest stories of a region, and input Discord would normally stop.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definition as newsDefinition } from '../../commands/news.js';
import { messageLength, type Embed } from '../../src/presentation/message.js';
import { defaultGuildSeed, snowflake, startFakeDiscord, type FakeDiscord, type GuildSeed, type InteractionResponse, type JsonObject, type SlashOpts } from '../fakes/fake-discord.js';
import { rssFeed, startFeedServer, type FeedServer } from '../fakes/feed-server.js';
import { registerCommands, startBotEnv, type BotEnv } from '../helpers/bot-env.js';
import { sqliteServices } from '../../src/app/services.js';

let fake: FakeDiscord;
const OTHER_GUILD = snowflake();
const OTHER_CHANNEL = snowflake();
let feeds: FeedServer;
let env: BotEnv;

// Twelve Jiaxing stories in Simplified and one in Traditional, a minute apart, newest first.
const SIMPLIFIED = [
  '嘉兴市举行互学互比互赛活动', '南湖区新建三座口袋公园开放', '海宁皮革城春季展销会开幕', '乌镇峰会筹备工作全面就绪',
  '平湖港口货物吞吐量创新高', '嘉善高铁新城规划草案公示', '秀洲区农民丰收节热闹举办', '嘉兴学院迎来新一届学生',
  '海盐核电科普馆对公众开放', '市域铁路一号线正式开工', '红船精神主题展览今日启幕', '气象台发布暴雨黄色预警',
];
const TRADITIONAL = '嘉興市舉辦端午龍舟賽';

beforeAll(async () => {
  // A second server the bot and the member are also in, for buttons replayed there.
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
  env = await startBotEnv(fake);
  const now = Date.now();
  const date = (i: number) => new Date(now - (i + 1) * 60_000).toUTCString();
  feeds.setRoute('/jx.xml', { body: rssFeed(SIMPLIFIED.map((title, i) => ({ title, link: `https://news.example.cn/jx/${i}`, guid: `jx${i}`, date: date(i), description: `<p>嘉兴讯 ${title}。记者从有关部门了解到，这项工作第${i + 1}次得到市民好评。</p>` })), { title: 'jx' }) });
  feeds.setRoute('/tw.xml', { body: rssFeed([{ title: TRADITIONAL, link: 'https://news.example.tw/boat', guid: 'tw1', date: date(20), description: '<p>嘉興市今天舉辦端午龍舟賽，吸引眾多市民到場觀看。</p>' }], { title: 'tw' }) });
  // A second outlet carries the first story: one story, two articles.
  feeds.setRoute('/nh.xml', { body: rssFeed([{ title: SIMPLIFIED[0]!, link: 'https://nanhu.example.cn/a/1', guid: 'nh1', date: new Date(now - 90_000).toUTCString(), description: `<p>南湖讯 ${SIMPLIFIED[0]}。活动吸引了全市各部门参加。</p>` }], { title: 'nh' }) });
  env.writeFeeds([
    { id: 'jx', url: feeds.url('/jx.xml'), region: '330400', name: '嘉兴日报' },
    { id: 'tw', url: feeds.url('/tw.xml'), region: '330400', name: '嘉興新聞網' },
    { id: 'nh', url: feeds.url('/nh.xml'), region: '330400', name: '南湖晚报' },
  ]);
  await env.poll();
  expect(sqliteServices(env.bot.services).db.prepare('SELECT count(*) AS n FROM stories').get()).toEqual({ n: 13 });
  expect(sqliteServices(env.bot.services).db.prepare('SELECT count(*) AS n FROM articles').get()).toEqual({ n: 14 });
});
afterAll(async () => {
  await env?.close();
  await fake?.close();
  await feeds?.close();
});

interface Shown {
  content: string;
  ephemeral: boolean;
  embeds: Embed[];
  buttons: Array<{ custom_id: string; label: string; disabled: boolean }>;
  messageId: string;
}

function view(message: JsonObject | undefined, data: JsonObject = message ?? {}): Shown {
  const rows = (data.components as Array<{ components: Shown['buttons'] }> | undefined) ?? [];
  return {
    content: String(data.content ?? ''),
    ephemeral: (Number(message?.flags ?? data.flags ?? 0) & 64) !== 0,
    embeds: (data.embeds as Embed[] | undefined) ?? [],
    buttons: rows.flatMap((r) => r.components),
    messageId: String(message?.id ?? ''),
  };
}

/** A /news command: deferred (ephemerally), then the edit the user sees. */
async function run(opts: Omit<SlashOpts, 'name'>): Promise<Shown> {
  const h = fake.slash({ name: 'news', channelId: fake.channels.general, ...opts });
  const ack = await h.waitForResponse();
  expect(ack.type).toBe(5);
  const edit = await h.waitForEdit();
  return view(edit.message);
}

async function press(customId: string, at: Shown, opts: { user?: string; locale?: 'zh-CN' | 'zh-TW' | 'en-US'; channelId?: string; guildId?: string } = {}) {
  const h = fake.click({ customId, messageId: at.messageId, user: opts.user ?? 'member', locale: opts.locale ?? 'zh-CN', channelId: opts.channelId ?? fake.channels.general, ...(opts.guildId ? { guildId: opts.guildId } : {}) });
  const r: InteractionResponse = await h.waitForResponse();
  return { h, r, shown: view(r.message, (r.body.data as JsonObject | undefined) ?? {}) };
}

const nav = (s: Shown, label: RegExp) => s.buttons.find((b) => label.test(b.label))!;
const posts = (s: Shown) => s.buttons.filter((b) => b.custom_id.startsWith('news:s:'));
const text = (s: Shown) => s.embeds.map((e) => e.description ?? '').join('\n');

describe('/news definition', () => {
  it('has Discord enforce every limit, with names and descriptions in zh-CN and zh-TW', () => {
    const [search, latest] = newsDefinition.options;
    const opt = (sub: { options: readonly unknown[] }, name: string) => sub.options.find((o) => (o as { name: string }).name === name) as Record<string, unknown>;
    expect(opt(search, 'query')).toMatchObject({ required: true, min_length: 1, max_length: 200 });
    expect(opt(search, 'region')).toMatchObject({ autocomplete: true, max_length: 100, required: false });
    expect(opt(search, 'days')).toMatchObject({ type: 4, min_value: 1, max_value: 365 });
    expect((opt(search, 'sort').choices as Array<{ value: string }>).map((c) => c.value)).toEqual(['newest', 'relevance']);
    expect(opt(latest, 'count')).toMatchObject({ type: 4, min_value: 1, max_value: 10 });
    expect(opt(latest, 'region')).toMatchObject({ required: true, autocomplete: true });
    const registered = fake.commands(fake.guildId).find((c) => c.name === 'news')!;
    expect(registered.name_localizations).toEqual({ 'zh-CN': '新闻', 'zh-TW': '新聞' });
    expect(JSON.stringify(registered)).toContain('"zh-TW":"搜尋"');
  });

  it('offers at most 25 regions, 嘉兴 for 嘉興', async () => {
    const choices = await fake.autocomplete({ name: 'news', subcommand: 'search', options: { query: 'x', region: '嘉興' }, focused: 'region', locale: 'zh-TW' }).choices();
    expect(choices[0]).toEqual({ name: '浙江省 › 嘉興市', value: '330400' });
    const all = await fake.autocomplete({ name: 'news', subcommand: 'latest', options: { region: '' }, focused: 'region' }).choices();
    expect(all.length).toBeGreaterThan(0);
    expect(all.length).toBeLessThanOrEqual(25);
  });
});

describe('/news search', () => {
  let first: Shown;

  it('finds Simplified stories for a Traditional query, five per page, highlighted, only for the searcher', async () => {
    first = await run({ subcommand: 'search', options: { query: '嘉興' }, locale: 'zh-CN' });
    expect(first.ephemeral).toBe(true);
    expect(first.content).toMatch(/“嘉興”的搜索结果 · 第 1 页（第 1–5 条）/);
    expect(first.embeds).toHaveLength(1);
    expect(text(first)).toContain('**1.** [嘉兴市举行互学互比互赛活动](https://news.example.cn/jx/0)');
    expect(text(first)).toContain('**嘉兴**');
    // Times as Discord markup, shown in each reader's own zone.
    expect(text(first)).toMatch(/(?:嘉兴日报|南湖晚报) · <t:\d+:f> · 嘉兴市/);
    expect(text(first)).not.toMatch(/UTC\+8/);
    expect(posts(first).map((b) => b.label)).toEqual(['公开 1', '公开 2', '公开 3', '公开 4', '公开 5']);
    expect(nav(first, /上一页/).disabled).toBe(true);
    expect(nav(first, /下一页/).disabled).toBe(false);
    for (const b of first.buttons) expect(b.custom_id.length).toBeLessThanOrEqual(100);
  });

  it('shows a story carried by two feeds once, naming its other source', async () => {
    const rows = text(first).split('\n\n');
    expect(rows.filter((r) => r.includes(SIMPLIFIED[0]!))).toHaveLength(1);
    expect(rows[0]).toContain('另见：南湖晚报');
    expect(rows[1]).not.toContain('另见');
    const one = await run({ subcommand: 'search', options: { query: '互学互比', sort: 'relevance' }, locale: 'zh-TW' });
    expect(one.content).toMatch(/第 1 頁（第 1–1 則）/);
    expect(text(one)).toMatch(/另見：(?:南湖晚報|嘉興日報)/);
    // Posted, the story is one embed with its other source and the time as Discord markup.
    const { h } = await press(posts(one)[0]!.custom_id, one, { locale: 'zh-TW' });
    const [embed] = (await h.waitForFollowUp()).body.embeds as Embed[];
    expect(embed!.title).toBe(SIMPLIFIED[0]);
    const fields = new Map((embed!.fields ?? []).map((f) => [f.name, f.value]));
    expect([...fields.values()].join(' ')).toMatch(/南湖晚报/);
    expect([...fields.values()].join(' ')).toMatch(/<t:\d+:f> \(<t:\d+:R>\)/);
    expect(embed!.timestamp).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('finds a Traditional story for a Simplified query and shows it in the reader’s script', async () => {
    const tw = await run({ subcommand: 'search', options: { query: '嘉兴 龙舟' }, locale: 'zh-TW' });
    expect(tw.content).toMatch(/「嘉兴 龙舟」的搜尋結果 · 第 1 頁/);
    expect(text(tw)).toContain('[嘉興市舉辦端午龍舟賽]');
    const cn = await run({ subcommand: 'search', options: { query: '龍舟', sort: 'relevance' }, locale: 'zh-CN' });
    expect(text(cn)).toContain('[嘉兴市举办端午龙舟赛]');
    expect(cn.content).toContain('最相关优先');
    const en = await run({ subcommand: 'search', options: { query: '龙舟' }, locale: 'en-US' });
    expect(en.content).toMatch(/Results for “龙舟” · page 1 \(1–1\)/);
    expect(nav(en, /Next/).disabled).toBe(true);
  });

  it('pages forwards and back with Next and Previous', async () => {
    const two = await press(nav(first, /下一页/).custom_id, first);
    expect(two.r.type).toBe(7);
    expect(two.shown.content).toMatch(/第 2 页（第 6–10 条）/);
    expect(posts(two.shown).map((b) => b.label)).toEqual(['公开 6', '公开 7', '公开 8', '公开 9', '公开 10']);
    expect(text(two.shown)).toContain(SIMPLIFIED[5]);
    const three = await press(nav(two.shown, /下一页/).custom_id, first);
    expect(three.shown.content).toMatch(/第 3 页（第 11–13 条）/);
    expect(text(three.shown)).toContain(TRADITIONAL.replace('嘉興', '嘉兴').replace('舉辦', '举办').replace('龍舟賽', '龙舟赛'));
    expect(nav(three.shown, /下一页/).disabled).toBe(true);
    const back = await press(nav(three.shown, /上一页/).custom_id, first);
    expect(text(back.shown)).toBe(text(two.shown));
    const home = await press(nav(back.shown, /上一页/).custom_id, first);
    expect(text(home.shown)).toBe(text(first));
    expect(nav(home.shown, /上一页/).disabled).toBe(true);
  });

  it('refuses another member’s presses, ephemerally and in their language, even with a made-up id', async () => {
    const next = nav(first, /下一页/).custom_id;
    for (const [locale, expected] of [['zh-TW', /這些按鈕屬於發起搜尋的成員/], ['en-US', /belong to the member who searched/], ['zh-CN', /这些按钮属于发起搜索的成员/]] as const) {
      const r = await press(next, first, { user: 'moderator', locale });
      expect(r.r.type).toBe(4);
      expect(r.shown.ephemeral).toBe(true);
      expect(r.shown.content).toMatch(expected);
    }
    // The owner in the id is the presser's, the stored search is still someone else's.
    const forged = next.replace(fake.users.member, fake.users.moderator);
    const r = await press(forged, first, { user: 'moderator', locale: 'en-US' });
    expect(r.shown.content).toMatch(/belong to the member who searched/);
    const post = await press(posts(first)[0]!.custom_id, first, { user: 'moderator' });
    expect(post.r.type).toBe(4);
    await new Promise((r) => setTimeout(r, 100));
    expect(post.h.responses().map((x) => x.kind)).toEqual(['callback']);
  });

  it('posts the chosen result publicly in the channel', async () => {
    const { h, r } = await press(posts(first)[1]!.custom_id, first);
    expect(r.type).toBe(6);
    const f = await h.waitForFollowUp();
    expect(Number(f.body.flags ?? 0) & 64).toBe(0);
    expect(f.body.content).toBe(`<@${fake.users.member}> 分享了一条新闻：`);
    const [embed] = f.body.embeds as Embed[];
    expect(embed!.title).toBe(SIMPLIFIED[1]);
    expect(embed!.url).toBe('https://news.example.cn/jx/1');
    expect(f.message).toMatchObject({ channel_id: fake.channels.general, flags: 0 });
  });

  it('posts a result once: a second press is answered “already posted”', async () => {
    const again = await press(posts(first)[1]!.custom_id, first, { locale: 'en-US' });
    expect(again.r.type).toBe(4);
    expect(again.shown.ephemeral).toBe(true);
    expect(again.shown.content).toBe('That result has already been posted.');
    await new Promise((r) => setTimeout(r, 100));
    expect(again.h.responses().map((x) => x.kind)).toEqual(['callback']);
  });

  it('posts only where the member may write: refused in a read-only channel', async () => {
    const here = await run({ subcommand: 'search', options: { query: '嘉兴' }, locale: 'zh-CN', channelId: fake.channels.news });
    const before = fake.messages(fake.channels.news).length;
    const r = await press(posts(here)[0]!.custom_id, here, { channelId: fake.channels.news, locale: 'zh-TW' });
    expect(r.r.type).toBe(4);
    expect(r.shown.ephemeral).toBe(true);
    expect(r.shown.content).toMatch(/你在這個頻道沒有發言權限/);
    await new Promise((r) => setTimeout(r, 100));
    expect(r.h.responses().map((x) => x.kind)).toEqual(['callback']);
    expect(fake.messages(fake.channels.news)).toHaveLength(before);
    // Not used up: where the member may write, the same result can still be posted.
    const ok = await press(posts(here)[0]!.custom_id, here);
    expect(ok.r.type).toBe(6);
    await ok.h.waitForFollowUp();
  });

  it('posts only a story the search showed, whatever story the button id names', async () => {
    const shown = posts(first)[2]!.custom_id;
    const storyIds = sqliteServices(env.bot.services).db.prepare<[], { id: number }>('SELECT id FROM stories').all().map((x) => x.id);
    const other = storyIds.find((id) => !posts(first).some((b) => b.custom_id.endsWith(`:${id}`)))!;
    const forged = shown.replace(/:\d+$/, `:${other}`);
    const r = await press(forged, first, { locale: 'en-US' });
    expect(r.r.type).toBe(4);
    expect(r.shown.content).toMatch(/was not one of this search’s results/);
    // A result number the search never showed is refused the same way.
    const beyond = await press(shown.replace(/:(\d+):(\d+)$/, ':99:$2'), first, { locale: 'en-US' });
    expect(beyond.shown.content).toMatch(/was not one of this search’s results/);
  });

  it('refuses a button replayed in another server', async () => {
    const r = await press(posts(first)[3]!.custom_id, first, { guildId: OTHER_GUILD, channelId: OTHER_CHANNEL, locale: 'zh-CN' });
    expect(r.r.type).toBe(4);
    expect(r.shown.ephemeral).toBe(true);
    expect(r.shown.content).toMatch(/这些搜索结果来自另一个服务器/);
    expect(fake.messages(OTHER_CHANNEL)).toHaveLength(0);
  });

  it('keeps working after the bot restarts, until the search expires', async () => {
    const dir = env.dir;
    await env.close();
    env = await startBotEnv(fake, {}, {}, dir);
    const two = await press(nav(first, /下一页/).custom_id, first, { locale: 'zh-TW' });
    expect(two.r.type).toBe(7);
    expect(two.shown.content).toMatch(/「嘉興」的搜尋結果 · 第 2 頁（第 6–10 則）/);
    const key = nav(first, /下一页/).custom_id.split(':')[3]!;
    sqliteServices(env.bot.services).db.prepare('UPDATE searches SET created_at = created_at - 25 * 3600000 WHERE key = ?').run(key);
    for (const id of [nav(first, /下一页/).custom_id, posts(first)[0]!.custom_id, `news:p:${fake.users.member}:nosuchkey:1`, 'news:whatever']) {
      const r = await press(id, first, { locale: 'en-US' });
      expect(r.r.type, id).toBe(4);
      expect(r.shown.ephemeral).toBe(true);
      expect(r.shown.content).toMatch(/expired/);
    }
  });

  it('filters by a region typed as text and by days, and suggests what to try when nothing matches', async () => {
    const typed = await run({ subcommand: 'search', options: { query: '嘉兴', region: '嘉興', days: 1 }, locale: 'zh-CN' });
    expect(typed.content).toContain('地区：浙江省 › 嘉兴市 · 最近 1 天 · 最新优先');
    const none = await run({ subcommand: 'search', options: { query: '火星殖民', region: '330481', days: 7 }, locale: 'zh-CN' });
    expect(none.ephemeral).toBe(true);
    expect(none.content).toMatch(/没有找到与“火星殖民”相关的新闻/);
    expect(none.content).toContain('浙江省 › 嘉兴市');
    expect(none.content).toMatch(/增加天数/);
    expect(none.buttons).toHaveLength(0);
    const tw = await run({ subcommand: 'search', options: { query: '火星殖民' }, locale: 'zh-TW' });
    expect(tw.content).toMatch(/沒有找到與「火星殖民」相關的新聞。\n• 試試更少或別的關鍵字/);
  });

  it('answers bad input with a localized, ephemeral way to fix it', async () => {
    const cases: Array<[Record<string, string | number>, 'zh-CN' | 'zh-TW' | 'en-US', RegExp]> = [
      [{ query: '   ' }, 'zh-CN', /请输入要搜索的关键词/],
      [{ query: '' }, 'en-US', /Type something to search for/],
      [{ query: '嘉'.repeat(1000) }, 'zh-TW', /關鍵字太長了（最多 200 個字元，現在是 1000 個）/],
      [{ query: 'x'.repeat(201) }, 'en-US', /too long \(201 characters; the limit is 200\)/],
      [{ query: '- " * ( ) : ^' }, 'en-US', /nothing to look for/],
      [{ query: '-嘉兴' }, 'zh-CN', /只有 - 排除词/],
      [{ query: '嘉兴', region: '火星市' }, 'zh-TW', /找不到地區「火星市」/],
      [{ query: '嘉兴', region: '火'.repeat(100) }, 'zh-CN', /找不到地区“火{40}…”/],
      [{ query: '嘉兴', region: '普陀' }, 'en-US', /could mean: 上海市 › 普陀区 \(310107\); 浙江省 › 舟山市 › 普陀区/],
      [{ query: '嘉兴', days: 0 }, 'zh-CN', /天数须是 1 到 365 之间的整数/],
      [{ query: '嘉兴', days: 366 }, 'en-US', /Days must be a whole number from 1 to 365/],
      [{ query: `嘉兴 ${[...'的了在和是有一不为对'].join(' ')}` }, 'en-US', /too many single characters or -words/],
      [{ query: `嘉兴 ${[...'的了在和是有一不为对'].join(' ')}` }, 'zh-TW', /關鍵字裡的單字或排除詞太多了/],
    ];
    for (const [options, locale, expected] of cases) {
      const r = await run({ subcommand: 'search', options, locale });
      expect(r.ephemeral, JSON.stringify(options)).toBe(true);
      expect(r.content, JSON.stringify(options)).toMatch(expected);
      expect(r.buttons).toHaveLength(0);
    }
    // The longest query the search takes (few terms: repeating words is refused as too many terms).
    const longest = await run({ subcommand: 'search', options: { query: `嘉兴 -${'x'.repeat(196)}` }, locale: 'zh-CN' });
    expect(longest.content).toMatch(/第 1 页/);
    expect(longest.content.length).toBeLessThan(400);
  });

  it('lists stories with markdown, mentions, odd links and huge texts safely', async () => {
    const body = `<p>${'斑马线改造 zebra 工程继续推进，*注意* [绕行](https://x.example) @everyone。'.repeat(120)}</p>`;
    // Titles of unrelated characters, so no two are taken for one story; all near Discord's 256.
    const noise = (i: number) => Array.from({ length: 240 }, (_, j) => String.fromCharCode(0x4e00 + ((i * 7919 + j * 104_729) % 20_000))).join('');
    const odd = [
      { title: `斑马 zebra **[点我](https://evil.example)** @everyone \`code\` ${'长'.repeat(300)}`, link: 'https://news.example.cn/a_(b)_c', guid: 'odd0', description: `${body}<p>点我看看。</p>` },
      { title: '另一条斑马线 zebra 新闻', link: `https://news.example.cn/${'x'.repeat(900)}`, guid: 'odd1', description: body },
      ...Array.from({ length: 8 }, (_, i) => ({ title: noise(i), link: `https://news.example.cn/noise/${i}`, guid: `noise${i}`, description: body })),
    ].map((it) => ({ ...it, date: new Date().toUTCString() }));
    feeds.setRoute('/odd.xml', { body: rssFeed(odd, { title: 'odd' }) });
    env.writeFeeds([{ id: 'jx', url: feeds.url('/jx.xml'), region: '330400', name: '嘉兴日报' }, { id: 'tw', url: feeds.url('/tw.xml'), region: '330400', name: '嘉興新聞網' }, { id: 'odd', url: feeds.url('/odd.xml'), region: '440300', name: '*odd* [feed]' }]);
    await env.poll();
    const hostile = text(await run({ subcommand: 'search', options: { query: '点我' }, locale: 'en-US' }));
    expect(hostile).toContain('(https://news.example.cn/a_%28b%29_c)');
    expect(hostile).not.toMatch(/(^|[^\u200b])@everyone/);
    expect(hostile).toContain('\\*\\*\\[点我\\]');
    expect(hostile).toContain('\\*odd\\* \\[feed\\] · ');
    expect(hostile).toContain('**点我**');
    const longLink = text(await run({ subcommand: 'search', options: { query: '另一条' }, locale: 'en-US' }));
    expect(longLink).toMatch(/^\*\*1\.\*\* 另一条斑马线 zebra 新闻\n/);
    expect(longLink).not.toContain('xxxx');
    const full = await run({ subcommand: 'search', options: { query: 'zebra' }, locale: 'en-US' });
    expect(full.embeds).toHaveLength(1);
    expect(text(full).length).toBeLessThanOrEqual(4096);
    expect(text(full).match(/\*\*zebra\*\*/g)!.length).toBeGreaterThanOrEqual(5);
  });
});

describe('/news latest', () => {
  it('shows one story, or ten within Discord’s limits, each with a post button', async () => {
    const one = await run({ subcommand: 'latest', options: { region: '330400', count: 1 }, locale: 'zh-CN' });
    expect(one.ephemeral).toBe(true);
    expect(one.content).toMatch(/浙江省 › 嘉兴市 的最新 1 条新闻/);
    expect(one.embeds).toHaveLength(1);
    expect([...SIMPLIFIED, '嘉兴市举办端午龙舟赛']).toContain(one.embeds[0]!.title);
    expect(posts(one)).toHaveLength(1);
    const ten = await run({ subcommand: 'latest', options: { region: '嘉興', count: 10 }, locale: 'zh-TW' });
    expect(ten.content).toMatch(/浙江省 › 嘉興市 的最新 10 則新聞/);
    expect(ten.embeds).toHaveLength(10);
    expect(ten.embeds.map((e) => e.title)).toContain(TRADITIONAL);
    expect(messageLength({ embeds: ten.embeds, allowed_mentions: { parse: [] } })).toBeLessThanOrEqual(6000);
    expect(new Set(posts(ten).map((b) => b.custom_id)).size).toBe(10);
    const { h } = await press(posts(ten).find((b) => b.label === '公開 1')!.custom_id, ten, { locale: 'zh-TW' });
    const f = await h.waitForFollowUp();
    // Posted for the server (zh-CN), not in the presser's Traditional.
    expect((f.body.embeds as Embed[])[0]!.title).toBe(one.embeds[0]!.title);
    expect(f.body.content).toMatch(/分享了一条新闻/);
  });

  it('shows fewer than asked, and says so, when ten stories pass 6000 characters', async () => {
    // Longer summaries make each story embed about twice its usual size.
    env.repos.subscriptions.updateSettings(fake.guildId, { summaryLength: 600 }, Date.now());
    const r = await run({ subcommand: 'latest', options: { region: '440300', count: 10 }, locale: 'en-US' });
    env.repos.subscriptions.updateSettings(fake.guildId, { summaryLength: null }, Date.now());
    expect(r.embeds.length).toBeGreaterThan(0);
    expect(r.embeds.length).toBeLessThan(10);
    expect(messageLength({ embeds: r.embeds, allowed_mentions: { parse: [] } })).toBeLessThanOrEqual(6000);
    expect(r.content).toMatch(new RegExp(`Latest news from 广东省 › 深圳市 \\(${r.embeds.length}\\)\\n\\(${10 - r.embeds.length} more did not fit`));
    expect(posts(r)).toHaveLength(r.embeds.length);
  });

  it('says what to try for a region without stories, and rejects counts out of range', async () => {
    const none = await run({ subcommand: 'latest', options: { region: '330100' }, locale: 'en-US' });
    expect(none.content).toMatch(/No stories from Zhejiang|No stories from 浙江省 › 杭州市 yet\.\nTry the larger region 浙江省/);
    for (const [count, locale, expected] of [[0, 'zh-CN', /条数须是 1 到 10 之间的整数/], [11, 'zh-TW', /則數須是 1 到 10 之間的整數/]] as const) {
      const r = await run({ subcommand: 'latest', options: { region: '330400', count }, locale });
      expect(r.ephemeral).toBe(true);
      expect(r.content).toMatch(expected);
    }
    const unknown = await run({ subcommand: 'latest', options: { region: 'zzzzzz' }, locale: 'en-US' });
    expect(unknown.content).toMatch(/No region matches "zzzzzz"/);
  });
});
