// `npm run deploy-commands`: registers every slash command with Discord.
import { definitions } from '../../commands/index.js';
import { ConfigError, requireDiscord } from '../config/config.js';
import { configFromProcess } from '../config/env.js';
import { deployCommands } from '../discord/deploy.js';

async function run(): Promise<number> {
  try {
    const config = configFromProcess();
    const { token, applicationId } = requireDiscord(config);
    const { count, scope } = await deployCommands({ token, applicationId, apiBase: config.discord.apiBase, guildId: config.discord.devGuildId, definitions: definitions() });
    process.stdout.write(`Registered ${count} commands (${scope}).\n`);
    return 0;
  } catch (e) {
    if (e instanceof ConfigError) process.stderr.write(`${e.message}\n`);
    else process.stderr.write(`Could not register the commands: ${(e as Error).message}\n`);
    return 1;
  }
}

process.exitCode = await run();
