// Each role through the bot's own start-up path (src/app/launch.ts) against the fake Discord
// (issue #16). Roles other than `all` need Postgres in production (the start command refuses
// them on SQLite); launchBot builds them on any store, so they are tested here on SQLite.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { launchBot, type LaunchOptions, type RunningBot } from '../../src/app/launch.js';
import type { Role } from '../../src/app/roles.js';
import { loadConfig } from '../../src/config/config.js';
import { silentLogger } from '../../src/shared/logger.js';
import { startFakeDiscord, type FakeDiscord, type InteractionResponse } from '../fakes/fake-discord.js';
import { queueStories } from '../helpers/deliverers.js';
import { registerCommands } from '../helpers/bot-env.js';
import { sqliteServices } from '../../src/app/services.js';

let fake: FakeDiscord;
let running: RunningBot | null = null;

beforeEach(async () => {
  fake = await startFakeDiscord({ guilds: undefined, rateLimit: { perChannel: 5, windowMs: 1000 } });
});
afterEach(async () => {
  await running?.stop();
  running = null;
  await fake.close();
});

async function launch(role: Role, extra: Partial<LaunchOptions> = {}): Promise<RunningBot> {
  const dir = mkdtempSync(join(tmpdir(), 'xx-role-'));
  writeFileSync(join(dir, 'feeds.json'), JSON.stringify({ feeds: [] }));
  const config = loadConfig({ DATABASE_PATH: join(dir, 'bot.db'), FEEDS_FILE: join(dir, 'feeds.json'), RETENTION_DAYS: '30' });
  running = await launchBot({ ...config, discord: { ...config.discord, apiBase: fake.apiBase } }, silentLogger, {
    token: fake.token,
    role,
    waitGuildTimeoutMs: 300,
    bot: {
      defaultMetrics: false,
      limits: { perChannel: { limit: 5, windowMs: 1_100 }, global: { limit: 45, windowMs: 1_000 } },
      worker: { tickMs: 25, claim: { renewMs: 50, ttlMs: 400, lookMs: 50 } },
    },
    ...extra,
  });
  return running;
}

describe('gateway role', () => {
  it('logs in, records the server language and answers a command; no poll schedule, no worker', async () => {
    await registerCommands(fake);
    const { bot, discord } = await launch('gateway');
    expect(fake.identifies).toHaveLength(1);
    expect(discord?.readiness().ready).toBe(true);
    expect(bot.jobs).toEqual([]);
    expect(bot.parts).toMatchObject({ polling: false, delivery: false, gateway: true });
    expect((await bot.services.store.settings.settings(fake.guildId)).locale).toBe(fake.guilds[0]!.preferredLocale);

    const r: InteractionResponse = await fake.slash({ name: 'settings', subcommand: 'show', guildId: fake.guildId, channelId: fake.channels.general, user: 'member' }).waitForResponse();
    const data = (r.kind === 'callback' ? r.body.data : r.body) as { flags?: number; embeds?: unknown[] };
    expect(Number(data.flags ?? 0) & 64).toBe(64);
    expect(data.embeds?.length).toBeGreaterThan(0);

    // A queued story stays queued: nothing here delivers.
    queueStories(sqliteServices(bot.services).db, fake.guildId, [fake.channels.news], 1, Date.now());
    bot.worker.kick();
    expect(bot.worker.inFlight()).toBe(0);
    expect(bot.worker.share()).toBeNull();
    expect(fake.messages(fake.channels.news)).toEqual([]);
  });
});

describe('deliverer role', () => {
  it('posts through Discord REST without opening a gateway session, forum posts with their tags too', async () => {
    const forum = fake.createForum({ name: 'forum-news', tags: ['浙江', '嘉興', '体育'] }).id;
    const { bot, discord } = await launch('deliverer');
    expect(bot.jobs).toEqual(['digests']);
    expect(bot.parts).toMatchObject({ polling: false, delivery: true, claims: true, gateway: false });
    expect(discord?.readiness()).toMatchObject({ ready: true, reasons: [] });
    queueStories(sqliteServices(bot.services).db, fake.guildId, [fake.channels.news], 3, Date.now());
    const posted = await fake.waitForMessages(fake.channels.news, 3, 15_000);
    expect(new Set(posted.map((m) => m.nonce)).size).toBe(3);
    queueStories(sqliteServices(bot.services).db, fake.guildId, [forum], 1, Date.now());
    const [post] = await fake.waitFor(() => { const t = fake.threads(forum); return t.length > 0 ? t : null; }, 15_000, 'a forum post');
    expect(post).toMatchObject({ kind: 'forum-post' });
    expect(post!.appliedTags.length).toBeGreaterThan(0);
    expect(fake.identifies).toEqual([]);
    expect(fake.liveShards()).toEqual([]);
    expect(fake.requests.some((q) => q.path.includes('/gateway'))).toBe(false);
    expect(bot.worker.share()).toEqual({ index: 0, count: 1 });
    expect(fake.rateLimitHits).toBe(0);
  });
});

describe('poller role', () => {
  it('needs no token and makes no request to Discord', async () => {
    const { bot, discord } = await launch('poller', { token: undefined });
    expect(discord).toBeNull();
    expect(bot.jobs).toEqual(['poll', 'checkpoint', 'retention']);
    expect(bot.parts).toMatchObject({ polling: true, delivery: false, gateway: false, rest: false });
    await bot.pollNow();
    expect(fake.requests).toEqual([]);
    expect(fake.identifies).toEqual([]);
  });
});
