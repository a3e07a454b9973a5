import type { Migration } from '../../migrations/index.js';

// Postgres form of migration 005 (what each /news result button points to).
export const m005: Migration = {
  version: 5,
  name: 'stored search results',
  sql: `
CREATE TABLE search_results (
  key       TEXT NOT NULL REFERENCES searches(key) ON DELETE CASCADE,
  n         INTEGER NOT NULL,
  story_id  BIGINT NOT NULL,
  posted_at BIGINT,
  PRIMARY KEY (key, n)
);
`,
};
