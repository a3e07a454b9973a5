// The running bot: ingest on a schedule, route new stories to subscribed channels, deliver
// them through Discord. Built from a Config; nothing global, so tests can run several.
// A role (roles.ts) says which of these parts this process runs; `all` runs every one.
import { randomUUID } from 'node:crypto';
import type { Config } from '../config/config.js';
import { planScheduledDigests } from '../delivery/digest-planner.js';
import { createLimiter, type SendLimits } from '../delivery/limiter.js';
import type { WorkerOptions } from '../delivery/options.js';
import type { Publisher } from '../delivery/publisher.js';
import { createRenderer } from '../presentation/renderer.js';
import { createLongSummaries } from '../presentation/summaries.js';
import { createStoreRouter } from '../delivery/route.js';
import { createDeliveryWorker, type DeliveryWorker } from '../delivery/worker.js';
import { checkpointJob, retentionJob } from '../scheduler/maintenance-jobs.js';
import { pollJob } from '../scheduler/poll-job.js';
import { createPollPlanner, zoneOffsetMinutes } from '../scheduler/poll-planner.js';
import { createScheduler, cronPeriodMs, type Job } from '../scheduler/scheduler.js';
import { startEventLoopMonitor, type EventLoopMonitor, type LoopDelay } from '../shared/event-loop.js';
import type { Logger } from '../shared/logger.js';
import { isStorageFailure } from '../store/errors.js';
import type { OutboxPort } from '../store/ports.js';
import { warmConverters } from '../text/script.js';
import { createMetrics, type Metrics } from './metrics.js';
import { roleParts, type Role } from './roles.js';
import { createServices, type ServiceOptions, type Services } from './services.js';

export interface BotOptions extends ServiceOptions {
  readonly publisher: Publisher;
  readonly worker?: Partial<WorkerOptions>;
  readonly limits?: SendLimits;
  /** Process metrics in /metrics (off in tests that build many bots in one process). */
  readonly defaultMetrics?: boolean;
  /** Which parts run (roles.ts); default `all`. */
  readonly role?: Role;
  /** A deliverer's id among the live deliverers (default: random, unique per process). */
  readonly delivererId?: string;
  /** Services over the configured store (launch.ts opens them); default: SQLite at DATABASE_PATH. */
  readonly services?: Services;
}

/** A role without delivery has no worker: nothing it does wakes one, and nothing sends. */
const noWorker: DeliveryWorker = { start() {}, kick() {}, stop: async () => {}, inFlight: () => 0, plansDigests: () => false, share: () => null, claiming: () => false };

/** Counts every outbox transition the worker makes, and the delay of each post. */
function instrumentOutbox(outbox: OutboxPort, metrics: Metrics, createdAt: (id: number) => Promise<number | null>): OutboxPort {
  const counted: Partial<OutboxPort> = {
    async markSent(id, messageId, at, post) {
      await outbox.markSent(id, messageId, at, post);
      metrics.delivery('sent');
      const since = await createdAt(id);
      if (since !== null) metrics.postDelay(at - since);
    },
    async retryLater(id, at, error) {
      await outbox.retryLater(id, at, error);
      metrics.delivery('retry');
    },
    async finish(id, state, reason) {
      await outbox.finish(id, state, reason);
      metrics.delivery(state);
    },
    async skipChannel(channelId, reason) {
      const n = await outbox.skipChannel(channelId, reason);
      if (n > 0) metrics.delivery('skipped', n);
      return n;
    },
    async rollIntoBurst(item, sendAt, at) {
      const n = await outbox.rollIntoBurst(item, sendAt, at);
      metrics.delivery('digested');
      return n;
    },
  };
  // Every other method goes to the port itself, bound to it (a port may be a class instance).
  return new Proxy(outbox, {
    get(target, key, receiver) {
      if (typeof key === 'string' && key in counted) return counted[key as keyof OutboxPort];
      const value: unknown = Reflect.get(target, key, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

export function createBot(config: Config, logger: Logger, opts: BotOptions) {
  const role = opts.role ?? 'all';
  const parts = roleParts(role);
  // Given by the start-up path (launch.ts opens the configured store); else SQLite, as tools and tests use.
  const services: Services = opts.services ?? createServices(config, logger, opts);
  const now = opts.now ?? (() => Date.now());
  // Delivery, digests, edits and health go through the store's async ports (issue #16).
  const { store } = services;
  const health = store.health;
  // Started with the bot, so tests that only build one measure nothing.
  let loop: EventLoopMonitor | null = null;
  const metricSources = {
    outboxPending: () => health.outboxPending(),
    pausedFeeds: () => health.pausedFeeds(),
    pausedChannels: () => health.pausedChannels(),
    eventLoopDelay: () => (loop ? loop.current() : null),
  };
  const metrics = createMetrics(metricSources, { defaultMetrics: opts.defaultMetrics });
  const router = createStoreRouter(store);
  // Summaries at a guild's own length come from the same Summarizer port ingest uses (services.ts).
  const summaries = createLongSummaries({ summarizer: services.summarizer, gazetteer: services.gazetteer });
  const renderer = createRenderer({ articles: store.articles, gazetteer: services.gazetteer, summaries, defaultTimeZone: config.timeZone, posts: store.posting });
  let halted: { at: number; reason: string } | null = null;
  // Disk full, read-only, I/O errors: transactions roll back, so nothing is half-written;
  // carrying on would only fail again, so new work stops and the operator is alerted.
  const halt = (err: unknown) => {
    if (halted) return;
    const e = err as { code?: string; message?: string };
    halted = { at: now(), reason: `${e.code ?? 'storage error'}: ${e.message ?? ''}` };
    logger.fatal({ alert: 'storage', code: e.code, error: e.message, database: config.databasePath }, 'ALERT: the database cannot be written; polling and posting stopped. Free disk space or fix the file permissions, then restart the bot.');
    void scheduler.stop();
    void worker.stop(0);
  };
  const worker = !parts.delivery ? noWorker : createDeliveryWorker({
    outbox: instrumentOutbox(store.outbox, metrics, (id) => health.deliveryCreatedAt(id)),
    subscriptions: store.subscriptions,
    settings: store.settings,
    publisher: opts.publisher,
    limiter: createLimiter(opts.limits),
    renderer,
    now,
    logger,
    onStorageFailure: halt,
    edits: store.posting,
    matchText: (id) => store.articles.matchText(id),
    // Deliverers share the outbox by claims and heartbeats; `all` keeps the one-process path.
    deliverers: store.deliverers,
    delivererId: opts.delivererId ?? `deliverer-${randomUUID()}`,
    options: { burstCap: config.burst.cap, burstWindowMs: config.burst.windowMs, ...(parts.claims ? { claim: {} } : {}), ...opts.worker },
  });
  const ingest = services.ingestDeps({
    // Routing writes through the storing unit of work (`tx`): a story and its outbox rows commit together.
    onNewStory: async (storyId, facts, tx) => {
      metrics.newStory();
      if (facts.postable) await router.route(storyId, now(), tx);
    },
    // A catalog feed (or another server's) joined a story only servers' own feeds had: the
    // servers it now reaches get it; UNIQUE(story_id, channel_id) keeps the others from a repeat.
    onStoryWidened: async (storyId, _facts, tx) => void (await router.route(storyId, now(), tx)),
  });
  // POLL_CRON is the cadence whose cost is kept; each feed gets its own time within that budget,
  // looked for every minute (or at POLL_CRON itself when it is faster than that).
  const referencePeriodMs = cronPeriodMs(config.pollCron, config.timeZone);
  const planner = createPollPlanner({ repo: store.schedule, referencePeriodMs, offsetMinutes: (at) => zoneOffsetMinutes(config.timeZone, at) });
  const tickCron = referencePeriodMs < 60_000 ? config.pollCron : '* * * * *';
  const poll = pollJob(ingest, { tickCron, planner, onReport: (r) => metrics.poll(r.status, r.items.length) });
  const pollNowJob: Job = { ...poll, run: async (signal, tick) => (await poll.run(signal, tick), worker.kick()) };
  // Only one deliverer plans digests (the worker knows whether it is that one): two planning
  // one guild at once would each make its digest of the same queued stories.
  const digests: Job = { name: 'digests', cron: '*/1 * * * *', run: async () => void (worker.plansDigests() && (await planScheduledDigests({ store, defaultTimeZone: config.timeZone, now })) && worker.kick()) };
  const jobs: Job[] = [
    ...(parts.polling ? [pollNowJob] : []),
    ...(parts.digestPlanning ? [digests] : []),
    // WAL checkpoints belong to the process that writes the file most: the poller's part.
    ...(parts.polling ? [checkpointJob(store.maintenance)] : []),
    ...(parts.retention ? [retentionJob(store.maintenance, config.retentionMs, logger, now)].filter((j) => j !== null) : []),
  ];
  const guarded = jobs.map((job): Job => ({
    ...job,
    run: async (signal, tick) => {
      if (halted) return;
      try {
        await job.run(signal, tick);
      } catch (err) {
        if (isStorageFailure(err)) halt(err);
        else throw err;
      }
    },
  }));
  const scheduler = createScheduler(guarded, { timeZone: config.timeZone, logger });
  const guardedPoll = guarded.find((j) => j.name === pollNowJob.name && parts.polling) ?? null;

  return {
    role,
    parts,
    /** The scheduled jobs this role runs (names), for logs and tests. */
    jobs: guarded.map((j) => j.name),
    services,
    router,
    worker,
    ingest,
    /** Runs one poll cycle now, as the schedule would (tests, `poll` tools). */
    pollNow: async (signal = new AbortController().signal): Promise<void> => guardedPoll?.run(signal, { periodMs: 0 }),
    health: () => ({ halted }),
    /** Event-loop delay: the last logged window and the current one (for metrics). */
    eventLoopDelay: (): { last: LoopDelay | null; current: LoopDelay } | null => (loop ? { last: loop.last(), current: loop.current() } : null),
    metrics,
    /** Ready means: the database takes writes and polling/posting are not halted. */
    async readiness(): Promise<{ ready: boolean; reasons: string[] }> {
      const reasons: string[] = [];
      if (halted) reasons.push(`polling and posting halted: ${halted.reason.split(':')[0]}`);
      const code = await health.probeWrite();
      if (code) reasons.push(`database not writable: ${code}`);
      return { ready: reasons.length === 0, reasons };
    },
    /** Starts the schedule and the outbox worker (deliveries left in flight resume first). */
    async start(): Promise<number> {
      // The catalog is the pollers' to sync: other roles read the feeds table as it is.
      const feeds = parts.polling ? (await services.syncCatalog()).length : 0;
      warmConverters();
      loop ??= startEventLoopMonitor(logger);
      worker.start();
      if (guarded.length > 0) scheduler.start();
      return feeds;
    },
    async stop(): Promise<void> {
      loop?.stop();
      loop = null;
      await scheduler.stop();
      await worker.stop();
      await services.close();
    },
  };
}

export type Bot = ReturnType<typeof createBot>;
