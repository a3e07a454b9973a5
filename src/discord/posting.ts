// Discord-native posting (issue #15) over discord.js's REST client: a forum or media channel
// gets a post per story (the headline as its title, the forum's tags naming its places), an
// announcement channel may publish each post to its followers, a text channel may open a
// thread on each post, and a post is edited in place when its story is corrected.
//
// Repeats after a crash: a message carries its nonce (Discord returns the first message for
// a repeated one); a forum post cannot carry one, so a retried forum post first looks for the
// bot's own post of that title made since the first attempt. Opening a thread or publishing
// twice is answered by Discord with "already done", which counts as done.
import { RESTJSONErrorCodes as Code } from 'discord-api-types/v10';
import { ChannelFlags, ChannelType, PermissionFlagsBits, Routes, type Client, type ForumChannel, type MediaChannel } from 'discord.js';
import type { EditRequest, PostRequest, PostResult } from '../delivery/publisher.js';
import { PublishError } from '../delivery/publisher.js';
import { matchForumTags, threadName } from '../presentation/forum.js';
import type { OutgoingMessage } from '../presentation/message.js';

/** Archive a story's discussion after a day without messages (Discord's one-day setting). */
const AUTO_ARCHIVE_MINUTES = 1440;
/** Snowflakes carry their creation time (ms since 2015-01-01). */
const DISCORD_EPOCH = 1_420_070_400_000n;
const createdAt = (id: string): number => Number((BigInt(id) >> 22n) + DISCORD_EPOCH);

interface ThreadBody {
  id: string;
  name?: string;
  parent_id?: string | null;
  owner_id?: string | null;
}

type Forum = ForumChannel | MediaChannel;

const codeOf = (err: unknown): number | null => {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'number' ? code : null;
};

/** The body Discord takes for a message, without what only a channel message may carry. */
const messageBody = (m: OutgoingMessage) => ({ ...(m.content ? { content: m.content } : {}), embeds: m.embeds, allowed_mentions: m.allowed_mentions });

export function createPosting(client: Client, toError: (err: unknown) => PublishError) {
  const channelOf = async (id: string) => client.channels.cache.get(id) ?? (await client.channels.fetch(id).catch(() => null)) ?? (client.isReady() ? null : await restChannel(id));
  /**
   * A REST-only client (the deliverer role: no gateway) has no guilds cached, and discord.js
   * builds a guild channel only with its guild: the guild and the bot's member in it (for
   * forum tag permissions) are fetched once, then the channel. A gateway client does not do
   * this for a guild of another shard, whose cache would then never be updated.
   */
  async function restChannel(id: string) {
    const raw = (await client.rest.get(Routes.channel(id)).catch(() => null)) as { guild_id?: string } | null;
    if (!raw?.guild_id) return null;
    const guild = await client.guilds.fetch(raw.guild_id).catch(() => null);
    await guild?.members.fetchMe().catch(() => null);
    return guild ? await client.channels.fetch(id).catch(() => null) : null;
  }
  /** The channel when it takes posts rather than messages (forum, media), else null. */
  const forumOf = (channel: Awaited<ReturnType<typeof channelOf>>): Forum | null =>
    channel && (channel.type === ChannelType.GuildForum || channel.type === ChannelType.GuildMedia) ? channel : null;

  /** The bot's own post of this title in the forum, made since `since` (a retry after a crash). */
  async function ownPost(forum: Forum, name: string, since: number): Promise<ThreadBody | null> {
    const active = (await client.rest.get(Routes.guildActiveThreads(forum.guildId))) as { threads?: ThreadBody[] };
    const me = client.user?.id;
    return (active.threads ?? []).find((t) => t.parent_id === forum.id && t.owner_id === me && t.name === name && createdAt(t.id) >= since - 5_000) ?? null;
  }

  async function forumPost(forum: Forum, req: PostRequest): Promise<PostResult> {
    const name = threadName(req.threadName, req.message.embeds[0]?.title ?? '新闻');
    if (req.retrySince !== null) {
      const found = await ownPost(forum, name, req.retrySince);
      if (found) return { messageId: found.id, messageChannelId: found.id, notes: ['found the post a previous attempt made'] };
    }
    const me = forum.guild.members.me;
    const moderated = me ? (forum.permissionsFor(me)?.has(PermissionFlagsBits.ManageThreads) ?? false) : false;
    const tags = matchForumTags(forum.availableTags.map((t) => ({ id: t.id, name: t.name, moderated: t.moderated })), req.places, moderated);
    if (tags.length === 0 && forum.flags.has(ChannelFlags.RequireTag)) {
      throw new PublishError('permanent', 'the forum requires a tag and none of its tags names this story\'s places', Code.TagRequiredToCreateAForumPostInThisChannel, 400);
    }
    const body = { name, auto_archive_duration: AUTO_ARCHIVE_MINUTES, ...(tags.length > 0 ? { applied_tags: tags } : {}), message: messageBody(req.message) };
    const thread = (await client.rest.post(Routes.threads(forum.id), { body })) as ThreadBody;
    // A forum post's first message has the thread's id.
    return { messageId: thread.id, messageChannelId: thread.id, notes: tags.length > 0 ? [] : ['no forum tag names this story\'s places'] };
  }

  /** Follow-ups of a channel message; they fail alone, never the post that went out. */
  async function followUps(channelId: string, type: ChannelType | null, messageId: string, req: PostRequest): Promise<string[]> {
    const notes: string[] = [];
    if (req.crosspost && type === ChannelType.GuildAnnouncement) {
      await client.rest.post(Routes.channelMessageCrosspost(channelId, messageId)).catch((err: unknown) => {
        if (codeOf(err) !== Code.ThisMessageWasAlreadyCrossposted) notes.push(`not published to followers: ${toError(err).message}`);
      });
    }
    if (req.openThread && (type === ChannelType.GuildText || type === ChannelType.GuildAnnouncement)) {
      const body = { name: threadName(req.threadName, '讨论'), auto_archive_duration: AUTO_ARCHIVE_MINUTES };
      await client.rest.post(Routes.threads(channelId, messageId), { body }).catch((err: unknown) => {
        if (codeOf(err) !== Code.ThreadAlreadyCreatedForMessage) notes.push(`no thread opened: ${toError(err).message}`);
      });
    }
    return notes;
  }

  return {
    /** A plain message (digests); in a forum or media channel it becomes a post titled by its first embed. */
    async send(channelId: string, message: OutgoingMessage, nonce: string, post: { places?: PostRequest['places']; retrySince?: number | null } = {}): Promise<{ messageId: string }> {
      try {
        const forum = forumOf(await channelOf(channelId));
        if (forum) {
          // Titled by its first embed (forumPost falls back to it for an empty name).
          const req = { channelId, message, nonce, threadName: '', places: post.places ?? [], openThread: false, crosspost: false, retrySince: post.retrySince ?? null };
          return await forumPost(forum, req);
        }
        const sent = (await client.rest.post(Routes.channelMessages(channelId), { body: { ...message, nonce, enforce_nonce: true } })) as { id: string };
        return { messageId: sent.id };
      } catch (err) {
        throw err instanceof PublishError ? err : toError(err);
      }
    },
    async post(req: PostRequest): Promise<PostResult> {
      try {
        const channel = await channelOf(req.channelId);
        const forum = forumOf(channel);
        if (forum) return await forumPost(forum, req);
        const body = { ...req.message, nonce: req.nonce, enforce_nonce: true };
        const sent = (await client.rest.post(Routes.channelMessages(req.channelId), { body })) as { id: string };
        const notes = await followUps(req.channelId, channel?.type ?? null, sent.id, req);
        return { messageId: sent.id, messageChannelId: null, notes };
      } catch (err) {
        throw err instanceof PublishError ? err : toError(err);
      }
    },
    /** Edits a post in place; a forum post's title follows its headline. */
    async edit(req: EditRequest): Promise<void> {
      try {
        await client.rest.patch(Routes.channelMessage(req.messageChannelId, req.messageId), { body: messageBody(req.message) });
        if (req.messageChannelId === req.messageId && req.threadName) {
          const name = threadName(req.threadName, req.message.embeds[0]?.title ?? '新闻');
          await client.rest.patch(Routes.channel(req.messageChannelId), { body: { name } }).catch(() => undefined);
        }
      } catch (err) {
        throw toError(err);
      }
    },
  };
}
