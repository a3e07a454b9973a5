// Bot REST routes: gateway discovery, channel messages, guild and user lookups, commands.
import type { RouteContext, RouteDef } from './http.js';
import { computePermissions, Permission, snowflake } from './ids.js';
import { channelPayload, guildPayload, memberPayload, userPayload } from './seed.js';
import type { FakeState } from './state.js';
import { isForum } from './threads.js';
import { isObject, type ApiErrorBody, type GuildSeed, type JsonObject, type Reply } from './types.js';
import { apiError, checkCommands, checkMessage } from './validate.js';

const ok = (body: unknown, status = 200): Reply => ({ status, body });
const objectBody = (ctx: RouteContext): JsonObject => (isObject(ctx.body) ? ctx.body : {});

function messageRoutes(state: FakeState): RouteDef[] {
  const live = (ctx: RouteContext): ReturnType<FakeState['findMessage']> => {
    const m = state.findMessage(ctx.params.message ?? '');
    return m && m.channelId === ctx.params.channel ? m : undefined;
  };
  const unknownMessage = apiError(404, 10008, 'Unknown Message');
  return [
    {
      method: 'POST', pattern: '/channels/:channel/messages', auth: true, limited: true,
      handler: (ctx) => {
        const channelId = ctx.params.channel ?? '';
        const body = objectBody(ctx);
        const denied = state.gate(channelId, Permission.SendMessages) ?? postable(state, channelId) ?? checkMessage(body, { files: ctx.files.length });
        if (denied) return denied;
        const earlier = state.replayFor(channelId, body);
        if (earlier) {
          state.nonceReplays++;
          return ok(earlier.message);
        }
        return ok(state.createMessage(channelId, body, { files: ctx.files }).message);
      },
    },
    {
      method: 'GET', pattern: '/channels/:channel/messages', auth: true, limited: true,
      handler: (ctx) => {
        const channelId = ctx.params.channel ?? '';
        const denied = state.gate(channelId, Permission.ReadMessageHistory);
        if (denied) return denied;
        const limit = Math.min(Math.max(Number(ctx.query.get('limit') ?? 50), 1), 100);
        const before = ctx.query.get('before');
        const after = ctx.query.get('after');
        const list = state.messages(channelId)
          .filter((m) => !m.deleted && (!before || BigInt(m.id) < BigInt(before)) && (!after || BigInt(m.id) > BigInt(after)))
          .reverse();
        return ok(list.slice(0, limit).map((m) => m.message));
      },
    },
    {
      method: 'GET', pattern: '/channels/:channel/messages/:message', auth: true, limited: true,
      handler: (ctx) => state.gate(ctx.params.channel ?? '', Permission.ReadMessageHistory) ?? (live(ctx) ? ok(live(ctx)?.message) : unknownMessage),
    },
    {
      method: 'PATCH', pattern: '/channels/:channel/messages/:message', auth: true, limited: true,
      handler: (ctx) => {
        const denied = state.gate(ctx.params.channel ?? '') ?? checkMessage(objectBody(ctx), { partial: true });
        if (denied) return denied;
        const m = live(ctx);
        if (!m) return unknownMessage;
        const author = isObject(m.message.author) ? m.message.author.id : undefined;
        if (author !== state.bot.id) return apiError(403, 50005, 'Cannot edit a message authored by another user');
        if (state.threads.get(m.channelId)?.archived) return apiError(400, 50083, 'Thread is archived');
        return ok(state.editMessage(m, objectBody(ctx)));
      },
    },
    {
      method: 'DELETE', pattern: '/channels/:channel/messages/:message', auth: true, limited: true,
      handler: (ctx) => {
        const denied = state.gate(ctx.params.channel ?? '');
        if (denied) return denied;
        const m = live(ctx);
        if (!m) return unknownMessage;
        m.deleted = true;
        m.deletedBy = 'bot';
        return { status: 204 };
      },
    },
  ];
}

/**
 * Whether a channel takes messages: forum and media channels take posts only (50008, as
 * Discord answers); a locked thread refuses them, an archived one is reopened by a message.
 */
function postable(state: FakeState, channelId: string): Reply | null {
  const found = state.locate(channelId);
  if (!found) return null;
  if (!found.thread) return isForum(found.channel) ? apiError(400, 50008, 'Cannot send messages in a non-text channel') : null;
  if (found.thread.locked) return apiError(403, 160005, 'Thread is locked');
  found.thread.archived = false;
  return null;
}

/** What `GET /gateway/bot` recommends: shard count and identify concurrency. */
export interface GatewayAdvice {
  shards: number;
  maxConcurrency: number;
}

function lookupRoutes(state: FakeState, gatewayUrl: () => string, advice: () => GatewayAdvice): RouteDef[] {
  const botId = state.bot.id;
  const app = (): JsonObject => ({
    id: state.applicationId, name: '乡讯', icon: null, description: '家乡新闻', bot_public: true,
    bot_require_code_grant: false, flags: 0, owner: userPayload({ id: snowflake(), username: 'owner' }), team: null,
    bot: userPayload(state.bot), install_params: { scopes: ['bot', 'applications.commands'], permissions: '0' },
  });
  /** Runs `fn` on the guild in the path, or answers Unknown Guild. */
  const inGuild = (fn: (g: GuildSeed) => Reply) => (ctx: RouteContext): Reply => {
    const g = state.guild(ctx.params.guild ?? '');
    return g ? fn(g) : apiError(404, 10004, 'Unknown Guild');
  };
  return [
    {
      method: 'GET', pattern: '/gateway/bot', auth: true,
      handler: () => {
        const { shards, maxConcurrency } = advice();
        return ok({ url: gatewayUrl(), shards, session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: maxConcurrency } });
      },
    },
    { method: 'GET', pattern: '/gateway', auth: false, handler: () => ok({ url: gatewayUrl() }) },
    { method: 'GET', pattern: '/users/@me', auth: true, handler: () => ok(userPayload(state.bot)) },
    { method: 'GET', pattern: '/applications/@me', auth: true, handler: () => ok(app()) },
    { method: 'GET', pattern: '/oauth2/applications/@me', auth: true, handler: () => ok(app()) },
    {
      method: 'GET', pattern: '/channels/:channel', auth: true,
      handler: (ctx) => {
        const id = ctx.params.channel ?? '';
        const denied = state.gate(id);
        const found = state.locate(id);
        // Reading a channel needs only View Channel; a missing Send Messages does not stop it.
        if (denied && (denied.body as ApiErrorBody).code !== 50013) return denied;
        if (!found) return apiError(404, 10003, 'Unknown Channel');
        if (found.thread) return ok(state.threadObject(found.thread));
        return ok(channelPayload(found.channel, found.guild.id, found.guild.channels.indexOf(found.channel)));
      },
    },
    { method: 'GET', pattern: '/guilds/:guild', auth: true, handler: inGuild((g) => ok(guildPayload(g, botId))) },
    {
      method: 'GET', pattern: '/guilds/:guild/channels', auth: true,
      handler: inGuild((g) => ok(g.channels.filter((c) => state.channelFaults.get(c.id) !== 'deleted').map((c, i) => channelPayload(c, g.id, i)))),
    },
    { method: 'GET', pattern: '/guilds/:guild/roles', auth: true, handler: inGuild((g) => ok(guildPayload(g, botId).roles)) },
    {
      method: 'GET', pattern: '/guilds/:guild/members/:user', auth: true,
      handler: (ctx) => inGuild((g) => {
        const m = g.members.find((x) => x.user.id === ctx.params.user);
        return m ? ok(memberPayload(m, computePermissions(g, m.user.id))) : apiError(404, 10007, 'Unknown Member');
      })(ctx),
    },
  ];
}

function commandRoutes(state: FakeState): RouteDef[] {
  const scope = (ctx: RouteContext): string | Reply => {
    if (ctx.params.app !== state.applicationId) return apiError(403, 50001, 'Missing Access');
    const guildId = ctx.params.guild;
    if (guildId === undefined) return 'global';
    return state.guild(guildId) ? guildId : apiError(403, 50001, 'Missing Access');
  };
  const list = (key: string): JsonObject[] => state.commandsByScope.get(key) ?? [];
  // Discord keeps a command's id across bulk overwrites when its name and type stay the same.
  const stamp = (key: string, cmd: JsonObject): JsonObject => {
    const type = typeof cmd.type === 'number' ? cmd.type : 1;
    const old = list(key).find((c) => c.name === cmd.name && c.type === type);
    return {
      ...cmd, id: old?.id ?? snowflake(), application_id: state.applicationId, version: snowflake(), type,
      description: cmd.description ?? '', default_member_permissions: cmd.default_member_permissions ?? null, nsfw: cmd.nsfw ?? false,
      ...(key === 'global' ? {} : { guild_id: key }),
    };
  };
  const routes: RouteDef[] = [];
  for (const base of ['/applications/:app/commands', '/applications/:app/guilds/:guild/commands']) {
    routes.push(
      {
        method: 'GET', pattern: base, auth: true,
        handler: (ctx) => {
          const key = scope(ctx);
          return typeof key === 'string' ? ok(list(key)) : key;
        },
      },
      {
        method: 'PUT', pattern: base, auth: true,
        handler: (ctx) => {
          const key = scope(ctx);
          if (typeof key !== 'string') return key;
          const invalid = checkCommands(ctx.body);
          if (invalid) return invalid;
          const next = (ctx.body as JsonObject[]).map((c) => stamp(key, c));
          state.commandsByScope.set(key, next);
          return ok(next);
        },
      },
      {
        method: 'POST', pattern: base, auth: true,
        handler: (ctx) => {
          const key = scope(ctx);
          if (typeof key !== 'string') return key;
          const invalid = checkCommands([ctx.body]);
          if (invalid) return invalid;
          const cmd = stamp(key, objectBody(ctx));
          state.commandsByScope.set(key, [...list(key).filter((c) => c.id !== cmd.id), cmd]);
          return ok(cmd, 201);
        },
      },
      {
        method: 'DELETE', pattern: `${base}/:command`, auth: true,
        handler: (ctx) => {
          const key = scope(ctx);
          if (typeof key !== 'string') return key;
          if (!list(key).some((c) => c.id === ctx.params.command)) return apiError(404, 10063, 'Unknown application command');
          state.commandsByScope.set(key, list(key).filter((c) => c.id !== ctx.params.command));
          return { status: 204 };
        },
      },
    );
  }
  return routes;
}

export function botRoutes(state: FakeState, gatewayUrl: () => string, advice: () => GatewayAdvice = () => ({ shards: 1, maxConcurrency: 1 })): RouteDef[] {
  return [...messageRoutes(state), ...lookupRoutes(state, gatewayUrl, advice), ...commandRoutes(state)];
}
