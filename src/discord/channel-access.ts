// Whether the bot can post in a channel, from the gateway's cached guild state.
import { ChannelType, PermissionFlagsBits, type Client } from 'discord.js';
import type { ChannelAccess } from '../../commands/deps.js';

const NEEDED = [
  ['ViewChannel', PermissionFlagsBits.ViewChannel],
  ['SendMessages', PermissionFlagsBits.SendMessages],
  ['EmbedLinks', PermissionFlagsBits.EmbedLinks],
] as const;

export function channelAccessFor(client: Client) {
  return async (guildId: string, channelId: string): Promise<ChannelAccess> => {
    const guild = client.guilds.cache.get(guildId);
    const channel = guild?.channels.cache.get(channelId);
    if (!guild || !channel) return { exists: false, postable: false, missing: [] };
    const postable = channel.type === ChannelType.GuildText || channel.type === ChannelType.GuildAnnouncement;
    const me = guild.members.me ?? (await guild.members.fetchMe().catch(() => null));
    const perms = me ? channel.permissionsFor(me) : null;
    const missing = NEEDED.filter(([, bit]) => !perms?.has(bit)).map(([name]) => name);
    return { exists: true, postable, missing };
  };
}
