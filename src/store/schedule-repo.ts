// The publishing rates the adaptive schedule learns, and the next poll it plans, per feed.
import type { Db } from './database.js';
import { ACTIVE_FEED } from './feeds-repo.js';

export interface StoredRate {
  readonly items: number;
  readonly hours: number;
  readonly hourly: readonly number[];
}

export interface ScheduleRepo {
  /** Every polled feed's learned rate (null: never observed) and whether it has a fixed interval. */
  rates(): Array<{ id: string; fixed: boolean; rate: StoredRate | null }>;
  record(id: string, rate: StoredRate, nextPollAt: number): void;
  /** Sets a feed's next poll without touching what was learned (fixed intervals, first slots). */
  reschedule(id: string, nextPollAt: number): void;
}

export function createScheduleRepo(db: Db): ScheduleRepo {
  const all = db.prepare<[], { id: string; interval_minutes: number | null; rate_items: number | null; rate_hours: number | null; rate_hourly: string | null }>(
    `SELECT id, interval_minutes, rate_items, rate_hours, rate_hourly FROM feeds WHERE ${ACTIVE_FEED} AND paused_at IS NULL`,
  );
  const save = db.prepare('UPDATE feeds SET rate_items = ?, rate_hours = ?, rate_hourly = ?, next_poll_at = ? WHERE id = ?');
  const move = db.prepare('UPDATE feeds SET next_poll_at = ? WHERE id = ?');
  return {
    rates: () =>
      all.all().map((r) => {
        let hourly: number[] | null = null;
        try {
          const parsed = r.rate_hourly ? (JSON.parse(r.rate_hourly) as unknown) : null;
          if (Array.isArray(parsed) && parsed.length === 24 && parsed.every((v) => typeof v === 'number' && Number.isFinite(v))) hourly = parsed as number[];
        } catch {
          hourly = null;
        }
        const rate = r.rate_items !== null && r.rate_hours !== null && hourly ? { items: r.rate_items, hours: r.rate_hours, hourly } : null;
        return { id: r.id, fixed: r.interval_minutes !== null, rate };
      }),
    reschedule: (id, nextPollAt) => void move.run(nextPollAt, id),
    record: (id, rate, nextPollAt) => void save.run(rate.items, rate.hours, JSON.stringify(rate.hourly.map((v) => Math.round(v * 1e4) / 1e4)), nextPollAt, id),
  };
}
