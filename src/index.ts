// Composition root: config → database → services → scheduler (+ Discord, added by the delivery work).
// The only module with side effects on start; everything else is built here and passed down.
import { createServices } from './app/services.js';
import { ConfigError, requireDiscord } from './config/config.js';
import { configFromProcess } from './config/env.js';
import { checkpointJob, retentionJob } from './scheduler/maintenance-jobs.js';
import { pollJob } from './scheduler/poll-job.js';
import { createScheduler } from './scheduler/scheduler.js';
import { createLogger } from './shared/logger.js';
import { warmConverters } from './text/script.js';

async function start(): Promise<number> {
  let config;
  try {
    config = configFromProcess();
    requireDiscord(config);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      return 1;
    }
    throw e;
  }
  const logger = createLogger(config.logLevel);
  const services = createServices(config, logger);
  const feedCount = services.syncCatalog().length;
  warmConverters();
  const jobs = [pollJob(services.ingestDeps(), config.pollCron), checkpointJob(services.db), retentionJob(services.db, config.retentionMs, logger)];
  const scheduler = createScheduler(jobs.filter((j) => j !== null), { timeZone: config.timeZone, logger });
  scheduler.start();
  logger.info({ feeds: feedCount, database: config.databasePath, cron: config.pollCron }, 'xiangxun started');

  return new Promise<number>((resolve) => {
    let stopping = false;
    const shutdown = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'shutting down');
      await scheduler.stop();
      services.close();
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
