import { createServices } from '../../app/services.js';
import { pollMany } from '../../ingest/poll-many.js';
import { formatReport, summarizeReports } from '../format.js';
import { UsageError, parseArgs, type CliCommand } from '../context.js';

export const pollCommand: CliCommand = {
  path: ['poll'],
  usage: 'poll --once [--feed ID] [--dry-run] [--json]',
  summary: 'poll feeds once and print what was fetched and stored',
  async run(args, ctx) {
    const { flags, options } = parseArgs(args, { flags: ['once', 'dry-run', 'json'], options: ['feed'] });
    if (!flags.has('once')) throw new UsageError('poll runs one cycle and exits: pass --once (the bot polls on its schedule with npm start)');
    const services = createServices(ctx.config, ctx.logger);
    try {
      services.syncCatalog();
      const id = options.get('feed');
      const feeds = id ? [services.feeds.get(id)].filter((f) => f !== null) : services.feeds.list();
      if (id && feeds.length === 0) {
        ctx.err(`No feed with id "${id}" in ${ctx.config.feedsFile}. See: xiangxun feeds list`);
        return 1;
      }
      const reports = await pollMany(services.ingestDeps(), feeds, {
        dryRun: flags.has('dry-run'),
        onReport: (r) => {
          if (!flags.has('json')) for (const line of formatReport(r)) ctx.out(line);
        },
      });
      if (flags.has('json')) ctx.out(JSON.stringify(reports, null, 2));
      else ctx.out(`\n${summarizeReports(reports)}${flags.has('dry-run') ? ' (dry run: nothing stored)' : ''}`);
      return 0;
    } finally {
      services.close();
    }
  },
};
