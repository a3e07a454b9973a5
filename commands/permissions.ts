import { Permission } from '../src/presentation/discord-api.js';
import { UserError } from './errors.js';
import { COMMON } from './i18n.js';
import type { ButtonInput, CommandInput } from './types.js';

/** Discord's Manage Server (MANAGE_GUILD) bit. */
export const MANAGE_GUILD = Permission.ManageGuild;
export const ADMINISTRATOR = Permission.Administrator;
/** `default_member_permissions` for moderator commands, as Discord wants it: a decimal string. */
export const MODERATOR_PERMISSIONS = String(MANAGE_GUILD);

export function requireGuild(input: CommandInput | ButtonInput): string {
  if (!input.guildId) throw new UserError(COMMON.guildOnly);
  return input.guildId;
}

/**
 * Checked in the handler too: a server admin can open a moderator command to everyone in
 * the server's integration settings, and that must not open it to everyone.
 */
export function requireModerator(input: CommandInput | ButtonInput): string {
  const guildId = requireGuild(input);
  const perms = input.memberPermissions ?? 0n;
  if ((perms & MANAGE_GUILD) === 0n && (perms & ADMINISTRATOR) === 0n) throw new UserError(COMMON.notModerator);
  return guildId;
}
