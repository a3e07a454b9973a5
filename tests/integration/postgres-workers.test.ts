// Several processes on one Postgres database, each with its own store and pool (as separate
// pollers and deliverers have): every due delivery is claimed by exactly one worker however the
// claims interleave, a feed is leased to one poller at a time, and concurrent units of work in
// different stores do not lose writes. Skipped without TEST_DATABASE_URL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgPool } from '../../src/store/pg/connection.js';
import { isStorageFailure } from '../../src/store/errors.js';
import { migratePg } from '../../src/store/pg/migrate.js';
import { createPgStore } from '../../src/store/pg/store.js';
import type { Store } from '../../src/store/ports.js';
import { channelShare } from '../../src/store/share.js';
import { article, source, storyWith, subscribe, T0 } from '../contract/fixtures.js';
import { pgMaintenance } from '../../src/store/pg/maintenance.js';
import { poolRunner } from '../../src/store/pg/sql.js';
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from '../helpers/postgres.js';

describe.skipIf(!TEST_DATABASE_URL)('Postgres store shared by several workers', () => {
  let tdb: TestDatabase;
  const stores: Store[] = [];
  const open = async (): Promise<Store> => {
    const s = createPgStore(await openPgPool(tdb.url, { max: 3 }));
    stores.push(s);
    return s;
  };

  beforeAll(async () => {
    tdb = await createTestDatabase();
    const pool = await openPgPool(tdb.url);
    await migratePg(pool);
    await pool.end();
  });
  afterAll(async () => {
    for (const s of stores) await s.close();
    await tdb?.drop();
  });

  it('hands every due delivery to exactly one of four deliverers', async () => {
    const setup = await open();
    await setup.feeds.sync([source('a')], T0);
    for (let c = 0; c < 40; c++) await subscribe(setup, 'g1', `c${c}`, '330000');
    for (let n = 1; n <= 5; n++) {
      const { storyId } = await storyWith(setup, 'a', n);
      await setup.outbox.fanOut(storyId, [], T0);
    }
    expect(await setup.health.outboxPending()).toBe(200);

    const workers = await Promise.all([open(), open(), open(), open()]);
    const got = new Map<number, number>(); // delivery id → claims
    // Each worker claims small batches until the outbox has nothing due for it.
    await Promise.all(
      workers.map(async (w) => {
        for (;;) {
          const batch = await w.outbox.claim(T0, 7, 60_000);
          if (batch.length === 0) return;
          for (const item of batch) got.set(item.id, (got.get(item.id) ?? 0) + 1);
        }
      }),
    );
    expect(got.size).toBe(200);
    expect([...got.values()].every((n) => n === 1)).toBe(true);
    // Claimed rows stay out of reach until their lease runs out, then come back once each.
    expect(await workers[0]!.outbox.claim(T0 + 59_999, 500, 60_000)).toEqual([]);
    const again = await Promise.all(workers.map((w) => w.outbox.claim(T0 + 60_000, 500, 60_000)));
    expect(again.flat().length).toBe(200);
    expect(new Set(again.flat().map((i) => i.id)).size).toBe(200);
  });

  it('hashes a channel to the same deliverer share as the SQLite store does', async () => {
    const ids = ['1', '123456789012345678', '9'.repeat(19), 'chan-7', '频道', 'a\u{1F600}b', ''];
    for (let i = 0; i < 200; i++) ids.push(String(BigInt(i) * 7919n * 104729n + 10n ** 17n));
    const pool = await openPgPool(tdb.url, { max: 1 });
    try {
      for (const count of [1, 2, 3, 7]) {
        const r = await pool.query<{ s: number }>('SELECT channel_share(id, $2) AS s FROM unnest($1::text[]) WITH ORDINALITY AS t(id, n) ORDER BY n', [ids, count]);
        expect(r.rows.map((x) => x.s), `count ${count}`).toEqual(ids.map((id) => channelShare(id, count)));
      }
    } finally {
      await pool.end();
    }
  });

  it('tells a database that cannot take writes from a passing failure', async () => {
    const pool = await openPgPool(tdb.url, { max: 1 });
    try {
      await pool.query(`ALTER DATABASE ${new URL(tdb.url).pathname.slice(1)} SET default_transaction_read_only = on`);
      const ro = createPgStore(await openPgPool(tdb.url, { max: 1 }));
      stores.push(ro);
      const err = await ro.feeds.sync([source('z')], T0).then(() => null, (e: unknown) => e);
      expect(isStorageFailure(err)).toBe(true);
      expect(await ro.health.probeWrite()).toBe('25006');
      expect(isStorageFailure(Object.assign(new Error('terminating connection'), { code: '57P01' }))).toBe(false);
    } finally {
      await pool.query(`ALTER DATABASE ${new URL(tdb.url).pathname.slice(1)} RESET default_transaction_read_only`);
      await pool.end();
    }
  });

  it('applies retention in short units: old articles go, a story keeps its newer source as primary', async () => {
    const s = await open();
    const pool = await openPgPool(tdb.url, { max: 2 });
    try {
      await s.feeds.sync([source('r')], T0);
      const DAY = 86_400_000;
      const old = await storyWith(s, 'r', 501); // published T0 - 501 min
      const mixed = await storyWith(s, 'r', 502);
      const newer = await s.articles.insertArticle(article('r', mixed.storyId, 503, { publishedAt: T0 + 10 * DAY, itemKey: 'item-fresh' }));
      await s.index.refreshStale();
      const m = pgMaintenance(poolRunner(pool));
      expect(await m.applyRetention(0, T0 + 20 * DAY)).toEqual({ articles: 0, stories: 0, storiesKept: 0 });
      // Everything published more than a day before T0 + 10.5 days goes (other tests' articles
      // too); the fresh article stays.
      const cutoff = T0 + 10 * DAY + DAY / 2 - DAY;
      const due = (await pool.query<{ n: number }>('SELECT count(*) AS n FROM articles WHERE published_at < $1', [cutoff])).rows[0]!.n;
      const r = await m.applyRetention(DAY, T0 + 10 * DAY + DAY / 2);
      expect(r.articles).toBe(due);
      expect((await pool.query('SELECT id FROM articles WHERE published_at < $1 OR published_at IS NULL', [cutoff])).rows).toEqual([]);
      expect(await s.articles.story(old.storyId)).toBeNull();
      expect((await s.articles.story(mixed.storyId))?.articleId).toBe(newer);
      expect((await pool.query('SELECT 1 FROM stories WHERE id = $1', [old.storyId])).rows).toEqual([]);
      expect((await pool.query('SELECT count(*) AS n FROM search_docs WHERE article_id = $1', [old.articleId])).rows[0]).toEqual({ n: 0 });
    } finally {
      await pool.end();
    }
  });

  it('leases one feed to one of several pollers racing for it', async () => {
    const pollers = await Promise.all([open(), open(), open()]);
    await pollers[0]!.feeds.sync([source('a'), source('b')], T0);
    for (let round = 0; round < 10; round++) {
      const now = T0 + round * 120_000; // each round starts after the last round's leases ran out
      const won = await Promise.all(pollers.map((p, i) => p.leases.acquire('b', `poller-${i}`, now, 60_000)));
      expect(won.filter(Boolean).length, `round ${round}`).toBe(1);
    }
  });

  it('keeps every write of units of work running at once in different stores', async () => {
    const [x, y] = await Promise.all([open(), open()]);
    await x.feeds.sync([source('a')], T0);
    const ids = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? x : y).transaction(async (tx) => {
          const { storyId } = await storyWith(tx, 'a', 1000 + i);
          await tx.posting.addTitleKey(storyId, `shared-key-${i % 3}`);
          return storyId;
        }),
      ),
    );
    expect(new Set(ids).size).toBe(20);
    const found = new Set<number>();
    for (let k = 0; k < 3; k++) for (const c of await x.articles.storiesByTitleKey(`shared-key-${k}`)) found.add(c.id);
    expect(found.size).toBe(20);
  });
});
