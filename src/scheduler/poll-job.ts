import type { IngestDeps, PollReport } from '../ingest/poll-feed.js';
import { pollMany } from '../ingest/poll-many.js';
import type { PollPlanner } from './poll-planner.js';
import type { Job } from './scheduler.js';

export interface PollJobOptions {
  /** How often the job looks for due feeds (each feed has its own next poll time). */
  readonly tickCron: string;
  /** Chooses within the budget and plans each feed's next poll; without it, every due feed is polled. */
  readonly planner?: PollPlanner;
  readonly onReport?: (r: PollReport) => void;
}

/**
 * The poll job: every tick, poll the feeds that are due, spread over part of the tick. A run
 * with periodMs 0 (pollNow: tests and tools) polls every due feed regardless of the budget.
 */
export function pollJob(deps: IngestDeps, opts: PollJobOptions): Job {
  return {
    name: 'poll',
    cron: opts.tickCron,
    async run(signal, { periodMs }) {
      const now = deps.now();
      const due = await deps.store.feeds.due(now);
      if (due.length === 0) return;
      const planner = periodMs > 0 ? opts.planner : undefined;
      const chosen = planner ? await planner.select(due, now, periodMs) : due;
      const byId = new Map(chosen.map((f) => [f.id, f]));
      const reports = await pollMany(deps, chosen, { signal, jitterWindowMs: Math.min(60_000, periodMs / 2) });
      for (const r of reports) {
        const feed = byId.get(r.feedId);
        if (feed && planner) await planner.after(feed, { ok: r.status !== 'error', newItems: r.items.length, maxAgeMs: r.maxAgeMs ?? null }, deps.now());
        opts.onReport?.(r);
      }
      const failed = reports.filter((r) => r.status === 'error');
      const stored = reports.reduce((n, r) => n + r.items.length, 0);
      deps.logger.info({ due: due.length, polled: reports.length, failed: failed.length, stored }, 'poll tick done');
      for (const r of failed) deps.logger.warn({ feed: r.feedId, kind: r.errorKind, error: r.error, paused: r.paused }, 'feed poll failed');
      // A lying charset, replaced bytes, a flood, items left for later: worth an operator's look.
      for (const r of reports) if (r.warnings.length > 0) deps.logger.warn({ feed: r.feedId, warnings: r.warnings }, 'feed poll warnings');
    },
  };
}
