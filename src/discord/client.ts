// The discord.js client: only the Guilds intent (no message content, no members list), the
// REST base from DISCORD_API_BASE (proxies, the test fake), gateway shards from SHARD_COUNT /
// SHARD_IDS or Discord's recommendation (internal sharding: one socket per shard in this
// process), and every error logged.
import { Client, ClientUser, Events, GatewayIntentBits, Routes, type APIUser, type Guild } from 'discord.js';
import type { Logger } from '../shared/logger.js';
import { explainShardError, gatewayReadiness, shardingOptions, shardStates, type GatewayReadiness, type ShardPlan, type ShardState } from './shards.js';

export type { GatewayReadiness, ShardPlan, ShardState } from './shards.js';

export interface DiscordClientOptions {
  readonly token: string;
  readonly apiBase?: string;
  readonly logger: Logger;
  /** A guild became available (start-up or join): its id and Discord locale. */
  readonly onGuild?: (guild: { id: string; locale: string; name: string }) => void;
  /** The bot was removed from a guild (kicked, or the guild deleted); not an outage. */
  readonly onGuildLeave?: (guild: { id: string }) => void;
  /** Which gateway shards to run; default: Discord's recommended number, all here. */
  readonly shards?: ShardPlan;
  /** Discord answered 429 or discord.js waited out a known limit (metrics). */
  readonly onRateLimited?: (info: { global: boolean }) => void;
  /** For tests: how long to wait for guilds before ready (discord.js default 15 s). */
  readonly waitGuildTimeoutMs?: number;
}

/** How long a REST-only client keeps guilds and channels it fetched (see connectRest). */
const REST_CACHE_MS = 10 * 60_000;

/** The client as the rest of the bot names it (only src/discord imports discord.js). */
export type DiscordClient = Client;

export interface DiscordConnection {
  readonly client: Client;
  login(): Promise<void>;
  /**
   * REST only (the deliverer role): the token for API calls and the bot's own user, without
   * opening a gateway session. Fails as login does when Discord refuses the token.
   */
  connectRest(): Promise<void>;
  destroy(): Promise<void>;
  /** This process's shards and how each stands (empty before login). */
  shards(): ShardState[];
  /** Ready once logged in with every own shard ready; reasons name the shards that are not. */
  readiness(): GatewayReadiness;
}

export function createDiscordClient(opts: DiscordClientOptions): DiscordConnection {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    ...shardingOptions(opts.shards),
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
  client.on(Events.ShardReconnecting, (shard) => log.info({ shard }, 'gateway shard reconnecting'));
  client.on(Events.ShardError, (err, shard) => log.warn({ err: { message: err.message }, shard }, 'gateway shard error'));
  client.on(Events.ShardReady, (shard, unavailable) =>
    log.info({ shard, shardCount: client.options.shardCount, unavailableGuilds: unavailable?.size ?? 0 }, 'gateway shard ready'),
  );
  client.on(Events.GuildCreate, guild);
  client.on(Events.GuildDelete, (g) => {
    // Discord sends GUILD_DELETE with `unavailable` for an outage; discord.js reports that as
    // GuildUnavailable, so this is a real removal.
    log.info({ guild: g.id, shard: g.shardId }, 'removed from a guild');
    opts.onGuildLeave?.({ id: g.id });
  });
  client.rest.on('rateLimited', (info) => {
    log.warn({ route: info.route, retryAfter: info.retryAfter, global: info.global }, 'REST rate limit reached');
    opts.onRateLimited?.({ global: info.global });
  });

  let restOnly = false;
  let forget: ReturnType<typeof setInterval> | null = null;
  return {
    client,
    async connectRest() {
      restOnly = true;
      client.rest.setToken(opts.token);
      // No gateway events keep fetched guilds and channels current (a forum's tags, the bot's
      // permissions): they are forgotten now and then and fetched again when next posted to.
      forget ??= setInterval(() => {
        client.channels.cache.clear();
        client.guilds.cache.clear();
      }, REST_CACHE_MS).unref();
      // Posting knows the bot by its user (its own forum posts, its member in a guild); the
      // gateway's READY would set it, so it is asked for once here.
      const me = (await client.rest.get(Routes.user())) as APIUser;
      // discord.js keeps no public constructor path for this; its own READY handler does the same.
      (client as { user: ClientUser | null }).user = new (ClientUser as unknown as new (c: Client, d: APIUser) => ClientUser)(client, me);
      log.info({ user: client.user?.tag }, 'Discord REST ready (no gateway session)');
    },
    async login() {
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login(opts.token).catch((err: unknown) => {
        throw explainShardError(err);
      });
      await ready;
      for (const g of client.guilds.cache.values()) guild(g);
      const shards = shardStates(client).map((s) => s.id);
      log.info({ user: client.user?.tag, guilds: client.guilds.cache.size, shards, shardCount: client.options.shardCount }, 'logged in to Discord');
    },
    async destroy() {
      if (forget) clearInterval(forget);
      forget = null;
      await client.destroy();
    },
    shards: () => shardStates(client),
    // A REST-only client has no gateway to be ready on: connectRest succeeding is its readiness.
    readiness: () => (restOnly ? { ready: client.user !== null, reasons: client.user ? [] : ['Discord REST not checked'], shards: [] } : gatewayReadiness(client)),
  };
}
