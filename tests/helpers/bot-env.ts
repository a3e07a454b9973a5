// An in-process bot wired like src/index.ts — real discord.js client, real SQLite, real
// fetcher — against the fake Discord and the local feed server.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CooldownRules } from '../../commands/cooldown.js';
import { definitions } from '../../commands/index.js';
import { loadConfig } from '../../src/config/config.js';
import type { Bot } from '../../src/app/bot.js';
import { launchBot } from '../../src/app/launch.js';
import type { DiscordConnection } from '../../src/discord/client.js';
import { deployCommands } from '../../src/discord/deploy.js';
import { pollMany } from '../../src/ingest/poll-many.js';
import type { PollReport } from '../../src/ingest/poll-feed.js';
import { silentLogger, type Logger } from '../../src/shared/logger.js';
import { createOutboxRepo, type OutboxRepo } from '../../src/store/outbox-repo.js';
import { createSubscriptionsRepo, type SubscriptionsRepo } from '../../src/store/subscriptions-repo.js';
import type { FakeDiscord, StoredMessage } from '../fakes/fake-discord.js';
import { sqliteServices } from '../../src/app/services.js';

export interface BotEnv {
  readonly bot: Bot;
  /** The bot's SQLite file through the synchronous repositories: what tests arrange and read directly. */
  readonly repos: { readonly subscriptions: SubscriptionsRepo; readonly outbox: OutboxRepo };
  readonly discord: DiscordConnection;
  readonly dir: string;
  writeFeeds(feeds: Array<{ id: string; url: string; region: string; name?: string }>): void;
  poll(): Promise<PollReport[]>;
  subscribe(channelId: string, regionCode: string, extra?: { include?: string[]; exclude?: string[]; mode?: 'instant' | 'digest' }): void;
  close(): Promise<void>;
}

// Command tests run many requests as one member in seconds; the cooldowns have their own test.
const NO_COOLDOWNS = Object.fromEntries(['user', 'guild'].map((s) => [s, Object.fromEntries(['search', 'command', 'button', 'autocomplete'].map((k) => [k, { limit: 1e9, windowMs: 1 }]))])) as unknown as CooldownRules;

/** `dir`: an earlier env's directory, to restart a bot on the same database and feeds. */
export async function startBotEnv(fake: FakeDiscord, env: Record<string, string> = {}, worker = {}, dir = mkdtempSync(join(tmpdir(), 'xiangxun-bot-')), cooldowns: CooldownRules = NO_COOLDOWNS, logger: Logger = silentLogger): Promise<BotEnv> {
  const feedsFile = join(dir, 'feeds.json');
  if (!existsSync(feedsFile)) writeFileSync(feedsFile, JSON.stringify({ feeds: [] }));
  const config = loadConfig({
    DATABASE_PATH: join(dir, 'bot.db'),
    FEEDS_FILE: feedsFile,
    ALLOW_PRIVATE_NETWORK: 'true',
    FIRST_POLL_BACKLOG: '1000',
    MAX_ITEM_AGE_HOURS: '0',
    FETCH_TIMEOUT_MS: '3000',
    ...env,
  });
  // The bot's own start-up path (src/app/launch.ts), as src/index.ts runs it, without the poll
  // scheduler: tests poll by hand.
  const { bot, discord: connection } = await launchBot({ ...config, discord: { ...config.discord, apiBase: fake.apiBase } }, logger, {
    token: fake.token,
    waitGuildTimeoutMs: 300,
    cooldowns,
    polling: false,
    bot: {
      fetcher: { minHostGapMs: 0, perHostConcurrency: 8 },
      // The fake's windows are short; the bot's limiter is told the same, with its usual margin.
      limits: { perChannel: { limit: 5, windowMs: 1_100 }, global: { limit: 45, windowMs: 1_000 } },
      worker: { tickMs: 25, burstDigestDelayMs: 300, ...worker },
    },
  });
  // The default role (all) always has a Discord connection.
  const discord = connection!;
  const { db } = sqliteServices(bot.services);
  const repos = { subscriptions: createSubscriptionsRepo(db), outbox: createOutboxRepo(db) };
  const self: BotEnv = {
    bot,
    repos,
    discord,
    dir,
    writeFeeds(feeds) {
      writeFileSync(feedsFile, JSON.stringify({ feeds: feeds.map((f) => ({ name: f.id, fullText: 'never', ...f })) }));
      void bot.services.syncCatalog();
    },
    async poll() {
      const reports = await pollMany(bot.ingest, await bot.services.store.feeds.list());
      bot.worker.kick();
      return reports;
    },
    subscribe(channelId, regionCode, extra = {}) {
      repos.subscriptions.subscribe({ guildId: fake.guildId, channelId, regionCode, mode: extra.mode ?? 'instant', include: extra.include ?? [], exclude: extra.exclude ?? [], createdBy: fake.users.moderator }, Date.now());
    },
    async close() {
      await bot.stop();
      await discord.destroy();
    },
  };
  return self;
}

/** Registers every slash command in the fake's guild, as `npm run deploy-commands` would. */
export async function registerCommands(fake: FakeDiscord): Promise<void> {
  await deployCommands({ token: fake.token, applicationId: fake.applicationId, apiBase: fake.apiBase, guildId: fake.guildId, definitions: definitions() });
}

/** The kinds of channel the bot posts in; each delivery scenario runs in all three (issue #15). */
export type ChannelKind = 'text' | 'announcement' | 'forum';
export const CHANNEL_KINDS: readonly ChannelKind[] = ['text', 'announcement', 'forum'];
/** A forum's tags: places of the test stories (in both scripts, as moderators write them) and one that names none. */
export const FORUM_TAGS = ['浙江', '嘉興', '海宁', '体育'];

/**
 * A new channel of the kind in the fake's first guild. Made before the bot logs in, the
 * client learns it from GUILD_CREATE; with `env`, waits until CHANNEL_CREATE reached it.
 */
export async function makeChannel(fake: FakeDiscord, kind: ChannelKind, name: string, env?: BotEnv): Promise<string> {
  const seed = kind === 'forum' ? fake.createForum({ name, tags: FORUM_TAGS }) : fake.createChannel({ name, type: kind === 'text' ? 0 : 5 });
  if (env) await fake.waitFor(() => env.discord.client.channels.cache.get(seed.id), 5000, `#${name} in the client's cache`);
  return seed.id;
}

/**
 * What the bot posted in a channel, whatever its kind: its live messages, or in a forum
 * the starter message of each post (which lives in the post's thread and has its id).
 */
export function posted(fake: FakeDiscord, channelId: string): StoredMessage[] {
  const starters = fake.threads(channelId).filter((t) => t.kind === 'forum-post').map((t) => fake.message(t.id)).filter((m): m is StoredMessage => m !== undefined);
  return [...fake.messages(channelId), ...starters].filter((m) => !m.deleted);
}

export const waitPosted = (fake: FakeDiscord, channelId: string, count: number, timeoutMs = 10_000): Promise<StoredMessage[]> =>
  fake.waitFor(() => { const p = posted(fake, channelId); return p.length >= count ? p : undefined; }, timeoutMs, `${count} posts in ${channelId}`);

/** The REST route a post takes in a channel of the kind, for `fake.failNext`. */
export const postRoute = (kind: ChannelKind): string => (kind === 'forum' ? 'POST /channels/:id/threads' : 'POST /channels/:id/messages');
