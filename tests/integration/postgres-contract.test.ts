// The store contract (tests/contract) on a real Postgres server: the same suite SQLite passes.
// Skipped without TEST_DATABASE_URL (.ci/run sets it). One database for the file, emptied
// before each test, so every test starts from a fresh, migrated store as the contract expects.
import { afterAll, beforeAll, describe } from 'vitest';
import { openPgPool } from '../../src/store/pg/connection.js';
import { migratePg } from '../../src/store/pg/migrate.js';
import { searchIndexDeps } from '../../src/store/pg/search-index.js';
import { createPgStore } from '../../src/store/pg/store.js';
import { deliveryContract } from '../contract/delivery.contract.js';
import { feedsContract } from '../contract/feeds.contract.js';
import type { MakeStore } from '../contract/fixtures.js';
import { storiesContract } from '../contract/stories.contract.js';
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from '../helpers/postgres.js';

describe.skipIf(!TEST_DATABASE_URL)('store contract on Postgres', () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase();
    const pool = await openPgPool(tdb.url);
    await migratePg(pool);
    await pool.end();
  });
  afterAll(async () => tdb?.drop());

  const make: MakeStore = async () => {
    const pool = await openPgPool(tdb.url, { max: 4 });
    const tables = (await pool.query<{ t: string }>(`SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'`)).rows.map((r) => r.t);
    await pool.query(`TRUNCATE ${tables.join(', ')} RESTART IDENTITY CASCADE`);
    return createPgStore(pool, { reentryWaitMs: 5_000, search: searchIndexDeps() });
  };

  feedsContract(make);
  storiesContract(make);
  deliveryContract(make);
});
