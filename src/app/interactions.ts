// Wires the slash commands into a discord.js client (shared by the bot and its tests).
import type { Client } from 'discord.js';
import { COMMANDS } from '../../commands/index.js';
import { warmRegionSearch } from '../../commands/region-search.js';
import { UserError } from '../../commands/errors.js';
import { COMMON, t, uiLanguage } from '../../commands/i18n.js';
import { channelAccessFor } from '../discord/channel-access.js';
import { attachInteractionRouter } from '../discord/interactions.js';
import type { Logger } from '../shared/logger.js';
import type { Bot } from './bot.js';
import { commandDeps } from './command-deps.js';

export function attachCommands(client: Client, bot: Bot, logger: Logger, now: () => number = Date.now): void {
  // Autocomplete must answer well inside Discord's 3 s: build the region index before the first one.
  warmRegionSearch(bot.services.gazetteer);
  attachInteractionRouter(client, {
    modules: COMMANDS,
    deps: commandDeps(bot, channelAccessFor(client), now),
    logger,
    text: { internalError: COMMON.internalError, expired: COMMON.expired },
    isUserError: (e): e is UserError => e instanceof UserError || (e instanceof Error && 'text' in e && 'params' in e),
    translate: (text, locale, params) => t(text, uiLanguage(locale), params),
  });
}
