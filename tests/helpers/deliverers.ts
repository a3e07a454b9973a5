// Several deliverers over one store against the fake Discord, as separate deliverer processes
// would run (issue #16): each has its own discord.js client, REST only (no gateway session),
// its own limiter and worker in claim mode, and its id among the store's live deliverers.
import { loadRegionsFile } from '../../src/app/services.js';
import { createLimiter, type SendLimits } from '../../src/delivery/limiter.js';
import type { Publisher } from '../../src/delivery/publisher.js';
import { createRouter } from '../../src/delivery/route.js';
import { createDeliveryWorker, type DeliveryWorker, type WorkerOptions } from '../../src/delivery/worker.js';
import { createDiscordClient, type DiscordConnection } from '../../src/discord/client.js';
import { createDiscordPublisher } from '../../src/discord/publisher.js';
import { createRenderer } from '../../src/presentation/renderer.js';
import { createLongSummaries } from '../../src/presentation/summaries.js';
import { silentLogger } from '../../src/shared/logger.js';
import type { Db } from '../../src/store/database.js';
import { createOutboxRepo } from '../../src/store/outbox-repo.js';
import type { Store } from '../../src/store/ports.js';
import { createSubscriptionsRepo } from '../../src/store/subscriptions-repo.js';
import { createGazetteer } from '../../src/text/gazetteer.js';
import { createExtractiveSummarizer } from '../../src/text/summary.js';
import type { FakeDiscord } from '../fakes/fake-discord.js';
import { createStoryWriter } from './stories.js';

/** Queues `perChannel` stories for each channel (each channel follows its own code, numbered from `firstCode`). */
export function queueStories(db: Db, guildId: string, channelIds: readonly string[], perChannel: number, now: number, firstCode = 0): void {
  const subscriptions = createSubscriptionsRepo(db);
  const writer = createStoryWriter(db);
  const router = createRouter({ subscriptions, outbox: createOutboxRepo(db), articles: writer.articles });
  channelIds.forEach((channelId, i) => subscriptions.subscribe({ guildId, channelId, regionCode: `chan-${firstCode + i}`, mode: 'instant', include: [], exclude: [], createdBy: 'u' }, now));
  const addRegion = db.prepare("INSERT INTO story_regions (story_id, code, confidence, source) VALUES (?, ?, 1, 'body')");
  db.transaction(() => {
    for (let s = 0; s < perChannel * channelIds.length; s++) {
      const id = writer.add({ title: `第${s + 1}条嘉兴新闻`, region: '330400' });
      addRegion.run(id, `chan-${firstCode + (s % channelIds.length)}`);
      router.route(id, now);
    }
  })();
}

export interface Deliverer {
  readonly id: string;
  readonly worker: DeliveryWorker;
  readonly discord: DiscordConnection;
  /** Channels this deliverer sent to. */
  readonly channels: Set<string>;
  close(): Promise<void>;
}

export interface DelivererOptions {
  readonly id: string;
  readonly store: Store;
  readonly fake: FakeDiscord;
  readonly limits: SendLimits;
  readonly now: () => number;
  readonly worker: Partial<WorkerOptions>;
  /** Wraps the real publisher (a test makes one hang after posting, as a process killed mid-send). */
  readonly wrap?: (p: Publisher) => Publisher;
}

export async function startDeliverer(o: DelivererOptions): Promise<Deliverer> {
  const discord = createDiscordClient({ token: o.fake.token, apiBase: o.fake.apiBase, logger: silentLogger });
  await discord.connectRest();
  const real = createDiscordPublisher(discord.client);
  const channels = new Set<string>();
  const seen: Publisher = {
    ...real,
    send: (channelId, message, nonce, post) => (channels.add(channelId), real.send(channelId, message, nonce, post)),
    post: (req) => (channels.add(req.channelId), real.post!(req)),
  };
  const gazetteer = createGazetteer(loadRegionsFile());
  const { store } = o;
  const worker = createDeliveryWorker({
    outbox: store.outbox,
    subscriptions: store.subscriptions,
    settings: store.settings,
    publisher: o.wrap ? o.wrap(seen) : seen,
    limiter: createLimiter(o.limits),
    renderer: createRenderer({ articles: store.articles, gazetteer, summaries: createLongSummaries({ summarizer: createExtractiveSummarizer(), gazetteer }), defaultTimeZone: 'Asia/Shanghai' }),
    now: o.now,
    logger: silentLogger,
    deliverers: store.deliverers,
    delivererId: o.id,
    options: { claim: {}, ...o.worker },
  });
  worker.start();
  return {
    id: o.id,
    worker,
    discord,
    channels,
    async close() {
      await worker.stop(0);
      await discord.destroy();
    },
  };
}
