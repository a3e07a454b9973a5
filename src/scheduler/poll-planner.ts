// The stateful side of adaptive polling: a request budget (what fixed polling at POLL_CRON's
// cadence would spend), the feeds' learned rates, and the per-tick choice of which due feeds to
// poll. The arithmetic lives in src/ingest/adaptive-schedule.ts as pure functions.
import {
  adjustPlan,
  DEFAULT_BOUNDS,
  firstSlot,
  nextPollAt,
  observe,
  PRIOR_RATE,
  solveScale,
  takeWithinBudget,
  type FeedRate,
  type ScheduleBounds,
} from '../ingest/adaptive-schedule.js';
import type { SchedulePort } from '../store/ports.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface PlannedFeed {
  readonly id: string;
  readonly intervalMinutes: number | null;
  readonly nextPollAt: number | null;
  readonly lastFetchAt: number | null;
  readonly initialized: boolean;
}

export interface PollOutcome {
  readonly ok: boolean;
  readonly newItems: number;
  /** The response's freshness lifetime (Cache-Control max-age / Expires), when it gave one. */
  readonly maxAgeMs?: number | null;
}

export interface PollPlanner {
  /** The due feeds to poll on this tick, longest overdue first, within the budget. */
  select<T extends PlannedFeed>(due: readonly T[], now: number, tickMs: number): Promise<T[]>;
  /** After a poll of a feed without a fixed interval: learn from it and plan its next poll. */
  after(feed: PlannedFeed, outcome: PollOutcome, now: number): Promise<void>;
  readonly budgetPerHour: () => number;
}

export interface PlannerOptions {
  readonly repo: SchedulePort;
  /** The cadence whose cost is kept: POLL_CRON's average period. */
  readonly referencePeriodMs: number;
  /** Minutes east of UTC of the operator's time zone at an instant (for hour-of-day habits). */
  readonly offsetMinutes: (at: number) => number;
}

export function boundsFor(referencePeriodMs: number): ScheduleBounds {
  // A fast POLL_CRON (tests, the soak) may poll faster than two minutes; a slow one may need
  // intervals longer than an hour to stay on its budget.
  return { ...DEFAULT_BOUNDS, minMs: Math.min(DEFAULT_BOUNDS.minMs, referencePeriodMs), maxMs: Math.max(DEFAULT_BOUNDS.maxMs, 4 * referencePeriodMs) };
}

export function createPollPlanner(opts: PlannerOptions): PollPlanner {
  const bounds = boundsFor(opts.referencePeriodMs);
  const perFeedPerHour = HOUR / opts.referencePeriodMs;
  let rates = new Map<string, FeedRate>();
  let adaptiveFeeds = 0;
  let budget = 0;
  let plan = 0;
  let scale = Number.POSITIVE_INFINITY;
  let scaledAt = Number.NEGATIVE_INFINITY;
  let adjustedAt = Number.NEGATIVE_INFINITY;
  let startedAt: number | null = null;
  let tick = 0;
  let tokens: number | null = null;
  const polls: number[] = []; // times of the polls made in the last day

  const reload = async (now: number) => {
    const rows = (await opts.repo.rates()).filter((r) => !r.fixed);
    rates = new Map(rows.map((r) => [r.id, r.rate ?? PRIOR_RATE]));
    adaptiveFeeds = rows.length;
    budget = adaptiveFeeds * perFeedPerHour;
    if (plan === 0) plan = budget;
    if (now - adjustedAt >= HOUR) {
      while (polls.length > 0 && polls[0]! <= now - DAY) polls.shift();
      plan = adjustPlan(plan, budget, polls.length, (now - (startedAt ?? now)) / HOUR);
      adjustedAt = now;
    }
    scale = solveScale([...rates.values()], plan, bounds, tick);
    scaledAt = now;
  };

  return {
    async select(due, now, tickMs) {
      startedAt ??= now;
      tick = tickMs;
      if (now - scaledAt >= 10 * MINUTE) await reload(now);
      const perTick = (budget * Math.max(tickMs, 1_000)) / HOUR;
      // Twice the average rate per tick, up to four ticks' worth saved: busy hours may spend
      // what quiet ones did not, and a restart with every feed due drains in a few ticks.
      const cap = Math.max(1, perTick * 4);
      tokens = Math.min(cap, (tokens ?? cap) + perTick * 2);
      // A fixed-interval feed never polled gets a slot inside its first interval, so a catalog
      // of hourly feeds does not fire on one tick against one RSSHub.
      const fixed: typeof due[number][] = [];
      for (const f of due) {
        if (f.intervalMinutes === null) continue;
        const slot = f.nextPollAt !== null ? now : firstSlot(f.id, now, f.intervalMinutes * MINUTE);
        if (slot <= now) fixed.push(f);
        else await opts.repo.reschedule(f.id, slot);
      }
      const chosen = takeWithinBudget(due.filter((f) => f.intervalMinutes === null), Math.floor(tokens));
      tokens -= chosen.length;
      for (let i = 0; i < chosen.length; i++) polls.push(now);
      return [...fixed, ...chosen];
    },
    async after(feed, outcome, now) {
      if (!outcome.ok) return; // the poll recorded its backoff
      if (feed.intervalMinutes !== null) {
        // Keep the feed's phase (its slot + k intervals), not "now + interval", so slots stay
        // spread however late a busy tick polled it.
        const every = feed.intervalMinutes * MINUTE;
        const from = feed.nextPollAt ?? now;
        await opts.repo.reschedule(feed.id, from + Math.max(1, Math.ceil((now - from + 1) / every)) * every);
        return;
      }
      const previous = rates.get(feed.id) ?? PRIOR_RATE;
      // A feed's first poll finds its whole backlog: that says nothing about how often it publishes.
      const rate = feed.initialized && feed.lastFetchAt !== null ? observe(previous, { since: feed.lastFetchAt, now, newItems: outcome.newItems, offsetMinutes: opts.offsetMinutes(now), halfLifeHours: bounds.halfLifeHours }) : previous;
      rates.set(feed.id, rate);
      const at = nextPollAt({ rate, now, scale, offsetMinutes: opts.offsetMinutes(now), foundNew: feed.initialized && outcome.newItems > 0, maxAgeMs: outcome.maxAgeMs ?? null, bounds });
      await opts.repo.record(feed.id, rate, at);
    },
    budgetPerHour: () => budget,
  };
}

/** Minutes east of UTC in a time zone at an instant (DST-aware). */
// Building a formatter costs far more than using one; polls ask for the offset twice each.
const formatters = new Map<string, Intl.DateTimeFormat>();

export function zoneOffsetMinutes(timeZone: string, at: number): number {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(timeZone, format);
  }
  const parts = format.formatToParts(at);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - Math.floor(at / 1000) * 1000) / MINUTE);
}
