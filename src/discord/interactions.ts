// One dispatcher for every interaction: find the command, defer if it is slow, run it, reply.
// A UserError is shown to the user in their language; anything else is logged with its stack
// and the user gets a short message with an error id, never internal details.
import { randomBytes } from 'node:crypto';
import { MessageFlags, type BaseMessageOptions, type Client, type Interaction } from 'discord.js';
import type { CommandDeps } from '../../commands/deps.js';
import type { Localized } from '../../commands/i18n.js';
import type { CommandModule, Reply } from '../../commands/types.js';
import { ButtonStyle, COMPONENT_LIMITS, ComponentType } from '../presentation/discord-api.js';
import type { Logger } from '../shared/logger.js';
import { autocompleteInput, buttonInput, commandInput } from './to-input.js';

export interface RouterOptions {
  readonly modules: readonly CommandModule[];
  readonly deps: CommandDeps;
  readonly logger: Logger;
  readonly text: { readonly internalError: Localized; readonly expired: Localized };
  readonly isUserError: (e: unknown) => e is Error & { text: Localized; params: Readonly<Record<string, string | number>> };
  readonly translate: (text: Localized, locale: string, params?: Readonly<Record<string, string | number>>) => string;
  /**
   * Rate limits for people, asked before any work: null admits the request (and counts it),
   * else the text to show. Autocomplete over its limit gets an empty list instead.
   */
  readonly admit?: (request: Admission) => { readonly text: Localized; readonly params: Readonly<Record<string, string | number>> } | null;
}

export interface Admission {
  readonly kind: 'command' | 'button' | 'autocomplete';
  /** Command name, or the button's custom id. */
  readonly name: string;
  readonly userId: string;
  readonly guildId: string | null;
}

const STYLE = { primary: ButtonStyle.Primary, secondary: ButtonStyle.Secondary, success: ButtonStyle.Success } as const;

export function toPayload(reply: Reply): BaseMessageOptions & { content: string } {
  const rows = [];
  const { buttonsPerRow, buttonLabel } = COMPONENT_LIMITS;
  for (let i = 0; i < (reply.buttons?.length ?? 0); i += buttonsPerRow) {
    const buttons = reply.buttons!.slice(i, i + buttonsPerRow);
    rows.push({ type: ComponentType.ActionRow, components: buttons.map((b) => ({ type: ComponentType.Button, style: STYLE[b.style], label: b.label.slice(0, buttonLabel), custom_id: b.customId, disabled: b.disabled ?? false })) });
  }
  return { content: reply.content ?? '', embeds: [...(reply.embeds ?? [])] as never, components: rows as never, allowedMentions: { parse: [] } };
}

export function attachInteractionRouter(client: Client, opts: RouterOptions): void {
  const byName = new Map(opts.modules.map((m) => [m.definition.name, m]));
  const log = opts.logger.child({ module: 'interactions' });

  const fail = async (i: Interaction, err: unknown, where: string) => {
    const locale = 'locale' in i ? i.locale : 'en-US';
    const content = opts.isUserError(err)
      ? opts.translate(err.text, locale, err.params)
      : (() => {
          const id = randomBytes(4).toString('hex');
          log.error({ err, errorId: id, where, guild: i.guildId, user: i.user.id }, 'interaction failed');
          return opts.translate(opts.text.internalError, locale, { id });
        })();
    if (!i.isRepliable()) return;
    if (i.deferred || i.replied) await i.editReply({ content, embeds: [], components: [] });
    else await i.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
  };

  client.on('interactionCreate', (i: Interaction) => {
    void (async () => {
      // Interactions for guilds the bot is not in are forged or stale: ignore them.
      if (i.guildId && !client.guilds.cache.has(i.guildId)) return log.warn({ guild: i.guildId }, 'interaction from an unknown guild ignored');
      const refused = (kind: Admission['kind'], name: string) => opts.admit?.({ kind, name, userId: i.user.id, guildId: i.guildId }) ?? null;
      try {
        if (i.isAutocomplete()) {
          if (refused('autocomplete', i.commandName)) return await i.respond([]);
          const m = byName.get(i.commandName);
          const choices = m?.autocomplete ? await m.autocomplete(autocompleteInput(i), opts.deps) : [];
          await i.respond(choices.slice(0, 25).map((c) => ({ name: c.name.slice(0, 100) || c.value, value: c.value.slice(0, 100) })));
        } else if (i.isChatInputCommand()) {
          const m = byName.get(i.commandName);
          const slow = refused('command', i.commandName);
          if (slow) throw Object.assign(new Error('rate limited'), slow);
          if (!m) throw Object.assign(new Error('unknown command'), { text: opts.text.expired, params: {} });
          const input = commandInput(i);
          const defer = typeof m.defer === 'function' ? m.defer(input) : (m.defer ?? false);
          if (defer) await i.deferReply(defer === 'ephemeral' ? { flags: MessageFlags.Ephemeral } : {});
          const reply = await m.execute(input, opts.deps);
          const payload = toPayload(reply);
          if (defer) await i.editReply(payload);
          else await i.reply({ ...payload, flags: reply.ephemeral ? MessageFlags.Ephemeral : undefined });
        } else if (i.isButton()) {
          const m = byName.get(i.customId.split(':')[0] ?? '');
          const slow = refused('button', i.customId);
          if (slow) throw Object.assign(new Error('rate limited'), slow);
          if (!m?.button) throw Object.assign(new Error('stale button'), { text: opts.text.expired, params: {} });
          const r = await m.button(buttonInput(i), opts.deps);
          if ('followUp' in r) {
            try {
              if (r.update) await i.update(toPayload(r.update));
              else await i.deferUpdate();
              await i.followUp({ ...toPayload(r.followUp), flags: r.followUp.ephemeral ? MessageFlags.Ephemeral : undefined });
            } catch (e) {
              // Nothing was posted: whatever the handler reserved for this post is released.
              await Promise.resolve(r.onFailed?.()).catch((release: unknown) => log.error({ err: release }, 'could not release a search result after a failed post'));
              throw e;
            }
          } else if ('update' in r) await i.update(toPayload(r.update));
          else await i.reply({ ...toPayload(r.reply), flags: r.reply.ephemeral ? MessageFlags.Ephemeral : undefined });
        }
      } catch (err) {
        await fail(i, err, i.isChatInputCommand() || i.isAutocomplete() ? i.commandName : 'button').catch((e: unknown) => log.error({ err: e }, 'could not report an interaction error'));
      }
    })();
  });
}
