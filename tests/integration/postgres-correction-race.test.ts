// A correction stored by a poller while a deliverer records the post (issue #16, Postgres):
// whichever commits first, the post ends up queued for an edit. Without the story-row lock in
// markSent each transaction missed the other's write under read committed.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../../src/app/store-open.js';
import type { Store } from '../../src/store/ports.js';
import { source, storyWith, subscribe, T0 } from '../contract/fixtures.js';
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from '../helpers/postgres.js';

describe.skipIf(!TEST_DATABASE_URL)('a correction racing a post on Postgres', () => {
  let tdb: TestDatabase;
  let store: Store;
  beforeAll(async () => {
    tdb = await createTestDatabase();
    store = await openPostgresStore(tdb.url);
  });
  afterAll(async () => {
    await store?.close();
    await tdb?.drop();
  });

  it('queues the edit when the revision commits while the post is being recorded', async () => {
    await store.feeds.sync([source('a')], T0);
    await subscribe(store, 'g1', 'c1', '330000');
    const { storyId } = await storyWith(store, 'a', 1);
    await store.outbox.fanOut(storyId, [], T0);
    const [item] = await store.outbox.claim(T0, 1, 60_000);
    // A poller's correction, held open: the story's revision goes up, its edits are queued next.
    const poller = new pg.Client({ connectionString: tdb.url });
    await poller.connect();
    try {
      await poller.query('BEGIN');
      await poller.query('UPDATE stories SET revision = revision + 1, revised_at = $1 WHERE id = $2', [T0 + 1, storyId]);
      // The poller's edit queue finds no sent post yet.
      await poller.query(
        `INSERT INTO edits (delivery_id, revision, next_attempt_at) SELECT d.id, s.revision, $1::bigint FROM deliveries d JOIN stories s ON s.id = d.story_id
         WHERE d.story_id = $2 AND d.state = 'sent' AND d.message_id IS NOT NULL AND d.revision < s.revision ON CONFLICT DO NOTHING`,
        [T0 + 1, storyId],
      );
      // The deliverer records the post rendered from revision 0 before the correction commits.
      const recorded = store.outbox.markSent(item!.id, 'm1', T0 + 2, { messageChannelId: null, revision: 0 });
      await new Promise((r) => setTimeout(r, 300));
      await poller.query('COMMIT');
      await recorded;
    } finally {
      await poller.end();
    }
    const edits = await store.posting.dueEdits(T0 + 10, 10);
    expect(edits.map((e) => [e.messageId, e.revision])).toEqual([['m1', 1]]);
  }, 60_000);
});
