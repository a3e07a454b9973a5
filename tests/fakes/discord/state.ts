// What the fake remembers: guilds, channel switches, messages per channel, commands.
import { computePermissions, Permission, snowflake } from './ids.js';
import { userPayload } from './seed.js';
import type { ChannelFault, ChannelSeed, GuildSeed, JsonObject, Reply, StoredMessage, UploadedFile, UserSeed } from './types.js';
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

  /**
   * Whether the bot may act in a channel: the test switches first, then the permissions the
   * seed's roles and overwrites really give the bot, as Discord would check them.
   */
  gate(channelId: string, need = 0n): Reply | null {
    const found = this.findChannel(channelId);
    const fault = this.channelFaults.get(channelId);
    if (!found || fault === 'deleted') return apiError(404, 10003, 'Unknown Channel');
    if (fault === 'no-access') return apiError(403, 50001, 'Missing Access');
    if (fault === 'no-permission') return apiError(403, 50013, 'Missing Permissions');
    const perms = computePermissions(found.guild, this.bot.id, channelId);
    if (!(perms & Permission.ViewChannel)) return apiError(403, 50001, 'Missing Access');
    if ((perms & need) !== need) return apiError(403, 50013, 'Missing Permissions');
    return null;
  }

  messages(channelId: string): StoredMessage[] {
    let list = this.messagesByChannel.get(channelId);
    if (!list) this.messagesByChannel.set(channelId, (list = []));
    return list;
  }

  findMessage(id: string): StoredMessage | undefined {
    for (const list of [...this.messagesByChannel.values(), this.interactionMessages]) {
      const m = list.find((x) => x.id === id && !x.deleted);
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
  createMessage(channelId: string, body: JsonObject, extra: { files?: UploadedFile[]; author?: JsonObject; webhookId?: string; interaction?: JsonObject } = {}): StoredMessage {
    const id = snowflake();
    const guildId = this.findChannel(channelId)?.guild.id;
    const message: JsonObject = {
      id, channel_id: channelId, ...(guildId ? { guild_id: guildId } : {}),
      author: extra.author ?? userPayload(this.bot), content: typeof body.content === 'string' ? body.content : '',
      timestamp: new Date().toISOString(), edited_timestamp: null, tts: body.tts === true, mention_everyone: false,
      mentions: [], mention_roles: [], mention_channels: [], pinned: false, type: extra.interaction ? 20 : 0,
      attachments: (extra.files ?? []).map((f) => {
        const url = `https://cdn.discordapp.invalid/attachments/${channelId}/${snowflake()}/${encodeURIComponent(f.filename)}`;
        return { id: snowflake(), filename: f.filename, size: f.size, url, proxy_url: url };
      }),
      embeds: embedsOut(body.embeds), components: Array.isArray(body.components) ? body.components : [],
      flags: typeof body.flags === 'number' ? body.flags : 0,
      ...(body.nonce !== undefined && body.nonce !== null ? { nonce: body.nonce } : {}),
      ...(extra.webhookId ? { webhook_id: extra.webhookId, application_id: this.applicationId } : {}),
      ...(extra.interaction ? { interaction_metadata: extra.interaction } : {}),
    };
    const stored: StoredMessage = {
      id, channelId, body, message, createdAt: Date.now(), edits: [], deleted: false,
      ...(body.nonce !== undefined && body.nonce !== null ? { nonce: body.nonce as string | number } : {}),
    };
    (extra.interaction ? this.interactionMessages : this.messages(channelId)).push(stored);
    return stored;
  }

  /** Stores a message the fake made up (the one under a clicked button). */
  adopt(message: JsonObject): StoredMessage {
    const stored: StoredMessage = {
      id: String(message.id), channelId: String(message.channel_id), body: {}, message, createdAt: Date.now(), edits: [], deleted: false,
    };
    this.interactionMessages.push(stored);
    return stored;
  }

  editMessage(stored: StoredMessage, body: JsonObject): JsonObject {
    stored.edits.push(body);
    const next: JsonObject = { ...stored.message, edited_timestamp: new Date().toISOString() };
    if ('content' in body) next.content = typeof body.content === 'string' ? body.content : '';
    if ('embeds' in body) next.embeds = embedsOut(body.embeds);
    if ('components' in body) next.components = Array.isArray(body.components) ? body.components : [];
    if (typeof body.flags === 'number') next.flags = body.flags;
    stored.message = next;
    return next;
  }
}

/** Discord echoes embeds with `type: "rich"`; a client may rely on it. */
function embedsOut(embeds: unknown): JsonObject[] {
  if (!Array.isArray(embeds)) return [];
  return embeds.map((e) => ({ type: 'rich', ...(e as JsonObject) }));
}
