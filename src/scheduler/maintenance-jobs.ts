import { applyRetention } from '../search/maintenance.js';
import type { Logger } from '../shared/logger.js';
import { checkpoint, type Db } from '../store/database.js';
import type { Job } from './scheduler.js';

/** WAL checkpoints off the write path, so no commit pays for one. */
export function checkpointJob(db: Db): Job {
  return { name: 'checkpoint', cron: '*/1 * * * *', run: async () => checkpoint(db) };
}

/** Daily at 04:10 local time: drop articles past the retention age (none when it is 0). */
export function retentionJob(db: Db, retentionMs: number, logger: Logger): Job | null {
  if (retentionMs <= 0) return null;
  return {
    name: 'retention',
    cron: '10 4 * * *',
    run: async () => {
      const result = applyRetention(db, retentionMs);
      logger.info({ ...result }, 'retention applied');
    },
  };
}
