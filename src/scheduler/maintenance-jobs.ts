import type { Logger } from '../shared/logger.js';
import type { MaintenancePort } from '../store/ports.js';
import type { Job } from './scheduler.js';

/** Engine housekeeping off the write path (SQLite: WAL checkpoints, so no commit pays for one). */
export function checkpointJob(maintenance: MaintenancePort): Job {
  return { name: 'checkpoint', cron: '*/1 * * * *', run: () => maintenance.checkpoint() };
}

/** Daily at 04:10 local time: drop articles past the retention age (none when it is 0). */
export function retentionJob(maintenance: MaintenancePort, retentionMs: number, logger: Logger, now: () => number = Date.now): Job | null {
  if (retentionMs <= 0) return null;
  return {
    name: 'retention',
    cron: '10 4 * * *',
    run: async () => {
      const result = await maintenance.applyRetention(retentionMs, now());
      logger.info({ ...result }, 'retention applied');
    },
  };
}
