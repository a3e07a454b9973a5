// Adaptive polling: rates learned from polls, intervals from rates under a budget, and the
// planner that applies them to the feeds table. Simulated clocks only.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_BOUNDS,
  PRIOR_RATE,
  RATE_EXPONENT,
  adjustPlan,
  localHour,
  nextPollAt,
  observe,
  ratePerMinute,
  solveScale,
  takeWithinBudget,
  type FeedRate,
} from '../../../src/ingest/adaptive-schedule.js';
import { createPollPlanner, zoneOffsetMinutes } from '../../../src/scheduler/poll-planner.js';
import { openDatabase } from '../../../src/store/database.js';
import { createFeedsRepo } from '../../../src/store/feeds-repo.js';
import { createSqliteStore } from '../../../src/store/sqlite-store.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const OFFSET = 480; // UTC+8
// 2026-03-02 00:00 in UTC+8
const MIDNIGHT = Date.UTC(2026, 2, 1, 16, 0, 0);

/** A feed polled every `every` for `hours`, publishing `perHour` items in the local hours given. */
function learn(perHour: number, hours: number, every = 10 * MINUTE, activeHours: readonly number[] = Array.from({ length: 24 }, (_, h) => h)): FeedRate {
  let rate = PRIOR_RATE;
  let last = MIDNIGHT;
  let owed = 0;
  for (let t = MIDNIGHT + every; t <= MIDNIGHT + hours * HOUR; t += every) {
    if (activeHours.includes(localHour(t, OFFSET))) owed += (perHour * every) / HOUR;
    const found = Math.floor(owed);
    owed -= found;
    rate = observe(rate, { since: last, now: t, newItems: found, offsetMinutes: OFFSET });
    last = t;
  }
  return rate;
}

describe('adaptive schedule', () => {
  it('learns a feed’s rate from what its polls find', () => {
    const busy = learn(6, 72);
    expect(busy.items / busy.hours).toBeGreaterThan(5);
    expect(busy.items / busy.hours).toBeLessThan(6.5);
    const quiet = learn(0.1, 72);
    expect(quiet.items / quiet.hours).toBeLessThan(0.2);
  });

  it('polls busy feeds more often than quiet ones, and spends the budget it is given', () => {
    const busy = learn(6, 72);
    const quiet = learn(0.1, 72);
    const rates = [busy, quiet, quiet, quiet];
    const budget = rates.length * 6; // what fixed 10-minute polling spends
    const scale = solveScale(rates, budget);
    const at = MIDNIGHT + 10 * HOUR;
    const every = (r: FeedRate) => nextPollAt({ rate: r, now: at, scale, offsetMinutes: OFFSET, foundNew: false }) - at;
    expect(every(busy)).toBeLessThan(every(quiet));
    expect(every(busy)).toBeGreaterThanOrEqual(DEFAULT_BOUNDS.minMs);
    expect(every(quiet)).toBeLessThanOrEqual(DEFAULT_BOUNDS.maxMs);
    // The plan's spend over a day equals the budget.
    let spend = 0;
    for (const r of rates) for (let h = 0; h < 24; h++) spend += HOUR / Math.min(DEFAULT_BOUNDS.maxMs, Math.max(DEFAULT_BOUNDS.minMs, (scale / ratePerMinute(r, h) ** RATE_EXPONENT) * MINUTE));
    expect(spend / 24).toBeCloseTo(budget, 0);
  });

  it('learns the hours a feed publishes in, and polls less at night', () => {
    const daytime = learn(4, 24 * 7, 10 * MINUTE, [8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    expect(ratePerMinute(daytime, 10)).toBeGreaterThan(5 * ratePerMinute(daytime, 3));
    const scale = solveScale([daytime, PRIOR_RATE], 12);
    const day = MIDNIGHT + 10 * HOUR;
    const night = MIDNIGHT + 3 * HOUR;
    const gap = (at: number) => nextPollAt({ rate: daytime, now: at, scale, offsetMinutes: OFFSET, foundNew: false }) - at;
    expect(gap(night)).toBeGreaterThan(gap(day));
  });

  it('looks again sooner after finding news, and never before a response’s cache lifetime runs out', () => {
    const rate = learn(1, 48);
    const scale = solveScale([rate], 6);
    const at = MIDNIGHT + 10 * HOUR;
    const plain = nextPollAt({ rate, now: at, scale, offsetMinutes: OFFSET, foundNew: false }) - at;
    const burst = nextPollAt({ rate, now: at, scale, offsetMinutes: OFFSET, foundNew: true }) - at;
    expect(burst).toBeLessThan(plain);
    expect(burst).toBeGreaterThanOrEqual(DEFAULT_BOUNDS.minMs);
    const cached = nextPollAt({ rate, now: at, scale, offsetMinutes: OFFSET, foundNew: true, maxAgeMs: 20 * MINUTE }) - at;
    expect(cached).toBeGreaterThanOrEqual(20 * MINUTE);
  });

  it('polls the longest overdue first when more feeds are due than the budget allows', () => {
    const due = [{ id: 'a', nextPollAt: 300 }, { id: 'b', nextPollAt: null }, { id: 'c', nextPollAt: 100 }];
    expect(takeWithinBudget(due, 2).map((f) => f.id)).toEqual(['b', 'c']);
    expect(takeWithinBudget(due, 5)).toHaveLength(3);
  });

  it('nudges the plan toward the budget from a day of real spend', () => {
    expect(adjustPlan(100, 100, 2400 * 1.5, 24)).toBeLessThan(100);
    expect(adjustPlan(80, 100, 2400 * 0.5, 24)).toBeGreaterThan(80);
    expect(adjustPlan(100, 100, 2400 * 0.5, 24)).toBe(100); // never planned above the budget
    expect(adjustPlan(100, 100, 10, 2)).toBe(100); // too little history to judge
  });

  it('knows the operator’s offset from UTC', () => {
    expect(zoneOffsetMinutes('Asia/Shanghai', MIDNIGHT)).toBe(480);
    expect(zoneOffsetMinutes('UTC', MIDNIGHT)).toBe(0);
    expect(localHour(MIDNIGHT + 90 * MINUTE, 480)).toBe(1);
  });
});

describe('poll planner', () => {
  it('keeps each tick within the budget and plans every polled feed’s next poll in the table', async () => {
    const db = openDatabase(':memory:');
    const feeds = createFeedsRepo(db);
    const sources = Array.from({ length: 60 }, (_, i) => ({ id: `f${i}`, name: `f${i}`, url: `http://127.0.0.1/f${i}.xml`, region: '330400', intervalMinutes: i === 0 ? 15 : null, fullText: 'never' as const }));
    feeds.sync(sources, MIDNIGHT);
    const planner = createPollPlanner({ repo: createSqliteStore(db).schedule, referencePeriodMs: 10 * MINUTE, offsetMinutes: () => OFFSET });
    const now = MIDNIGHT + 9 * HOUR;
    const due = feeds.due(now);
    expect(due).toHaveLength(60);
    const chosen = await planner.select(due, now, MINUTE);
    // 59 adaptive feeds at 6 polls an hour: 5.9 a minute, up to four minutes' worth at once;
    // the fixed-interval feed is not the planner's to ration.
    expect(planner.budgetPerHour()).toBeCloseTo(59 * 6);
    expect(chosen.length).toBeLessThanOrEqual(1 + Math.ceil(59 * 6 * 4 / 60));
    // The fixed-interval feed is either polled now or given its slot within its first interval.
    const f0 = feeds.get('f0')!;
    expect(chosen.some((f) => f.id === 'f0') || (f0.nextPollAt! > now && f0.nextPollAt! <= now + 15 * MINUTE)).toBe(true);
    for (const f of chosen) await planner.after(f, { ok: true, newItems: 0 }, now);
    const after = feeds.list().filter((f) => chosen.some((c) => c.id === f.id && c.intervalMinutes === null));
    for (const f of after) {
      expect(f.nextPollAt! - now).toBeGreaterThanOrEqual(DEFAULT_BOUNDS.minMs);
      expect(f.nextPollAt! - now).toBeLessThanOrEqual(DEFAULT_BOUNDS.maxMs);
    }
    // Polled feeds are no longer due; the rest wait for the next ticks.
    expect(feeds.due(now).length).toBe(60 - after.length - 1);
    db.close();
  });

  it('spreads fixed-interval feeds over their interval and keeps each one’s phase', async () => {
    const db = openDatabase(':memory:');
    const feeds = createFeedsRepo(db);
    const sources = Array.from({ length: 40 }, (_, i) => ({ id: `hourly-${i}`, name: `h${i}`, url: `http://127.0.0.1/h${i}.xml`, region: '330400', intervalMinutes: 60, fullText: 'never' as const }));
    feeds.sync(sources, MIDNIGHT);
    const planner = createPollPlanner({ repo: createSqliteStore(db).schedule, referencePeriodMs: 10 * MINUTE, offsetMinutes: () => OFFSET });
    const now = MIDNIGHT + 9 * HOUR;
    const first = await planner.select(feeds.due(now), now, MINUTE);
    // Only the feeds whose slot is now poll at once; the others wait for their slot in the hour.
    expect(first.length).toBeLessThan(10);
    const slots = feeds.list().map((f) => f.nextPollAt).filter((t): t is number => t !== null && t > now);
    expect(slots.length).toBeGreaterThan(30);
    expect(Math.max(...slots) - Math.min(...slots)).toBeGreaterThan(30 * MINUTE);
    // A feed polled late keeps its phase: slot + one interval, not the late time + an interval.
    const late = feeds.list().find((f) => (f.nextPollAt ?? 0) > now)!;
    await planner.after({ ...late, initialized: true }, { ok: true, newItems: 0 }, late.nextPollAt! + 7 * MINUTE);
    expect(feeds.get(late.id)!.nextPollAt).toBe(late.nextPollAt! + HOUR);
    db.close();
  });
});
