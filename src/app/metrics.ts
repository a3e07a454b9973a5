// Prometheus metrics (prom-client), one registry per bot so tests can run several bots in a
// process. Counters are bumped by the composition root from the events the stages already
// report (poll reports, outbox transitions, REST rate limits); gauges read the database at
// scrape time with indexed counts, so a scrape stays cheap and never goes stale.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type PollResult = 'fetched' | 'not-modified' | 'unchanged' | 'error';
export type DeliveryResult = 'sent' | 'retry' | 'failed' | 'skipped' | 'digested';

/** A count from the store: the HealthPort's counts are async, a repository's are not. */
type Count = number | Promise<number>;

/** Read at scrape time; each must be a cheap, indexed query. */
export interface MetricSources {
  outboxPending(): Count;
  pausedFeeds(): Count;
  pausedChannels(): Count;
  /** Event-loop delay (ms) in the monitor's current window, when a monitor runs. */
  eventLoopDelay?(): { p99: number; max: number } | null;
}

export interface Metrics {
  poll(result: PollResult, newItems: number): void;
  newStory(): void;
  delivery(result: DeliveryResult, count?: number): void;
  rateLimited(global: boolean): void;
  /** Seconds from the story's first sighting (its outbox row) to its post. */
  postDelay(ms: number): void;
  render(): Promise<{ contentType: string; body: string }>;
}

const P = 'xiangxun_';

/**
 * A count read at most once per `ttlMs`: a scrape every few seconds (or several Prometheus
 * servers) must not recount a large outbox each time; ten seconds of staleness is harmless.
 * Scrapes that overlap share one read; a failed read is not kept, so the next scrape asks again.
 */
function cached(read: () => Count, ttlMs: number, now: () => number): () => Promise<number> {
  let value: Promise<number> = Promise.resolve(0);
  let at = Number.NEGATIVE_INFINITY;
  return () => {
    if (now() - at >= ttlMs) {
      const got = (async () => read())();
      value = got;
      at = now();
      got.catch(() => {
        if (value === got) at = Number.NEGATIVE_INFINITY;
      });
    }
    return value;
  };
}

export function createMetrics(source: MetricSources, opts: { defaultMetrics?: boolean; cacheMs?: number; now?: () => number } = {}): Metrics {
  const now = opts.now ?? (() => Date.now());
  const ttl = opts.cacheMs ?? 10_000;
  const sources = {
    outboxPending: cached(() => source.outboxPending(), ttl, now),
    pausedFeeds: cached(() => source.pausedFeeds(), ttl, now),
    pausedChannels: cached(() => source.pausedChannels(), ttl, now),
    eventLoopDelay: source.eventLoopDelay?.bind(source),
  };
  const registry = new Registry();
  // Process metrics (CPU, memory, event loop lag, handles) under the same prefix.
  if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: P });

  const polls = new Counter({ name: `${P}polls_total`, help: 'Feed polls by result', labelNames: ['result'] as const, registers: [registry] });
  const items = new Counter({ name: `${P}new_items_total`, help: 'New feed items stored', registers: [registry] });
  const stories = new Counter({ name: `${P}new_stories_total`, help: 'New stories (an item not seen before in any feed or script)', registers: [registry] });
  const deliveries = new Counter({ name: `${P}deliveries_total`, help: 'Outbox deliveries by result', labelNames: ['result'] as const, registers: [registry] });
  const limited = new Counter({ name: `${P}discord_rate_limited_total`, help: 'Discord REST rate limits hit (429 or pre-emptive waits)', labelNames: ['scope'] as const, registers: [registry] });
  const delay = new Histogram({
    name: `${P}post_delay_seconds`,
    help: 'Delay from a story first being stored to its post in a channel',
    // Sub-minute for the instant path, up to hours for backoff and digests.
    buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 10800],
    registers: [registry],
  });
  new Gauge({ name: `${P}outbox_pending`, help: 'Deliveries waiting to be sent', registers: [registry], async collect() { this.set(await sources.outboxPending()); } });
  new Gauge({ name: `${P}feeds_paused`, help: 'Feeds paused after failing for too long', registers: [registry], async collect() { this.set(await sources.pausedFeeds()); } });
  new Gauge({ name: `${P}channels_paused`, help: 'Channels paused because Discord refused posts', registers: [registry], async collect() { this.set(await sources.pausedChannels()); } });
  if (sources.eventLoopDelay) {
    const read = sources.eventLoopDelay;
    new Gauge({
      name: `${P}event_loop_delay_ms`,
      help: 'Event-loop delay in the current monitoring window (p99 and max)',
      labelNames: ['stat'] as const,
      registers: [registry],
      collect() {
        const d = read();
        if (!d) return;
        this.set({ stat: 'p99' }, d.p99);
        this.set({ stat: 'max' }, d.max);
      },
    });
  }
  // Every series appears from the first scrape, so dashboards and alerts need no special case.
  for (const r of ['fetched', 'not-modified', 'unchanged', 'error'] as const) polls.inc({ result: r }, 0);
  for (const r of ['sent', 'retry', 'failed', 'skipped', 'digested'] as const) deliveries.inc({ result: r }, 0);
  for (const s of ['route', 'global'] as const) limited.inc({ scope: s }, 0);

  return {
    poll(result, newItems) {
      polls.inc({ result });
      if (newItems > 0) items.inc(newItems);
    },
    newStory: () => stories.inc(),
    delivery: (result, count = 1) => deliveries.inc({ result }, count),
    rateLimited: (global) => limited.inc({ scope: global ? 'global' : 'route' }),
    postDelay: (ms) => delay.observe(Math.max(0, ms) / 1000),
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
