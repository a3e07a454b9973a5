// Running the bot as a long-lived process in one role: the start-up checks, the health
// endpoint, the bot's start-up path (launch.ts) and a clean stop on SIGINT/SIGTERM. Shared by
// `npm start` (src/index.ts) and `xiangxun start --role …` (cli/commands/start.ts).
import { ConfigError, requireDiscord, type Config } from '../config/config.js';
import { createLogger } from '../shared/logger.js';
import { SchemaTooNewError } from '../store/errors.js';
import { DatabaseUrlError } from '../store/pg/connection.js';
import { startHttpServer, type HttpServer } from './http-server.js';
import { launchBot, LoginError, type RunningBot } from './launch.js';
import { checkRole, needsDiscord, type Role } from './roles.js';

export interface RunIo {
  /** A line for the operator when start-up is refused (stderr). */
  readonly err: (line: string) => void;
  /** Calls `stop` once on the first shutdown signal. */
  readonly onShutdown: (stop: (signal: string) => void) => void;
}

/** Runs until a shutdown signal; resolves with the process exit code. */
export async function runBot(config: Config, role: Role, io: RunIo): Promise<number> {
  let credentials: { token?: string; applicationId?: string } = {};
  try {
    checkRole(role, config);
    if (needsDiscord(role)) credentials = requireDiscord(config);
  } catch (e) {
    if (e instanceof ConfigError) {
      io.err(e.message);
      return 1;
    }
    throw e;
  }
  const logger = createLogger(config.logLevel);
  let http: HttpServer | null = null;
  const httpConfig = config.http;
  let running: RunningBot;
  try {
    running = await launchBot(config, logger, {
      ...credentials,
      role,
      // The health endpoint answers while the bot logs in (not ready until it has).
      beforeLogin: async ({ bot, discord }) => {
        if (!httpConfig) return;
        http = await startHttpServer({
          ...httpConfig,
          sources: {
            readiness: async () => {
              const r = await bot.readiness();
              // Every shard this process runs must be connected, not only the client (issue #16).
              const reasons = [...(discord?.readiness().reasons ?? []), ...r.reasons];
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
    // A wrong or unreachable DATABASE_URL (named, password hidden), or a schema from a newer program.
    if (e instanceof ConfigError || e instanceof DatabaseUrlError || e instanceof SchemaTooNewError) {
      io.err(e.message);
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
  logger.info({ role, feeds: bot.feeds, jobs: bot.bot.jobs, database: config.databaseUrl ? 'postgres' : config.databasePath, cron: config.pollCron }, 'xiangxun started');

  return new Promise<number>((resolve) => {
    let stopping = false;
    io.onShutdown((signal) => {
      if (stopping) return;
      stopping = true;
      void (async () => {
        logger.info({ signal }, 'shutting down: finishing deliveries in flight');
        await bot.stop();
        await (http as HttpServer | null)?.close();
        logger.info('stopped');
        resolve(0);
      })();
    });
  });
}

/** Shutdown on SIGINT or SIGTERM, whichever comes first. */
export const processSignals = (stop: (signal: string) => void): void => {
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
};
