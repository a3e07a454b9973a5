import type { Migration } from '../../migrations/index.js';

// Postgres form of migration 012 (title keys of corrected stories).
export const m012: Migration = {
  version: 12,
  name: 'title keys of corrected stories',
  sql: `
CREATE TABLE story_title_keys (
  title_key TEXT NOT NULL,
  story_id  BIGINT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
  PRIMARY KEY (title_key, story_id)
);
CREATE INDEX story_title_keys_story ON story_title_keys(story_id);
`,
};
