// /settings through the real discord.js client and the fake Discord: each subcommand, its
// limits, its effect on the next post, and that it survives a restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definitions } from '../../commands/index.js';
import { Permission, startFakeDiscord, type FakeDiscord } from '../fakes/fake-discord.js';
import type { InteractionResponse } from '../fakes/discord/interactions.js';
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
  env.subscribe(fake.channels.news, '330400');
});
afterAll(async () => {
  await env?.close();
  await fake?.close();
  await feeds?.close();
});

type Shown = { content: string; ephemeral: boolean; embeds: Array<Record<string, unknown>> };
function shown(r: InteractionResponse): Shown {
  const data = (r.kind === 'callback' ? (r.body.data as Record<string, unknown>) : r.body) ?? {};
  return { content: String(data.content ?? ''), ephemeral: (Number(data.flags ?? 0) & 64) !== 0, embeds: (data.embeds as Array<Record<string, unknown>>) ?? [] };
}
const run = async (opts: Parameters<FakeDiscord['slash']>[0]) => shown(await fake.slash(opts).waitForResponse());
const settings = (subcommand: string, options: Record<string, string | number> = {}, extra: Partial<Parameters<FakeDiscord['slash']>[0]> = {}) =>
  run({ name: 'settings', subcommand, options, user: 'moderator', locale: 'zh-CN', ...extra });
/** `name: value` of each field of the /settings show embed. */
const fields = (r: Shown) => Object.fromEntries(((r.embeds[0]?.fields ?? []) as Array<{ name: string; value: string }>).map((f) => [f.name, f.value]));
const stored = () => env.repos.subscriptions.settings(fake.guildId);

let seq = 0;
/** Publishes one new Jiaxing story and returns the title it was posted with. */
async function nextPostTitle(title: string): Promise<string> {
  const before = fake.messages(fake.channels.news).length;
  const path = `/s${++seq}.xml`;
  feeds.setRoute(path, { body: rssFeed([{ title, link: `https://news.example.cn/s${seq}`, guid: `s${seq}`, date: new Date().toUTCString(), description: `<p>${title}。相关部门表示工作正在推进。</p>` }], { title: 'jx' }) });
  env.writeFeeds([{ id: `s${seq}`, url: feeds.url(path), region: '330400' }]);
  await env.poll();
  const messages = await fake.waitForMessages(fake.channels.news, before + 1);
  return String((messages.at(-1)!.body.embeds as Array<{ title?: string }>)[0]?.title ?? '');
}

describe('/settings', () => {
  it('shows the defaults to anyone, in the reader’s language', async () => {
    const cn = await settings('show', {}, { user: 'member' });
    expect(cn.ephemeral).toBe(true);
    expect(fields(cn)).toEqual({
      字形: '简体（默认，按服务器语言）',
      时区: expect.stringMatching(/^Asia\/Shanghai（现在 \d{4}-\d\d-\d\d \d\d:\d\d UTC\+8）（默认）$/),
      摘要长度: '最多 160 字（默认）',
      每日汇总时间: '08:00（默认）',
    });
    const en = await settings('show', {}, { user: 'member', locale: 'en-US' });
    expect(fields(en)).toMatchObject({ Script: "Simplified Chinese (default, from the server's language)", 'Daily digest time': '08:00 (default)' });
    const tw = await settings('show', {}, { user: 'member', locale: 'zh-TW' });
    expect(fields(tw)).toMatchObject({ 字形: '簡體（預設，依伺服器語言）', 摘要長度: '最多 160 字（預設）' });
  });

  it('refuses a member, even when an admin opened the command to everyone', async () => {
    const asMember = { user: 'member', memberPermissions: Permission.ViewChannel | Permission.SendMessages | Permission.UseApplicationCommands };
    for (const [sub, options] of [['script', { value: 'tw' }], ['timezone', { zone: 'Asia/Taipei' }], ['summary-length', { length: 200 }], ['digest-time', { time: '09:00' }]] as const) {
      const r = await settings(sub, options, asMember);
      expect(r.ephemeral, sub).toBe(true);
      expect(r.content, sub).toMatch(/管理服务器/);
    }
    expect(stored()).toMatchObject({ script: null, timeZone: null, summaryLength: null, digestTime: null });
  });

  it('changes the script of the next post in this server', async () => {
    expect(await nextPostTitle('嘉兴市开展消防安全检查')).toBe('嘉兴市开展消防安全检查');
    const r = await settings('script', { value: 'tw' }, { locale: 'zh-TW' });
    expect(r.ephemeral).toBe(true);
    expect(r.content).toBe('✅ 之後推送的新聞將以繁體（台灣）顯示。已經發出的訊息不會改變。');
    expect(stored().script).toBe('tw');
    expect(await nextPostTitle('嘉兴市图书馆开展读书节活动')).toBe('嘉興市圖書館開展讀書節活動');
    const bogus = await settings('script', { value: 'klingon' }, { locale: 'en-US' });
    expect(bogus.content).toMatch(/^Pick a script from the list/);
    expect(stored().script).toBe('tw');
  });

  it('offers common time zones, searchable by city in either script', async () => {
    const zones = async (text: string, locale: 'zh-CN' | 'zh-TW' | 'en-US' = 'zh-CN') =>
      fake.autocomplete({ name: 'settings', subcommand: 'timezone', options: { zone: text }, focused: 'zone', user: 'moderator', locale }).choices();
    const first = await zones('');
    expect(first.map((c) => c.value)).toEqual(expect.arrayContaining(['Asia/Shanghai', 'Asia/Taipei', 'Asia/Hong_Kong', 'Asia/Singapore', 'America/Vancouver']));
    expect(first.length).toBeLessThanOrEqual(25);
    expect(first[0]).toEqual({ name: '北京时间（上海） · Asia/Shanghai（UTC+08:00）', value: 'Asia/Shanghai' });
    expect((await zones('溫哥華', 'zh-TW'))[0]).toMatchObject({ name: expect.stringMatching(/^溫哥華 · America\/Vancouver（UTC-0[78]:00）$/), value: 'America/Vancouver' });
    expect((await zones('温哥华'))[0]?.value).toBe('America/Vancouver');
    expect((await zones('new york', 'en-US'))[0]?.value).toBe('America/New_York');
    expect((await zones('kolkata')).map((c) => c.value).concat((await zones('calcutta')).map((c) => c.value))).toContainEqual(expect.stringMatching(/^Asia\/(Kolkata|Calcutta)$/));
  });

  it('sets a time zone by its IANA name, in any case, and refuses anything else with how to fix it', async () => {
    const ok = await settings('timezone', { zone: 'asia/taipei' });
    expect(ok.ephemeral).toBe(true);
    expect(ok.content).toMatch(/^✅ 时区已设为 Asia\/Taipei（那里现在是 \d{4}-\d\d-\d\d \d\d:\d\d UTC\+8）/);
    expect(stored().timeZone).toBe('Asia/Taipei');
    for (const bad of ['Mars/Olympus', '+08:00', 'UTC+8', 'Asia/Taipei; DROP TABLE', 'A'.repeat(64), 'A'.repeat(65), `Asia/${'x'.repeat(5000)}`]) {
      const r = await settings('timezone', { zone: bad }, { locale: 'en-US' });
      expect(r.ephemeral, bad).toBe(true);
      expect(r.content, bad).toMatch(/is not an IANA time zone\. Pick one from the autocomplete list/);
      expect(r.content.length, bad).toBeLessThan(400);
    }
    expect(stored().timeZone).toBe('Asia/Taipei');
  });

  it('takes a summary length only within its limits', async () => {
    for (const n of [60, 400]) {
      const r = await settings('summary-length', { length: n });
      expect(r.content).toBe(`✅ 之后推送的新闻摘要最多 ${n} 字。`);
      expect(stored().summaryLength).toBe(n);
    }
    for (const n of [59, 401, 0, -5, 100_000]) {
      const r = await settings('summary-length', { length: n }, { locale: 'zh-TW' });
      expect(r.ephemeral, String(n)).toBe(true);
      expect(r.content, String(n)).toBe('摘要長度必須是 60 到 400 之間的整數。');
    }
    expect(stored().summaryLength).toBe(400);
  });

  it('takes a 24-hour digest time, normalized, and refuses others', async () => {
    const r = await settings('digest-time', { time: '7:30' });
    expect(r.content).toMatch(/^✅ 每日汇总将在每天 07:30（Asia\/Taipei）发送，下一次是 \d{4}-\d\d-\d\d 07:30 UTC\+8。/);
    expect(stored().digestTime).toBe('07:30');
    await settings('digest-time', { time: '０８：１５' });
    expect(stored().digestTime).toBe('08:15');
    for (const bad of ['24:00', '12:60', '8', '08:15:00', 'noon', '23:59pm', '9'.repeat(8), '9'.repeat(9), '1'.repeat(3000)]) {
      const e = await settings('digest-time', { time: bad }, { locale: 'en-US' });
      expect(e.ephemeral, bad).toBe(true);
      expect(e.content, bad).toMatch(/is not a valid time\. Use 24-hour HH:MM/);
      expect(e.content.length, bad).toBeLessThan(300);
    }
    expect(stored().digestTime).toBe('08:15');
  });

  it('keeps every setting across a restart, and posts in the stored script', async () => {
    const dir = env.dir;
    await env.close();
    env = await startBotEnv(fake, {}, {}, dir);
    const r = await settings('show', {}, { user: 'member', locale: 'en-US' });
    expect(fields(r)).toEqual({
      Script: 'Traditional Chinese (Taiwan)',
      'Time zone': expect.stringMatching(/^Asia\/Taipei \(now .* UTC\+8\)$/),
      'Summary length': 'at most 400 characters',
      'Daily digest time': '08:15',
    });
    expect(await nextPostTitle('嘉兴市举办马拉松比赛')).toBe('嘉興市舉辦馬拉松比賽');
  });
});

describe('/settings definition', () => {
  it('is open to everyone (show is public) and localized', () => {
    const def = definitions().find((d) => d.name === 'settings')!;
    expect(def.default_member_permissions).toBeUndefined();
    expect(def.name_localizations).toEqual({ 'zh-CN': '设置', 'zh-TW': '設定' });
    const sub = (def.options ?? []).find((o) => o.name === 'summary-length') as { options: Array<{ min_value: number; max_value: number }> };
    expect(sub.options[0]).toMatchObject({ min_value: 60, max_value: 400 });
  });
});
