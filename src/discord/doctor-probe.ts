// What `xiangxun doctor` asks Discord over REST, without opening a gateway session: who the
// token belongs to, which commands are registered, and what the bot may do in a channel.
// Channel permissions are computed as Discord computes them (base roles, then @everyone,
// role and member overwrites), because REST does not say them for a bot's own member.
import { DiscordAPIError, PermissionFlagsBits, REST, Routes } from 'discord.js';
import { DiscordCode } from '../presentation/discord-errors.js';

export const CHANNEL_NEEDS = [
  ['View Channel', PermissionFlagsBits.ViewChannel],
  ['Send Messages', PermissionFlagsBits.SendMessages],
  ['Embed Links', PermissionFlagsBits.EmbedLinks],
] as const;

export type ChannelAccessReport =
  | { readonly status: 'ok'; readonly name: string }
  | { readonly status: 'missing'; readonly name: string; readonly missing: readonly string[] }
  | { readonly status: 'gone' | 'no-access' };

export interface DiscordProbe {
  me(): Promise<{ id: string; username: string }>;
  application(): Promise<{ id: string; name: string }>;
  commandNames(applicationId: string, guildId?: string): Promise<string[]>;
  channelAccess(channelId: string, botUserId: string): Promise<ChannelAccessReport>;
}

/** Discord's answer to a probe, reduced to what the doctor explains (never the token). */
export class ProbeError extends Error {
  constructor(readonly status: number | null, readonly code: number | null, message: string) {
    super(message);
    this.name = 'ProbeError';
  }
}

interface Overwrite { id: string; type: number; allow: string; deny: string }
interface Role { id: string; permissions: string }

/** Permissions of a member in a channel, as Discord documents the computation. */
export function channelPermissions(p: { guildId: string; ownerId: string; userId: string; memberRoles: readonly string[]; roles: readonly Role[]; overwrites: readonly Overwrite[] }): bigint {
  const all = Object.values(PermissionFlagsBits).reduce((a, b) => a | b, 0n);
  if (p.userId === p.ownerId) return all;
  const mine = new Set(p.memberRoles);
  let perms = 0n;
  for (const r of p.roles) if (r.id === p.guildId || mine.has(r.id)) perms |= BigInt(r.permissions);
  if (perms & PermissionFlagsBits.Administrator) return all;
  const everyone = p.overwrites.find((o) => o.id === p.guildId);
  if (everyone) perms = (perms & ~BigInt(everyone.deny)) | BigInt(everyone.allow);
  let deny = 0n;
  let allow = 0n;
  for (const o of p.overwrites) {
    if (o.type === 0 && o.id !== p.guildId && mine.has(o.id)) {
      deny |= BigInt(o.deny);
      allow |= BigInt(o.allow);
    }
  }
  perms = (perms & ~deny) | allow;
  const own = p.overwrites.find((o) => o.type === 1 && o.id === p.userId);
  if (own) perms = (perms & ~BigInt(own.deny)) | BigInt(own.allow);
  return perms;
}

export function createDiscordProbe(opts: { token: string; apiBase?: string; timeoutMs?: number }): DiscordProbe {
  // No retries: the doctor reports what Discord says now, and must not hang on a bad base URL.
  const rest = new REST({ ...(opts.apiBase ? { api: opts.apiBase } : {}), timeout: opts.timeoutMs ?? 10_000, retries: 0 }).setToken(opts.token);
  const get = async <T>(route: `/${string}`): Promise<T> => {
    try {
      return (await rest.get(route)) as T;
    } catch (err) {
      if (err instanceof DiscordAPIError) throw new ProbeError(err.status, typeof err.code === 'number' ? err.code : null, err.message);
      const e = err as { name?: string; message?: string; cause?: { code?: string } };
      throw new ProbeError(null, null, e.name === 'AbortError' ? 'Discord did not answer in time' : `cannot reach Discord (${e.cause?.code ?? e.message ?? 'network error'})`);
    }
  };
  return {
    async me() {
      const u = await get<{ id: string; username: string }>(Routes.user('@me'));
      return { id: u.id, username: u.username };
    },
    async application() {
      const a = await get<{ id: string; name: string }>(Routes.currentApplication());
      return { id: a.id, name: a.name };
    },
    async commandNames(applicationId, guildId) {
      const list = await get<Array<{ name: string }>>(guildId ? Routes.applicationGuildCommands(applicationId, guildId) : Routes.applicationCommands(applicationId));
      return list.map((c) => c.name);
    },
    async channelAccess(channelId, botUserId) {
      let channel: { id: string; name?: string; guild_id?: string; permission_overwrites?: Overwrite[] };
      try {
        channel = await get(Routes.channel(channelId));
      } catch (e) {
        if (e instanceof ProbeError && e.code === DiscordCode.unknownChannel) return { status: 'gone' };
        if (e instanceof ProbeError && (e.code === DiscordCode.missingAccess || e.status === 403)) return { status: 'no-access' };
        throw e;
      }
      const guildId = channel.guild_id ?? '';
      const guild = await get<{ owner_id: string; roles: Role[] }>(Routes.guild(guildId));
      const member = await get<{ roles: string[] }>(Routes.guildMember(guildId, botUserId));
      const perms = channelPermissions({ guildId, ownerId: guild.owner_id, userId: botUserId, memberRoles: member.roles, roles: guild.roles, overwrites: channel.permission_overwrites ?? [] });
      const missing = (perms & PermissionFlagsBits.ViewChannel) === 0n ? CHANNEL_NEEDS.map(([n]) => n) : CHANNEL_NEEDS.filter(([, bit]) => (perms & bit) === 0n).map(([n]) => n);
      const name = channel.name ?? channelId;
      return missing.length === 0 ? { status: 'ok', name } : { status: 'missing', name, missing };
    },
  };
}
