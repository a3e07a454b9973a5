// `xiangxun start [--role all|poller|deliverer|gateway]`: runs the bot until SIGINT/SIGTERM.
// Several roles over one Postgres database split the bot into processes (issue #16); SQLite
// runs `all` only, and any other role is refused with the reason.
import { parseRole, RoleError, ROLES } from '../../app/roles.js';
import { processSignals, runBot } from '../../app/run.js';
import { UsageError, parseArgs, type CliCommand } from '../context.js';

export const startCommand: CliCommand = {
  path: ['start'],
  usage: `start [--role ${ROLES.join('|')}]`,
  summary: 'run the bot (default role all: polling, delivery and commands in one process)',
  async run(args, ctx) {
    const { options, positionals } = parseArgs(args, { options: ['role'] });
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
    let role;
    try {
      role = parseRole(options.get('role'));
    } catch (e) {
      if (e instanceof RoleError) throw new UsageError(e.message);
      throw e;
    }
    // The CLI's logger is quiet by default; a running bot logs at the configured level.
    return runBot(ctx.config, role, { err: ctx.err, onShutdown: processSignals });
  },
};
