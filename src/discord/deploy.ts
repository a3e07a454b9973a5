// Registers slash commands: to one guild when DISCORD_DEV_GUILD_ID is set (instant, for
// development), else globally. A PUT replaces the whole list, so removed commands disappear.
import { REST, Routes } from 'discord.js';

export interface DeployOptions {
  readonly token: string;
  readonly applicationId: string;
  readonly apiBase?: string;
  readonly guildId?: string;
  readonly definitions: readonly unknown[];
}

export async function deployCommands(opts: DeployOptions): Promise<{ count: number; scope: string }> {
  const rest = new REST({ ...(opts.apiBase ? { api: opts.apiBase } : {}) }).setToken(opts.token);
  const route = opts.guildId ? Routes.applicationGuildCommands(opts.applicationId, opts.guildId) : Routes.applicationCommands(opts.applicationId);
  const result = (await rest.put(route, { body: opts.definitions })) as unknown[];
  return { count: result.length, scope: opts.guildId ? `guild ${opts.guildId}` : 'global' };
}
