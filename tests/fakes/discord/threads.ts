// Threads as Discord defines them: forum and media posts (`POST /channels/{forum}/threads`,
// the starter message inside the thread and sharing its id), threads started from a message
// (the thread takes the message's id), threads without a message in text channels, and
// crossposting (publishing) in announcement channels.
import type { FakeGateway } from './gateway.js';
import type { RouteContext, RouteDef } from './http.js';
import { Permission, snowflake } from './ids.js';
import { RateLimiter, type RateLimitOptions } from './rate-limit.js';
import type { FakeState } from './state.js';
import { isObject, MessageFlag, type ChannelSeed, type GuildSeed, type JsonObject, type Reply, type ThreadRecord } from './types.js';
import { apiError, checkForumPost, checkThreadFields } from './validate.js';

const ok = (body: unknown, status = 200): Reply => ({ status, body });
const objectBody = (ctx: RouteContext): JsonObject => (isObject(ctx.body) ? ctx.body : {});
const wrongType = (): Reply => apiError(400, 50024, 'Cannot execute action on this channel type');
export const isForum = (c: ChannelSeed): boolean => c.type === 15 || c.type === 16;

export class Threads {
  /**
   * Discord allows 10 crossposts per channel per hour, on top of the route limit. Off unless
   * asked for: an hour-long Retry-After would stall any test that publishes more than ten.
   */
  readonly crosspostLimiter: RateLimiter;

  constructor(
    private readonly state: FakeState,
    private readonly gateway: FakeGateway,
    crosspostLimit: RateLimitOptions | false = false,
  ) {
    this.crosspostLimiter = new RateLimiter(crosspostLimit);
  }

  private open(guild: GuildSeed, parent: ChannelSeed, body: JsonObject, fields: Pick<ThreadRecord, 'id' | 'type' | 'kind' | 'appliedTags'>): ThreadRecord {
    const duration = typeof body.auto_archive_duration === 'number' ? body.auto_archive_duration : parent.defaultAutoArchiveDuration ?? (isForum(parent) ? 4320 : 1440);
    const thread: ThreadRecord = {
      ...fields, guildId: guild.id, parentId: parent.id, name: String(body.name), ownerId: this.state.bot.id,
      autoArchiveDuration: duration, archived: false, locked: false, createdAt: Date.now(), body,
    };
    this.state.threads.set(thread.id, thread);
    return thread;
  }

  /** Sends THREAD_CREATE as Discord does to everyone who can see the parent. */
  private announce(thread: ThreadRecord): void {
    this.gateway.dispatch('THREAD_CREATE', { ...this.state.threadObject(thread), newly_created: true });
  }

  /** A forum or media post: checks, the thread, its starter message with the thread's id. */
  private forumPost(guild: GuildSeed, forum: ChannelSeed, body: JsonObject): Reply {
    const denied = this.state.gate(forum.id, Permission.SendMessages) ?? checkForumPost(body, forum);
    if (denied) return denied;
    const tags = Array.isArray(body.applied_tags) ? (body.applied_tags as string[]) : [];
    const moderated = tags.some((id) => forum.tags?.find((t) => t.id === id)?.moderated);
    // A moderated tag needs Manage Threads (the error Discord gives here is not documented).
    if (moderated && (this.state.botPermissions(forum.id) & Permission.ManageThreads) === 0n) return apiError(403, 50013, 'Missing Permissions');
    const thread = this.open(guild, forum, body, { id: snowflake(), type: 11, kind: 'forum-post', appliedTags: [...new Set(tags)] });
    const starter = this.state.createMessage(thread.id, body.message as JsonObject, { id: thread.id });
    this.announce(thread);
    return ok({ ...this.state.threadObject(thread), message: starter.message }, 201);
  }

  /** `POST /channels/{text}/threads` without a message: a public (11), private (12) or announcement (10) thread. */
  private bareThread(guild: GuildSeed, parent: ChannelSeed, body: JsonObject): Reply {
    const announcement = parent.type === 5;
    // Discord's default type here is a private thread; announcement channels make only type 10.
    const type = announcement ? 10 : typeof body.type === 'number' ? body.type : 12;
    if (announcement ? body.type !== undefined && body.type !== 10 : type !== 11 && type !== 12) return wrongType();
    const need = type === 12 ? Permission.CreatePrivateThreads : Permission.CreatePublicThreads;
    const denied = this.state.gate(parent.id, need) ?? checkThreadFields(body);
    if (denied) return denied;
    const thread = this.open(guild, parent, body, { id: snowflake(), type: type as ThreadRecord['type'], kind: 'bare', appliedTags: [] });
    this.announce(thread);
    return ok(this.state.threadObject(thread), 201);
  }

  routes(): RouteDef[] {
    const state = this.state;
    return [
      {
        method: 'POST', pattern: '/channels/:channel/threads', auth: true, limited: true,
        specSchema: (params) => {
          const found = state.locate(params.channel ?? '');
          return found && !found.thread && isForum(found.channel) ? 'CreateForumThreadRequest' : undefined;
        },
        handler: (ctx) => {
          const id = ctx.params.channel ?? '';
          const found = state.locate(id);
          const denied = state.gate(id);
          if (denied || !found) return denied ?? apiError(404, 10003, 'Unknown Channel');
          if (found.thread) return wrongType();
          const body = objectBody(ctx);
          return isForum(found.channel) ? this.forumPost(found.guild, found.channel, body) : this.bareThread(found.guild, found.channel, body);
        },
      },
      {
        method: 'POST', pattern: '/channels/:channel/messages/:message/threads', auth: true, limited: true,
        handler: (ctx) => {
          const id = ctx.params.channel ?? '';
          const found = state.locate(id);
          const denied = state.gate(id);
          if (denied || !found) return denied ?? apiError(404, 10003, 'Unknown Channel');
          // Only text and announcement channels hold messages that can start a thread.
          if (found.thread || isForum(found.channel)) return wrongType();
          const body = objectBody(ctx);
          const invalid = state.gate(id, Permission.CreatePublicThreads) ?? checkThreadFields(body);
          if (invalid) return invalid;
          const message = state.findMessage(ctx.params.message ?? '');
          if (!message || message.channelId !== id) return apiError(404, 10008, 'Unknown Message');
          if (state.threads.has(message.id)) return apiError(400, 160004, 'A thread has already been created for this message');
          const type = found.channel.type === 5 ? 10 : 11;
          const thread = this.open(found.guild, found.channel, body, { id: message.id, type, kind: 'from-message', appliedTags: [] });
          const flags = typeof message.message.flags === 'number' ? message.message.flags : 0;
          message.message = { ...message.message, flags: flags | MessageFlag.HasThread, thread: state.threadObject(thread) };
          this.announce(thread);
          return ok(state.threadObject(thread), 201);
        },
      },
      {
        method: 'POST', pattern: '/channels/:channel/messages/:message/crosspost', auth: true, limited: true,
        handler: (ctx) => {
          const id = ctx.params.channel ?? '';
          const denied = state.gate(id, Permission.SendMessages);
          if (denied) return denied;
          const found = state.locate(id);
          // The wording Discord gives outside announcement channels is not documented; 50024 is its code for this.
          if (!found || found.thread || found.channel.type !== 5) return wrongType();
          const message = state.findMessage(ctx.params.message ?? '');
          if (!message || message.channelId !== id) return apiError(404, 10008, 'Unknown Message');
          // Publishing another user's message also needs Manage Messages.
          const own = isObject(message.message.author) && message.message.author.id === state.bot.id;
          const manage = own ? null : state.gate(id, Permission.ManageMessages);
          if (manage) return manage;
          const flags = typeof message.message.flags === 'number' ? message.message.flags : 0;
          if (flags & MessageFlag.Crossposted) return apiError(400, 40033, 'This message has already been crossposted.');
          const limit = this.crosspostLimiter.take('POST /channels/:id/messages/:id/crosspost', id);
          if (!limit.ok) return { status: 429, headers: limit.headers, body: { message: 'You are being rate limited.', retry_after: limit.retryAfter, global: false } };
          message.message = { ...message.message, flags: flags | MessageFlag.Crossposted };
          message.crosspostedAt = Date.now();
          // The stricter limit's headers, so a client that reads them waits instead of earning a 429.
          return { status: 200, body: message.message, headers: limit.headers };
        },
      },
      {
        // Modify a thread: its owner may rename it (Manage Threads for anyone else's); an
        // archived thread must be reopened first (50083), as Discord answers.
        method: 'PATCH', pattern: '/channels/:channel', auth: true, limited: true,
        handler: (ctx) => {
          const id = ctx.params.channel ?? '';
          const thread = state.threads.get(id);
          if (!thread || state.channelFaults.get(id) === 'deleted') return apiError(404, 10003, 'Unknown Channel');
          const body = objectBody(ctx);
          const own = thread.ownerId === state.bot.id;
          const manage = own ? null : state.gate(thread.parentId, Permission.ManageThreads);
          if (manage) return manage;
          if (thread.archived && body.archived !== false) return apiError(400, 50083, 'Thread is archived');
          if (body.name !== undefined) {
            if (typeof body.name !== 'string' || body.name.length < 1 || body.name.length > 100) return apiError(400, 50035, 'Invalid Form Body');
            thread.name = body.name;
          }
          if (body.archived === false) thread.archived = false;
          this.gateway.dispatch('THREAD_UPDATE', state.threadObject(thread));
          return ok(state.threadObject(thread));
        },
      },
      {
        method: 'GET', pattern: '/guilds/:guild/threads/active', auth: true,
        handler: (ctx) => {
          if (!state.guild(ctx.params.guild ?? '')) return apiError(404, 10004, 'Unknown Guild');
          const live = [...state.threads.values()].filter((t) => t.guildId === ctx.params.guild && !t.archived && state.channelFaults.get(t.id) !== 'deleted');
          return ok({ threads: live.map((t) => state.threadObject(t)), members: live.map((t) => state.threadObject(t).member) });
        },
      },
    ];
  }

  /** Archives (and optionally locks) a thread as Discord's inactivity timer or a moderator would. */
  archive(id: string, locked = false): void {
    const thread = this.state.threads.get(id);
    if (!thread) throw new Error(`fake-discord: no thread ${id}`);
    thread.archived = true;
    thread.locked = locked;
    this.gateway.dispatch('THREAD_UPDATE', this.state.threadObject(thread));
  }

  unarchive(id: string): void {
    const thread = this.state.threads.get(id);
    if (!thread) throw new Error(`fake-discord: no thread ${id}`);
    thread.archived = false;
    thread.locked = false;
    this.gateway.dispatch('THREAD_UPDATE', this.state.threadObject(thread));
  }
}
