// The bot's one start-up path, used by src/index.ts and by the tests that run the bot against
// the fake Discord: the discord.js client, the bot, its slash commands, login, each server's
// locale, then polling and posting. What differs between them is passed in, not rewritten.
// A role (roles.ts) builds only its parts: a poller opens no Discord connection, a deliverer
// uses Discord's REST API without a gateway session, a gateway neither polls nor delivers.
import { definitions } from '../../commands/index.js';
import type { CooldownRules } from '../../commands/cooldown.js';
import type { Config } from '../config/config.js';
import { createDiscordClient, type DiscordConnection } from '../discord/client.js';
import { deployCommands } from '../discord/deploy.js';
import { createDiscordPublisher } from '../discord/publisher.js';
import type { Logger } from '../shared/logger.js';
import { createBot, type Bot, type BotOptions } from './bot.js';
import { openServices } from './services.js';
import { attachCommands } from './interactions.js';
import { roleParts, type Role } from './roles.js';

export interface LaunchOptions {
  /** Required by every role but the poller (which never talks to Discord). */
  readonly token?: string;
  /** Default `all`. The caller checks it against the store first (roles.ts checkRole). */
  readonly role?: Role;
  readonly applicationId?: string;
  /** Everything createBot takes but the publisher (made here over the client). */
  readonly bot?: Omit<BotOptions, 'publisher'>;
  readonly cooldowns?: CooldownRules;
  /** How long discord.js waits for guilds before ready (tests: short). */
  readonly waitGuildTimeoutMs?: number;
  /** false: post only, without the poll scheduler (tests poll by hand). Default true. */
  readonly polling?: boolean;
  /** Runs after the bot is built and before login (the health endpoint answers during login). */
  readonly beforeLogin?: (running: { bot: Bot; discord: DiscordConnection | null }) => Promise<void>;
  readonly now?: () => number;
}

export interface RunningBot {
  readonly bot: Bot;
  /** null for a poller: it has no Discord connection. */
  readonly discord: DiscordConnection | null;
  /** Feeds in the catalog when polling started (0 without polling). */
  readonly feeds: number;
  stop(): Promise<void>;
}

/** Discord refused the login (a wrong token, no network): the bot was stopped again. */
export class LoginError extends Error {
  constructor(override readonly cause: unknown) {
    super(`could not log in to Discord: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'LoginError';
  }
}

export async function launchBot(config: Config, logger: Logger, opts: LaunchOptions): Promise<RunningBot> {
  const now = opts.now ?? Date.now;
  const role = opts.role ?? 'all';
  const parts = roleParts(role);
  let bot: Bot | null = null;
  // The configured store first: a wrong DATABASE_URL stops the start before Discord is touched.
  const services = opts.bot?.services ?? (await openServices(config, logger, opts.bot));
  const discord = parts.rest || parts.gateway ? connection(config, logger, opts, () => bot, now) : null;
  const built = createBot(config, logger, {
    ...opts.bot,
    services,
    role,
    // A poller routes into the outbox and never posts: its publisher is never called.
    publisher: discord ? createDiscordPublisher(discord.client) : { send: () => Promise.reject(new Error('this role does not post')) },
  });
  bot = built;
  if (discord && parts.gateway) attachCommands(discord.client, built, logger, now, opts.cooldowns);
  const stop = async () => {
    await built.stop();
    await discord?.destroy();
  };
  try {
    await opts.beforeLogin?.({ bot: built, discord });
  } catch (err) {
    await stop();
    throw err;
  }
  try {
    if (discord && parts.gateway) await discord.login();
    else if (discord) await discord.connectRest();
  } catch (err) {
    await stop();
    throw new LoginError(err);
  }
  if (discord && parts.gateway) await gatewayReady(config, logger, opts, built, discord, now);
  let feeds = 0;
  if (opts.polling === false) {
    if (parts.polling) await built.services.syncCatalog();
    built.worker.start();
  } else {
    feeds = await built.start();
  }
  return { bot: built, discord, feeds, stop };
}

function connection(config: Config, logger: Logger, opts: LaunchOptions, bot: () => Bot | null, now: () => number): DiscordConnection {
  if (!opts.token) throw new Error('a Discord token is needed for this role');
  return createDiscordClient({
    token: opts.token,
    apiBase: config.discord.apiBase,
    shards: config.discord.shards,
    logger,
    ...(opts.waitGuildTimeoutMs !== undefined ? { waitGuildTimeoutMs: opts.waitGuildTimeoutMs } : {}),
    // A guild's locale is a setting like any other: written through the store, in its order.
    onGuild: (g) => void bot()?.services.store.settings.updateSettings(g.id, { locale: g.locale }, now()).catch((err: unknown) => logger.warn({ err, guild: g.id }, 'could not record a server locale')),
    onRateLimited: (info) => bot()?.metrics.rateLimited(info.global),
  });
}

/** After login: each server's locale, and the slash commands registered when asked to. */
async function gatewayReady(config: Config, logger: Logger, opts: LaunchOptions, built: Bot, discord: DiscordConnection, now: () => number): Promise<void> {
  for (const g of discord.client.guilds.cache.values()) await built.services.store.settings.updateSettings(g.id, { locale: g.preferredLocale }, now());
  if (config.registerCommands && opts.applicationId && opts.token) {
    const result = await deployCommands({ token: opts.token, applicationId: opts.applicationId, apiBase: config.discord.apiBase, guildId: config.discord.devGuildId, definitions: definitions() }).catch(
      (err: unknown) => {
        logger.error({ err: { message: (err as Error).message } }, 'could not register slash commands');
        return null;
      },
    );
    if (result) logger.info(result, 'slash commands registered');
  }
}
