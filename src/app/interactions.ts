// Wires the slash commands into a discord.js client (shared by the bot and its tests).
import { createCooldowns, SERVER_SLOW_DOWN, SLOW_DOWN, type CooldownKind, type CooldownRules } from '../../commands/cooldown.js';
import { COMMANDS } from '../../commands/index.js';
import { warmRegionSearch } from '../../commands/region-search.js';
import { UserError } from '../../commands/errors.js';
import { COMMON, t, uiLanguage } from '../../commands/i18n.js';
import { channelAccessFor, roleAccessFor } from '../discord/channel-access.js';
import type { DiscordClient } from '../discord/client.js';
import { attachInteractionRouter, type Admission } from '../discord/interactions.js';
import type { Logger } from '../shared/logger.js';
import type { Bot } from './bot.js';
import { commandDeps } from './command-deps.js';

/** Searching is the expensive request: /news and its page buttons share the search window. */
function cooldownKind(a: Admission): CooldownKind {
  if (a.kind === 'autocomplete') return 'autocomplete';
  if (a.kind === 'button') return a.name.startsWith('news:p:') ? 'search' : 'button';
  return a.name === 'news' ? 'search' : 'command';
}

export function attachCommands(client: DiscordClient, bot: Bot, logger: Logger, now: () => number = Date.now, rules?: CooldownRules): void {
  // Autocomplete must answer well inside Discord's 3 s: build the region index before the first one.
  warmRegionSearch(bot.services.gazetteer);
  const cooldowns = createCooldowns(now, rules);
  attachInteractionRouter(client, {
    modules: COMMANDS,
    deps: commandDeps(bot, channelAccessFor(client), now, roleAccessFor(client)),
    logger,
    text: { internalError: COMMON.internalError, expired: COMMON.expired },
    isUserError: (e): e is UserError => e instanceof UserError || (e instanceof Error && 'text' in e && 'params' in e),
    translate: (text, locale, params) => t(text, uiLanguage(locale), params),
    admit(a) {
      const v = cooldowns.take(cooldownKind(a), a.userId, a.guildId);
      return v.ok ? null : { text: v.scope === 'user' ? SLOW_DOWN : SERVER_SLOW_DOWN, params: { seconds: Math.ceil(v.retryAfterMs / 1000) } };
    },
  });
}
