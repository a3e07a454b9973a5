import type { Migration } from '../../migrations/index.js';

// Postgres form of migration 004 (stored /news searches).
export const m004: Migration = {
  version: 4,
  name: 'stored searches',
  sql: `
CREATE TABLE searches (
  key        TEXT PRIMARY KEY,
  user_id    TEXT NOT NULL,
  request    TEXT NOT NULL,
  pages      TEXT NOT NULL DEFAULT '[null]',
  created_at BIGINT NOT NULL
);
CREATE INDEX searches_created ON searches(created_at);
`,
};
