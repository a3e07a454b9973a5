import type { IngestDeps, PollReport } from '../ingest/poll-feed.js';
import { pollMany } from '../ingest/poll-many.js';
import type { Job } from './scheduler.js';

/** The poll job: every tick, poll the feeds that are due, spread over part of the period. */
export function pollJob(deps: IngestDeps, cronExpr: string, onReport?: (r: PollReport) => void): Job {
  return {
    name: 'poll',
    cron: cronExpr,
    async run(signal, { periodMs }) {
      const due = deps.feeds.due(deps.now());
      if (due.length === 0) return;
      const reports = await pollMany(deps, due, { signal, jitterWindowMs: Math.min(60_000, periodMs / 2) });
      if (onReport) for (const r of reports) onReport(r);
      const failed = reports.filter((r) => r.status === 'error');
      const stored = reports.reduce((n, r) => n + r.items.length, 0);
      deps.logger.info({ feeds: reports.length, failed: failed.length, stored }, 'poll tick done');
      for (const r of failed) deps.logger.warn({ feed: r.feedId, kind: r.errorKind, error: r.error, paused: r.paused }, 'feed poll failed');
    },
  };
}
