import type { Migration } from '../../migrations/index.js';

// Postgres form of migration 013 (digest of a feed document's items).
export const m013: Migration = {
  version: 13,
  name: 'digest of a feed document items',
  sql: `
ALTER TABLE feeds ADD COLUMN items_hash TEXT;
`,
};
