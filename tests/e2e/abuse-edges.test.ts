// Issue 11, the people side, through the real discord.js client and the fake Discord: logs at
// trace level never hold an interaction token or webhook URL, however a reply fails; a post
// that could not be sent can be tried again; members and servers meet cooldowns, answered in
// their language, and autocomplete over its limit is an empty list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CooldownRules } from '../../commands/cooldown.js';
import { DEFAULT_RULES } from '../../commands/cooldown.js';
import { createLogger } from '../../src/shared/logger.js';
import { startFakeDiscord, type FakeDiscord, type InteractionHandle, type JsonObject } from '../fakes/fake-discord.js';
import { rssFeed, startFeedServer, type FeedServer } from '../fakes/feed-server.js';
import { registerCommands, startBotEnv, type BotEnv } from '../helpers/bot-env.js';

const TITLES = ['嘉兴南湖新建口袋公园开放', '嘉兴港口货物吞吐量创新高', '嘉兴学院迎来新一届学生'];

let feeds: FeedServer;
beforeAll(async () => {
  feeds = await startFeedServer();
  const now = Date.now();
  feeds.setRoute('/jx.xml', { body: rssFeed(TITLES.map((title, i) => ({ title, link: `https://news.example.cn/jx/${i}`, guid: `jx${i}`, date: new Date(now - (i + 1) * 60_000).toUTCString(), description: `<p>嘉兴讯 ${title}。</p>` })), { title: 'jx' }) });
});
afterAll(async () => {
  await feeds?.close();
});

/** A bot at LOG_LEVEL=trace whose every log line is kept. */
async function tracedBot(fake: FakeDiscord, cooldowns?: CooldownRules): Promise<{ env: BotEnv; lines: string[] }> {
  const lines: string[] = [];
  const logger = createLogger('trace', 'test', { write: (s: string) => void lines.push(s) });
  await registerCommands(fake);
  const env = await startBotEnv(fake, { LOG_LEVEL: 'trace' }, {}, undefined, cooldowns, logger);
  env.writeFeeds([{ id: 'jx', url: feeds.url('/jx.xml'), region: '330400', name: '嘉兴日报' }]);
  await env.poll();
  return { env, lines };
}

async function until(what: string, ok: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !ok(); i++) await new Promise((r) => setTimeout(r, 20));
  if (!ok()) throw new Error(`timed out waiting for ${what}`);
}

function expectNoSecrets(lines: readonly string[], handles: readonly InteractionHandle[], fake: FakeDiscord): void {
  expect(lines.length).toBeGreaterThan(0);
  for (const h of handles) {
    const leaks = lines.filter((l) => l.includes(h.token));
    expect(leaks, `token of interaction ${h.id}`).toEqual([]);
  }
  expect(lines.filter((l) => l.includes(fake.token))).toEqual([]);
  expect(lines.filter((l) => /\/webhooks\/\d+\/(?!\[redacted\])/.test(l))).toEqual([]);
}

describe('when every interaction reply fails (a late acknowledgement)', () => {
  let fake: FakeDiscord;
  let env: BotEnv;
  let lines: string[];
  beforeAll(async () => {
    // Every acknowledgement arrives "late": Discord answers 404 Unknown interaction, and
    // discord.js throws an error carrying the callback URL (token inside) and the reply body.
    fake = await startFakeDiscord({ ackDeadlineMs: -1, rateLimit: false });
    ({ env, lines } = await tracedBot(fake));
  });
  afterAll(async () => {
    await env?.close();
    await fake?.close();
  });

  it('logs the failure with no interaction token in any line', async () => {
    const handles = [
      fake.slash({ name: 'news', subcommand: 'search', options: { query: '嘉兴' }, channelId: fake.channels.general }),
      fake.click({ customId: 'news:whatever' }),
      fake.autocomplete({ name: 'news', subcommand: 'search', options: { query: 'x', region: '嘉' }, focused: 'region' }),
    ];
    await until('the failures to be logged', () => lines.filter((l) => l.includes('could not report an interaction error')).length >= 2);
    expectNoSecrets(lines, handles, fake);
    const failed = lines.map((l) => JSON.parse(l) as JsonObject).filter((l) => l.msg === 'interaction failed');
    expect(failed.length).toBeGreaterThan(0);
    // Still useful: which call failed (the interaction id stays), and why.
    const err = failed[0]!.err as JsonObject;
    expect(String(err.url)).toMatch(/\/interactions\/\d+\/\[redacted\]\/callback/);
    expect(err.requestBody).toBe('[redacted]');
    expect(String(err.message)).toMatch(/Unknown interaction/);
  });
});

describe('with a working Discord', () => {
  let fake: FakeDiscord;
  let env: BotEnv;
  let lines: string[];
  const hour = 3_600_000;
  beforeAll(async () => {
    fake = await startFakeDiscord({ rateLimit: false });
    ({ env, lines } = await tracedBot(fake, {
      user: { ...DEFAULT_RULES.user, search: { limit: 2, windowMs: hour }, autocomplete: { limit: 2, windowMs: hour } },
      guild: { ...DEFAULT_RULES.guild, search: { limit: 3, windowMs: hour } },
    }));
  });
  afterAll(async () => {
    await env?.close();
    await fake?.close();
  });

  const search = async (user: string, locale: 'zh-CN' | 'zh-TW' | 'en-US') => {
    const h = fake.slash({ name: 'news', subcommand: 'search', options: { query: '嘉兴' }, channelId: fake.channels.general, user, locale });
    return { h, r: await h.waitForResponse() };
  };

  it('keeps a post whose follow-up failed available, and logs no webhook token', async () => {
    const { h } = await search('member', 'zh-CN');
    const edit = await h.waitForEdit();
    const rows = (edit.body.components as Array<{ components: Array<{ custom_id: string }> }>) ?? [];
    const post = rows.flatMap((r) => r.components).find((b) => b.custom_id.startsWith('news:s:'))!.custom_id;
    fake.failNext('POST /webhooks/:app/:token', 3, { status: 500 });
    const failed = fake.click({ customId: post, messageId: String(edit.message?.id), channelId: fake.channels.general });
    await until('the failed follow-up to be logged', () => lines.some((l) => l.includes('interaction failed')));
    expectNoSecrets(lines, [h, failed], fake);
    expect(fake.messages(fake.channels.general).filter((m) => !m.deleted && String(m.body?.content ?? '').includes('分享了'))).toHaveLength(0);
    // Nothing was posted, so the result was not used up.
    const again = fake.click({ customId: post, messageId: String(edit.message?.id), channelId: fake.channels.general });
    const f = await again.waitForFollowUp();
    expect(f.body.content).toMatch(/分享了一条新闻/);
  });

  it('answers a member over the search limit ephemerally in their language, before any work', async () => {
    await search('member', 'zh-CN');
    const { r } = await search('member', 'zh-TW');
    expect(r.type).toBe(4);
    expect(Number((r.body.data as JsonObject).flags) & 64).toBe(64);
    expect(String((r.body.data as JsonObject).content)).toMatch(/^操作太頻繁了，請 \d+ 秒後再試。$/);
  });

  it('limits the whole server, and tells the next member in English', async () => {
    expect((await search('moderator', 'zh-CN')).r.type).toBe(5);
    const { r } = await search('owner', 'en-US');
    expect(r.type).toBe(4);
    expect(String((r.body.data as JsonObject).content)).toMatch(/^Members of this server are using this too often right now\. Please try again in \d+ s\.$/);
  });

  it('answers autocomplete over its limit with an empty list, not an error', async () => {
    const ask = () => fake.autocomplete({ name: 'news', subcommand: 'latest', options: { region: '嘉兴' }, focused: 'region', user: 'moderator' }).choices();
    expect((await ask()).length).toBeGreaterThan(0);
    expect((await ask()).length).toBeGreaterThan(0);
    expect(await ask()).toEqual([]);
  });
});
