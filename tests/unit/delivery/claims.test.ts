// Claim mode's bookkeeping (issue #16) over a real in-memory SQLite store with an injected
// clock: shares from heartbeats, the hand-over wait, rows held and released, one planner, and
// the global budget split by the number of deliverers.
import { describe, expect, it } from 'vitest';
import { createClaims, type ClaimOptions } from '../../../src/delivery/claims.js';
import { createLimiter, SlidingWindow } from '../../../src/delivery/limiter.js';
import { silentLogger } from '../../../src/shared/logger.js';
import { createSearchIndex } from '../../../src/store/sqlite-search/index-writer.js';
import { openDatabase } from '../../../src/store/database.js';
import { channelShare } from '../../../src/store/share.js';
import { createSqliteStore } from '../../../src/store/sqlite-store.js';
import { queueStories } from '../../helpers/deliverers.js';

const opts: ClaimOptions = { leaseMs: 60_000, batch: 10, ttlMs: 3_000, renewMs: 1_000, lookMs: 1_000 };
const limits = { perChannel: { limit: 5, windowMs: 5_000 }, global: { limit: 48, windowMs: 1_000 } };
// Grace after a share change: one heartbeat period plus the longer limit window.
const GRACE = opts.renewMs + 5_000;

function setup(channels = ['1001', '1002', '1003', '1004', '1005', '1006']) {
  const db = openDatabase(':memory:');
  const store = createSqliteStore(db, { index: createSearchIndex(db) });
  let t = 1_000_000;
  const clock = { now: () => t, advance: (ms: number) => void (t += ms) };
  queueStories(db, 'g1', channels, 2, 0);
  const make = (id: string) => {
    const limiter = createLimiter(limits);
    return { limiter, claims: createClaims({ outbox: store.outbox, deliverers: store.deliverers, id, limiter, now: clock.now, logger: silentLogger }, opts) };
  };
  const state = (id: number) => db.prepare('SELECT state, attempts FROM deliveries WHERE id = ?').get(id) as { state: string; attempts: number };
  /** Lets `ms` pass as running workers do: each lists (and so heartbeats) every 500 ms. */
  const run = async (ms: number, ...running: Array<ReturnType<typeof make>>) => {
    for (let left = ms; left > 0; left -= 500) {
      clock.advance(Math.min(500, left));
      for (const r of running) await r.claims.list(clock.now(), false);
    }
  };
  return { db, store, clock, make, state, channels, run };
}

describe('claims', () => {
  it('claims nothing until the hand-over wait is over, then only its own channels, attempts counted before the claim', async () => {
    const { clock, make, state, run } = setup();
    const a = make('a');
    expect((await a.claims.list(clock.now(), true)).rows).toEqual([]);
    expect(a.claims.share()).toEqual({ index: 0, count: 1 });
    clock.advance(GRACE - 1);
    expect(a.claims.claiming(clock.now())).toBe(false);
    clock.advance(1 - GRACE);
    await run(GRACE - 500, a); // listing without a kick, not yet looking (lookMs)
    clock.advance(500);
    // Every row the share holds (12 rows > batch: the first 10 in due order).
    const { rows } = await a.claims.list(clock.now(), true);
    expect(rows).toHaveLength(10);
    expect(rows.every((r) => r.attempts === 0)).toBe(true);
    expect(state(rows[0]!.id)).toEqual({ state: 'sending', attempts: 1 });
  });

  it('splits the channels and the global budget between two deliverers, and one of them plans digests', async () => {
    const { clock, make, channels, run } = setup();
    const a = make('a');
    const b = make('b');
    await a.claims.list(clock.now(), false);
    await b.claims.list(clock.now(), false);
    await run(opts.renewMs, a); // a learns there are two
    expect([a.claims.share(), b.claims.share()]).toEqual([{ index: 0, count: 2 }, { index: 1, count: 2 }]);
    await run(GRACE, a, b);
    const got = [...(await a.claims.list(clock.now(), true)).rows, ...(await b.claims.list(clock.now(), true)).rows];
    const byA = (await a.claims.list(clock.now(), false)).rows.map((r) => r.channelId);
    expect(got).toHaveLength(channels.length * 2);
    expect(byA.every((c) => channelShare(c, 2) === 0)).toBe(true);
    expect(new Set(got.map((r) => r.id)).size).toBe(got.length);
    expect([a.claims.plans(clock.now()), b.claims.plans(clock.now())]).toEqual([true, false]);
    // 48 per second for the bot: 24 each.
    for (let i = 0; i < 24; i++) a.limiter.take(`c${i}`, clock.now());
    expect(a.limiter.nextAt('other', clock.now())).toBeGreaterThan(clock.now());
  });

  it('a clean leave releases the rows not started, and the other takes their channels after its wait', async () => {
    const { clock, make, state, run } = setup();
    const a = make('a');
    const b = make('b');
    await a.claims.list(clock.now(), false);
    await b.claims.list(clock.now(), false);
    await run(opts.renewMs + GRACE, a, b);
    const held = (await a.claims.list(clock.now(), true)).rows;
    expect(held.length).toBeGreaterThan(0);
    await a.claims.leave();
    expect(held.map((r) => state(r.id).state).every((s) => s === 'pending')).toBe(true);
    await run(opts.renewMs, b);
    expect(b.claims.share()).toEqual({ index: 0, count: 1 });
    expect(b.claims.claiming(clock.now())).toBe(false);
    await run(GRACE, b);
    // b sends what it holds of its own share, then claims again.
    for (const r of (await b.claims.list(clock.now(), false)).rows) b.claims.started(r.id);
    const taken = (await b.claims.list(clock.now(), true)).rows.map((r) => r.id);
    expect(taken).toEqual(expect.arrayContaining(held.map((r) => r.id)));
  });

  it('a deliverer whose heartbeat lapsed (it died) stops counting, and its rows come back after their lease', async () => {
    const { clock, make, state, run } = setup(['2001', '2002', '2003', '2004']);
    const a = make('a');
    const b = make('b');
    await a.claims.list(clock.now(), false);
    await b.claims.list(clock.now(), false);
    await run(opts.renewMs + GRACE, a, b);
    const heldByA = (await a.claims.list(clock.now(), true)).rows; // then a dies: no leave, no heartbeat
    expect(heldByA.length).toBeGreaterThan(0);
    await b.claims.list(clock.now(), true);
    await run(opts.ttlMs, b);
    expect(b.claims.share()).toEqual({ index: 0, count: 1 });
    await run(GRACE, b);
    // Still leased to a: 'sending' and not claimable.
    expect((await b.claims.list(clock.now(), true)).rows.filter((r) => heldByA.some((h) => h.id === r.id))).toEqual([]);
    expect(state(heldByA[0]!.id).state).toBe('sending');
    await run(opts.leaseMs, b);
    const again = (await b.claims.list(clock.now(), true)).rows;
    expect(again.map((r) => r.id)).toEqual(expect.arrayContaining(heldByA.map((r) => r.id)));
    // The earlier claim counted as an attempt: the retry knows it may have posted.
    for (const r of again.filter((x) => heldByA.some((h) => h.id === x.id))) expect(r.attempts).toBe(1);
  });
});

describe('SlidingWindow.divide', () => {
  it('keeps to a part of the limit, waiting for the older starts to leave the window', () => {
    const w = new SlidingWindow({ limit: 4, windowMs: 1000 });
    for (const t of [0, 100, 200, 300]) w.take(t);
    expect(w.nextAt(400)).toBe(1000);
    w.divide(2);
    // Two of the four starts must leave the window before the next one.
    expect(w.nextAt(400)).toBe(1200);
    w.divide(1);
    expect(w.nextAt(1000)).toBe(1000);
    w.divide(10);
    expect(w.nextAt(5000)).toBe(5000); // never below one start per window
  });
});
