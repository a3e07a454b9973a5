import type { Migration } from '../../migrations/index.js';

// Postgres form of migration 010 (forum posts, role pings, pictures and corrections).
export const m010: Migration = {
  version: 10,
  name: 'forum posts, role pings, pictures and corrections',
  sql: `
ALTER TABLE subscriptions ADD COLUMN mention_role TEXT;
ALTER TABLE subscriptions ADD COLUMN mention_words TEXT NOT NULL DEFAULT '[]';
ALTER TABLE subscriptions ADD COLUMN open_thread INTEGER NOT NULL DEFAULT 0;
ALTER TABLE subscriptions ADD COLUMN crosspost INTEGER NOT NULL DEFAULT 0;

ALTER TABLE deliveries ADD COLUMN message_channel_id TEXT;
ALTER TABLE deliveries ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;

ALTER TABLE stories ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stories ADD COLUMN revised_at BIGINT;
ALTER TABLE articles ADD COLUMN image_url TEXT;

CREATE TABLE edits (
  delivery_id     BIGINT PRIMARY KEY REFERENCES deliveries(id) ON DELETE CASCADE,
  revision        INTEGER NOT NULL,
  state           TEXT NOT NULL DEFAULT 'pending',
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  last_error      TEXT,
  done_at         BIGINT
);
CREATE INDEX edits_due ON edits(state, next_attempt_at) WHERE state IN ('pending', 'sending');
`,
};
