import type { Migration } from '../../migrations/index.js';

// Postgres form of migration 006 (feeds a server brings).
export const m006: Migration = {
  version: 6,
  name: 'guild feeds',
  sql: `
ALTER TABLE feeds ADD COLUMN origin TEXT NOT NULL DEFAULT 'catalog';
ALTER TABLE feeds ADD COLUMN kind TEXT NOT NULL DEFAULT 'feed';
CREATE INDEX feeds_url ON feeds USING hash (url);

CREATE TABLE guild_feeds (
  guild_id  TEXT NOT NULL,
  feed_id   TEXT NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
  name      TEXT NOT NULL,
  region    TEXT NOT NULL,
  added_by  TEXT NOT NULL,
  added_at  BIGINT NOT NULL,
  PRIMARY KEY (guild_id, feed_id)
);
CREATE INDEX guild_feeds_feed ON guild_feeds(feed_id);
`,
};
