// The Discord API numbers the bot uses (option and channel types, component kinds, permission
// bits), taken from discord-api-types, which mirrors Discord's documentation, instead of bare
// numbers in every command file. Re-exported here so commands and delivery name them in one
// vocabulary and no file outside src/discord needs discord.js for a constant.
export {
  ApplicationCommandOptionType as OptionType,
  ButtonStyle,
  ChannelType,
  ComponentType,
  PermissionFlagsBits as Permission,
} from 'discord-api-types/v10';
import { ChannelType } from 'discord-api-types/v10';

/** Channels a subscription may post in: text and announcement channels, and forum and media channels (a post per story). */
export const POSTABLE_CHANNEL_TYPES = [ChannelType.GuildText, ChannelType.GuildAnnouncement, ChannelType.GuildForum, ChannelType.GuildMedia] as const;

/** Message components: Discord allows five buttons in a row, five rows and 80-character labels. */
export const COMPONENT_LIMITS = { buttonsPerRow: 5, rows: 5, buttonLabel: 80, customId: 100 } as const;
