// Composition root: config → the bot in its role (app/run.ts: start-up path, health endpoint,
// signals). The only module with side effects on start; everything else is built there.
// `npm start` runs every part (role all); `npm start -- --role deliverer` runs one, as
// `xiangxun start --role …` does.
import { parseArgs } from 'node:util';
import { parseRole, RoleError } from './app/roles.js';
import { processSignals, runBot } from './app/run.js';
import { ConfigError } from './config/config.js';
import { configFromProcess } from './config/env.js';

async function start(): Promise<number> {
  const err = (line: string) => process.stderr.write(`${line}\n`);
  let config;
  let role;
  try {
    const { values } = parseArgs({ args: process.argv.slice(2), options: { role: { type: 'string' } }, strict: true });
    role = parseRole(values.role);
    config = configFromProcess();
  } catch (e) {
    if (e instanceof ConfigError || e instanceof RoleError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      err((e as Error).message);
      return e instanceof ConfigError ? 1 : 2;
    }
    throw e;
  }
  return runBot(config, role, { err, onShutdown: processSignals });
}

process.on('unhandledRejection', (reason) => {
  process.stderr.write(`unhandled rejection: ${reason instanceof Error ? reason.stack : String(reason)}\n`);
});
process.exitCode = await start();
