import type { Migration } from '../../migrations/index.js';

// Postgres form of migration 009 (the last full fetch's decoding warnings).
export const m009: Migration = {
  version: 9,
  name: 'feed warning',
  sql: `
ALTER TABLE feeds ADD COLUMN last_warning TEXT;
`,
};
