// The outbox worker with an in-process publisher (an implementation of the delivery port that
// keeps messages like Discord would, nonce included). Discord itself: tests/e2e.
import { afterEach, describe, expect, it } from 'vitest';
import { createLimiter } from '../../../src/delivery/limiter.js';
import type { OutgoingMessage } from '../../../src/presentation/message.js';
import { PublishError, type Publisher } from '../../../src/delivery/publisher.js';
import { createRouter } from '../../../src/delivery/route.js';
import { createDeliveryWorker, type Renderer } from '../../../src/delivery/worker.js';
import { silentLogger } from '../../../src/shared/logger.js';
import { openDatabase, type Db } from '../../../src/store/database.js';
import { createOutboxRepo } from '../../../src/store/outbox-repo.js';
import type { OutboxPort } from '../../../src/store/ports.js';
import { createSqliteStore } from '../../../src/store/sqlite-store.js';
import { createSubscriptionsRepo } from '../../../src/store/subscriptions-repo.js';
import { createStoryWriter } from '../../helpers/stories.js';

const G = '100000000000000001';
const A = '200000000000000001';
const B = '200000000000000002';

class MemoryChannels implements Publisher {
  readonly posts = new Map<string, Array<{ id: string; nonce: string; message: OutgoingMessage }>>();
  readonly failures: Array<(channelId: string, m: OutgoingMessage) => PublishError | null> = [];
  private seq = 0;
  async send(channelId: string, message: OutgoingMessage, nonce: string) {
    for (const f of this.failures) {
      const e = f(channelId, message);
      if (e) throw e;
    }
    const list = this.posts.get(channelId) ?? [];
    const same = list.find((p) => p.nonce === nonce);
    if (same) return { messageId: same.id };
    const id = String(++this.seq);
    list.push({ id, nonce, message });
    this.posts.set(channelId, list);
    return { messageId: id };
  }
  count = (ch: string) => this.posts.get(ch)?.length ?? 0;
}

function deferred<T = void>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Holds the next send to a channel until the test answers it (a slow Discord). */
class HeldChannels extends MemoryChannels {
  private readonly holds = new Map<string, { reached: () => void; answer: Promise<PublishError | null> }>();
  readonly calls: string[] = [];
  hold(channelId: string) {
    const reached = deferred();
    const answer = deferred<PublishError | null>();
    this.holds.set(channelId, { reached: reached.resolve, answer: answer.promise });
    return { reached: reached.promise, answer: answer.resolve };
  }
  override async send(channelId: string, message: OutgoingMessage, nonce: string) {
    this.calls.push(channelId);
    const held = this.holds.get(channelId);
    if (held) {
      this.holds.delete(channelId);
      held.reached();
      const e = await held.answer;
      if (e) throw e;
    }
    return super.send(channelId, message, nonce);
  }
}

const renderer: Renderer = {
  story: async (storyId, _s, compact) => ({
    message: { embeds: [{ title: `story ${storyId}${compact ? ' (compact)' : ''}` }], allowed_mentions: { parse: [] } },
    threadName: `story ${storyId}`,
    places: [],
    revision: 0,
  }),
  digest: async (ids) => [{ embeds: [{ title: `digest of ${ids.length}`, description: ids.join(',') }], allowed_mentions: { parse: [] } }],
};

let db: Db | null = null;
let stop: (() => Promise<void>) | null = null;
afterEach(async () => {
  await stop?.();
  stop = null;
  db?.close();
  db = null;
});

function setup(publisher: MemoryChannels, options = {}, wrap = (o: OutboxPort): OutboxPort => o) {
  db = openDatabase(':memory:');
  const subscriptions = createSubscriptionsRepo(db);
  const outbox = createOutboxRepo(db);
  const writer = createStoryWriter(db);
  const router = createRouter({ subscriptions, outbox, articles: writer.articles });
  // The worker goes through the store's ports; the test arranges and reads rows with the
  // synchronous repositories over the same connection.
  const store = createSqliteStore(db);
  const worker = createDeliveryWorker({
    outbox: wrap(store.outbox),
    subscriptions: store.subscriptions,
    settings: store.settings,
    publisher,
    renderer,
    limiter: createLimiter({ perChannel: { limit: 1000, windowMs: 1000 }, global: { limit: 1000, windowMs: 1000 } }),
    now: () => Date.now(),
    logger: silentLogger,
    options: { tickMs: 10, burstDigestDelayMs: 0, ...options },
  });
  stop = () => worker.stop(1000);
  const post = (title: string, region = '330400') => {
    const id = writer.add({ title, region });
    db!.transaction(() => router.route(id, Date.now()))();
    return id;
  };
  return { subscriptions, outbox, worker, post, db };
}

/** An outbox whose burst check for one channel waits until released: a pass paused mid-way. */
function pausingOutbox(channelId: string) {
  const reached = deferred();
  let release: Promise<void> | null = null;
  return {
    reached: reached.promise,
    pauseNext() {
      const d = deferred();
      release = d.promise;
      return d.resolve;
    },
    wrap: (o: OutboxPort): OutboxPort => ({
      ...o,
      sentSince: async (ch, since) => {
        const wait = ch === channelId ? release : null;
        if (wait) {
          release = null;
          reached.resolve();
          await wait;
        }
        return o.sentSince(ch, since);
      },
    }),
  };
}

const until = async (cond: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('delivery worker', () => {
  it('delivers each story once to each subscribed channel', async () => {
    const pub = new MemoryChannels();
    const { subscriptions, worker, post, outbox } = setup(pub);
    subscriptions.subscribe({ guildId: G, channelId: A, regionCode: '330400', mode: 'instant', include: [], exclude: [], createdBy: 'u' }, Date.now());
    subscriptions.subscribe({ guildId: G, channelId: B, regionCode: '330000', mode: 'instant', include: [], exclude: [], createdBy: 'u' }, Date.now());
    const ids = [post('一'), post('二'), post('三')];
    worker.start();
    await until(() => pub.count(A) === 3 && pub.count(B) === 3);
    expect(ids.flatMap((id) => outbox.forStory(id).map((d) => d.state))).toEqual(Array(6).fill('sent'));
  });

  it('rolls a burst over the cap into one digest instead of dropping it', async () => {
    const pub = new MemoryChannels();
    const { subscriptions, worker, post, outbox } = setup(pub, { burstCap: 10 });
    subscriptions.subscribe({ guildId: G, channelId: A, regionCode: '330400', mode: 'instant', include: [], exclude: [], createdBy: 'u' }, Date.now());
    const ids = Array.from({ length: 50 }, (_, i) => post(`第${i}条`));
    worker.start();
    await until(() => ids.every((id) => ['sent', 'digested'].includes(outbox.forStory(id)[0]!.state)) && pub.posts.get(A)!.some((p) => p.message.embeds[0]!.title!.startsWith('digest')));
    const posts = pub.posts.get(A)!;
    const digests = posts.filter((p) => p.message.embeds[0]!.title!.startsWith('digest'));
    expect(posts.length - digests.length).toBe(10);
    const rolled = digests.reduce((n, d) => n + d.message.embeds[0]!.description!.split(',').length, 0);
    expect(rolled).toBe(40);
  });

  it('retries a 5xx later and loses nothing', async () => {
    const pub = new MemoryChannels();
    const { subscriptions, worker, post, outbox } = setup(pub);
    subscriptions.subscribe({ guildId: G, channelId: A, regionCode: '330400', mode: 'instant', include: [], exclude: [], createdBy: 'u' }, Date.now());
    let failures = 1;
    pub.failures.push(() => (failures-- > 0 ? new PublishError('retryable', 'Discord answered HTTP 502', null, 502) : null));
    const id = post('一');
    worker.start();
    await until(() => outbox.forStory(id)[0]!.state === 'pending' && outbox.forStory(id)[0]!.attempts === 1);
    expect(outbox.forStory(id)[0]!.lastError).toMatch(/502/);
    expect(outbox.forStory(id)[0]!.nextAttemptAt).toBeGreaterThan(Date.now());
  });

  it('pauses only the channel Discord refuses, and goes on with the others', async () => {
    const pub = new MemoryChannels();
    const { subscriptions, worker, post, outbox } = setup(pub);
    for (const ch of [A, B]) subscriptions.subscribe({ guildId: G, channelId: ch, regionCode: '330400', mode: 'instant', include: [], exclude: [], createdBy: 'u' }, Date.now());
    pub.failures.push((ch) => (ch === A ? new PublishError('permanent', 'the bot lacks permission to post there (Missing Permissions)', 50013, 403) : null));
    const ids = [post('一'), post('二')];
    worker.start();
    await until(() => pub.count(B) === 2 && ids.every((id) => outbox.forStoryInChannel(id, A)!.state === 'skipped'));
    expect(subscriptions.channel(A)?.pauseCode).toBe(50013);
    expect(subscriptions.listForGuild(G).find((s) => s.channelId === A)?.pausedReason).toMatch(/Missing Permissions/);
    // Later stories are recorded as skipped, not posted.
    const later = post('三');
    expect(outbox.forStoryInChannel(later, A)?.state).toBe('skipped');
  });

  it('re-renders compact once after an invalid form body', async () => {
    const pub = new MemoryChannels();
    const { subscriptions, worker, post } = setup(pub);
    subscriptions.subscribe({ guildId: G, channelId: A, regionCode: '330400', mode: 'instant', include: [], exclude: [], createdBy: 'u' }, Date.now());
    pub.failures.push((_c, m) => (m.embeds[0]!.title!.includes('compact') ? null : new PublishError('invalid', 'Invalid Form Body', 50035, 400)));
    post('一');
    worker.start();
    await until(() => pub.count(A) === 1);
    expect(pub.posts.get(A)![0]!.message.embeds[0]!.title).toMatch(/compact/);
  });

  it('takes no row listed while its channel was busy, even when that send ends before the pass reaches the row', async () => {
    const pub = new HeldChannels();
    const pausing = pausingOutbox(B);
    // Only wake-ups run passes here, so every pass is one the test starts.
    const { subscriptions, worker, post, outbox, db: d } = setup(pub, { tickMs: 60_000 }, pausing.wrap);
    subscriptions.subscribe({ guildId: G, channelId: A, regionCode: '330400', mode: 'instant', include: [], exclude: [], createdBy: 'u' }, Date.now());
    subscriptions.subscribe({ guildId: G, channelId: B, regionCode: '330100', mode: 'instant', include: [], exclude: [], createdBy: 'u' }, Date.now());
    const held = pub.hold(A);
    const a = post('一');
    worker.start();
    await held.reached;
    // The next pass lists B's story first, then A's row (in flight, so listed as due), and
    // waits on B's burst check while A's send fails and goes back to wait for its retry.
    const b = post('二', '330100');
    d.prepare('UPDATE deliveries SET next_attempt_at = 0 WHERE story_id = ?').run(b);
    const release = pausing.pauseNext();
    worker.kick();
    await pausing.reached;
    held.answer(new PublishError('retryable', 'Discord answered HTTP 502', null, 502));
    await until(() => outbox.forStory(a)[0]!.state === 'pending');
    release();
    await until(() => pub.count(B) === 1);
    await worker.stop(5000);
    // Taken again, A's row would have been sent before its retry time.
    expect(pub.calls.filter((ch) => ch === A)).toHaveLength(1);
    expect(outbox.forStory(a)[0]).toMatchObject({ state: 'pending', attempts: 1 });
  });

  it('runs another pass when woken during one, so a story queued meanwhile is not left for the next tick', async () => {
    const pub = new MemoryChannels();
    const pausing = pausingOutbox(B);
    const { subscriptions, worker, post } = setup(pub, { tickMs: 60_000 }, pausing.wrap);
    subscriptions.subscribe({ guildId: G, channelId: A, regionCode: '330400', mode: 'instant', include: [], exclude: [], createdBy: 'u' }, Date.now());
    subscriptions.subscribe({ guildId: G, channelId: B, regionCode: '330100', mode: 'instant', include: [], exclude: [], createdBy: 'u' }, Date.now());
    post('二', '330100');
    const release = pausing.pauseNext();
    worker.start();
    await pausing.reached;
    post('一');
    worker.kick();
    release();
    await until(() => pub.count(A) === 1 && pub.count(B) === 1);
  });

  it('resumes a delivery left in flight by a crash, and the nonce keeps it single', async () => {
    const pub = new MemoryChannels();
    const { subscriptions, worker, post, outbox } = setup(pub);
    subscriptions.subscribe({ guildId: G, channelId: A, regionCode: '330400', mode: 'instant', include: [], exclude: [], createdBy: 'u' }, Date.now());
    const id = post('一');
    const item = outbox.forStory(id)[0]!;
    // The crash: marked in flight and posted, but never marked sent.
    outbox.begin(item.id);
    await pub.send(A, (await renderer.story(id, subscriptions.settings(G), false))!.message, `xxd${item.id.toString(36)}`);
    worker.start();
    await until(() => outbox.forStory(id)[0]!.state === 'sent');
    expect(pub.count(A)).toBe(1);
  });
});
