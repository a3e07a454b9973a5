// The explicit list of slash commands: what `npm run deploy-commands` registers and what
// the interaction router dispatches to.
import { feeds } from './feeds.js';
import { news } from './news.js';
import { region } from './region.js';
import { settings } from './settings.js';
import type { CommandModule } from './types.js';
import { why } from './why.js';

export const COMMANDS: readonly CommandModule[] = [region, news, settings, feeds, why];

export const definitions = () => COMMANDS.map((c) => c.definition);
