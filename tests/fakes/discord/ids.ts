// Snowflakes and permission arithmetic, done the way Discord does them so the client's
// own calculations (timestamps from ids, permissionsFor) agree with the fake's.
import type { GuildSeed } from './types.js';

const DISCORD_EPOCH = 1_420_070_400_000n;

/** A snowflake for `ms`; ids made at the same millisecond differ by their increment bits. */
export const snowflakeAt = (ms: number, seq = 0): string =>
  (((BigInt(ms) - DISCORD_EPOCH) << 22n) | (BigInt(seq) & 0xfffn)).toString();

/** Discord's rule: a guild belongs to shard `(guild_id >> 22) % shard_count`. */
export const shardOf = (guildId: string, count: number): number => Number((BigInt(guildId) >> 22n) % BigInt(count));

let lastMs = 0;
let seq = 0;
/** Fresh, strictly increasing ids (19 digits today), so newer messages sort later. */
export function snowflake(): string {
  const now = Date.now();
  if (now > lastMs) {
    lastMs = now;
    seq = 0;
  } else if (++seq > 0xfff) {
    // 4096 ids in one millisecond: borrow the next one rather than wrap and repeat an id.
    lastMs++;
    seq = 0;
  }
  return snowflakeAt(lastMs, seq);
}

export const Permission = {
  CreateInstantInvite: 1n << 0n,
  KickMembers: 1n << 1n,
  BanMembers: 1n << 2n,
  Administrator: 1n << 3n,
  ManageChannels: 1n << 4n,
  ManageGuild: 1n << 5n,
  AddReactions: 1n << 6n,
  ViewAuditLog: 1n << 7n,
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  ManageMessages: 1n << 13n,
  EmbedLinks: 1n << 14n,
  AttachFiles: 1n << 15n,
  ReadMessageHistory: 1n << 16n,
  MentionEveryone: 1n << 17n,
  UseExternalEmojis: 1n << 18n,
  ChangeNickname: 1n << 26n,
  ManageRoles: 1n << 28n,
  ManageWebhooks: 1n << 29n,
  UseApplicationCommands: 1n << 31n,
  ManageThreads: 1n << 34n,
  CreatePublicThreads: 1n << 35n,
  CreatePrivateThreads: 1n << 36n,
  SendMessagesInThreads: 1n << 38n,
} as const;

/** Everything a permission field can hold, for administrators. */
const ALL = (1n << 53n) - 1n;

export const toBits = (v: bigint | string | undefined): bigint => (v === undefined ? 0n : BigInt(v));

/**
 * Discord's algorithm: base from @everyone and the member's roles, administrators get
 * everything, then channel overwrites in order @everyone, roles (deny then allow), member.
 */
export function computePermissions(guild: GuildSeed, userId: string, channelId?: string): bigint {
  const member = guild.members.find((m) => m.user.id === userId);
  if (!member) return 0n;
  if (guild.ownerId === userId) return ALL;
  const roleIds = new Set(member.roles);
  let perms = 0n;
  for (const role of guild.roles) {
    if (role.id === guild.id || roleIds.has(role.id)) perms |= toBits(role.permissions);
  }
  if (perms & Permission.Administrator) return ALL;
  const channel = channelId === undefined ? undefined : guild.channels.find((c) => c.id === channelId);
  if (!channel) return perms;
  const overwrites = channel.overwrites ?? [];
  const everyone = overwrites.find((o) => o.type === 'role' && o.id === guild.id);
  if (everyone) perms = (perms & ~toBits(everyone.deny)) | toBits(everyone.allow);
  let roleDeny = 0n;
  let roleAllow = 0n;
  for (const o of overwrites) {
    if (o.type === 'role' && o.id !== guild.id && roleIds.has(o.id)) {
      roleDeny |= toBits(o.deny);
      roleAllow |= toBits(o.allow);
    }
  }
  perms = (perms & ~roleDeny) | roleAllow;
  const own = overwrites.find((o) => o.type === 'member' && o.id === userId);
  if (own) perms = (perms & ~toBits(own.deny)) | toBits(own.allow);
  // Without View Channel every other channel permission is moot, as on Discord.
  return perms & Permission.ViewChannel ? perms : 0n;
}
