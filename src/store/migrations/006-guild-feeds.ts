import type { Migration } from './index.js';

// Feeds a server brings (issue #13). One feeds row per URL however many servers add it, so
// it is fetched once; guild_feeds says which servers added it (their stories go only there).
// A guild feed whose last server removed it keeps its row and articles, and is not polled.
export const m006: Migration = {
  version: 6,
  name: 'guild feeds',
  sql: `
ALTER TABLE feeds ADD COLUMN origin TEXT NOT NULL DEFAULT 'catalog';  -- catalog | guild
ALTER TABLE feeds ADD COLUMN kind TEXT NOT NULL DEFAULT 'feed';       -- feed | list-page
CREATE INDEX feeds_url ON feeds(url);

CREATE TABLE guild_feeds (
  guild_id  TEXT NOT NULL,
  feed_id   TEXT NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
  name      TEXT NOT NULL,   -- as this server named it
  region    TEXT NOT NULL,   -- as this server placed it (the feed's prior is the first server's)
  added_by  TEXT NOT NULL,
  added_at  INTEGER NOT NULL,
  PRIMARY KEY (guild_id, feed_id)
) WITHOUT ROWID;
CREATE INDEX guild_feeds_feed ON guild_feeds(feed_id);
`,
};
