// The store contract on SQLite: always run (issue #16). tests/integration/postgres-contract.test.ts
// runs the same suite on a real Postgres server when TEST_DATABASE_URL is set.
import { createSearchIndex } from '../../src/store/sqlite-search/index-writer.js';
import { applyRetention } from '../../src/store/sqlite-search/maintenance.js';
import { openDatabase } from '../../src/store/database.js';
import { createSqliteStore } from '../../src/store/sqlite-store.js';
import { deliveryContract } from './delivery.contract.js';
import { feedsContract } from './feeds.contract.js';
import { storiesContract } from './stories.contract.js';
import type { MakeStore } from './fixtures.js';

const make: MakeStore = async () => {
  const db = openDatabase(':memory:');
  return createSqliteStore(db, { reentryWaitMs: 2_000, index: createSearchIndex(db), retention: (olderThanMs, now) => applyRetention(db, olderThanMs, now) });
};

feedsContract(make);
storiesContract(make);
deliveryContract(make);
