// Composition root: config → database → services → scheduler + Discord.
// The only module with side effects on start; everything else is built here and passed down.
import { definitions } from '../commands/index.js';
import { createBot } from './app/bot.js';
import { startHttpServer, type HttpServer } from './app/http-server.js';
import { attachCommands } from './app/interactions.js';
import { ConfigError, requireDiscord } from './config/config.js';
import { configFromProcess } from './config/env.js';
import { createDiscordClient } from './discord/client.js';
import { deployCommands } from './discord/deploy.js';
import { createDiscordPublisher } from './discord/publisher.js';
import { createLogger } from './shared/logger.js';

async function start(): Promise<number> {
  let config;
  let credentials;
  try {
    config = configFromProcess();
    credentials = requireDiscord(config);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      return 1;
    }
    throw e;
  }
  const logger = createLogger(config.logLevel);
  let bot: ReturnType<typeof createBot> | null = null;
  const discord = createDiscordClient({
    token: credentials.token,
    apiBase: config.discord.apiBase,
    logger,
    onGuild: (g) => bot?.subscriptions.updateSettings(g.id, { locale: g.locale }, Date.now()),
    onRateLimited: (info) => bot?.metrics.rateLimited(info.global),
  });
  bot = createBot(config, logger, { publisher: createDiscordPublisher(discord.client) });
  attachCommands(discord.client, bot, logger);
  let http: HttpServer | null = null;
  if (config.http) {
    const running = bot;
    try {
      http = await startHttpServer({
        ...config.http,
        sources: {
          readiness: () => {
            const r = running.readiness();
            const reasons = discord.client.isReady() ? r.reasons : ['not logged in to the Discord gateway', ...r.reasons];
            return { ready: reasons.length === 0, reasons };
          },
          metrics: () => running.metrics.render(),
        },
        onError: (err) => logger.error({ err }, 'health endpoint failed'),
      });
      logger.info({ host: config.http.host, port: http.port }, 'health and metrics listening');
    } catch (e) {
      await bot.stop();
      await discord.destroy();
      if (e instanceof ConfigError) {
        process.stderr.write(`${e.message}\n`);
        return 1;
      }
      throw e;
    }
  }
  try {
    await discord.login();
  } catch (err) {
    logger.fatal({ err: { name: (err as Error).name, message: (err as Error).message } }, 'could not log in to Discord');
    await bot.stop();
    await discord.destroy();
    await http?.close();
    return 1;
  }
  for (const g of discord.client.guilds.cache.values()) bot.subscriptions.updateSettings(g.id, { locale: g.preferredLocale }, Date.now());
  if (config.registerCommands) {
    const result = await deployCommands({ ...credentials, apiBase: config.discord.apiBase, guildId: config.discord.devGuildId, definitions: definitions() }).catch((err: unknown) => {
      logger.error({ err: { message: (err as Error).message } }, 'could not register slash commands');
      return null;
    });
    if (result) logger.info(result, 'slash commands registered');
  }
  const feeds = bot.start();
  logger.info({ feeds, database: config.databasePath, cron: config.pollCron }, 'xiangxun started');

  return new Promise<number>((resolve) => {
    let stopping = false;
    const shutdown = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'shutting down: finishing deliveries in flight');
      await bot!.stop();
      await discord.destroy();
      await http?.close();
      logger.info('stopped');
      resolve(0);
    };
    process.once('SIGINT', () => void shutdown('SIGINT'));
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
  });
}

process.on('unhandledRejection', (reason) => {
  process.stderr.write(`unhandled rejection: ${reason instanceof Error ? reason.stack : String(reason)}\n`);
});
process.exitCode = await start();
