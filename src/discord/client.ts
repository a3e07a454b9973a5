// The discord.js client: only the Guilds intent (no message content, no members list), the
// REST base from DISCORD_API_BASE (proxies, the test fake), and every error logged.
import { Client, Events, GatewayIntentBits, type Guild } from 'discord.js';
import type { Logger } from '../shared/logger.js';

export interface DiscordClientOptions {
  readonly token: string;
  readonly apiBase?: string;
  readonly logger: Logger;
  /** A guild became available (start-up or join): its id and Discord locale. */
  readonly onGuild?: (guild: { id: string; locale: string; name: string }) => void;
  /** Discord answered 429 or discord.js waited out a known limit (metrics). */
  readonly onRateLimited?: (info: { global: boolean }) => void;
  /** For tests: how long to wait for guilds before ready (discord.js default 15 s). */
  readonly waitGuildTimeoutMs?: number;
}

/** The client as the rest of the bot names it (only src/discord imports discord.js). */
export type DiscordClient = Client;

export interface DiscordConnection {
  readonly client: Client;
  login(): Promise<void>;
  destroy(): Promise<void>;
}

export function createDiscordClient(opts: DiscordClientOptions): DiscordConnection {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: { ...(opts.apiBase ? { api: opts.apiBase } : {}), timeout: 15_000, retries: 2 },
    waitGuildTimeout: opts.waitGuildTimeoutMs ?? 15_000,
    allowedMentions: { parse: [] },
  });
  const log = opts.logger.child({ module: 'discord' });
  const guild = (g: Guild) => opts.onGuild?.({ id: g.id, locale: g.preferredLocale, name: g.name });

  // Without an error listener an async handler's rejection would crash the process.
  client.on(Events.Error, (err) => log.error({ err }, 'discord client error'));
  client.on(Events.Warn, (message) => log.warn({ message }, 'discord client warning'));
  client.on(Events.ShardDisconnect, (event, shard) => log.warn({ code: event.code, shard }, 'gateway disconnected'));
  client.on(Events.ShardResume, (shard, replayed) => log.info({ shard, replayed }, 'gateway resumed'));
  client.on(Events.GuildCreate, guild);
  client.rest.on('rateLimited', (info) => {
    log.warn({ route: info.route, retryAfter: info.retryAfter, global: info.global }, 'REST rate limit reached');
    opts.onRateLimited?.({ global: info.global });
  });

  return {
    client,
    async login() {
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login(opts.token);
      await ready;
      for (const g of client.guilds.cache.values()) guild(g);
      log.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, 'logged in to Discord');
    },
    async destroy() {
      await client.destroy();
    },
  };
}
