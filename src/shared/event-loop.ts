// Event-loop delay: how late timers and I/O callbacks run. Everything shares one loop
// (gateway heartbeat, interaction acknowledgements, polling, SQLite), so this is the one
// figure that shows a stall whatever caused it (issue #11: p99 ≤ 100 ms, max ≤ 500 ms).
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { Logger } from './logger.js';

/** Delay figures in milliseconds over one window (since the previous report). */
export interface LoopDelay {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
  /** Samples in the window (0: no figures yet). */
  readonly samples: number;
}

export interface LoopMonitorOptions {
  /** How often figures are logged and a new window starts (default 60 s). */
  readonly intervalMs?: number;
  /** Sampling resolution of the histogram (default 20 ms). */
  readonly resolutionMs?: number;
  /** Above these the report is a warning (defaults: the targets). */
  readonly warnP99Ms?: number;
  readonly warnMaxMs?: number;
}

export interface EventLoopMonitor {
  /** The window being measured now. */
  current(): LoopDelay;
  /** The last complete window (what was last logged), or null before the first report. */
  last(): LoopDelay | null;
  /** Logs the current window and starts a new one (the timer calls this). */
  report(): LoopDelay;
  stop(): void;
}

const NS_PER_MS = 1e6;

/**
 * Node's histogram records the time between two runs of its sampling timer, which includes
 * the timer's own interval: an idle loop sampled every 20 ms reads "20 ms". The delay is
 * what comes on top of the interval (how late the timer ran), so the interval is taken off.
 */
export function figures(h: Pick<IntervalHistogram, 'count' | 'percentile' | 'max' | 'mean'>, resolutionMs: number): LoopDelay {
  const samples = h.count;
  if (samples === 0) return { p50: 0, p99: 0, max: 0, mean: 0, samples };
  const ms = (ns: number) => Math.max(0, Math.round((ns / NS_PER_MS - resolutionMs) * 10) / 10);
  return { p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max), mean: ms(h.mean), samples };
}

export function startEventLoopMonitor(logger: Logger, opts: LoopMonitorOptions = {}): EventLoopMonitor {
  const intervalMs = opts.intervalMs ?? 60_000;
  const warnP99 = opts.warnP99Ms ?? 100;
  const warnMax = opts.warnMaxMs ?? 500;
  const resolution = Math.max(1, Math.round(opts.resolutionMs ?? 20));
  const histogram = monitorEventLoopDelay({ resolution });
  histogram.enable();
  let last: LoopDelay | null = null;

  const monitor: EventLoopMonitor = {
    current: () => figures(histogram, resolution),
    last: () => last,
    report() {
      const f = figures(histogram, resolution);
      histogram.reset();
      last = f;
      const slow = f.p99 > warnP99 || f.max > warnMax;
      logger[slow ? 'warn' : 'info']({ eventLoopDelayMs: f, windowMs: intervalMs }, slow ? 'event loop was late' : 'event loop delay');
      return f;
    },
    stop() {
      clearInterval(timer);
      histogram.disable();
    },
  };
  const timer = setInterval(() => monitor.report(), intervalMs);
  // Figures are a side show: they never keep the process alive.
  timer.unref();
  return monitor;
}
