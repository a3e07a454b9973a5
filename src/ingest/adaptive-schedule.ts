// Per-feed poll scheduling that spends a fixed request budget where it buys freshness.
//
// Each feed keeps a decayed estimate of how many items it publishes per hour, and when in the
// day it publishes (24 decayed hourly counts, in the operator's time zone). For a feed
// publishing at rate λ and polled every T, an item waits T/2 on average; with a total budget of
// polls, the sum of waits Σ λ·T/2 under Σ 1/T = budget is smallest when T ∝ 1/√λ. One constant
// c (found by bisection over every feed and hour of the day) makes T = c/√λ spend the budget
// over a day: busy feeds are polled every few minutes in their busy hours, quiet feeds and
// night hours rarely. Bounds keep every feed seen at least hourly and none hammered.
// Pure functions: the poll job feeds them state; the replay benchmark feeds them a simulation.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export interface FeedRate {
  /** Decayed count of new items, and the decayed hours over which they were observed. */
  readonly items: number;
  readonly hours: number;
  /** Decayed new items by local hour of day (24 entries). */
  readonly hourly: readonly number[];
}

export interface ScheduleBounds {
  readonly minMs: number;
  readonly maxMs: number;
  /** Half-life of the rate estimate: old habits fade in a few days. */
  readonly halfLifeHours: number;
}

export const DEFAULT_BOUNDS: ScheduleBounds = { minMs: 2 * MINUTE, maxMs: 60 * MINUTE, halfLifeHours: 72 };

/** What a feed never observed is assumed to do: about one item every half day, at any hour. */
export const PRIOR_RATE: FeedRate = { items: 1, hours: 12, hourly: Array.from({ length: 24 }, () => 1 / 24) };

/** Hour of day (0–23) of an instant, in a fixed offset from UTC (minutes). */
export const localHour = (at: number, offsetMinutes: number): number => Math.floor((((at + offsetMinutes * MINUTE) % (24 * HOUR)) + 24 * HOUR) % (24 * HOUR) / HOUR);

/** The estimate after a poll that found `newItems` since the previous poll at `since`. */
export function observe(rate: FeedRate, o: { since: number; now: number; newItems: number; offsetMinutes: number; halfLifeHours?: number }): FeedRate {
  const dtHours = Math.max(0, (o.now - o.since) / HOUR);
  const decay = 0.5 ** (dtHours / (o.halfLifeHours ?? DEFAULT_BOUNDS.halfLifeHours));
  const hourly = rate.hourly.map((v) => v * decay);
  // The items appeared some time in (since, now]: credit the hour in the middle of it.
  if (o.newItems > 0) hourly[localHour((o.since + o.now) / 2, o.offsetMinutes)]! += o.newItems;
  return { items: rate.items * decay + o.newItems, hours: rate.hours * decay + dtHours, hourly };
}

/** Items per minute expected at a local hour, from the rate and the feed's day profile. */
export function ratePerMinute(rate: FeedRate, hour: number): number {
  const base = rate.items / Math.max(rate.hours, 1 / 60) / 60;
  const total = rate.hourly.reduce((a, b) => a + b, 0);
  // Blend the learned profile with a flat day, so one quiet week cannot close an hour for good.
  const smoothing = 2;
  const share = ((rate.hourly[hour] ?? 0) + smoothing / 24) / (total + smoothing);
  return Math.max(base * 24 * share, 1e-9);
}

/**
 * How strongly intervals follow rates: 1/2 minimises the mean delay; a little less spends some
 * of the budget on quiet feeds, which shortens the long tail (p90) for a small cost in the mean
 * (the replay benchmark, bench/schedule-replay.ts, shows both).
 */
export const RATE_EXPONENT = 0.4;

const clampInterval = (ms: number, b: ScheduleBounds): number => Math.min(b.maxMs, Math.max(b.minMs, ms));
const intervalFor = (c: number, lambda: number, b: ScheduleBounds): number => clampInterval((c / lambda ** RATE_EXPONENT) * MINUTE, b);

/**
 * The constant c (minutes·√(items/minute)) that spends `pollsPerHour` on average over a day,
 * across these feeds' hourly rates. Feeds with a fixed interval are left out by the caller.
 */
export function solveScale(rates: readonly FeedRate[], pollsPerHour: number, b: ScheduleBounds = DEFAULT_BOUNDS, tickMs = 0): number {
  if (rates.length === 0 || pollsPerHour <= 0) return Number.POSITIVE_INFINITY;
  const weights = Float64Array.from(rates.flatMap((r) => Array.from({ length: 24 }, (_, h) => ratePerMinute(r, h) ** RATE_EXPONENT)));
  // Polls per hour that a scale spends, averaged over the 24 hours.
  const spend = (c: number) => {
    let sum = 0;
    // A poll waits for the next tick after it falls due: half a tick longer on average.
    for (const w of weights) sum += HOUR / (clampInterval((c / w) * MINUTE, b) + tickMs / 2);
    return sum / 24;
  };
  let lo = 1e-6;
  let hi = 1e6;
  if (spend(hi) > pollsPerHour) return hi; // even the slowest schedule is over budget
  for (let i = 0; i < 45; i++) {
    const mid = Math.sqrt(lo * hi);
    if (spend(mid) > pollsPerHour) lo = mid;
    else hi = mid;
  }
  return hi;
}

/**
 * When to poll next. `foundNew`: this poll found items, and news comes in bursts, so the next
 * look comes sooner. `maxAgeMs`: the response's freshness lifetime (Cache-Control/Expires):
 * polling before it runs out would only fetch the same cached copy.
 */
export function nextPollAt(p: { rate: FeedRate; now: number; scale: number; offsetMinutes: number; foundNew: boolean; maxAgeMs?: number | null; bounds?: ScheduleBounds }): number {
  const b = p.bounds ?? DEFAULT_BOUNDS;
  let interval = intervalFor(p.scale, ratePerMinute(p.rate, localHour(p.now, p.offsetMinutes)), b);
  if (p.foundNew) interval = Math.max(b.minMs, interval / 2);
  if (p.maxAgeMs && p.maxAgeMs > 0) interval = Math.max(interval, Math.min(p.maxAgeMs, b.maxMs / 2));
  return p.now + interval;
}

/**
 * A feed seen for the first time gets a slot inside its first interval, from a hash of its id,
 * so a hundred new feeds do not all fire on the same tick.
 */
export function firstSlot(feedId: string, now: number, windowMs: number): number {
  let h = 2166136261;
  for (let i = 0; i < feedId.length; i++) h = Math.imul(h ^ feedId.charCodeAt(i), 16777619) >>> 0;
  return now + (windowMs > 0 ? h % windowMs : 0);
}

/** Which of the due feeds to poll now under a per-minute budget: the longest overdue first. */
export function takeWithinBudget<T extends { nextPollAt: number | null }>(due: readonly T[], allowed: number): T[] {
  if (due.length <= allowed) return [...due];
  return [...due].sort((a, b) => (a.nextPollAt ?? 0) - (b.nextPollAt ?? 0)).slice(0, Math.max(0, allowed));
}

/**
 * Keeps the real spend within budget: the model's idea of the spend drifts from the truth
 * (bursts, cache lifetimes, a feed's habits changing), so every hour the plan is nudged by how the
 * last day's polls compare with the day's budget — a day, not an hour, so night savings are kept.
 * The plan never exceeds the budget: planning more only queues overdue feeds at busy hours.
 */
export function adjustPlan(plan: number, budgetPerHour: number, polledLastDay: number, hoursObserved: number): number {
  if (hoursObserved < 6 || polledLastDay <= 0) return plan;
  const spentPerHour = polledLastDay / Math.min(24, hoursObserved);
  const step = Math.min(1.1, Math.max(0.9, Math.sqrt(budgetPerHour / spentPerHour)));
  return Math.min(budgetPerHour, Math.max(budgetPerHour * 0.3, plan * step));
}
