// The explicit list of CLI commands.
import type { CliCommand } from '../context.js';
import { dbMigrateCommand } from './db.js';
import { extractCommand } from './extract.js';
import { feedsCheckCommand, feedsListCommand, feedsResumeCommand } from './feeds.js';
import { pollCommand } from './poll.js';

export const commands: readonly CliCommand[] = [
  pollCommand,
  feedsListCommand,
  feedsCheckCommand,
  feedsResumeCommand,
  extractCommand,
  dbMigrateCommand,
];
