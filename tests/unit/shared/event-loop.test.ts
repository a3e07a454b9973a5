import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { figures, startEventLoopMonitor, type EventLoopMonitor } from '../../../src/shared/event-loop.js';

let monitor: EventLoopMonitor | null = null;
afterEach(() => monitor?.stop());

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

const block = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // Holding the loop on purpose: the monitor must see it.
  }
};
const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('event-loop delay monitor', () => {
  it('reports p99 and max of a window in the log, keeps them for metrics, and starts a new window', async () => {
    const { logger, lines } = capture();
    monitor = startEventLoopMonitor(logger, { intervalMs: 3_600_000, resolutionMs: 5, warnP99Ms: 10, warnMaxMs: 10 });
    expect(monitor.last()).toBeNull();
    await tick(20);
    block(80);
    await tick(20);
    const f = monitor.report();
    // A held loop shows as a delay at least as long as most of the hold, however busy the machine.
    expect(f.max).toBeGreaterThanOrEqual(40);
    expect(f.p99).toBeLessThanOrEqual(f.max);
    expect(f.samples).toBeGreaterThan(0);
    expect(monitor.last()).toEqual(f);
    await tick(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ eventLoopDelayMs: { p99: f.p99, max: f.max }, msg: 'event loop was late' });
    // The histogram starts again: the hold is not in the next window.
    expect(monitor.current().max).toBeLessThan(f.max);
  });

  it('an idle window is reported at info level', async () => {
    const { logger, lines } = capture();
    monitor = startEventLoopMonitor(logger, { intervalMs: 3_600_000, warnP99Ms: 1e6, warnMaxMs: 1e6 });
    await tick(5);
    monitor.report();
    await tick(1);
    expect(lines[0]).toMatchObject({ level: 30, msg: 'event loop delay' });
  });

  it('reports how late the sampling timer ran, not its interval', () => {
    // Node records the time between two runs of its timer: an idle loop sampled every 20 ms
    // records 20 ms, a 100 ms hold about 120 ms.
    const ms = 1e6;
    const recorded = (values: number[]) => ({
      count: values.length,
      max: Math.max(...values) * ms,
      mean: (values.reduce((a, b) => a + b, 0) / values.length) * ms,
      percentile: (p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil((p / 100) * values.length) - 1)]! * ms,
    });
    expect(figures(recorded([20, 20, 20, 20.4]), 20)).toEqual({ p50: 0, p99: 0.4, max: 0.4, mean: 0.1, samples: 4 });
    expect(figures(recorded([20, 120]), 20)).toMatchObject({ max: 100, p99: 100 });
    // A timer never runs early by more than the clock's grain: nothing below zero.
    expect(figures(recorded([19.6, 20]), 20)).toMatchObject({ p50: 0, max: 0 });
    expect(figures(recorded([]), 20)).toEqual({ p50: 0, p99: 0, max: 0, mean: 0, samples: 0 });
  });
});
