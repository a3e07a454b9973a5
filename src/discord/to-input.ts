// discord.js interactions → the plain inputs command handlers take.
import type { AutocompleteInteraction, ButtonInteraction, ChatInputCommandInteraction } from 'discord.js';
import type { Attachment, AutocompleteInput, ButtonInput, CommandInput } from '../../commands/types.js';

function options(i: ChatInputCommandInteraction | AutocompleteInteraction): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  const walk = (list: readonly { name: string; value?: unknown; options?: readonly unknown[] }[]) => {
    for (const o of list) {
      if (o.options) walk(o.options as typeof list);
      else if (typeof o.value === 'string' || typeof o.value === 'number' || typeof o.value === 'boolean') out[o.name] = o.value;
    }
  };
  walk(i.options.data as unknown as readonly { name: string; value?: unknown; options?: readonly unknown[] }[]);
  return out;
}

export function commandInput(i: ChatInputCommandInteraction | AutocompleteInteraction): CommandInput {
  return {
    interactionId: i.id,
    name: i.commandName,
    subcommand: i.options.getSubcommand(false),
    options: options(i),
    userId: i.user.id,
    guildId: i.guildId,
    channelId: i.channelId,
    locale: i.locale,
    memberPermissions: i.memberPermissions?.bitfield ?? null,
    attachments: attachments(i),
  };
}

/** Attachment options arrive as ids; the files themselves are in the resolved data. */
function attachments(i: ChatInputCommandInteraction | AutocompleteInteraction): Record<string, Attachment> | undefined {
  if (i.isAutocomplete()) return undefined;
  const out: Record<string, Attachment> = {};
  for (const o of i.options.data.flatMap((d) => [d, ...(d.options ?? [])])) {
    if (o.attachment) out[o.name] = { url: o.attachment.url, name: o.attachment.name, size: o.attachment.size };
  }
  return Object.keys(out).length ? out : undefined;
}

export function autocompleteInput(i: AutocompleteInteraction): AutocompleteInput {
  const focused = i.options.getFocused(true);
  return { ...commandInput(i), focused: { name: focused.name, value: String(focused.value ?? '') } };
}

export function buttonInput(i: ButtonInteraction): ButtonInput {
  return { customId: i.customId, userId: i.user.id, guildId: i.guildId, channelId: i.channelId, locale: i.locale, memberPermissions: i.memberPermissions?.bitfield ?? null, inThread: i.channel?.isThread() ?? false };
}
