// Polls a set of feeds with bounded concurrency; one failing feed never stops the others.
// Pollers may run in several processes over one store (Postgres): each feed is leased before it
// is fetched, so two pollers never fetch or store one feed at once (on SQLite the one process
// holds every lease).
import { randomUUID } from 'node:crypto';
import type { FeedState } from '../store/ports.js';
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

/**
 * A poll lease is short and renewed while the poll runs: a poller killed mid-poll (a crash, a
 * deploy) holds its feeds for at most this long, not for the length of the longest poll.
 */
export const POLL_LEASE_MS = 60_000;

let processPoller: string | null = null;
/** This process's lease holder id when the deps name none (made on first use). */
const defaultPollerId = (): string => (processPoller ??= `poller-${randomUUID()}`);

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

/**
 * Polls one feed under its lease; null when another poller holds it, or polled it since the
 * caller read its state and it is not due again yet. The poll runs on the feed's state as read
 * under the lease, so its validators are the latest poll's.
 */
async function pollLeased(deps: IngestDeps, feed: FeedState): Promise<PollReport | null> {
  const holder = deps.pollerId ?? defaultPollerId();
  const { store } = deps;
  const leaseMs = deps.leaseMs ?? POLL_LEASE_MS;
  if (!(await store.leases.acquire(feed.id, holder, deps.now(), leaseMs))) return null;
  // Renewed at a third of its length, so a slow poll (many enrichments) keeps its feed.
  const renew = setInterval(() => void store.leases.acquire(feed.id, holder, deps.now(), leaseMs).catch(() => undefined), Math.max(1_000, leaseMs / 3));
  renew.unref();
  let report: PollReport | null;
  try {
    const current = await store.feeds.get(feed.id);
    const polledSince = current !== null && current.lastFetchAt !== feed.lastFetchAt && current.nextPollAt !== null && current.nextPollAt > deps.now();
    report = current === null || polledSince ? null : await pollFeed(deps, current);
  } catch (err) {
    clearInterval(renew);
    // The poll's own error matters more than a failed release (the lease lapses anyway).
    await store.leases.release(feed.id, holder).catch(() => undefined);
    throw err;
  }
  clearInterval(renew);
  await store.leases.release(feed.id, holder);
  return report;
}

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
      // A dry run stores nothing, so it takes no lease.
      const report = opts.dryRun ? await pollFeed(deps, feed, { dryRun: true }) : await pollLeased(deps, feed);
      if (report === null) continue;
      reports.push(report);
      opts.onReport?.(report);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency ?? 6, feeds.length)) }, worker));
  return reports;
}
