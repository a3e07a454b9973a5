// Whether the bot can post in a channel, and ping a role, from the gateway's cached guild state.
import { ChannelFlags, ChannelType, PermissionFlagsBits, type Client } from 'discord.js';
import type { ChannelAccess, RoleAccess } from '../../commands/deps.js';

const NEEDED = [
  ['ViewChannel', PermissionFlagsBits.ViewChannel],
  ['SendMessages', PermissionFlagsBits.SendMessages],
  ['EmbedLinks', PermissionFlagsBits.EmbedLinks],
] as const;

const KINDS: Partial<Record<ChannelType, ChannelAccess['kind']>> = {
  [ChannelType.GuildText]: 'text',
  [ChannelType.GuildAnnouncement]: 'announcement',
  [ChannelType.GuildForum]: 'forum',
  [ChannelType.GuildMedia]: 'media',
};

export function channelAccessFor(client: Client) {
  return async (guildId: string, channelId: string): Promise<ChannelAccess> => {
    const guild = client.guilds.cache.get(guildId);
    const channel = guild?.channels.cache.get(channelId);
    if (!guild || !channel) return { exists: false, postable: false, missing: [] };
    const kind = KINDS[channel.type] ?? 'other';
    const me = guild.members.me ?? (await guild.members.fetchMe().catch(() => null));
    const perms = me ? channel.permissionsFor(me) : null;
    const missing = NEEDED.filter(([, bit]) => !perms?.has(bit)).map(([name]) => name);
    const forum = channel.type === ChannelType.GuildForum || channel.type === ChannelType.GuildMedia ? channel : null;
    return {
      exists: true,
      postable: kind !== 'other',
      missing,
      kind,
      tags: forum ? forum.availableTags.map((t) => ({ id: t.id, name: t.name, moderated: t.moderated })) : [],
      requiresTag: forum ? forum.flags.has(ChannelFlags.RequireTag) : false,
      canApplyModerated: perms?.has(PermissionFlagsBits.ManageThreads) ?? false,
      canOpenThreads: perms?.has(PermissionFlagsBits.CreatePublicThreads) ?? false,
    };
  };
}

export function roleAccessFor(client: Client) {
  return async (guildId: string, roleId: string): Promise<RoleAccess> => {
    const guild = client.guilds.cache.get(guildId);
    const role = guild?.roles.cache.get(roleId);
    if (!guild || !role) return { exists: false, everyone: false, mentionable: false };
    const me = guild.members.me ?? (await guild.members.fetchMe().catch(() => null));
    // Discord pings a role that is not mentionable only for a sender allowed to mention everyone.
    const mentionable = role.mentionable || (me?.permissions.has(PermissionFlagsBits.MentionEveryone) ?? false);
    return { exists: true, everyone: role.id === guild.id, mentionable };
  };
}
