import type { Migration } from './index.js';

// Corrections (issue #15): a story keeps the title key it was first seen with, but a copy
// that another feed carries later may already have the corrected headline. The corrected
// keys are kept here, so that copy joins the story instead of being posted as a new one.
export const m012: Migration = {
  version: 12,
  name: 'title keys of corrected stories',
  sql: `
CREATE TABLE story_title_keys (
  title_key TEXT NOT NULL,
  story_id  INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
  PRIMARY KEY (title_key, story_id)
) WITHOUT ROWID;
CREATE INDEX story_title_keys_story ON story_title_keys(story_id);
`,
};
