import type { Migration } from './index.js';

// /news search results (issue #6). A results message's buttons carry only a short key: the
// query and the page cursors live here, so Previous/Next keep working after a restart and
// the owner check reads the stored user, not whatever a custom id claims. Rows are pruned
// once past their lifetime; nothing else refers to them.
export const m004: Migration = {
  version: 4,
  name: 'stored searches',
  sql: `
CREATE TABLE searches (
  key        TEXT PRIMARY KEY,        -- random, base64url; the custom id refers to it
  user_id    TEXT NOT NULL,           -- who may press the buttons
  request    TEXT NOT NULL,           -- JSON written and validated by the command
  pages      TEXT NOT NULL DEFAULT '[null]', -- JSON array: page n's search cursor (page 0: null)
  created_at INTEGER NOT NULL
);
CREATE INDEX searches_created ON searches(created_at);
`,
};
