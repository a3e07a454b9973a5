// What a slash command is: a definition (plain data, registered with Discord) and handlers
// that take a plain input and injected dependencies. Nothing here imports discord.js.
import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord-api-types/v10';
import type { Embed } from '../src/presentation/message.js';
import type { CommandDeps } from './deps.js';

export type UiLanguage = 'zh-Hans' | 'zh-Hant' | 'en';

/** Everything a handler may know about who asked, where, and with what. */
export interface CommandInput {
  readonly interactionId: string;
  readonly name: string;
  readonly subcommand: string | null;
  readonly options: Readonly<Record<string, string | number | boolean>>;
  readonly userId: string;
  readonly guildId: string | null;
  readonly channelId: string | null;
  /** Discord locale of the user (en-US, zh-CN, zh-TW …). */
  readonly locale: string;
  /** The member's permissions in this channel, as Discord computed them; null outside a guild. */
  readonly memberPermissions: bigint | null;
  /** Files given to attachment options, by option name. */
  readonly attachments?: Readonly<Record<string, Attachment>>;
}

export interface Attachment {
  readonly url: string;
  readonly name: string;
  readonly size: number;
}

export interface AutocompleteInput extends CommandInput {
  readonly focused: { readonly name: string; readonly value: string };
}

export interface ButtonInput {
  readonly customId: string;
  readonly userId: string;
  readonly guildId: string | null;
  readonly channelId: string | null;
  readonly locale: string;
  readonly memberPermissions: bigint | null;
  /** The button sits in a thread (posting there needs Send Messages in Threads). */
  readonly inThread?: boolean;
}

export interface Button {
  readonly customId: string;
  readonly label: string;
  readonly style: 'primary' | 'secondary' | 'success';
  readonly disabled?: boolean;
}

export interface Reply {
  readonly content?: string;
  readonly embeds?: readonly Embed[];
  readonly buttons?: readonly Button[];
  readonly ephemeral?: boolean;
  /** Files attached to the reply (an exported .opml). */
  readonly files?: readonly { readonly name: string; readonly data: string }[];
}

/** A button may edit the message it sits on, or answer with a new message. */
export type ButtonReply =
  | { readonly update: Reply }
  | { readonly reply: Reply }
  /** `onFailed`: called when the follow-up could not be sent, to release what the handler reserved for it. */
  | { readonly followUp: Reply; readonly update?: Reply; readonly onFailed?: () => void | Promise<void> };

export interface Choice {
  readonly name: string;
  readonly value: string;
}

export type Definition = RESTPostAPIChatInputApplicationCommandsJSONBody;

export interface CommandModule {
  readonly definition: Definition;
  /** Slow commands defer first (true: public, 'ephemeral': only the caller sees it). */
  readonly defer?: false | 'public' | 'ephemeral' | ((input: CommandInput) => false | 'public' | 'ephemeral');
  execute(input: CommandInput, deps: CommandDeps): Promise<Reply>;
  autocomplete?(input: AutocompleteInput, deps: CommandDeps): Promise<readonly Choice[]>;
  /** Buttons whose custom id starts with `${definition.name}:`. */
  button?(input: ButtonInput, deps: CommandDeps): Promise<ButtonReply>;
}
