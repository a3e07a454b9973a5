// `xiangxun <command>`: the operator's tools. Output goes to stdout, logs to stderr.
import { ConfigError } from '../config/config.js';
import { configFromProcess } from '../config/env.js';
import { createLogger } from '../shared/logger.js';
import { commands } from './commands/index.js';
import { UsageError, type CliCommand, type CliContext } from './context.js';

function findCommand(argv: readonly string[]): { command: CliCommand; rest: string[] } | null {
  const sorted = [...commands].sort((a, b) => b.path.length - a.path.length);
  for (const command of sorted) {
    if (command.path.every((word, i) => argv[i] === word)) return { command, rest: argv.slice(command.path.length) };
  }
  return null;
}

function help(out: (s: string) => void): void {
  out('xiangxun — Chinese regional news for Discord\n');
  out('Usage:');
  for (const c of commands) out(`  xiangxun ${c.usage.padEnd(58)} ${c.summary}`);
  out('\nConfiguration comes from the environment (see .env.example).');
}

export async function main(argv: readonly string[]): Promise<number> {
  const out = (s: string) => process.stdout.write(`${s}\n`);
  const err = (s: string) => process.stderr.write(`${s}\n`);
  if (argv.length === 0 || argv[0] === 'help' || argv[0] === '--help' || argv[0] === '-h') {
    help(out);
    return 0;
  }
  const found = findCommand(argv);
  if (!found) {
    err(`Unknown command: ${argv.join(' ')}\n`);
    help(err);
    return 2;
  }
  try {
    const config = configFromProcess();
    const ctx: CliContext = { config, logger: createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel), out, err };
    return await found.command.run(found.rest, ctx);
  } catch (e) {
    if (e instanceof ConfigError) {
      err(e.message);
      return 1;
    }
    if (e instanceof UsageError) {
      err(`${e.message}\nUsage: xiangxun ${found.command.usage}`);
      return 2;
    }
    err(`Error: ${(e as Error).message}`);
    return 1;
  }
}
