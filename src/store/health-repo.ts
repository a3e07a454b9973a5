// What operators' probes ask of the database: cheap counts for metrics and a real write for
// readiness (a file made read-only, a full disk or an I/O error shows only when writing).
import type { Db } from './database.js';
import { ACTIVE_FEED } from './feeds-repo.js';

export interface HealthRepo {
  outboxPending(): number;
  pausedFeeds(): number;
  pausedChannels(): number;
  /** When the delivery's row was written, i.e. when its story was first stored. */
  deliveryCreatedAt(id: number): number | null;
  /** Commits one tiny write; returns the error code when the database cannot take it. */
  probeWrite(): string | null;
}

export function createHealthRepo(db: Db): HealthRepo {
  // deliveries_due is a partial index on exactly these states: the count never scans history.
  const pending = db.prepare("SELECT count(*) FROM deliveries WHERE state IN ('pending', 'sending')").pluck();
  // Only feeds still polled.
  const feeds = db.prepare(`SELECT count(*) FROM feeds WHERE paused_at IS NOT NULL AND ${ACTIVE_FEED}`).pluck();
  const channels = db.prepare('SELECT count(*) FROM channel_state WHERE paused_at IS NOT NULL').pluck();
  const createdAt = db.prepare('SELECT created_at FROM deliveries WHERE id = ?').pluck();
  return {
    outboxPending: () => pending.get() as number,
    pausedFeeds: () => feeds.get() as number,
    pausedChannels: () => channels.get() as number,
    deliveryCreatedAt: (id) => (createdAt.get(id) as number | undefined) ?? null,
    probeWrite() {
      // A probe must answer at once: while another connection (a backup, a CLI import) holds
      // the write lock, waiting out busy_timeout would stall the event loop for seconds.
      const busy = db.pragma('busy_timeout', { simple: true }) as number;
      db.pragma('busy_timeout = 0');
      try {
        // Rewriting the schema version with its own value is a real, committed write of one
        // page that changes nothing: no table is needed for it.
        const v = db.pragma('user_version', { simple: true }) as number;
        db.pragma(`user_version = ${v}`);
        return null;
      } catch (err) {
        const code = (err as { code?: string }).code ?? 'SQLITE_ERROR';
        // Someone else writing proves the file takes writes.
        return code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED') ? null : code;
      } finally {
        db.pragma(`busy_timeout = ${busy}`);
      }
    },
  };
}
