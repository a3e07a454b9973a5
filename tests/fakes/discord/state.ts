// What the fake remembers: guilds, channel switches, messages per channel, commands.
import { computePermissions, Permission, snowflake } from './ids.js';
import { mentionFields, pingsFor } from './mentions.js';
import { threadPayload, userPayload } from './seed.js';
import { MessageFlag, type ChannelFault, type ChannelSeed, type GuildSeed, type JsonObject, type Reply, type StoredMessage, type ThreadRecord, type UploadedFile, type UserSeed } from './types.js';
import { apiError } from './validate.js';

/** How long Discord remembers a nonce for `enforce_nonce` ("the past few minutes"). */
export const NONCE_TTL_MS = 5 * 60_000;

export class FakeState {
  readonly channelFaults = new Map<string, ChannelFault>();
  readonly messagesByChannel = new Map<string, StoredMessage[]>();
  /** Registered commands by scope: `global` or a guild id. */
  readonly commandsByScope = new Map<string, JsonObject[]>();
  /**
   * Messages made through interactions (replies, follow-ups), kept apart so that
   * `messages(channel)` counts only what the bot posted to the channel itself.
   */
  readonly interactionMessages: StoredMessage[] = [];
  /** Sends answered with an earlier message because of `enforce_nonce`. */
  nonceReplays = 0;
  /** Threads opened through the API, by id (forum posts and threads from messages). */
  readonly threads = new Map<string, ThreadRecord>();

  constructor(
    readonly token: string,
    readonly applicationId: string,
    readonly bot: UserSeed,
    readonly guilds: GuildSeed[],
  ) {}

  findChannel(id: string): { guild: GuildSeed; channel: ChannelSeed } | undefined {
    for (const guild of this.guilds) {
      const channel = guild.channels.find((c) => c.id === id);
      if (channel) return { guild, channel };
    }
    return undefined;
  }

  guild(id: string): GuildSeed | undefined {
    return this.guilds.find((g) => g.id === id);
  }

  /** A guild channel or a thread, with the channel whose permissions apply (a thread's parent). */
  locate(id: string): { guild: GuildSeed; channel: ChannelSeed; thread?: ThreadRecord } | undefined {
    const thread = this.threads.get(id);
    const found = this.findChannel(thread?.parentId ?? id);
    if (!found) return undefined;
    return thread ? { ...found, thread } : found;
  }

  /** The bot's permissions in a channel or, for a thread, in its parent. */
  botPermissions(channelId: string): bigint {
    const found = this.locate(channelId);
    return found ? computePermissions(found.guild, this.bot.id, found.channel.id) : 0n;
  }

  /**
   * Whether the bot may act in a channel: the test switches first, then the permissions the
   * seed's roles and overwrites really give the bot, as Discord would check them. In a thread
   * the parent's permissions apply, with Send Messages in Threads standing for Send Messages.
   */
  gate(channelId: string, need = 0n): Reply | null {
    const found = this.locate(channelId);
    const fault = this.channelFaults.get(channelId) ?? (found?.thread ? this.channelFaults.get(found.channel.id) : undefined);
    if (!found || fault === 'deleted') return apiError(404, 10003, 'Unknown Channel');
    if (fault === 'no-access') return apiError(403, 50001, 'Missing Access');
    if (fault === 'no-permission') return apiError(403, 50013, 'Missing Permissions');
    const perms = computePermissions(found.guild, this.bot.id, found.channel.id);
    if (!(perms & Permission.ViewChannel)) return apiError(403, 50001, 'Missing Access');
    let bits = need;
    if (found.thread && bits & Permission.SendMessages) bits = (bits & ~Permission.SendMessages) | Permission.SendMessagesInThreads;
    if ((perms & bits) !== bits) return apiError(403, 50013, 'Missing Permissions');
    return null;
  }

  threadObject(t: ThreadRecord): JsonObject {
    const live = this.messages(t.id).filter((m) => !m.deleted);
    // A forum post's starter message does not count in message_count, as on Discord.
    const count = live.filter((m) => m.id !== t.id).length;
    return threadPayload(t, count, live.at(-1)?.id ?? (t.kind === 'forum-post' ? t.id : null));
  }

  messages(channelId: string): StoredMessage[] {
    let list = this.messagesByChannel.get(channelId);
    if (!list) this.messagesByChannel.set(channelId, (list = []));
    return list;
  }

  findMessage(id: string, includeDeleted = false): StoredMessage | undefined {
    for (const list of [...this.messagesByChannel.values(), this.interactionMessages]) {
      const m = list.find((x) => x.id === id && (includeDeleted || !x.deleted));
      if (m) return m;
    }
    return undefined;
  }

  /** The earlier message an `enforce_nonce` send should be answered with, if any. */
  replayFor(channelId: string, body: JsonObject, now = Date.now()): StoredMessage | undefined {
    if (body.enforce_nonce !== true || body.nonce === undefined || body.nonce === null) return undefined;
    const nonce = String(body.nonce);
    return this.messages(channelId).find((m) => !m.deleted && m.nonce !== undefined && String(m.nonce) === nonce && now - m.createdAt < NONCE_TTL_MS);
  }

  /** Builds the message object Discord would return for `body` and stores it. */
  createMessage(channelId: string, body: JsonObject, extra: { files?: UploadedFile[]; author?: JsonObject; webhookId?: string; interaction?: JsonObject; id?: string } = {}): StoredMessage {
    const id = extra.id ?? snowflake();
    const guild = this.locate(channelId)?.guild;
    const guildId = guild?.id;
    const pings = pingsFor(body, guild, this.botPermissions(channelId));
    const message: JsonObject = {
      id, channel_id: channelId, ...(guildId ? { guild_id: guildId } : {}),
      author: extra.author ?? userPayload(this.bot), content: typeof body.content === 'string' ? body.content : '',
      timestamp: new Date().toISOString(), edited_timestamp: null, tts: body.tts === true,
      ...mentionFields(pings, guild, userPayload), mention_channels: [], pinned: false, type: extra.interaction ? 20 : 0,
      attachments: (extra.files ?? []).map((f) => {
        const url = `https://cdn.discordapp.invalid/attachments/${channelId}/${snowflake()}/${encodeURIComponent(f.filename)}`;
        return { id: snowflake(), filename: f.filename, size: f.size, url, proxy_url: url };
      }),
      embeds: embedsOut(body.embeds), components: Array.isArray(body.components) ? body.components : [],
      // A sender may set only these flags; Discord ignores the others.
      flags: typeof body.flags === 'number' ? body.flags & (MessageFlag.SuppressEmbeds | MessageFlag.SuppressNotifications | MessageFlag.Ephemeral) : 0,
      ...(body.nonce !== undefined && body.nonce !== null ? { nonce: body.nonce } : {}),
      ...(extra.webhookId ? { webhook_id: extra.webhookId, application_id: this.applicationId } : {}),
      ...(extra.interaction ? { interaction_metadata: extra.interaction } : {}),
    };
    const now = Date.now();
    const stored: StoredMessage = {
      id, channelId, body, message, createdAt: now, edits: [], history: [{ at: now, body, message }], pings, deleted: false,
      ...(body.nonce !== undefined && body.nonce !== null ? { nonce: body.nonce as string | number } : {}),
    };
    (extra.interaction ? this.interactionMessages : this.messages(channelId)).push(stored);
    return stored;
  }

  /** Stores a message the fake made up (the one under a clicked button). */
  adopt(message: JsonObject): StoredMessage {
    const stored: StoredMessage = {
      id: String(message.id), channelId: String(message.channel_id), body: {}, message, createdAt: Date.now(), edits: [],
      history: [], pings: { everyone: false, roles: [], users: [] }, deleted: false,
    };
    this.interactionMessages.push(stored);
    return stored;
  }

  /**
   * Applies an edit. Mentions are re-read for the message's `mention_*` fields, but an edit
   * notifies no one (Discord sends no ping for a mention added by editing).
   */
  editMessage(stored: StoredMessage, body: JsonObject): JsonObject {
    stored.edits.push(body);
    const next: JsonObject = { ...stored.message, edited_timestamp: new Date().toISOString() };
    if ('content' in body) next.content = typeof body.content === 'string' ? body.content : '';
    if ('embeds' in body) next.embeds = embedsOut(body.embeds);
    if ('components' in body) next.components = Array.isArray(body.components) ? body.components : [];
    if (typeof body.flags === 'number') {
      // Only SUPPRESS_EMBEDS can be changed by an edit; every other bit stays as it was.
      const old = typeof stored.message.flags === 'number' ? stored.message.flags : 0;
      next.flags = (old & ~MessageFlag.SuppressEmbeds) | (body.flags & MessageFlag.SuppressEmbeds);
    }
    if ('content' in body || 'allowed_mentions' in body) {
      const guild = this.locate(stored.channelId)?.guild;
      const merged = { content: next.content, allowed_mentions: 'allowed_mentions' in body ? body.allowed_mentions : stored.body.allowed_mentions };
      Object.assign(next, mentionFields(pingsFor(merged, guild, this.botPermissions(stored.channelId)), guild, userPayload));
    }
    stored.message = next;
    stored.history.push({ at: Date.now(), body, message: next });
    return next;
  }
}

/** Discord echoes embeds with `type: "rich"`; a client may rely on it. */
function embedsOut(embeds: unknown): JsonObject[] {
  if (!Array.isArray(embeds)) return [];
  return embeds.map((e) => ({ type: 'rich', ...(e as JsonObject) }));
}
