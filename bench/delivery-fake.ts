// Throughput against the fake Discord with Discord's real limits (5 messages per 5 s per
// channel): 500 stories across 50 channels, counting 429s and the share of the allowed rate.
import { fileURLToPath } from 'node:url';
import { createLimiter } from '../src/delivery/limiter.js';
import { createRouter } from '../src/delivery/route.js';
import { createRenderer } from '../src/presentation/renderer.js';
import { createLongSummaries } from '../src/presentation/summaries.js';
import { createDeliveryWorker } from '../src/delivery/worker.js';
import { createDiscordClient } from '../src/discord/client.js';
import { createDiscordPublisher } from '../src/discord/publisher.js';
import { loadRegionsFile } from '../src/app/services.js';
import { silentLogger } from '../src/shared/logger.js';
import { openDatabase } from '../src/store/database.js';
import { createOutboxRepo } from '../src/store/outbox-repo.js';
import { createSqliteStore } from '../src/store/sqlite-store.js';
import { createSubscriptionsRepo } from '../src/store/subscriptions-repo.js';
import { createGazetteer } from '../src/text/gazetteer.js';
import { createExtractiveSummarizer } from '../src/text/summary.js';
import { defaultGuildSeed, snowflake, startFakeDiscord } from '../tests/fakes/fake-discord.js';
import { createStoryWriter } from '../tests/helpers/stories.js';
import { line } from './util.js';

export async function benchDeliveryThroughput(): Promise<void> {
  console.log('Delivery: throughput against the fake Discord (5 messages / 5 s per channel)');
  const CHANNELS = 50;
  const STORIES = 500;
  const seed = defaultGuildSeed();
  const extra = Array.from({ length: CHANNELS }, (_, i) => ({ id: snowflake(), name: `news-${i + 1}`, type: 0 as const }));
  const fake = await startFakeDiscord({ guilds: [{ ...seed, channels: [...seed.channels, ...extra] }], rateLimit: { perChannel: 5, windowMs: 5000 } });
  const db = openDatabase(':memory:');
  const subscriptions = createSubscriptionsRepo(db);
  const outbox = createOutboxRepo(db);
  const writer = createStoryWriter(db);
  const router = createRouter({ subscriptions, outbox, articles: writer.articles });
  // Each channel follows one county; 10 stories per channel.
  extra.forEach((c, i) => subscriptions.subscribe({ guildId: fake.guildId, channelId: c.id, regionCode: `chan-${i}`, mode: 'instant', include: [], exclude: [], createdBy: 'u' }, Date.now()));
  db.transaction(() => {
    for (let s = 0; s < STORIES; s++) {
      const id = writer.add({ title: `第${s + 1}条嘉兴新闻`, region: '330400' });
      db.prepare("INSERT INTO story_regions (story_id, code, confidence, source) VALUES (?, ?, 1, 'body')").run(id, `chan-${s % CHANNELS}`);
      router.route(id, Date.now());
    }
  })();
  const discord = createDiscordClient({ token: fake.token, apiBase: fake.apiBase, logger: silentLogger, waitGuildTimeoutMs: 500 });
  await discord.login();
  const gazetteer = createGazetteer(loadRegionsFile());
  // The worker reads and writes through the store's ports, over the same connection.
  const store = createSqliteStore(db);
  const worker = createDeliveryWorker({
    outbox: store.outbox,
    subscriptions: store.subscriptions,
    settings: store.settings,
    publisher: createDiscordPublisher(discord.client),
    limiter: createLimiter(),
    renderer: createRenderer({ articles: store.articles, gazetteer, summaries: createLongSummaries({ summarizer: createExtractiveSummarizer(), gazetteer }), defaultTimeZone: 'Asia/Shanghai' }),
    now: () => Date.now(),
    logger: silentLogger,
    options: { burstCap: 1000, tickMs: 20, maxInFlight: 64 },
  });
  const started = performance.now();
  worker.start();
  await fake.waitFor(() => extra.every((c) => fake.messages(c.id).length >= STORIES / CHANNELS), 120_000);
  const seconds = (performance.now() - started) / 1000;
  await worker.stop();
  // Allowed: 5 per 5 s per channel → 10 messages per channel need 5 s (two windows, the
  // second starting at 5 s), and the global 50/s caps 500 messages at 10 s: the bound is 10 s.
  const ideal = Math.max(STORIES / 50, ((STORIES / CHANNELS / 5) - 1) * 5);
  line(`${STORIES} stories to ${CHANNELS} channels: time`, `${seconds.toFixed(1)} s`, `ideal ${ideal} s`);
  line('429 responses from the fake', String(fake.rateLimitHits), '0');
  line('share of the allowed rate', `${Math.round((ideal / seconds) * 100)} %`, '≥ 90 %');
  await discord.destroy();
  await fake.close();
  db.close();
  console.log();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await benchDeliveryThroughput();
