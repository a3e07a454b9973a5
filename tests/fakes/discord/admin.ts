// What a server admin or moderator does while the bot runs: make roles and forum channels,
// change the bot's permissions, delete a message. Each change reaches a connected client
// through the gateway event Discord would send, so discord.js's cache stays true.
import type { FakeGateway } from './gateway.js';
import { snowflake, toBits } from './ids.js';
import { channelPayload, memberPayload, rolePayload } from './seed.js';
import type { FakeState } from './state.js';
import { ChannelFlag, type ChannelSeed, type GuildSeed, type OverwriteSeed, type RoleSeed, type StoredMessage, type TagSeed } from './types.js';

export interface RoleOptions {
  name: string;
  /** Default false, as for a role made in Discord's settings. */
  mentionable?: boolean;
  permissions?: bigint;
  guildId?: string;
  id?: string;
}

export interface ForumOptions {
  name: string;
  /** Tag names, or tags with their options; ids are made up where missing. */
  tags?: Array<string | (Omit<TagSeed, 'id'> & { id?: string })>;
  /** Sets REQUIRE_TAG (1 << 4): a post without a tag is refused with 40067. */
  requireTag?: boolean;
  /** A media channel (16) instead of a forum (15). */
  media?: boolean;
  topic?: string;
  overwrites?: OverwriteSeed[];
  guildId?: string;
  id?: string;
}

export type ChannelOptions = Omit<ChannelSeed, 'id'> & { id?: string; guildId?: string };

/** Guild Messages intent: MESSAGE_CREATE / UPDATE / DELETE in guilds reach only sessions that asked. */
const GUILD_MESSAGES = 1 << 9;

export class Admin {
  constructor(
    private readonly state: FakeState,
    private readonly gateway: FakeGateway,
  ) {}

  private guild(id?: string): GuildSeed {
    const g = id === undefined ? this.state.guilds[0] : this.state.guild(id);
    if (!g) throw new Error(`fake-discord: no guild ${id ?? '(first)'}`);
    return g;
  }

  createRole(o: RoleOptions): RoleSeed {
    const guild = this.guild(o.guildId);
    const position = Math.max(0, ...guild.roles.map((r) => r.position ?? 0)) + 1;
    const role: RoleSeed = { id: o.id ?? snowflake(), name: o.name, permissions: o.permissions ?? 0n, position, mentionable: o.mentionable ?? false };
    guild.roles.push(role);
    this.gateway.dispatch('GUILD_ROLE_CREATE', { guild_id: guild.id, role: rolePayload(role, this.state.bot.id) });
    return role;
  }

  /** Changes a role (e.g. makes it mentionable) and sends GUILD_ROLE_UPDATE. */
  updateRole(id: string, change: Partial<Pick<RoleSeed, 'name' | 'mentionable' | 'permissions'>>, guildId?: string): RoleSeed {
    const guild = this.guild(guildId);
    const role = guild.roles.find((r) => r.id === id);
    if (!role) throw new Error(`fake-discord: no role ${id}`);
    Object.assign(role, change);
    this.gateway.dispatch('GUILD_ROLE_UPDATE', { guild_id: guild.id, role: rolePayload(role, this.state.bot.id) });
    return role;
  }

  createChannel(o: ChannelOptions): ChannelSeed {
    const guild = this.guild(o.guildId);
    const { guildId: _ignored, ...seed } = o;
    const channel: ChannelSeed = { ...seed, id: o.id ?? snowflake() };
    guild.channels.push(channel);
    this.gateway.dispatch('CHANNEL_CREATE', channelPayload(channel, guild.id, guild.channels.length - 1));
    return channel;
  }

  createForum(o: ForumOptions): ChannelSeed {
    const tags: TagSeed[] = (o.tags ?? []).map((t) => (typeof t === 'string' ? { id: snowflake(), name: t } : { ...t, id: t.id ?? snowflake() }));
    return this.createChannel({
      id: o.id, guildId: o.guildId, name: o.name, type: o.media ? 16 : 15, tags, topic: o.topic, overwrites: o.overwrites,
      flags: o.requireTag ? ChannelFlag.RequireTag : 0,
    });
  }

  /** Changes a channel's seed (tags, flags, overwrites…) and sends CHANNEL_UPDATE. */
  updateChannel(id: string, change: Partial<Omit<ChannelSeed, 'id'>>): ChannelSeed {
    const found = this.state.findChannel(id);
    if (!found) throw new Error(`fake-discord: no channel ${id}`);
    Object.assign(found.channel, change);
    this.gateway.dispatch('CHANNEL_UPDATE', channelPayload(found.channel, found.guild.id, found.guild.channels.indexOf(found.channel)));
    return found.channel;
  }

  /**
   * Gives (`allow`) or takes (`deny`) permissions from the bot: in one channel through a member
   * overwrite, or server-wide through the bot's own role (made if the bot has none).
   */
  setBotPermission(bits: bigint, allow: boolean, channelId?: string): void {
    const botId = this.state.bot.id;
    if (channelId !== undefined) {
      const found = this.state.findChannel(channelId);
      if (!found) throw new Error(`fake-discord: no channel ${channelId}`);
      const list = (found.channel.overwrites ??= []);
      let own = list.find((x) => x.type === 'member' && x.id === botId);
      if (!own) list.push((own = { id: botId, type: 'member' }));
      own.allow = allow ? toBits(own.allow) | bits : toBits(own.allow) & ~bits;
      own.deny = allow ? toBits(own.deny) & ~bits : toBits(own.deny) | bits;
      this.updateChannel(channelId, {});
      return;
    }
    for (const guild of this.state.guilds) {
      const member = guild.members.find((m) => m.user.id === botId);
      if (!member) continue;
      let role = guild.roles.find((r) => r.managed && member.roles.includes(r.id));
      if (!role) {
        role = { id: snowflake(), name: this.state.bot.username, permissions: 0n, position: 1, managed: true };
        guild.roles.push(role);
        member.roles.push(role.id);
        this.gateway.dispatch('GUILD_ROLE_CREATE', { guild_id: guild.id, role: rolePayload(role, botId) });
        this.gateway.dispatch('GUILD_MEMBER_UPDATE', { guild_id: guild.id, ...memberPayload(member) });
      }
      const perms = toBits(role.permissions);
      this.updateRole(role.id, { permissions: allow ? perms | bits : perms & ~bits }, guild.id);
    }
  }

  /** A moderator deletes a message: the bot's later edits get 10008, and MESSAGE_DELETE goes out. */
  deleteMessage(id: string): StoredMessage {
    const m = this.state.findMessage(id);
    if (!m) throw new Error(`fake-discord: no live message ${id}`);
    m.deleted = true;
    m.deletedBy = 'moderator';
    const guildId = this.state.locate(m.channelId)?.guild.id;
    this.gateway.dispatch('MESSAGE_DELETE', { id, channel_id: m.channelId, ...(guildId ? { guild_id: guildId } : {}) }, GUILD_MESSAGES);
    return m;
  }
}
