// Composition root: config → the bot's start-up path (app/launch.ts) → health endpoint, signals.
// The only module with side effects on start; everything else is built there and passed down.
import type { HttpServer } from './app/http-server.js';
import { startHttpServer } from './app/http-server.js';
import { launchBot, LoginError } from './app/launch.js';
import { ConfigError, requireDiscord } from './config/config.js';
import { configFromProcess } from './config/env.js';
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
  let http: HttpServer | null = null;
  const httpConfig = config.http;
  let running;
  try {
    running = await launchBot(config, logger, {
      ...credentials,
      // The health endpoint answers while the bot logs in (not ready until it has).
      beforeLogin: async ({ bot, discord }) => {
        if (!httpConfig) return;
        http = await startHttpServer({
          ...httpConfig,
          sources: {
            readiness: async () => {
              const r = await bot.readiness();
              // Every shard this process runs must be connected, not only the client (issue #16).
              const reasons = [...discord.readiness().reasons, ...r.reasons];
              return { ready: reasons.length === 0, reasons };
            },
            metrics: () => bot.metrics.render(),
          },
          onError: (err) => logger.error({ err }, 'health endpoint failed'),
        });
        logger.info({ host: httpConfig.host, port: http.port }, 'health and metrics listening');
      },
    });
  } catch (e) {
    await (http as HttpServer | null)?.close();
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      return 1;
    }
    if (e instanceof LoginError) {
      const cause = e.cause as Error;
      logger.fatal({ err: { name: cause?.name, message: cause?.message } }, 'could not log in to Discord');
      return 1;
    }
    throw e;
  }
  const bot = running;
  logger.info({ feeds: bot.feeds, database: config.databasePath, cron: config.pollCron }, 'xiangxun started');

  return new Promise<number>((resolve) => {
    let stopping = false;
    const shutdown = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'shutting down: finishing deliveries in flight');
      await bot.stop();
      await (http as HttpServer | null)?.close();
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
