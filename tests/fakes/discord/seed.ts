// The default test server and the JSON shapes Discord uses for guilds, channels, roles,
// members and users, built from seeds.
import { Permission, shardOf, snowflakeAt, toBits } from './ids.js';
import type { ChannelSeed, GuildSeed, JsonObject, MemberSeed, RoleSeed, ThreadRecord, UserSeed } from './types.js';

// Fixed ids from mid-2019 (18 digits): stable across fake restarts, so a bot restarted
// against a fresh fake still finds the channels its database remembers.
const SEED_MS = Date.UTC(2019, 5, 1);
const seedId = (n: number): string => snowflakeAt(SEED_MS + n * 1000);

export const DEFAULT_APPLICATION_ID = seedId(1);

export const DEFAULT_IDS = {
  guildId: seedId(10),
  roles: { everyone: seedId(10), moderator: seedId(11), bot: seedId(12) },
  users: { bot: DEFAULT_APPLICATION_ID, owner: seedId(20), member: seedId(21), moderator: seedId(22) },
  channels: { news: seedId(30), general: seedId(31), announcements: seedId(32) },
} as const;

const EVERYONE_PERMS =
  Permission.ViewChannel | Permission.SendMessages | Permission.ReadMessageHistory | Permission.EmbedLinks |
  Permission.AttachFiles | Permission.AddReactions | Permission.UseExternalEmojis | Permission.UseApplicationCommands |
  Permission.CreateInstantInvite | Permission.ChangeNickname | Permission.CreatePublicThreads | Permission.SendMessagesInThreads;

export function botUser(applicationId: string): UserSeed {
  return { id: applicationId, username: 'xiangxun', globalName: '乡讯', bot: true };
}

/** 乡讯测试服: a read-only #news the bot may post in, an open #general, an announcement channel. */
export function defaultGuildSeed(applicationId = DEFAULT_APPLICATION_ID): GuildSeed {
  const { guildId, roles, users, channels } = DEFAULT_IDS;
  const readOnly = [
    { id: guildId, type: 'role' as const, deny: Permission.SendMessages },
    { id: roles.moderator, type: 'role' as const, allow: Permission.SendMessages },
    { id: roles.bot, type: 'role' as const, allow: Permission.SendMessages | Permission.EmbedLinks },
  ];
  return {
    id: guildId,
    name: '乡讯测试服',
    ownerId: users.owner,
    preferredLocale: 'zh-CN',
    roles: [
      { id: guildId, name: '@everyone', permissions: EVERYONE_PERMS, position: 0 },
      { id: roles.bot, name: '乡讯', permissions: EVERYONE_PERMS | Permission.ManageMessages, position: 1, managed: true },
      { id: roles.moderator, name: 'Moderator', permissions: EVERYONE_PERMS | Permission.ManageGuild | Permission.ManageMessages, position: 2 },
    ],
    members: [
      { user: { ...botUser(applicationId) }, roles: [roles.bot] },
      { user: { id: users.owner, username: 'fuzhu', globalName: '服主' }, roles: [] },
      { user: { id: users.member, username: 'aming', globalName: '阿明' }, roles: [] },
      { user: { id: users.moderator, username: 'xiaowang', globalName: '小王' }, roles: [roles.moderator] },
    ],
    channels: [
      { id: channels.news, name: 'news', topic: '家乡新闻', overwrites: readOnly },
      { id: channels.general, name: 'general' },
      { id: channels.announcements, name: 'announcements', type: 5, overwrites: readOnly },
    ],
  };
}

/**
 * Another server like the default one — the same people (owner, member, moderator) and
 * channels named alike, fresh ids — whose id lands on shard `shard` of `shardCount`.
 * `index` tells several apart; the same arguments give the same ids across fake restarts.
 */
export function guildSeedOnShard(o: { shard: number; shardCount: number; index?: number; name?: string; locale?: string }, applicationId = DEFAULT_APPLICATION_ID): GuildSeed {
  const base = defaultGuildSeed(applicationId);
  // Ids a day apart per index, then moved by whole milliseconds until the guild's falls on the shard.
  let ms = SEED_MS + 86_400_000 * (1 + (o.index ?? 0));
  while (shardOf(snowflakeAt(ms), o.shardCount) !== o.shard) ms++;
  const id = (n: number): string => snowflakeAt(ms, n);
  const remap = new Map<string, string>([[base.id, id(0)], [DEFAULT_IDS.roles.moderator, id(1)], [DEFAULT_IDS.roles.bot, id(2)]]);
  base.channels.forEach((c, i) => remap.set(c.id, id(10 + i)));
  const to = (x: string): string => remap.get(x) ?? x;
  return {
    ...base,
    id: id(0),
    name: o.name ?? `${base.name} ${o.shard}/${o.shardCount}`,
    preferredLocale: o.locale ?? base.preferredLocale,
    roles: base.roles.map((r) => ({ ...r, id: to(r.id) })),
    members: base.members.map((m) => ({ ...m, roles: m.roles.map(to) })),
    channels: base.channels.map((c) => ({ ...c, id: to(c.id), ...(c.overwrites ? { overwrites: c.overwrites.map((w) => ({ ...w, id: to(w.id) })) } : {}) })),
  };
}

/** Every guild holds the bot's member, as a guild the bot was invited to does. */
export function withBotMember(guild: GuildSeed, bot: UserSeed): GuildSeed {
  if (guild.members.some((m) => m.user.id === bot.id)) return guild;
  return { ...guild, members: [...guild.members, { user: bot, roles: [] }] };
}

const JOINED_AT = new Date(SEED_MS + 86_400_000).toISOString();

export function userPayload(u: UserSeed): JsonObject {
  return {
    id: u.id, username: u.username, global_name: u.globalName ?? null, discriminator: '0', avatar: null,
    public_flags: 0, ...(u.bot ? { bot: true } : {}),
  };
}

export function memberPayload(m: MemberSeed, permissions?: bigint): JsonObject {
  return {
    user: userPayload(m.user), nick: m.nick ?? null, avatar: null, roles: m.roles, joined_at: JOINED_AT,
    premium_since: null, deaf: false, mute: false, flags: 0, pending: false,
    ...(permissions === undefined ? {} : { permissions: permissions.toString() }),
  };
}

export function rolePayload(r: RoleSeed, botId: string): JsonObject {
  return {
    id: r.id, name: r.name, color: 0, hoist: false, icon: null, unicode_emoji: null, position: r.position ?? 0,
    permissions: toBits(r.permissions).toString(), managed: r.managed ?? false, mentionable: r.mentionable ?? false, flags: 0,
    ...(r.managed ? { tags: { bot_id: botId } } : {}),
  };
}

const isForumLike = (c: ChannelSeed): boolean => c.type === 15 || c.type === 16;

export function channelPayload(c: ChannelSeed, guildId: string, position = 0): JsonObject {
  const forum = isForumLike(c);
  return {
    id: c.id, type: c.type ?? 0, guild_id: guildId, name: c.name, position, parent_id: null, topic: c.topic ?? null,
    nsfw: false, rate_limit_per_user: 0, last_message_id: null, flags: c.flags ?? 0,
    default_auto_archive_duration: c.defaultAutoArchiveDuration ?? (forum ? 4320 : 1440),
    default_thread_rate_limit_per_user: 0,
    permission_overwrites: (c.overwrites ?? []).map((o) => ({
      id: o.id, type: o.type === 'role' ? 0 : 1, allow: toBits(o.allow).toString(), deny: toBits(o.deny).toString(),
    })),
    // Forum and media channels carry their tags and post defaults; text channels do not.
    ...(forum
      ? {
          available_tags: (c.tags ?? []).map((t) => ({
            id: t.id, name: t.name, moderated: t.moderated ?? false, emoji_id: t.emojiId ?? null, emoji_name: t.emojiName ?? null,
          })),
          default_reaction_emoji: null, default_sort_order: null, template: '',
          ...(c.type === 15 ? { default_forum_layout: 0 } : {}),
        }
      : {}),
  };
}

/** A thread channel (types 10, 11) as Discord returns it, with the bot as its member. */
export function threadPayload(t: ThreadRecord, messageCount: number, lastMessageId: string | null): JsonObject {
  const created = new Date(t.createdAt).toISOString();
  return {
    id: t.id, type: t.type, guild_id: t.guildId, parent_id: t.parentId, owner_id: t.ownerId, name: t.name,
    last_message_id: lastMessageId, message_count: messageCount, total_message_sent: messageCount, member_count: 1,
    rate_limit_per_user: 0, flags: 0, applied_tags: t.appliedTags,
    thread_metadata: {
      archived: t.archived, auto_archive_duration: t.autoArchiveDuration, archive_timestamp: created, locked: t.locked, create_timestamp: created,
    },
    member: { id: t.id, user_id: t.ownerId, join_timestamp: created, flags: 1 },
  };
}

/** The REST guild object (`GET /guilds/{id}`). */
export function guildPayload(g: GuildSeed, botId: string): JsonObject {
  return {
    id: g.id, name: g.name, icon: null, splash: null, discovery_splash: null, banner: null, description: null,
    owner_id: g.ownerId ?? g.members[0]?.user.id ?? botId, afk_channel_id: null, afk_timeout: 300,
    verification_level: 0, default_message_notifications: 1, explicit_content_filter: 0, mfa_level: 0, nsfw_level: 0,
    roles: g.roles.map((r) => rolePayload(r, botId)), emojis: [], stickers: [], features: [],
    application_id: null, system_channel_id: null, system_channel_flags: 0, rules_channel_id: null,
    public_updates_channel_id: null, vanity_url_code: null, premium_tier: 0, premium_subscription_count: 0,
    preferred_locale: g.preferredLocale ?? 'zh-CN', max_members: 500_000, premium_progress_bar_enabled: false,
  };
}

/** The gateway's GUILD_CREATE: the REST object plus members, channels and the rest. */
export function guildCreatePayload(g: GuildSeed, botId: string, threads: JsonObject[] = []): JsonObject {
  return {
    ...guildPayload(g, botId),
    joined_at: JOINED_AT, large: false, unavailable: false, member_count: g.members.length,
    members: g.members.map((m) => memberPayload(m)),
    channels: g.channels.map((c, i) => channelPayload(c, g.id, i)),
    threads, presences: [], voice_states: [], stage_instances: [], guild_scheduled_events: [], soundboard_sounds: [],
  };
}
