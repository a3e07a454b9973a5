// /feeds status and /why through the real discord.js client and the fake Discord.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definitions } from '../../commands/index.js';
import { MODERATOR_PERMISSIONS } from '../../commands/permissions.js';
import { Permission, startFakeDiscord, type FakeDiscord, type Locale } from '../fakes/fake-discord.js';
import type { InteractionResponse } from '../fakes/discord/interactions.js';
import { rssFeed, startFeedServer, type FeedServer } from '../fakes/feed-server.js';
import { registerCommands, startBotEnv, type BotEnv } from '../helpers/bot-env.js';
import { sqliteServices } from '../../src/app/services.js';

let fake: FakeDiscord;
let feeds: FeedServer;
let env: BotEnv;

const LINKS = { opening: 'https://news.example.cn/jx/opening.html', ad: 'https://news.example.cn/jx/ad.html', old: 'https://news.example.cn/jx/old.html' };
const CATALOG = () => [
  { id: 'jx', name: '嘉兴日报', url: feeds.url('/jx.xml'), region: '330400' },
  { id: 'broken', name: '坏掉的源', url: feeds.url('/broken.xml'), region: '330100' },
  { id: 'stopped', name: '停掉的源', url: feeds.url('/stopped.xml'), region: '330481' },
];

beforeAll(async () => {
  fake = await startFakeDiscord({ rateLimit: { perChannel: 5, windowMs: 1000 } });
  feeds = await startFeedServer();
  await registerCommands(fake);
  // A burst cap of 3 posts per window: the setup posts 2 to #news, the cap test 3 more.
  env = await startBotEnv(fake, { MAX_ITEM_AGE_HOURS: '48', BURST_CAP: '3' });
  env.subscribe(fake.channels.news, '330400');
  env.subscribe(fake.channels.general, '330400', { exclude: ['广告'] });
  env.subscribe(fake.channels.announcements, '330000');
  fake.denyPermission(fake.channels.announcements);
  const now = new Date().toUTCString();
  feeds.setRoute('/jx.xml', {
    body: rssFeed([
      { title: '嘉兴市举行重点项目集中开工活动', link: LINKS.opening, guid: 'opening', date: now, description: '<p>嘉兴市今天举行重点项目集中开工活动。</p>' },
      { title: '嘉兴商场广告位招商', link: LINKS.ad, guid: 'ad', date: now, description: '<p>嘉兴一商场公开招商广告位。</p>' },
      { title: '嘉兴市旧闻一则', link: LINKS.old, guid: 'old', date: 'Wed, 01 Jan 2020 08:00:00 GMT', description: '<p>嘉兴市多年前的新闻。</p>' },
    ], { title: '嘉兴日报' }),
  });
  feeds.setRoute('/broken.xml', { status: 500, body: 'oops' });
  feeds.setRoute('/stopped.xml', { status: 404, body: 'gone' });
  env.writeFeeds(CATALOG());
  await env.poll();
  // A feed failing long enough is paused by ingest; here the pause is recorded directly.
  const t = Date.now();
  sqliteServices(env.bot.services).feeds.recordFailure('stopped', { error: 'HTTP 404 Not Found', now: t, nextPollAt: t + 86_400_000, pauseReason: 'failing for 24 h; last error: HTTP 404 Not Found' });
  await fake.waitForMessages(fake.channels.news, 2);
  await fake.waitForMessages(fake.channels.general, 1);
  await fake.waitFor(() => env.repos.subscriptions.channel(fake.channels.announcements)?.pauseCode === 50013);
});
afterAll(async () => {
  await env?.close();
  await fake?.close();
  await feeds?.close();
});

type Shown = { content: string; ephemeral: boolean; embeds: Array<{ title?: string; description?: string; url?: string }> };
function shown(r: InteractionResponse): Shown {
  const data = (r.kind === 'callback' ? (r.body.data as Record<string, unknown>) : r.body) ?? {};
  return { content: String(data.content ?? ''), ephemeral: (Number(data.flags ?? 0) & 64) !== 0, embeds: (data.embeds as Shown['embeds']) ?? [] };
}
const run = async (opts: Parameters<FakeDiscord['slash']>[0]) => shown(await fake.slash(opts).waitForResponse());
const why = (url: string, locale: Locale = 'zh-CN', user = 'moderator') => run({ name: 'why', options: { url }, user, locale });
const status = (locale: Locale = 'zh-CN') => run({ name: 'feeds', subcommand: 'status', user: 'moderator', locale });
const text = (r: Shown) => [r.content, ...r.embeds.map((e) => `${e.title ?? ''}\n${e.description ?? ''}`)].join('\n');
const postedId = (channelId: string, title: string) => fake.messages(channelId).find((m) => JSON.stringify(m.body).includes(title))!.id;

describe('/feeds status', () => {
  it('lists the paused feed, then the failing one, then the healthy one', async () => {
    const r = await status();
    expect(r.ephemeral).toBe(true);
    expect(r.content).toMatch(/^共 3 个新闻源：1 个已暂停，1 个出错，0 个尚未抓取，1 个正常。时间按 Asia\/Shanghai 显示。$/);
    expect(r.embeds.map((e) => e.title)).toEqual(['⏸ 已暂停 (1)', '⚠️ 出错 (1)', '✅ 正常 (1)']);
    expect(r.embeds[0]!.description).toMatch(/^\*\*停掉的源\*\* `stopped` · 海宁市 — 自 \d{4}-\d\d-\d\d \d\d:\d\d UTC\+8 起暂停，每天重试一次；最近的错误：HTTP 404 Not Found；从未成功$/);
    expect(r.embeds[1]!.description).toMatch(/^\*\*坏掉的源\*\* `broken` · 杭州市 — 连续失败 1 次（自 .* 起）；最近的错误：.*500.*；从未成功；下次 /);
    expect(r.embeds[2]!.description).toMatch(/^\*\*嘉兴日报\*\* `jx` · 嘉兴市 — 上次成功 .*；共收录 3 条$/);
    expect(text(r)).not.toContain(feeds.url(''));
  });

  it('answers in Traditional Chinese and English, with times in the server’s zone', async () => {
    env.repos.subscriptions.updateSettings(fake.guildId, { timeZone: 'America/Vancouver' }, Date.now());
    const tw = await status('zh-TW');
    expect(tw.content).toMatch(/^共 3 個新聞來源：1 個已暫停，1 個出錯，0 個尚未抓取，1 個正常。時間以 America\/Vancouver 顯示。$/);
    expect(tw.embeds[2]!.description).toMatch(/嘉興市 — 上次成功 .* UTC-[78]；共收錄 3 則/);
    const en = await status('en-US');
    expect(en.embeds.map((e) => e.title)).toEqual(['⏸ Paused (1)', '⚠️ Failing (1)', '✅ Healthy (1)']);
    expect(en.embeds[1]!.description).toMatch(/failures in a row: 1 \(since .* UTC-[78]\)/);
    env.repos.subscriptions.updateSettings(fake.guildId, { timeZone: null }, Date.now());
  });

  it('never shows an internal error or a feed URL', async () => {
    const t = Date.now();
    sqliteServices(env.bot.services).feeds.recordFailure('broken', { error: 'unexpected error: ENOENT /srv/xiangxun/secret-token.json', now: t, nextPollAt: t + 60_000, pauseReason: null });
    const r = await status('en-US');
    expect(r.embeds[1]!.description).toContain("last error: an internal error (details in the bot's log)");
    expect(text(r)).not.toMatch(/ENOENT|secret|127\.0\.0\.1/);
  });

  it('says when a feed\'s last fetch decoded with a warning, localized, until a clean fetch', async () => {
    const t = Date.now();
    const warn = (warning: string | null) => sqliteServices(env.bot.services).feeds.recordSuccess('jx', { status: 'fetched', now: t, nextPollAt: t + 600_000, warning });
    warn('declared gb2312, but the bytes are valid UTF-8: decoded as UTF-8');
    expect((await status()).embeds[2]!.description).toMatch(/共收录 3 条；编码警告：声明的字符集与内容不符/);
    expect((await status('en-US')).embeds[2]!.description).toMatch(/; encoding warning: the declared charset does not match the content/);
    warn(null);
    expect((await status()).embeds[2]!.description).not.toMatch(/编码警告/);
  });

  it('refuses a member, even when an admin opened the command to everyone', async () => {
    const r = await run({ name: 'feeds', subcommand: 'status', user: 'member', locale: 'en-US', memberPermissions: Permission.ViewChannel | Permission.SendMessages | Permission.UseApplicationCommands });
    expect(r.ephemeral).toBe(true);
    expect(r.content).toMatch(/Only members with the Manage Server permission/);
  });

  it('stays within Discord’s limits with hundreds of feeds, problems first and the rest counted', async () => {
    const many = Array.from({ length: 300 }, (_, i) => ({ id: `extra${String(i).padStart(3, '0')}`, name: `新闻源${i}号`, url: feeds.url(`/extra${i}.xml`), region: '330400' }));
    env.writeFeeds([...CATALOG(), ...many]);
    try {
      const r = await status();
      expect(r.content).toMatch(/^共 303 个新闻源：1 个已暂停，1 个出错，300 个尚未抓取，1 个正常。/);
      expect(r.content).toMatch(/消息长度有限，另有 \d+ 个新闻源没有列出。/);
      expect(r.embeds.map((e) => e.title)).toEqual(['⏸ 已暂停 (1)', '⚠️ 出错 (1)', '🕓 尚未抓取 (300)', '✅ 正常 (1)']);
      expect(r.embeds[2]!.description).toMatch(/……另有 \d+ 个$/);
      const size = r.embeds.reduce((n, e) => n + [...(e.title ?? '')].length + [...(e.description ?? '')].length, 0);
      expect(size).toBeLessThanOrEqual(6000);
    } finally {
      env.writeFeeds(CATALOG());
    }
  });
});

describe('/why', () => {
  it('tells where and when a story was posted, with a jump link', async () => {
    const r = await why(LINKS.opening);
    expect(r.ephemeral).toBe(true);
    expect(r.content).toBe('这个链接对应的新闻在本服务器的情况（时间按 Asia/Shanghai）：');
    const [embed] = r.embeds;
    expect(embed!.title).toBe('嘉兴市举行重点项目集中开工活动');
    expect(embed!.url).toBe(LINKS.opening);
    const d = embed!.description!;
    expect(d).toMatch(/\*\*首次见到\*\*：\d{4}-\d\d-\d\d \d\d:\d\d UTC\+8，来自 嘉兴日报/);
    expect(d).toMatch(/\*\*地区\*\*：浙江省 › 嘉兴市（依据：新闻源所属地区）/);
    expect(d).toContain('**推送资格**：✅ 可以推送');
    expect(d).toContain(`<#${fake.channels.news}> · 浙江省 › 嘉兴市 · 即时推送：✅ 符合条件`);
    for (const channel of [fake.channels.news, fake.channels.general]) {
      const link = `https://discord.com/channels/${fake.guildId}/${channel}/${postedId(channel, '嘉兴市举行重点项目集中开工活动')}`;
      expect(d).toMatch(new RegExp(`✅ \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC\\+8 发布到 <#${channel}> · \\[查看消息\\]\\(${link}\\)`));
    }
    expect(d).toContain(`<#${fake.channels.announcements}> · 浙江省 · 即时推送：⏸ 频道已暂停推送：机器人在这个频道缺少发送权限。解决后用 /region subscribe 重新订阅即可恢复。`);
    expect(d).toContain(`⏸ 没有发到 <#${fake.channels.announcements}>：当时频道已暂停推送（机器人在这个频道缺少发送权限）`);
  });

  it('finds the story from a shared link with tracking, a fragment or the other scheme', async () => {
    for (const url of [`${LINKS.opening}?utm_source=wechat&spm=1#top`, LINKS.opening.replace('https:', 'http:'), `  ${LINKS.opening}  `]) {
      expect((await why(url)).embeds[0]?.title, url).toBe('嘉兴市举行重点项目集中开工活动');
    }
  });

  it('names the excluded keyword that kept a story out of a channel, in Traditional Chinese', async () => {
    const r = await why(LINKS.ad, 'zh-TW');
    expect(r.content).toBe('這個連結對應的新聞在本伺服器的情況（時間以 Asia/Shanghai 顯示）：');
    const d = r.embeds[0]!.description!;
    expect(d).toContain(`<#${fake.channels.general}> · 浙江省 › 嘉興市 · 即時推送：✗ 含有排除詞「广告」`);
    expect(d).toContain(`<#${fake.channels.news}> · 浙江省 › 嘉興市 · 即時推送：✅ 符合條件`);
    expect(d).toMatch(new RegExp(`發佈到 <#${fake.channels.news}>`));
    expect(d).not.toMatch(new RegExp(`發佈到 <#${fake.channels.general}>`));
  });

  it('explains a story held back for its age, in English', async () => {
    const r = await why(LINKS.old, 'en-US');
    const d = r.embeds[0]!.description!;
    expect(d).toContain('**Eligible**: ⛔ no, it was published more than 48 hours before the bot saw it (too old).');
    expect(d).toContain('**Published**: 2020-01-01 16:00 UTC+8');
    expect(d).toContain(`<#${fake.channels.news}> · 浙江省 › 嘉兴市 · instant: matched, but the story is not posted (see above)`);
    expect(d).toContain('**Posts**\nNo posts (see Eligible above).');
  });

  it('says a link was never seen and points to /feeds status', async () => {
    const cn = await why('https://elsewhere.example.com/a/never.html');
    expect(cn.ephemeral).toBe(true);
    expect(cn.content).toMatch(/^机器人从未见过这个链接：<https:\/\/elsewhere\.example\.com\/a\/never\.html>\n.*\/feeds status/);
    const en = await why('https://elsewhere.example.com/a/never.html', 'en-US');
    expect(en.content).toMatch(/never seen this link[\s\S]*Check \/feeds status\./);
    // At the option's length limit: still an answer, and short enough for Discord.
    const long = `https://elsewhere.example.com/${'a'.repeat(1500 - 30)}`;
    expect(long).toHaveLength(1500);
    const atLimit = await why(long, 'zh-TW');
    expect(atLimit.content).toMatch(/^機器人從未見過這個連結：<https:\/\/elsewhere\.example\.com\/a+…>/);
  });

  it('refuses what is not a link, or too long, with how to fix it, in each language', async () => {
    const cases: Array<[string, Locale, RegExp]> = [
      ['嘉兴开工', 'zh-CN', /^“嘉兴开工”不是文章链接。请粘贴以 http:\/\/ 或 https:\/\/ 开头的完整链接。$/],
      ['news.example.cn/jx', 'zh-TW', /^「news\.example\.cn\/jx」不是文章連結。請貼上以 http:\/\/ 或 https:\/\/ 開頭的完整連結。$/],
      ['javascript:alert(1)', 'en-US', /^"javascript:alert\\\(1\\\)" is not an article link\. Paste the full link, starting with http:\/\/ or https:\/\/\.$/],
      ['**bold** @everyone', 'en-US', /^"\\\*\\\*bold\\\*\\\* @\u200beveryone" is not an article link/],
      [`https://elsewhere.example.com/${'a'.repeat(1471)}`, 'en-US', /^That link is too long \(at most 1500 characters\)/],
      [`x${'y'.repeat(5999)}`, 'zh-CN', /^链接太长（最多 1500 个字符）/],
    ];
    for (const [url, locale, expected] of cases) {
      const r = await why(url, locale);
      expect(r.ephemeral, url.slice(0, 40)).toBe(true);
      expect(r.content, url.slice(0, 40)).toMatch(expected);
    }
  });

  it('says when a story was rolled into a summary because the channel hit its cap', async () => {
    const links = [1, 2, 3].map((i) => `https://news.example.cn/jx/burst${i}.html`);
    const now = new Date().toUTCString();
    feeds.setRoute('/burst.xml', { body: rssFeed(links.map((link, i) => ({ title: `嘉兴市快讯第${i + 1}号`, link, guid: link, date: now, description: '<p>嘉兴市消息。</p>' })), { title: 'burst' }) });
    env.writeFeeds([...CATALOG(), { id: 'burst', name: '快讯', url: feeds.url('/burst.xml'), region: '330400' }]);
    await env.poll();
    const outbox = env.repos.outbox;
    const storyIds = links.map((l) => sqliteServices(env.bot.services).articles.storyByUrl(l, l)!);
    await fake.waitFor(() => storyIds.every((id) => outbox.forStory(id).every((d) => !['pending', 'sending'].includes(d.state))), 10_000);
    const answers = await Promise.all(links.map(async (l) => (await why(l, 'en-US')).embeds[0]!.description!));
    const capped = answers.filter((d) => d.includes(`📦 <#${fake.channels.news}> got too many stories at once (rate cap), so this one was rolled into a summary message`));
    const posted = answers.filter((d) => d.includes(`posted to <#${fake.channels.news}>`));
    expect([capped.length, posted.length]).toEqual([2, 1]);
  });

  it('refuses a member, even when an admin opened the command to everyone', async () => {
    const r = await run({ name: 'why', options: { url: LINKS.opening }, user: 'member', locale: 'zh-TW', memberPermissions: Permission.ViewChannel | Permission.SendMessages | Permission.UseApplicationCommands });
    expect(r.ephemeral).toBe(true);
    expect(r.content).toBe('只有擁有「管理伺服器」權限的成員才能使用這個指令。請聯絡伺服器管理員。');
    expect(r.embeds).toEqual([]);
  });
});

describe('/feeds and /why definitions', () => {
  it('are hidden from members by default and localized', () => {
    for (const name of ['feeds', 'why']) {
      const def = definitions().find((d) => d.name === name)!;
      expect(def.default_member_permissions, name).toBe(MODERATOR_PERMISSIONS);
      expect(Object.keys(def.name_localizations ?? {}), name).toEqual(['zh-CN', 'zh-TW']);
      expect(Object.keys(def.description_localizations ?? {}), name).toEqual(['zh-CN', 'zh-TW']);
    }
  });
});
