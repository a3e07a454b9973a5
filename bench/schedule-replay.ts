// Replays a week of realistic publishing against two schedules and prints, side by side, the
// delay from an item appearing in its feed to the poll that finds it, and the requests spent:
//   fixed    every feed every 10 minutes, at a spread offset (what POLL_CRON alone gives);
//   adaptive the per-feed schedule of src/ingest/adaptive-schedule.ts under the same budget.
// The world: busy, medium and quiet feeds; a Beijing day (quiet nights, busy mornings); items in
// bursts (a story and its follow-ups); a fifth of the feeds send Cache-Control max-age=300.
// Simulated time, seeded randomness: the figures depend on the algorithm, not on this machine.
import { DEFAULT_BOUNDS, firstSlot } from '../src/ingest/adaptive-schedule.js';
import { createPollPlanner } from '../src/scheduler/poll-planner.js';
import type { SchedulePort, StoredRate } from '../src/store/ports.js';
import { rng } from './util.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const OFFSET = 8 * 60; // Asia/Shanghai
const DAYS = 8;
const WARMUP = 2 * DAY;


// Relative publishing by Beijing hour: newsrooms wake at 7, peak in the morning, slow at night.
const DAY_SHAPE = [0.08, 0.05, 0.03, 0.03, 0.05, 0.1, 0.4, 1.2, 2.2, 2.4, 2.2, 1.8, 1.0, 1.0, 1.6, 1.8, 1.7, 1.5, 1.2, 1.1, 1.0, 0.8, 0.5, 0.2];
const SHAPE_MEAN = DAY_SHAPE.reduce((a, b) => a + b, 0) / 24;

interface SimFeed {
  readonly id: string;
  readonly perDay: number;
  readonly maxAgeMs: number | null;
  readonly items: number[]; // appearance times, ascending
}

function world(feeds: number, seed: number): SimFeed[] {
  const rand = rng(seed);
  const out: SimFeed[] = [];
  for (let i = 0; i < feeds; i++) {
    const r = rand();
    const perDay = r < 0.15 ? 40 + rand() * 30 : r < 0.4 ? 6 + rand() * 8 : 0.5 + rand() * 2;
    const items: number[] = [];
    // Bursts arrive as a Poisson process shaped by the hour; each holds 1–5 items minutes apart.
    const meanBurst = 2.2;
    for (let t = 0; t < DAYS * DAY; ) {
      t += MINUTE;
      const hour = Math.floor(((t + OFFSET * MINUTE) % DAY) / HOUR);
      const p = (perDay / meanBurst / (24 * 60)) * (DAY_SHAPE[hour]! / SHAPE_MEAN);
      if (rand() >= p) continue;
      const size = 1 + Math.floor(-Math.log(1 - rand()) * (meanBurst - 1));
      let at = t - rand() * MINUTE;
      for (let k = 0; k < size; k++) {
        items.push(at);
        at += (0.5 + rand() * 6) * MINUTE;
      }
    }
    items.sort((a, b) => a - b);
    out.push({ id: `feed-${i}`, perDay, maxAgeMs: rand() < 0.2 ? 5 * MINUTE : null, items });
  }
  return out;
}

interface Result {
  delays: number[];
  requests: number;
}

/** Collects the delay of every item found by a poll at `now` since the previous poll. */
function harvest(f: SimFeed, cursor: { i: number }, now: number, out: number[]): number {
  let found = 0;
  while (cursor.i < f.items.length && f.items[cursor.i]! <= now) {
    if (f.items[cursor.i]! >= WARMUP) out.push(now - f.items[cursor.i]!);
    cursor.i++;
    found++;
  }
  return found;
}

function fixed(feeds: readonly SimFeed[], periodMs: number): Result {
  const delays: number[] = [];
  let requests = 0;
  for (const f of feeds) {
    const cursor = { i: 0 };
    for (let t = firstSlot(f.id, 0, periodMs); t <= DAYS * DAY; t += periodMs) {
      harvest(f, cursor, t, delays);
      if (t >= WARMUP) requests++;
    }
  }
  return { delays, requests };
}

async function adaptive(feeds: readonly SimFeed[]): Promise<Result> {
  const delays: number[] = [];
  let requests = 0;
  // The bot's own planner, over an in-memory table instead of SQLite.
  const table = new Map(feeds.map((f) => [f.id, { f, cursor: { i: 0 }, rate: null as StoredRate | null, lastFetchAt: null as number | null, nextPollAt: null as number | null }]));
  const repo: SchedulePort = {
    rates: async () => [...table.values()].map((r) => ({ id: r.f.id, fixed: false, rate: r.rate })),
    async record(id, rate, next) {
      const row = table.get(id)!;
      row.rate = rate;
      row.nextPollAt = next;
    },
    async reschedule(id, next) {
      table.get(id)!.nextPollAt = next;
    },
  };
  const planner = createPollPlanner({ repo, referencePeriodMs: 10 * MINUTE, offsetMinutes: () => OFFSET });
  for (let now = 0; now <= DAYS * DAY; now += MINUTE) {
    const due = [...table.values()]
      .filter((r) => r.nextPollAt === null || r.nextPollAt <= now)
      .map((r) => ({ id: r.f.id, intervalMinutes: null, nextPollAt: r.nextPollAt, lastFetchAt: r.lastFetchAt, initialized: r.lastFetchAt !== null }));
    for (const feed of await planner.select(due, now, MINUTE)) {
      const row = table.get(feed.id)!;
      if (now >= WARMUP) requests++;
      const found = harvest(row.f, row.cursor, now, delays);
      await planner.after(feed, { ok: true, newItems: found, maxAgeMs: row.f.maxAgeMs }, now);
      row.lastFetchAt = now;
    }
  }
  return { delays, requests };
}

const quantile = (sorted: readonly number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
const min = (ms: number) => `${(ms / MINUTE).toFixed(2)} min`;

export async function benchScheduleReplay(): Promise<void> {
  const feeds = world(200, 20261205);
  const items = feeds.reduce((n, f) => n + f.items.filter((t) => t >= WARMUP).length, 0);
  const hours = (DAYS * DAY - WARMUP) / HOUR;
  console.log(`## schedule replay: ${feeds.length} feeds, ${DAYS - WARMUP / DAY} measured days (after ${WARMUP / DAY} days of learning), ${items} items`);
  console.log('   target: median ≤ 2 min, p90 ≤ 6 min, requests/hour ≤ fixed 10-minute polling\n');
  const rows: Array<[string, Result]> = [
    ['fixed every 10 min', fixed(feeds, 10 * MINUTE)],
    ['adaptive (same budget)', await adaptive(feeds)],
  ];
  console.log(`${'schedule'.padEnd(24)} ${'median'.padStart(10)} ${'p90'.padStart(10)} ${'mean'.padStart(10)} ${'requests/hour'.padStart(14)}`);
  for (const [name, r] of rows) {
    const d = [...r.delays].sort((a, b) => a - b);
    const mean = d.reduce((a, b) => a + b, 0) / Math.max(1, d.length);
    console.log(`${name.padEnd(24)} ${min(quantile(d, 0.5)).padStart(10)} ${min(quantile(d, 0.9)).padStart(10)} ${min(mean).padStart(10)} ${(r.requests / hours).toFixed(0).padStart(14)}`);
  }
  console.log(`   (bounds: every ${DEFAULT_BOUNDS.minMs / MINUTE}–${DEFAULT_BOUNDS.maxMs / MINUTE} min per feed)\n`);
}
