// The explicit list of slash commands: what `npm run deploy-commands` registers and what
// the interaction router dispatches to.
import { region } from './region.js';
import type { CommandModule } from './types.js';

export const COMMANDS: readonly CommandModule[] = [region];

export const definitions = () => COMMANDS.map((c) => c.definition);
