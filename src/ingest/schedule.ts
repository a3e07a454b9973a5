// When a feed is polled next: its interval after a success, exponential backoff after a failure.
import { createHash } from 'node:crypto';

const MINUTE = 60_000;
const MAX_BACKOFF = 6 * 60 * MINUTE;
/** A paused feed is probed once a day; one success resumes it. */
export const PAUSED_PROBE_MS = 24 * 60 * MINUTE;
/** Ticks are not exact: a feed due a little after the tick still counts as due. */
const SLACK = 30_000;

export function nextPollAfterSuccess(intervalMinutes: number | null, now: number): number {
  return intervalMinutes ? now + intervalMinutes * MINUTE - SLACK : now;
}

/** 2, 4, 8 … minutes, at most 6 hours, never sooner than the feed's own interval. */
export function backoffMs(failureCount: number, intervalMinutes: number | null): number {
  const exp = Math.min(MAX_BACKOFF, 2 * MINUTE * 2 ** Math.max(0, failureCount - 1));
  return Math.max(exp, (intervalMinutes ?? 0) * MINUTE - SLACK);
}

/** A fixed offset per feed (hash of its id), so feeds spread over the window instead of all firing at once. */
export function jitterOffsetMs(feedId: string, windowMs: number): number {
  if (windowMs <= 0) return 0;
  const h = createHash('sha1').update(feedId).digest().readUInt32BE(0);
  return h % windowMs;
}
