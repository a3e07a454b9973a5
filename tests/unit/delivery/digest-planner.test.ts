// Scheduled digests planned through the store's ports: one digest per channel at the guild's
// digest moment, and a guild's digests and its "done" mark committed as one unit of work.
import { afterEach, describe, expect, it } from 'vitest';
import { planScheduledDigests } from '../../../src/delivery/digest-planner.js';
import { createRouter } from '../../../src/delivery/route.js';
import { openDatabase, type Db } from '../../../src/store/database.js';
import { createOutboxRepo } from '../../../src/store/outbox-repo.js';
import type { Store, StorePorts } from '../../../src/store/ports.js';
import { createSqliteStore } from '../../../src/store/sqlite-store.js';
import { createSubscriptionsRepo } from '../../../src/store/subscriptions-repo.js';
import { createStoryWriter } from '../../helpers/stories.js';

const G = '100000000000000001';
const A = '200000000000000001';
const B = '200000000000000002';
// 20:00 and, the next day, 09:00 in Asia/Shanghai: the second is past that day's 08:00.
const EVENING = Date.UTC(2026, 0, 9, 12, 0);
const NEXT_MORNING = Date.UTC(2026, 0, 10, 1, 0);

let db: Db | null = null;
afterEach(() => {
  db?.close();
  db = null;
});

function setup() {
  db = openDatabase(':memory:');
  const subscriptions = createSubscriptionsRepo(db);
  const outbox = createOutboxRepo(db);
  const writer = createStoryWriter(db);
  const router = createRouter({ subscriptions, outbox, articles: writer.articles });
  // The guild's settings row, as joining the guild writes it (the digest mark lives there).
  subscriptions.updateSettings(G, { locale: 'zh-CN' }, EVENING);
  for (const channelId of [A, B]) subscriptions.subscribe({ guildId: G, channelId, regionCode: '330400', mode: 'digest', include: [], exclude: [], createdBy: 'u' }, EVENING);
  const stories = ['一', '二', '三'].map((title) => {
    const id = writer.add({ title, region: '330400' });
    db!.transaction(() => router.route(id, EVENING))();
    return id;
  });
  return { store: createSqliteStore(db), subscriptions, outbox, stories, db };
}

const plan = (store: Pick<Store, 'settings' | 'transaction'>, at: number) => planScheduledDigests({ store, defaultTimeZone: 'Asia/Shanghai', now: () => at });
const digestRows = (d: Db) => d.prepare("SELECT channel_id AS channelId, since FROM digests WHERE kind = 'scheduled' ORDER BY channel_id").all();

describe('scheduled digest planning', () => {
  it('starts counting at first sight, then makes one digest per channel at the digest moment, once', async () => {
    const { store, subscriptions, outbox, stories, db: d } = setup();
    expect(await plan(store, EVENING)).toBe(0);
    expect(subscriptions.settings(G).lastDigestAt).toBe(EVENING);
    expect(await plan(store, EVENING + 60_000)).toBe(0);

    expect(await plan(store, NEXT_MORNING)).toBe(2);
    expect(digestRows(d)).toEqual([
      { channelId: A, since: EVENING },
      { channelId: B, since: EVENING },
    ]);
    expect(stories.flatMap((id) => outbox.forStory(id).map((x) => x.state))).toEqual(Array(6).fill('digested'));
    expect(subscriptions.settings(G).lastDigestAt).toBe(NEXT_MORNING);
    expect(await plan(store, NEXT_MORNING + 60_000)).toBe(0);
  });

  it('commits nothing for a guild when making one of its digests fails, and makes them all next time', async () => {
    const { store, subscriptions, outbox, stories, db: d } = setup();
    await plan(store, EVENING);
    let failures = 1;
    // The second digest of the guild cannot be written: the first must not stay either.
    const failing: Pick<Store, 'settings' | 'transaction'> = {
      settings: store.settings,
      transaction: (fn) =>
        store.transaction((tx) => {
          let made = 0;
          const outboxPort: StorePorts['outbox'] = {
            ...tx.outbox,
            createScheduledDigest: async (...args) => {
              if (++made === 2 && failures-- > 0) throw new Error('disk hiccup');
              return tx.outbox.createScheduledDigest(...args);
            },
          };
          return fn({ ...tx, outbox: outboxPort });
        }),
    };
    await expect(plan(failing, NEXT_MORNING)).rejects.toThrow('disk hiccup');
    expect(digestRows(d)).toEqual([]);
    expect(stories.flatMap((id) => outbox.forStory(id).map((x) => x.state))).toEqual(Array(6).fill('queued'));
    expect(subscriptions.settings(G).lastDigestAt).toBe(EVENING);

    expect(await plan(failing, NEXT_MORNING + 60_000)).toBe(2);
    expect(stories.flatMap((id) => outbox.forStory(id).map((x) => x.state))).toEqual(Array(6).fill('digested'));
  });
});
