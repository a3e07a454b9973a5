// INTERACTION_CREATE payloads with every field discord.js needs: without `entitlements`,
// `authorizing_integration_owners` or `member`, it drops the interaction without a word.
import { randomBytes } from 'node:crypto';
import { computePermissions, snowflake, toBits } from './ids.js';
import { channelPayload, memberPayload, rolePayload, userPayload } from './seed.js';
import type { FakeState } from './state.js';
import { isObject, type GuildSeed, type JsonObject } from './types.js';

export type OptionValue = string | number | boolean;
export interface RawOption {
  name: string;
  type: number;
  value?: OptionValue;
  options?: RawOption[];
  focused?: boolean;
}

export type Locale = 'en-US' | 'zh-CN' | 'zh-TW';

export interface InteractionOpts {
  /** `member`, `moderator`, `owner`, or a user id from the guild seed. Default `member`. */
  user?: string;
  channelId?: string;
  guildId?: string;
  /** Default `zh-CN`. */
  locale?: Locale;
  /** Overrides what the seed's roles and overwrites would give the user in the channel. */
  memberPermissions?: bigint | string;
}

export interface SlashOpts extends InteractionOpts {
  name: string;
  /** Plain values get the type the registered command declares, else one guessed from the value. */
  options?: Record<string, OptionValue> | RawOption[];
  subcommand?: string;
  subcommandGroup?: string;
  /** Files for attachment options, by option name: sent as the option's id plus `resolved.attachments`. */
  attachments?: Record<string, { url: string; filename: string; size: number; contentType?: string }>;
}

export interface AutocompleteOpts extends SlashOpts {
  /** The option being typed into; its current text is its value in `options` (or ""). */
  focused: string;
}

export interface ClickOpts extends Omit<InteractionOpts, 'locale'> {
  customId: string;
  /** A message the fake stored (a bot post or an interaction reply); else one is made up. */
  messageId?: string;
  locale?: Locale;
  /** 2 = button (default); 3, 5–8 = select menus, which need `values`. */
  componentType?: number;
  values?: string[];
}

export const InteractionType = { Command: 2, Component: 3, Autocomplete: 4 } as const;

export interface Context {
  state: FakeState;
  /** Maps `member`/`moderator`/`owner` to ids; anything else is taken as an id. */
  userId: (key: string) => string;
  defaultChannelId: string;
}

function guess(value: OptionValue): number {
  if (typeof value === 'boolean') return 5;
  if (typeof value === 'number') return Number.isInteger(value) ? 4 : 10;
  return 3;
}

/** The declared options at the level the interaction targets, to type plain values. */
function declared(ctx: Context, guildId: string, o: SlashOpts): { id?: string; options: JsonObject[] } {
  const cmd = [...(ctx.state.commandsByScope.get(guildId) ?? []), ...(ctx.state.commandsByScope.get('global') ?? [])]
    .find((c) => c.name === o.name && (c.type ?? 1) === 1);
  let level = Array.isArray(cmd?.options) ? (cmd.options as JsonObject[]) : [];
  for (const name of [o.subcommandGroup, o.subcommand]) {
    if (name === undefined) continue;
    const next = level.find((x) => x.name === name);
    level = next && Array.isArray(next.options) ? (next.options as JsonObject[]) : [];
  }
  return { id: typeof cmd?.id === 'string' ? cmd.id : undefined, options: level };
}

/**
 * User (6), channel (7), role (8) and mentionable (9) options carry an id; discord.js finds
 * the object in `data.resolved`, as Discord sends it (a channel with the invoker's permissions).
 */
function resolveMention(ctx: Context, guildId: string, type: number, id: string, put: (kind: string, id: string, v: JsonObject) => void): void {
  const guild = ctx.state.guild(guildId);
  if (!guild) return;
  if (type === 7) {
    const found = ctx.state.locate(id);
    if (!found) return;
    const perms = computePermissions(guild, ctx.state.bot.id, found.channel.id).toString();
    if (found.thread) {
      const t = ctx.state.threadObject(found.thread);
      put('channels', id, { id, name: t.name, type: t.type, parent_id: t.parent_id, thread_metadata: t.thread_metadata, permissions: perms });
    } else {
      const c = channelPayload(found.channel, guild.id);
      put('channels', id, { id, name: c.name, type: c.type, parent_id: null, permissions: perms });
    }
    return;
  }
  const role = type === 8 || type === 9 ? guild.roles.find((r) => r.id === id) : undefined;
  if (role) {
    put('roles', id, rolePayload(role, ctx.state.bot.id));
    return;
  }
  const member = type === 6 || type === 9 ? guild.members.find((m) => m.user.id === id) : undefined;
  if (member) {
    const { user: _user, ...rest } = memberPayload(member, computePermissions(guild, id));
    put('users', id, userPayload(member.user));
    put('members', id, rest);
  }
}

function commandData(ctx: Context, guildId: string, o: SlashOpts, focused?: string): JsonObject {
  const decl = declared(ctx, guildId, o);
  let leaf: RawOption[];
  if (Array.isArray(o.options)) {
    leaf = o.options;
  } else {
    leaf = Object.entries(o.options ?? {}).map(([name, value]) => {
      const type = decl.options.find((d) => d.name === name)?.type;
      return { name, type: typeof type === 'number' ? type : guess(value), value };
    });
  }
  if (focused !== undefined) {
    if (!leaf.some((x) => x.name === focused)) leaf = [...leaf, { name: focused, type: 3, value: '' }];
    // While typing, Discord sends the partial input as text whatever the option's type.
    leaf = leaf.map((x) => (x.name === focused ? { ...x, focused: true, value: String(x.value ?? '') } : x));
  }
  const resolved: Record<string, JsonObject> = {};
  const put = (kind: string, id: string, value: JsonObject): void => void ((resolved[kind] ??= {})[id] = value);
  for (const [name, file] of Object.entries(o.attachments ?? {})) {
    const id = snowflake();
    leaf = [...leaf.filter((x) => x.name !== name), { name, type: 11, value: id }];
    put('attachments', id, { id, filename: file.filename, size: file.size, url: file.url, proxy_url: file.url, content_type: file.contentType ?? 'application/octet-stream' });
  }
  for (const x of leaf) if (x.focused !== true && typeof x.value === 'string') resolveMention(ctx, guildId, x.type, x.value, put);
  let options: RawOption[] = leaf;
  if (o.subcommand !== undefined) options = [{ name: o.subcommand, type: 1, options }];
  if (o.subcommandGroup !== undefined) options = [{ name: o.subcommandGroup, type: 2, options }];
  return { id: decl.id ?? snowflake(), name: o.name, type: 1, guild_id: guildId, options, ...(Object.keys(resolved).length ? { resolved } : {}) };
}

function base(ctx: Context, type: number, o: InteractionOpts): { payload: JsonObject; guild: GuildSeed; channelId: string; user: JsonObject } {
  const channelId = o.channelId ?? ctx.defaultChannelId;
  // Inside a thread the parent's overwrites decide permissions, and the channel is the thread.
  const found = ctx.state.locate(channelId);
  const permChannel = found?.channel.id ?? channelId;
  const guild = (o.guildId !== undefined ? ctx.state.guild(o.guildId) : found?.guild) ?? ctx.state.guilds[0];
  if (!guild) throw new Error('fake-discord: no guild to send the interaction from');
  const userId = ctx.userId(o.user ?? 'member');
  const member = guild.members.find((m) => m.user.id === userId);
  if (!member) throw new Error(`fake-discord: ${o.user ?? 'member'} is not a member of ${guild.name}`);
  const perms = o.memberPermissions !== undefined ? toBits(o.memberPermissions) : computePermissions(guild, userId, permChannel);
  const channel = found?.thread ? ctx.state.threadObject(found.thread) : channelPayload(found?.channel ?? { id: channelId, name: 'unknown' }, guild.id);
  const payload: JsonObject = {
    id: snowflake(), application_id: ctx.state.applicationId, type,
    token: `fake-itoken.${randomBytes(24).toString('base64url')}`, version: 1,
    guild_id: guild.id, guild: { id: guild.id, locale: guild.preferredLocale ?? 'zh-CN', features: [] },
    // discord.js reads the channel only from `channel.id`; `channel_id` alone leaves it null.
    channel_id: channelId, channel,
    member: memberPayload(member, perms),
    app_permissions: computePermissions(guild, ctx.state.bot.id, permChannel).toString(),
    locale: o.locale ?? 'zh-CN', guild_locale: guild.preferredLocale ?? 'zh-CN',
    entitlements: [], authorizing_integration_owners: { '0': guild.id }, context: 0, attachment_size_limit: 10_485_760,
  };
  return { payload, guild, channelId, user: userPayload(member.user) };
}

export function slashPayload(ctx: Context, o: SlashOpts): JsonObject {
  const { payload, guild } = base(ctx, InteractionType.Command, o);
  return { ...payload, data: commandData(ctx, guild.id, o) };
}

export function autocompletePayload(ctx: Context, o: AutocompleteOpts): JsonObject {
  const { payload, guild } = base(ctx, InteractionType.Autocomplete, o);
  return { ...payload, data: commandData(ctx, guild.id, o, o.focused) };
}

/** A component click; the message it sits on is a stored one when the id is known. */
export function clickPayload(ctx: Context, o: ClickOpts): { payload: JsonObject; message: JsonObject } {
  const { payload, channelId, guild } = base(ctx, InteractionType.Component, o);
  const stored = o.messageId !== undefined ? ctx.state.findMessage(o.messageId) : undefined;
  const componentType = o.componentType ?? 2;
  const message: JsonObject = stored?.message ?? {
    id: o.messageId ?? snowflake(), channel_id: channelId, guild_id: guild.id, author: userPayload(ctx.state.bot),
    content: '', embeds: [], attachments: [], mentions: [], mention_roles: [], mention_everyone: false, pinned: false,
    tts: false, timestamp: new Date().toISOString(), edited_timestamp: null, type: 0, flags: 0,
    components: [{ type: 1, components: [componentType === 2 ? { type: 2, style: 1, custom_id: o.customId, label: o.customId } : { type: componentType, custom_id: o.customId, options: [] }] }],
  };
  const data: JsonObject = { custom_id: o.customId, component_type: componentType, ...(o.values ? { values: o.values } : {}) };
  return { payload: { ...payload, data, message }, message };
}

export const isEphemeral = (data: unknown): boolean => isObject(data) && typeof data.flags === 'number' && (data.flags & 64) !== 0;
