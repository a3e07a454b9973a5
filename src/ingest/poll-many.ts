// Polls a set of feeds with bounded concurrency; one failing feed never stops the others.
import type { FeedState } from '../store/feeds-repo.js';
import { pollFeed, type IngestDeps, type PollReport } from './poll-feed.js';
import { jitterOffsetMs } from './schedule.js';

export interface PollManyOptions {
  readonly concurrency?: number;
  readonly dryRun?: boolean;
  /** Spread starts over this window by a per-feed offset (scheduler ticks); 0 for the CLI. */
  readonly jitterWindowMs?: number;
  readonly signal?: AbortSignal;
  readonly onReport?: (report: PollReport) => void;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

export async function pollMany(deps: IngestDeps, feeds: readonly FeedState[], opts: PollManyOptions = {}): Promise<PollReport[]> {
  const window = opts.jitterWindowMs ?? 0;
  const queue = [...feeds].sort((a, b) => jitterOffsetMs(a.id, window) - jitterOffsetMs(b.id, window));
  const startedAt = Date.now();
  const reports: PollReport[] = [];
  const worker = async () => {
    for (let feed = queue.shift(); feed; feed = queue.shift()) {
      if (opts.signal?.aborted) return;
      await sleep(startedAt + jitterOffsetMs(feed.id, window) - Date.now(), opts.signal);
      if (opts.signal?.aborted) return;
      const report = await pollFeed(deps, feed, { dryRun: opts.dryRun });
      reports.push(report);
      opts.onReport?.(report);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency ?? 6, feeds.length)) }, worker));
  return reports;
}
