// The explicit list of CLI commands.
import type { CliCommand } from '../context.js';
import { dbBackupCommand, dbMigrateCommand, dbRestoreCommand } from './db.js';
import { dbCopyCommand } from './db-copy.js';
import { command as dbOptimizeCommand } from './db-optimize.js';
import { doctorCommand } from './doctor.js';
import { extractCommand } from './extract.js';
import { feedsCheckCommand, feedsListCommand, feedsResumeCommand } from './feeds.js';
import { feedsExportCommand, feedsImportCommand } from './feeds-opml.js';
import { pollCommand } from './poll.js';
import { command as searchCommand } from './search.js';
import { startCommand } from './start.js';

export const commands: readonly CliCommand[] = [
  startCommand,
  pollCommand,
  feedsListCommand,
  feedsCheckCommand,
  feedsResumeCommand,
  feedsExportCommand,
  feedsImportCommand,
  extractCommand,
  searchCommand,
  dbMigrateCommand,
  dbOptimizeCommand,
  dbBackupCommand,
  dbRestoreCommand,
  dbCopyCommand,
  doctorCommand,
];
