// A fake Discord on 127.0.0.1 for tests that run the real discord.js client (or the whole
// bot process, via DISCORD_API_BASE) offline. It enforces Discord's rules — limits, rate
// limits, permissions, the 3-second acknowledgement — so a bot's mistakes fail in tests.
// Beyond text channels: forum and media channels with tags (posts via `POST /channels/{forum}/threads`),
// threads from messages, crossposts in announcement channels, edits with their history, and
// the pings a message really makes under `allowed_mentions` (discord/threads.ts, discord/mentions.ts).
// See /work/shared/notes/fake-discord.md for what discord.js needs from it.
import { appendFileSync } from 'node:fs';
import { Admin, type ChannelOptions, type ForumOptions, type RoleOptions } from './discord/admin.js';
import { FakeGateway, until, type GatewayFrame, type IdentifyInfo } from './discord/gateway.js';
import { RestServer } from './discord/http.js';
import { Permission, toBits } from './discord/ids.js';
import type { AutocompleteOpts, ClickOpts, SlashOpts } from './discord/interaction-payloads.js';
import { InteractionHub, type InteractionHandle } from './discord/interactions.js';
import { RateLimiter, type RateLimitOptions } from './discord/rate-limit.js';
import { botRoutes } from './discord/routes.js';
import { botUser, channelPayload, DEFAULT_APPLICATION_ID, defaultGuildSeed, guildCreatePayload, userPayload, withBotMember } from './discord/seed.js';
import { FakeState } from './discord/state.js';
import type { SpecViolation } from './discord/spec-check.js';
import { Threads } from './discord/threads.js';
import type { ChannelSeed, FaultSpec, GuildSeed, JsonObject, LoggedRequest, MessageVersion, RoleSeed, StoredMessage, ThreadRecord } from './discord/types.js';

export { DEFAULT_APPLICATION_ID, DEFAULT_IDS, defaultGuildSeed, guildSeedOnShard } from './discord/seed.js';
export { Permission, snowflake } from './discord/ids.js';
export type * from './discord/types.js';
export type { AutocompleteOpts, ClickOpts, Locale, OptionValue, RawOption, SlashOpts } from './discord/interaction-payloads.js';
export type { InteractionError, InteractionHandle, InteractionResponse } from './discord/interactions.js';
export type { GatewayFrame, IdentifyInfo } from './discord/gateway.js';
export type { RateLimitOptions } from './discord/rate-limit.js';
export type { SpecViolation } from './discord/spec-check.js';
export type { ChannelOptions, ForumOptions, RoleOptions } from './discord/admin.js';
export { ChannelFlag, MessageFlag } from './discord/types.js';
export { shardOf } from './discord/gateway.js';

export interface FakeDiscordOptions {
  token?: string;
  applicationId?: string;
  /** Default: 乡讯测试服 from `defaultGuildSeed()`. The bot's member is added where missing. */
  guilds?: GuildSeed[];
  /** Default 5 messages per 5 s per route and channel, like Discord's; `false` turns limits off. */
  rateLimit?: RateLimitOptions | false;
  /** Default 3000, Discord's deadline for the first answer to an interaction. */
  ackDeadlineMs?: number;
  /** Default 41250 as on Discord; lower it to see heartbeats in a short test. */
  heartbeatIntervalMs?: number;
  /**
   * Default true: every request body is validated against Discord's OpenAPI description
   * (tests/fixtures/discord-spec); an invalid one is answered 50035 and recorded, and
   * `close()` throws while any recorded violation is left.
   */
  specCheck?: boolean;
  /** What `GET /gateway/bot` recommends (default 1); each IDENTIFY's `shard: [i, n]` gets the guilds shard i owns. */
  shards?: number;
  /** Discord's crosspost limit (10 per channel per hour); default off, else a Retry-After of up to an hour stalls a test. */
  crosspostLimit?: RateLimitOptions | false;
  /** `session_start_limit.max_concurrency` (default 1, as for most bots: discord.js then identifies shards 5 s apart). */
  maxConcurrency?: number;
  /** An IDENTIFY with fewer shards is closed with 4011 Sharding required (default 1: never). */
  requiredShards?: number;
}

export interface FakeDiscord {
  /** For `new Client({ rest: { api } })` and DISCORD_API_BASE: `http://127.0.0.1:PORT/api`. */
  readonly apiBase: string;
  readonly gatewayUrl: string;
  readonly token: string;
  readonly applicationId: string;
  /** Ids in the first guild, found by name (`news`, `general`, first announcement channel). */
  readonly guildId: string;
  /** `forum`: the first forum channel of the seed, '' when it has none (use `createForum`). */
  readonly channels: { news: string; general: string; announcements: string; forum: string };
  readonly roles: { everyone: string; moderator: string };
  readonly users: { bot: string; owner: string; member: string; moderator: string };
  readonly guilds: readonly GuildSeed[];

  /** What the bot posted to a channel (deleted ones flagged), with request bodies and nonces. */
  messages(channelId: string): StoredMessage[];
  allMessages(): StoredMessage[];
  /** Every REST request; the bot token is never recorded, only whether auth was sent. */
  readonly requests: readonly LoggedRequest[];
  /** `METHOD /path` the fake has no route for (answered 404, code 0). */
  readonly unknownRoutes: readonly string[];
  /** Exceptions inside the fake itself (answered 500): a bug in the fake, not the bot. */
  readonly internalErrors: readonly string[];
  readonly gatewayFrames: readonly GatewayFrame[];
  readonly identifies: readonly IdentifyInfo[];
  /** 429s earned by exceeding a rate limit (crosspost limit included): a well-behaved client scores 0. */
  readonly rateLimitHits: number;
  /** Sends answered with an earlier message because of `nonce` + `enforce_nonce`. */
  readonly nonceReplays: number;
  /** Registered commands: global ones, or a guild's. */
  commands(guildId?: string): JsonObject[];
  /** Request bodies Discord's OpenAPI description rejects; each was answered 50035. */
  readonly specViolations: readonly SpecViolation[];
  /** How many request bodies were validated against the spec, by operationId. */
  readonly specChecked: ReadonlyMap<string, number>;
  /** Hands back the violations so far and forgets them: for tests that send bad bodies on purpose. */
  takeSpecViolations(): SpecViolation[];

  waitFor<T>(predicate: () => T | undefined | null | false, timeoutMs?: number, what?: string): Promise<T>;
  /** Resolves with the channel's live messages once there are at least `count`. */
  waitForMessages(channelId: string, count: number, timeoutMs?: number): Promise<StoredMessage[]>;
  /** Resolves once a client has identified or resumed. */
  waitForSession(timeoutMs?: number): Promise<void>;
  /** `[shard id, shard count]` of every live gateway session, sorted. */
  liveShards(): Array<[number, number]>;
  /**
   * The bot is invited to a server: it joins the seeds (the bot's member added) and the shard
   * owning it gets GUILD_CREATE. Returns how many sessions got it (0: no session runs that shard).
   */
  joinGuild(seed: GuildSeed): number;
  /** The bot is removed from a server: it leaves the seeds and its shard gets GUILD_DELETE. */
  leaveGuild(id: string): number;

  slash(opts: SlashOpts): InteractionHandle;
  autocomplete(opts: AutocompleteOpts): InteractionHandle;
  click(opts: ClickOpts): InteractionHandle;
  /** A raw dispatch to every live session; returns how many received it. */
  dispatch(t: string, d: unknown): number;
  /** Sends op 7 and resolves when every session has resumed. */
  reconnect(timeoutMs?: number): Promise<void>;
  /** Sends op 9; resolves after the RESUME (resumable) or the new IDENTIFY (~5 s in discord.js). */
  invalidateSession(resumable?: boolean, timeoutMs?: number): Promise<void>;
  /** Closes every gateway socket, or only shard `shard`'s, with `code` (default 4000, resumable). */
  disconnectAll(code?: number, shard?: number): void;

  /** Threads the bot opened (forum posts, threads from messages), optionally under one parent. */
  threads(parentId?: string): ThreadRecord[];
  thread(id: string): ThreadRecord | undefined;
  /** Archives a thread (locked: only moderators may reopen it); edits in it then get 50083. */
  archiveThread(id: string, opts?: { locked?: boolean }): void;
  unarchiveThread(id: string): void;
  /** A message by id, deleted or not, wherever it is (channel, thread, interaction). */
  message(id: string): StoredMessage | undefined;
  /** The creation and every accepted edit of a message, oldest first. */
  editHistory(id: string): MessageVersion[];
  /** A moderator deletes a message: later edits and fetches get 10008; MESSAGE_DELETE is sent. */
  deleteMessage(id: string): StoredMessage;

  /** A role in the first guild (or `guildId`); GUILD_ROLE_CREATE reaches a connected client. */
  createRole(opts: RoleOptions): RoleSeed;
  updateRole(id: string, change: Partial<Pick<RoleSeed, 'name' | 'mentionable' | 'permissions'>>, guildId?: string): RoleSeed;
  /** A channel of any type the fake knows; CHANNEL_CREATE reaches a connected client. */
  createChannel(opts: ChannelOptions): ChannelSeed;
  /** A forum (or media) channel with tags, optionally requiring one. */
  createForum(opts: ForumOptions): ChannelSeed;
  updateChannel(id: string, change: Partial<Omit<ChannelSeed, 'id'>>): ChannelSeed;
  /** Gives the bot permissions, in one channel (member overwrite) or server-wide (its role). */
  grantBot(bits: bigint, channelId?: string): void;
  /** Takes permissions from the bot, in one channel or server-wide. */
  revokeBot(bits: bigint, channelId?: string): void;

  /** 404 10003 from now on; with `notify` the client also gets CHANNEL_DELETE. */
  deleteChannel(id: string, opts?: { notify?: boolean }): void;
  /** 403 50001 Missing Access. */
  denyAccess(id: string): void;
  /** 403 50013 Missing Permissions. */
  denyPermission(id: string): void;
  restoreChannel(id: string): void;
  /** The next `n` requests matching `METHOD /path` (`:x` matches one segment) get the fault. */
  failNext(route: string, n: number, fault: FaultSpec): void;
  clearFaults(): void;
  setRateLimit(opts: RateLimitOptions | false): void;
  close(): Promise<void>;
}

const DISCORD_LIKE_LIMIT: RateLimitOptions = { perChannel: 5, windowMs: 5000 };

/** Shaped like a real token (base64 user id, timestamp, HMAC) but obviously fake. */
const fakeToken = (appId: string): string => `${Buffer.from(appId).toString('base64url')}.ZmFrZQ.fake-discord-test-token-not-real`;

function pickIds(guild: GuildSeed, botId: string): Pick<FakeDiscord, 'guildId' | 'channels' | 'roles' | 'users'> {
  const channel = (pred: (c: GuildSeed['channels'][number]) => boolean): string => guild.channels.find(pred)?.id ?? '';
  const humans = guild.members.filter((m) => !m.user.bot && m.user.id !== guild.ownerId);
  const modRole = guild.roles.find((r) => r.id !== guild.id && !r.managed && (toBits(r.permissions) & Permission.ManageGuild) !== 0n);
  return {
    guildId: guild.id,
    channels: {
      news: channel((c) => c.name === 'news') || channel((c) => (c.type ?? 0) === 0),
      general: channel((c) => c.name === 'general'),
      announcements: channel((c) => c.type === 5),
      forum: channel((c) => c.type === 15),
    },
    roles: { everyone: guild.id, moderator: modRole?.id ?? '' },
    users: {
      bot: botId,
      owner: guild.ownerId ?? '',
      member: (humans.find((m) => m.roles.length === 0) ?? humans[0])?.user.id ?? '',
      moderator: humans.find((m) => modRole && m.roles.includes(modRole.id))?.user.id ?? '',
    },
  };
}

/** Threads listed in GUILD_CREATE: the guild's unarchived ones, as Discord sends them. */
const activeThreads = (state: FakeState, guildId: string): JsonObject[] =>
  [...state.threads.values()].filter((t) => t.guildId === guildId && !t.archived && state.channelFaults.get(t.id) !== 'deleted').map((t) => state.threadObject(t));

export const formatViolations = (list: readonly SpecViolation[]): string =>
  list.map((v) => `${v.method} ${v.path} (${v.operationId}): ${v.errors.join('; ')}`).join('\n');

/**
 * With FAKE_DISCORD_SPEC_TALLY=<file>, each fake appends what it validated as one JSON line,
 * so a run of the end-to-end suite can report how many bodies were checked in all.
 */
function tallySpecChecks(checked: ReadonlyMap<string, number>, violations: number): void {
  const file = process.env.FAKE_DISCORD_SPEC_TALLY;
  if (!file) return;
  appendFileSync(file, `${JSON.stringify({ violations, checked: Object.fromEntries(checked) })}\n`);
}

export async function startFakeDiscord(opts: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const applicationId = opts.applicationId ?? DEFAULT_APPLICATION_ID;
  const token = opts.token ?? fakeToken(applicationId);
  const bot = botUser(applicationId);
  const guilds = (opts.guilds ?? [defaultGuildSeed(applicationId)]).map((g) => withBotMember(g, bot));
  const first = guilds[0];
  if (!first) throw new Error('fake-discord: at least one guild is needed');
  const ids = pickIds(first, bot.id);
  const state = new FakeState(token, applicationId, bot, guilds);
  const limiter = new RateLimiter(opts.rateLimit ?? DISCORD_LIKE_LIMIT);
  let port = 0;
  const gatewayUrl = (): string => `ws://127.0.0.1:${port}/gateway`;
  const gateway = new FakeGateway({
    token, applicationId, heartbeatIntervalMs: opts.heartbeatIntervalMs ?? 41_250, url: gatewayUrl,
    user: () => ({ ...userPayload(bot), verified: true, mfa_enabled: false, flags: 0 }),
    guilds: () => state.guilds.map((g) => guildCreatePayload(g, bot.id, activeThreads(state, g.id))),
    ...(opts.requiredShards !== undefined ? { requiredShards: opts.requiredShards } : {}),
  });
  const rest = new RestServer(token, limiter, gateway);
  rest.specCheck = opts.specCheck ?? true;
  const keys: Record<string, string> = { ...ids.users };
  const hub = new InteractionHub(
    { state, userId: (key) => keys[key] ?? key, defaultChannelId: ids.channels.news || (first.channels[0]?.id ?? '') },
    gateway,
    opts.ackDeadlineMs ?? 3000,
  );
  const threads = new Threads(state, gateway, opts.crosspostLimit ?? false);
  const admin = new Admin(state, gateway);
  const advice = { shards: opts.shards ?? 1, maxConcurrency: opts.maxConcurrency ?? 1 };
  rest.add(...botRoutes(state, gatewayUrl, () => advice), ...threads.routes(), ...hub.routes());
  port = await rest.listen();

  const waitFor = async <T>(predicate: () => T | undefined | null | false, timeoutMs = 5000, what = 'a condition'): Promise<T> => {
    let value: T | undefined | null | false;
    await until(() => Boolean((value = predicate())), timeoutMs, what);
    return value as T;
  };
  const live = (channelId: string): StoredMessage[] => state.messages(channelId).filter((m) => !m.deleted);
  const notifiedDeletes = new Set<string>();

  return {
    apiBase: `http://127.0.0.1:${port}/api`,
    gatewayUrl: gatewayUrl(),
    token,
    applicationId,
    ...ids,
    guilds,
    messages: (channelId) => [...state.messages(channelId)],
    // Ids grow monotonically, so they order messages across channels better than millisecond clocks.
    allMessages: () => [...state.messagesByChannel.values()].flat().sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1)),
    requests: rest.requests,
    unknownRoutes: rest.unknownRoutes,
    internalErrors: rest.internalErrors,
    gatewayFrames: gateway.frames,
    identifies: gateway.identifies,
    get rateLimitHits() {
      return limiter.hits + threads.crosspostLimiter.hits;
    },
    get nonceReplays() {
      return state.nonceReplays;
    },
    commands: (guildId) => [...(state.commandsByScope.get(guildId ?? 'global') ?? [])],
    specViolations: rest.specViolations,
    specChecked: rest.specChecked,
    takeSpecViolations: () => rest.specViolations.splice(0),
    waitFor,
    waitForMessages: (channelId, count, timeoutMs = 5000) =>
      waitFor(() => (live(channelId).length >= count ? live(channelId) : undefined), timeoutMs, `${count} messages in ${channelId} (have ${live(channelId).length})`),
    waitForSession: (timeoutMs) => gateway.waitForSession(timeoutMs),
    liveShards: () => gateway.liveShards,
    joinGuild(seed) {
      if (state.guild(seed.id)) throw new Error(`fake-discord: the bot is already in guild ${seed.id}`);
      const joined = withBotMember(seed, bot);
      state.guilds.push(joined);
      return gateway.dispatch('GUILD_CREATE', guildCreatePayload(joined, bot.id, activeThreads(state, joined.id)));
    },
    leaveGuild(id) {
      const at = state.guilds.findIndex((g) => g.id === id);
      if (at < 0) throw new Error(`fake-discord: the bot is not in guild ${id}`);
      state.guilds.splice(at, 1);
      // No `unavailable`: a removal, not an outage.
      return gateway.dispatch('GUILD_DELETE', { id });
    },
    slash: (o) => hub.slash(o),
    autocomplete: (o) => hub.autocomplete(o),
    click: (o) => hub.click(o),
    dispatch: (t, d) => gateway.dispatch(t, d),
    reconnect: (timeoutMs) => gateway.reconnect(timeoutMs),
    invalidateSession: (resumable, timeoutMs) => gateway.invalidateSession(resumable, timeoutMs),
    disconnectAll: (code, shard) => gateway.disconnectAll(code, shard),
    threads: (parentId) => [...state.threads.values()].filter((t) => parentId === undefined || t.parentId === parentId),
    thread: (id) => state.threads.get(id),
    archiveThread: (id, o) => threads.archive(id, o?.locked ?? false),
    unarchiveThread: (id) => threads.unarchive(id),
    message: (id) => state.findMessage(id, true),
    editHistory: (id) => [...(state.findMessage(id, true)?.history ?? [])],
    deleteMessage: (id) => admin.deleteMessage(id),
    createRole: (o) => admin.createRole(o),
    updateRole: (id, change, guildId) => admin.updateRole(id, change, guildId),
    createChannel: (o) => admin.createChannel(o),
    createForum: (o) => admin.createForum(o),
    updateChannel: (id, change) => admin.updateChannel(id, change),
    grantBot: (bits, channelId) => admin.setBotPermission(bits, true, channelId),
    revokeBot: (bits, channelId) => admin.setBotPermission(bits, false, channelId),
    deleteChannel(id, o) {
      state.channelFaults.set(id, 'deleted');
      const thread = state.threads.get(id);
      if (o?.notify && thread) gateway.dispatch('THREAD_DELETE', { id, guild_id: thread.guildId, parent_id: thread.parentId, type: thread.type });
      const found = state.findChannel(id);
      if (o?.notify && found) {
        notifiedDeletes.add(id);
        gateway.dispatch('CHANNEL_DELETE', channelPayload(found.channel, found.guild.id));
      }
    },
    denyAccess: (id) => void state.channelFaults.set(id, 'no-access'),
    denyPermission: (id) => void state.channelFaults.set(id, 'no-permission'),
    restoreChannel(id) {
      state.channelFaults.delete(id);
      const found = state.findChannel(id);
      if (notifiedDeletes.delete(id) && found) gateway.dispatch('CHANNEL_CREATE', channelPayload(found.channel, found.guild.id));
    },
    failNext: (route, n, fault) => rest.failNext(route, n, fault),
    clearFaults: () => rest.clearFaults(),
    setRateLimit: (o) => limiter.configure(o),
    async close() {
      await gateway.close();
      await rest.close();
      tallySpecChecks(rest.specChecked, rest.specViolations.length);
      // Thrown from close() so every test file that uses the fake asserts it in its teardown.
      const left = rest.specViolations.splice(0);
      if (left.length > 0) throw new Error(`fake-discord: ${left.length} request bodies invalid against Discord's OpenAPI description:\n${formatViolations(left)}`);
    },
  };
}
