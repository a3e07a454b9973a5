import type { Migration } from '../../migrations/index.js';

// Postgres form of migration 007 (feed publishing rates), plus poll leases, which only a shared
// database needs: a poller takes a feed by writing its lease (only where none is live), so no
// two pollers fetch one feed at once, and a crashed poller's lease lapses. A table of their own
// keeps the feeds table the same in both stores.
export const m007: Migration = {
  version: 7,
  name: 'feed publishing rates',
  sql: `
ALTER TABLE feeds ADD COLUMN rate_items  DOUBLE PRECISION;
ALTER TABLE feeds ADD COLUMN rate_hours  DOUBLE PRECISION;
ALTER TABLE feeds ADD COLUMN rate_hourly TEXT;

CREATE TABLE feed_leases (
  feed_id TEXT PRIMARY KEY REFERENCES feeds(id) ON DELETE CASCADE,
  owner   TEXT NOT NULL,     -- the poller holding it (a random id per process)
  until   BIGINT NOT NULL    -- epoch ms; past it, any poller may take the feed
);
`,
};
