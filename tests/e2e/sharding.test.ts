// Gateway sharding end to end: the real bot (src/app/launch.ts) against a fake Discord that
// routes each guild's events only to the shard Discord's rule gives it. Discord recommends
// two shards; SHARD_COUNT / SHARD_IDS split them between processes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definitions } from '../../commands/index.js';
import { deployCommands } from '../../src/discord/deploy.js';
import { createLogger } from '../../src/shared/logger.js';
import { guildSeedOnShard, shardOf, startFakeDiscord, type FakeDiscord, type GuildSeed, type Locale } from '../fakes/fake-discord.js';
import type { InteractionResponse } from '../fakes/discord/interactions.js';
import { rssFeed, startFeedServer } from '../fakes/feed-server.js';
import { startBotEnv, waitPosted, type BotEnv } from '../helpers/bot-env.js';

// One server on each shard of two; identify concurrency 2 so both shards log in at once
// (with 1, discord.js waits 5 s between them, as Discord asks).
const onShard0 = guildSeedOnShard({ shard: 0, shardCount: 2, index: 0, name: '零号服' });
const onShard1 = guildSeedOnShard({ shard: 1, shardCount: 2, index: 1, name: '一号服', locale: 'zh-TW' });

/** Commands registered globally, so every guild of every shard has them. */
const registerGlobally = (fake: FakeDiscord) =>
  deployCommands({ token: fake.token, applicationId: fake.applicationId, apiBase: fake.apiBase, definitions: definitions() });

/** /settings show in a guild, answered: the reply's first embed field names. */
async function settingsShown(fake: FakeDiscord, guild: GuildSeed, locale: Locale = 'zh-CN'): Promise<string[]> {
  const r: InteractionResponse = await fake.slash({ name: 'settings', subcommand: 'show', guildId: guild.id, channelId: guild.channels[1]!.id, user: 'member', locale }).waitForResponse();
  const data = (r.kind === 'callback' ? r.body.data : r.body) as { flags?: number; embeds?: Array<{ fields?: Array<{ name: string }> }> };
  expect(Number(data.flags ?? 0) & 64).toBe(64);
  return (data.embeds?.[0]?.fields ?? []).map((f) => f.name);
}

/** The language a bot stored for a guild (awaited: the store is becoming asynchronous). */
const storedLocale = async (env: BotEnv, guildId: string): Promise<string | null | undefined> =>
  (await Promise.resolve(env.repos.subscriptions.settings(guildId))).locale;

it('the seeds land where Discord’s rule puts them', () => {
  expect([shardOf(onShard0.id, 2), shardOf(onShard1.id, 2)]).toEqual([0, 1]);
});

describe('Discord recommends two shards: one process runs both', () => {
  let fake: FakeDiscord;
  let env: BotEnv;
  const logLines: Array<{ msg?: string; shard?: number; shardCount?: number; shards?: number[] }> = [];

  beforeAll(async () => {
    fake = await startFakeDiscord({ guilds: [onShard0, onShard1], shards: 2, maxConcurrency: 2 });
    await registerGlobally(fake);
    const logger = createLogger('info', 'xiangxun', { write: (line: string) => void logLines.push(JSON.parse(line) as (typeof logLines)[number]) });
    env = await startBotEnv(fake, {}, {}, undefined, undefined, logger);
  });
  afterAll(async () => {
    await env?.close();
    await fake?.close();
  });

  it('opens one gateway session per shard, each with its own guilds, and logs each shard ready', () => {
    expect(fake.identifies.map((i) => i.shard).sort()).toEqual([[0, 2], [1, 2]]);
    expect(fake.liveShards()).toEqual([[0, 2], [1, 2]]);
    expect(env.discord.shards()).toEqual([
      { id: 0, status: 'Ready', ready: true, guilds: 1 },
      { id: 1, status: 'Ready', ready: true, guilds: 1 },
    ]);
    expect(env.discord.client.guilds.cache.get(onShard1.id)?.shardId).toBe(1);
    expect(env.discord.readiness()).toMatchObject({ ready: true, reasons: [] });
    const ready = logLines.filter((l) => l.msg === 'gateway shard ready').map((l) => [l.shard, l.shardCount]);
    expect(ready.sort()).toEqual([[0, 2], [1, 2]]);
    expect(logLines.find((l) => l.msg === 'logged in to Discord')).toMatchObject({ shards: [0, 1], shardCount: 2 });
  });

  it('answers slash commands in a guild of each shard', async () => {
    expect(await settingsShown(fake, onShard0)).toContain('字形');
    expect(await settingsShown(fake, onShard1, 'zh-TW')).toContain('字形');
    expect(await settingsShown(fake, onShard1, 'en-US')).toContain('Script');
  });

  it('took each guild’s language from its own shard’s GUILD_CREATE', async () => {
    expect(await storedLocale(env, onShard0.id)).toBe('zh-CN');
    expect(await storedLocale(env, onShard1.id)).toBe('zh-TW');
  });

  it('handles a server joining and leaving on either shard', async () => {
    const joins = [guildSeedOnShard({ shard: 0, shardCount: 2, index: 2, locale: 'en-US' }), guildSeedOnShard({ shard: 1, shardCount: 2, index: 3, locale: 'en-US' })];
    const client = env.discord.client;
    for (const g of joins) expect(fake.joinGuild(g), g.name).toBe(1);
    await fake.waitFor(() => joins.every((g) => client.guilds.cache.has(g.id)), 5000, 'both joined guilds in the cache');
    expect(joins.map((g) => client.guilds.cache.get(g.id)?.shardId)).toEqual([0, 1]);
    // The join is handled: the server's language is stored, and its members' commands answered.
    for (const g of joins) expect(await storedLocale(env, g.id)).toBe('en-US');
    for (const g of joins) expect(await settingsShown(fake, g, 'en-US')).toContain('Script');
    expect(env.discord.shards().map((s) => s.guilds)).toEqual([2, 2]);

    for (const g of joins) expect(fake.leaveGuild(g.id)).toBe(1);
    await fake.waitFor(() => joins.every((g) => !client.guilds.cache.has(g.id)), 5000, 'both left guilds gone from the cache');
    expect(env.discord.shards().map((s) => s.guilds)).toEqual([1, 1]);
    expect(logLines.filter((l) => l.msg === 'removed from a guild')).toHaveLength(2);
  });

  it('is not ready while one of its shards is down, though discord.js still calls the client ready', async () => {
    // 4014 (disallowed intents) is fatal: the shard stays down, which a probe must show.
    fake.disconnectAll(4014, 1);
    const r = await fake.waitFor(() => { const x = env.discord.readiness(); return x.ready ? undefined : x; }, 5000, 'shard 1 down');
    expect(env.discord.client.isReady()).toBe(true);
    expect(r.reasons).toEqual(['gateway shard 1 not ready (Disconnected)']);
    expect(r.shards.map((s) => s.ready)).toEqual([true, false]);
    // The other shard keeps answering.
    expect(await settingsShown(fake, onShard0)).toContain('字形');
  });
});

describe('SHARD_COUNT=2 split between two processes (SHARD_IDS)', () => {
  let fake: FakeDiscord;
  const envs: BotEnv[] = [];

  beforeAll(async () => {
    // Discord recommends one shard here: SHARD_COUNT wins.
    fake = await startFakeDiscord({ guilds: [onShard0, onShard1], shards: 1, maxConcurrency: 2 });
    await registerGlobally(fake);
  });
  afterAll(async () => {
    for (const e of envs) await e.close();
    await fake?.close();
  });

  it('a process with SHARD_IDS=1 identifies shard 1 only and answers only its guilds', async () => {
    const second = await startBotEnv(fake, { SHARD_COUNT: '2', SHARD_IDS: '1' });
    envs.push(second);
    expect(fake.identifies.map((i) => i.shard)).toEqual([[1, 2]]);
    expect([...second.discord.client.guilds.cache.keys()]).toEqual([onShard1.id]);
    expect(second.discord.readiness()).toMatchObject({ ready: true, shards: [{ id: 1, ready: true, guilds: 1 }] });
    expect(await settingsShown(fake, onShard1)).toContain('字形');
    // Discord routes shard 0's interactions to a session of shard 0, and there is none yet.
    expect(() => fake.slash({ name: 'settings', subcommand: 'show', guildId: onShard0.id, user: 'member' })).toThrow(/no gateway session/);
    expect(fake.joinGuild(guildSeedOnShard({ shard: 0, shardCount: 2, index: 4 }))).toBe(0);
  });

  it('a second process with SHARD_IDS=0 takes the other half; each answers its own guilds', async () => {
    const first = await startBotEnv(fake, { SHARD_COUNT: '2', SHARD_IDS: '0' });
    envs.push(first);
    expect(fake.liveShards()).toEqual([[0, 2], [1, 2]]);
    expect(first.discord.client.guilds.cache.has(onShard0.id)).toBe(true);
    expect(first.discord.client.guilds.cache.has(onShard1.id)).toBe(false);
    expect(await settingsShown(fake, onShard0)).toContain('字形');
    expect(await settingsShown(fake, onShard1)).toContain('字形');
    // Each process stored only the language of the guilds its shards got.
    expect(await storedLocale(first, onShard1.id)).not.toBe('zh-TW');
    expect(await storedLocale(envs[0]!, onShard1.id)).toBe('zh-TW');
  });

  it('posts news to a guild of a shard it does not run: posting is REST, bound to no shard', async () => {
    const feeds = await startFeedServer();
    try {
      const second = envs[0]!;
      const channel = onShard0.channels[0]!.id;
      await Promise.resolve(second.repos.subscriptions.subscribe({ guildId: onShard0.id, channelId: channel, regionCode: '330400', mode: 'instant', include: [], exclude: [], createdBy: fake.users.moderator }, Date.now()));
      feeds.setRoute('/jx.xml', { body: rssFeed([{ title: '嘉兴市开展防汛演练', link: 'https://news.example.cn/fx1', guid: 'fx1', date: new Date().toUTCString(), description: '<p>嘉兴市开展防汛演练。相关部门参加。</p>' }], { title: 'jx' }) });
      second.writeFeeds([{ id: 'jx', url: feeds.url('/jx.xml'), region: '330400' }]);
      await second.poll();
      const [post] = await waitPosted(fake, channel, 1);
      expect(String((post!.body.embeds as Array<{ title?: string }>)[0]?.title)).toContain('防汛演练');
      expect(second.discord.client.guilds.cache.has(onShard0.id)).toBe(false);
    } finally {
      await feeds.close();
    }
  });
});

describe('SHARD_COUNT below what Discord requires', () => {
  it('refuses to log in and says why', async () => {
    const fake = await startFakeDiscord({ guilds: [onShard0, onShard1], shards: 2, maxConcurrency: 2, requiredShards: 2 });
    try {
      await expect(startBotEnv(fake, { SHARD_COUNT: '1' })).rejects.toThrow(/could not log in to Discord: Discord requires more gateway shards than SHARD_COUNT gives \(close code 4011\): raise SHARD_COUNT/);
      expect(fake.identifies).toEqual([]);
    } finally {
      await fake.close();
    }
  });
});
