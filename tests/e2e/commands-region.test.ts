// /region through the real discord.js client and the fake Discord.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definitions } from '../../commands/index.js';
import { DEFAULT_IDS, Permission, defaultGuildSeed, snowflake, startFakeDiscord, type FakeDiscord } from '../fakes/fake-discord.js';
import type { InteractionResponse } from '../fakes/discord/interactions.js';
import { rssFeed, startFeedServer, type FeedServer } from '../fakes/feed-server.js';
import { registerCommands, startBotEnv, type BotEnv } from '../helpers/bot-env.js';

let fake: FakeDiscord;
let feeds: FeedServer;
let env: BotEnv;
// A channel where the bot's role may not send messages.
const NO_BOT = snowflake();

beforeAll(async () => {
  const seed = defaultGuildSeed();
  const closed = { id: NO_BOT, name: 'closed', type: 0 as const, overwrites: [{ id: DEFAULT_IDS.roles.bot, type: 'role' as const, deny: Permission.SendMessages }] };
  fake = await startFakeDiscord({ guilds: [{ ...seed, channels: [...seed.channels, closed] }], rateLimit: { perChannel: 5, windowMs: 1000 } });
  feeds = await startFeedServer();
  await registerCommands(fake);
  env = await startBotEnv(fake);
});
afterAll(async () => {
  await env?.close();
  await fake?.close();
  await feeds?.close();
});

/** The text the user saw: a reply's content, or a deferred reply's edit. */
function shown(r: InteractionResponse): { content: string; ephemeral: boolean; embeds: Array<Record<string, unknown>> } {
  const data = (r.kind === 'callback' ? (r.body.data as Record<string, unknown>) : r.body) ?? {};
  return { content: String(data.content ?? ''), ephemeral: ((Number(data.flags ?? 0) & 64) !== 0), embeds: (data.embeds as Array<Record<string, unknown>>) ?? [] };
}
const run = async (opts: Parameters<FakeDiscord['slash']>[0]) => shown(await fake.slash(opts).waitForResponse());

describe('/region', () => {
  it('offers 嘉兴 when a moderator types 嘉興, in either script and by code', async () => {
    for (const text of ['嘉興', '嘉兴', '3304', 'jx']) {
      const choices = await fake.autocomplete({ name: 'region', subcommand: 'subscribe', options: { region: text }, focused: 'region', user: 'moderator', locale: 'zh-TW' }).choices();
      expect(choices.map((c) => c.value), text).toContain('330400');
      expect(choices.length).toBeLessThanOrEqual(25);
    }
    const tw = await fake.autocomplete({ name: 'region', subcommand: 'subscribe', options: { region: '海宁' }, focused: 'region', user: 'moderator', locale: 'zh-TW' }).choices();
    expect(tw[0]).toEqual({ name: '浙江省 › 嘉興市 › 海寧市', value: '330481' });
  });

  it('subscribes #news to 嘉兴, confirms the full path, and then posts a new Jiaxing story there', async () => {
    const r = await run({ name: 'region', subcommand: 'subscribe', options: { region: '330400', channel: fake.channels.news }, user: 'moderator', locale: 'zh-CN' });
    expect(r.ephemeral).toBe(true);
    expect(r.content).toContain('浙江省 › 嘉兴市');
    expect(r.content).toContain(`<#${fake.channels.news}>`);
    feeds.setRoute('/jx.xml', { body: rssFeed([{ title: '嘉兴市举行互学互比互赛活动', link: 'https://news.example.cn/jx1', guid: 'jx1', date: new Date().toUTCString(), description: '<p>嘉兴市今天举行活动，观摩重点项目。</p>' }], { title: 'jx' }) });
    env.writeFeeds([{ id: 'jx', url: feeds.url('/jx.xml'), region: '330400' }]);
    await env.poll();
    const [msg] = await fake.waitForMessages(fake.channels.news, 1);
    expect(JSON.stringify(msg!.body)).toContain('嘉兴市举行互学互比互赛活动');
  });

  it('is idempotent, resolves free text by name, and lists candidates for an ambiguous name', async () => {
    await run({ name: 'region', subcommand: 'subscribe', options: { region: '嘉興', channel: fake.channels.news }, user: 'moderator', locale: 'en-US' });
    expect(env.repos.subscriptions.listForGuild(fake.guildId).filter((s) => s.regionCode === '330400')).toHaveLength(1);
    const ambiguous = await run({ name: 'region', subcommand: 'subscribe', options: { region: '普陀' }, user: 'moderator', locale: 'zh-CN' });
    expect(ambiguous.ephemeral).toBe(true);
    expect(ambiguous.content).toMatch(/上海市 › 普陀区[\s\S]*舟山市 › 普陀区/);
    const unknown = await run({ name: 'region', subcommand: 'subscribe', options: { region: '火星市' }, user: 'moderator', locale: 'zh-TW' });
    expect(unknown.content).toMatch(/找不到地區「火星市」/);
  });

  it('refuses an ordinary member, even if the server opened the command to everyone', async () => {
    const r = await run({ name: 'region', subcommand: 'subscribe', options: { region: '330400' }, user: 'member', locale: 'zh-CN' });
    expect(r.ephemeral).toBe(true);
    expect(r.content).toMatch(/管理服务器/);
    expect(env.repos.subscriptions.listForGuild(fake.guildId).every((s) => s.createdBy !== fake.users.member)).toBe(true);
  });

  it('refuses up front a channel the bot cannot post in, naming the permission', async () => {
    const r = await run({ name: 'region', subcommand: 'subscribe', options: { region: '330100', channel: NO_BOT }, user: 'moderator', locale: 'en-US' });
    expect(r.content).toMatch(/lacks these permissions.*SendMessages/);
    expect(env.repos.subscriptions.listForGuild(fake.guildId).some((s) => s.channelId === NO_BOT)).toBe(false);
  });

  it('shows member-typed words inert (no live link, no mention) and a forged channel option escaped and cut', async () => {
    const include = '[点我](https://evil.example) @everyone';
    const r = await run({ name: 'region', subcommand: 'subscribe', options: { region: '330400', channel: fake.channels.general, include, exclude: '**粗体** <@123>' }, user: 'moderator', locale: 'en-US' });
    expect(r.content).toContain('Only with: \\[点我\\]\\(https://evil.example\\)、@\u200beveryone');
    expect(r.content).toContain('Never with: \\*\\*粗体\\*\\*、\\<@123\\>');
    const list = JSON.stringify((await run({ name: 'region', subcommand: 'list', user: 'member', locale: 'en-US' })).embeds);
    expect(list).toContain(JSON.stringify('+\\[点我\\]\\(https://evil.example\\)').slice(1, -1));
    expect(list).not.toMatch(/[^\\]\[点我\]/);
    await run({ name: 'region', subcommand: 'unsubscribe', options: { region: '330400', channel: fake.channels.general }, user: 'moderator', locale: 'en-US' });
    // Discord only ever sends a channel id here; a forged value is answered, cut, never looked up.
    for (const channel of ['<@&1>' + 'x'.repeat(5000), '[a](https://evil.example)']) {
      const forged = await run({ name: 'region', subcommand: 'subscribe', options: { region: '330400', channel }, user: 'moderator', locale: 'zh-CN' });
      expect(forged.ephemeral).toBe(true);
      expect(forged.content).toMatch(/不是文字、公告或论坛频道/);
      expect(forged.content.length).toBeLessThan(200);
      expect(forged.content).not.toMatch(/(?<!\\)<@&|(?<!\\)\[a\]/);
    }
    const region = await run({ name: 'region', subcommand: 'subscribe', options: { region: '[火星](https://evil.example)', channel: fake.channels.general }, user: 'moderator', locale: 'en-US' });
    expect(region.content).toContain('No region matches "\\[火星\\]\\(https://evil.example\\)"');
  });

  it('lists subscriptions with their state and browses children with counts, in three languages', async () => {
    const en = await run({ name: 'region', subcommand: 'list', user: 'member', locale: 'en-US' });
    expect(en.content).toMatch(/region subscriptions/);
    expect(JSON.stringify(en.embeds)).toMatch(/active/);
    const tw = await run({ name: 'region', subcommand: 'browse', options: { parent: '330400' }, user: 'member', locale: 'zh-TW' });
    expect(JSON.stringify(tw.embeds)).toMatch(/海寧市.*本週/);
    const cn = await run({ name: 'region', subcommand: 'browse', user: 'member', locale: 'zh-CN' });
    expect(JSON.stringify(cn.embeds)).toMatch(/浙江省.*本周 1 条/);
  });

  it('unsubscribes only what this server subscribed', async () => {
    const choices = await fake.autocomplete({ name: 'region', subcommand: 'unsubscribe', options: { region: '' }, focused: 'region', user: 'moderator', locale: 'zh-CN' }).choices();
    expect(choices.map((c) => c.value)).toEqual(['330400']);
    const missing = await run({ name: 'region', subcommand: 'unsubscribe', options: { region: '330100', channel: fake.channels.news }, user: 'moderator', locale: 'zh-CN' });
    expect(missing.content).toMatch(/没有订阅/);
    const ok = await run({ name: 'region', subcommand: 'unsubscribe', options: { region: '330400', channel: fake.channels.news }, user: 'moderator', locale: 'zh-CN' });
    expect(ok.content).toMatch(/已取消/);
  });
});

describe('npm run deploy-commands', () => {
  it('registers every command with zh-CN and zh-TW localizations', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli/deploy-commands.ts'], {
      env: { ...process.env, DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: fake.applicationId, DISCORD_API_BASE: fake.apiBase, DISCORD_DEV_GUILD_ID: '' },
    });
    expect(stdout).toMatch(/Registered \d+ commands \(global\)/);
    const registered = fake.commands();
    expect(registered.map((c) => c.name).sort()).toEqual(definitions().map((d) => d.name).sort());
    for (const c of registered) {
      const loc = c.description_localizations as Record<string, string>;
      expect(loc['zh-CN'], String(c.name)).toBeTruthy();
      expect(loc['zh-TW'], String(c.name)).toBeTruthy();
    }
  });
});
