import type { Migration } from './index.js';

// Times are epoch milliseconds (INTEGER). Text is stored as the source wrote it; every
// other script is derived when rendering.
export const m001: Migration = {
  version: 1,
  name: 'feeds, stories, articles, regions',
  sql: `
CREATE TABLE feeds (
  id               TEXT PRIMARY KEY,
  name             TEXT NOT NULL,
  url              TEXT NOT NULL,
  region           TEXT NOT NULL,
  interval_minutes INTEGER,
  full_text        TEXT NOT NULL DEFAULT 'auto',
  etag             TEXT,
  last_modified    TEXT,
  body_hash        TEXT,
  initialized      INTEGER NOT NULL DEFAULT 0,  -- first poll done (its items are backlog)
  last_fetch_at    INTEGER,
  last_success_at  INTEGER,
  last_status      TEXT,                         -- fetched | not-modified | unchanged | error
  last_error       TEXT,
  last_error_at    INTEGER,
  failure_count    INTEGER NOT NULL DEFAULT 0,
  failing_since    INTEGER,
  next_poll_at     INTEGER,
  paused_at        INTEGER,
  pause_reason     TEXT,
  item_count       INTEGER NOT NULL DEFAULT 0,
  in_catalog       INTEGER NOT NULL DEFAULT 1,  -- 0: removed from FEEDS_FILE (rows kept for history)
  created_at       INTEGER NOT NULL
);

-- One row per story: the same news from several feeds or in both scripts.
CREATE TABLE stories (
  id                 INTEGER PRIMARY KEY,
  title_key          TEXT NOT NULL,               -- t2s + NFKC + lower, punctuation stripped
  published_at       INTEGER,
  first_seen_at      INTEGER NOT NULL,
  primary_article_id INTEGER,                     -- the first source: the one that is posted
  postable           INTEGER NOT NULL DEFAULT 1,  -- 0: backlog or too old when first seen
  hold_reason        TEXT
);
CREATE INDEX stories_title_key ON stories(title_key);
CREATE INDEX stories_first_seen ON stories(first_seen_at);

CREATE TABLE articles (
  id              INTEGER PRIMARY KEY,
  feed_id         TEXT NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
  story_id        INTEGER NOT NULL REFERENCES stories(id),
  item_key        TEXT NOT NULL,                  -- identity within the feed
  guid            TEXT,
  url             TEXT,
  canonical_url   TEXT,
  title           TEXT NOT NULL,
  html            TEXT NOT NULL,                  -- the item's original HTML
  text            TEXT NOT NULL,                  -- stripped once from html
  body            TEXT,                           -- extracted article body, when fetched
  author          TEXT,
  source_outlet   TEXT,
  breadcrumb      TEXT,
  published_at    INTEGER,
  first_seen_at   INTEGER NOT NULL,
  script          TEXT NOT NULL,
  summary         TEXT,
  UNIQUE (feed_id, item_key)
);
CREATE INDEX articles_canonical_url ON articles(canonical_url) WHERE canonical_url IS NOT NULL;
CREATE INDEX articles_story ON articles(story_id);
CREATE INDEX articles_published ON articles(published_at);

CREATE TABLE story_regions (
  story_id   INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
  code       TEXT NOT NULL,
  confidence REAL NOT NULL,
  source     TEXT NOT NULL,
  PRIMARY KEY (story_id, code)
) WITHOUT ROWID;
CREATE INDEX story_regions_code ON story_regions(code, story_id);

CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`,
};
