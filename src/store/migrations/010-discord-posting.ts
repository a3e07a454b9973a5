import type { Migration } from './index.js';

// Discord-native posting (issue #15). A subscription may ping one role (optionally only for
// stories holding some words), open a thread on each post, or publish it to followers; a
// forum channel's posts are threads, so a delivery remembers where its message lives to edit
// it later. A story that changed materially gets a higher revision, and each message already
// posted for it is queued once in `edits` (the latest revision wins), so a correction edits
// posts instead of posting again, whatever happens between the edit and its record.
export const m010: Migration = {
  version: 10,
  name: 'forum posts, role pings, pictures and corrections',
  sql: `
ALTER TABLE subscriptions ADD COLUMN mention_role TEXT;
ALTER TABLE subscriptions ADD COLUMN mention_words TEXT NOT NULL DEFAULT '[]';
ALTER TABLE subscriptions ADD COLUMN open_thread INTEGER NOT NULL DEFAULT 0;
ALTER TABLE subscriptions ADD COLUMN crosspost INTEGER NOT NULL DEFAULT 0;

ALTER TABLE deliveries ADD COLUMN message_channel_id TEXT;   -- the forum post's thread; NULL: channel_id
ALTER TABLE deliveries ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;

ALTER TABLE stories ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stories ADD COLUMN revised_at INTEGER;
ALTER TABLE articles ADD COLUMN image_url TEXT;

CREATE TABLE edits (
  delivery_id     INTEGER PRIMARY KEY REFERENCES deliveries(id) ON DELETE CASCADE,
  revision        INTEGER NOT NULL,
  state           TEXT NOT NULL DEFAULT 'pending',  -- pending | sending | done | skipped | failed
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error      TEXT,
  done_at         INTEGER
);
CREATE INDEX edits_due ON edits(state, next_attempt_at) WHERE state IN ('pending', 'sending');
`,
};
