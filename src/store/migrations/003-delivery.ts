import type { Migration } from './index.js';

// Posting to Discord (issue #5): subscriptions, per-guild settings, channel health and the
// outbox. A delivery row is written in the same transaction that stores its story, so a
// story is either stored and queued, or neither; UNIQUE(story_id, channel_id) makes the
// outbox idempotent however many subscriptions of a channel match.
export const m003: Migration = {
  version: 3,
  name: 'subscriptions, settings, outbox',
  sql: `
CREATE TABLE guild_settings (
  guild_id        TEXT PRIMARY KEY,
  locale          TEXT,            -- the server's Discord locale (seeds the default script)
  script          TEXT,            -- original | cn | tw | twp | hk; NULL: from the locale
  time_zone       TEXT,            -- NULL: TZ_DEFAULT
  summary_length  INTEGER,         -- code points; NULL: 160
  digest_time     TEXT,            -- HH:MM local; NULL: 08:00
  last_digest_at  INTEGER,
  updated_at      INTEGER NOT NULL
);

CREATE TABLE subscriptions (
  id            INTEGER PRIMARY KEY,
  guild_id      TEXT NOT NULL,
  channel_id    TEXT NOT NULL,
  region_code   TEXT NOT NULL,
  mode          TEXT NOT NULL DEFAULT 'instant',   -- instant | digest
  include_words TEXT NOT NULL DEFAULT '[]',        -- JSON arrays of words, matched normalized
  exclude_words TEXT NOT NULL DEFAULT '[]',
  created_by    TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  UNIQUE (channel_id, region_code)
);
CREATE INDEX subscriptions_region ON subscriptions(region_code);
CREATE INDEX subscriptions_guild ON subscriptions(guild_id);

-- A channel Discord refused (deleted, no access, no permission) is paused with the reason.
CREATE TABLE channel_state (
  channel_id   TEXT PRIMARY KEY,
  guild_id     TEXT NOT NULL,
  paused_at    INTEGER,
  pause_code   INTEGER,
  pause_reason TEXT
);

CREATE TABLE digests (
  id              INTEGER PRIMARY KEY,
  channel_id      TEXT NOT NULL,
  guild_id        TEXT NOT NULL,
  kind            TEXT NOT NULL,                    -- burst | scheduled
  state           TEXT NOT NULL DEFAULT 'pending',  -- pending | sending | sent | failed
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  message_ids     TEXT,
  last_error      TEXT,
  since           INTEGER,
  created_at      INTEGER NOT NULL,
  sent_at         INTEGER
);
CREATE INDEX digests_due ON digests(state, next_attempt_at);

CREATE TABLE deliveries (
  id              INTEGER PRIMARY KEY,
  story_id        INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
  guild_id        TEXT NOT NULL,
  channel_id      TEXT NOT NULL,
  subscription_id INTEGER,                          -- the subscription that routed it (first match)
  mode            TEXT NOT NULL,                    -- instant | digest
  state           TEXT NOT NULL DEFAULT 'pending',  -- pending | sending | sent | failed | digested | skipped | queued
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  message_id      TEXT,
  digest_id       INTEGER REFERENCES digests(id),
  last_error      TEXT,
  created_at      INTEGER NOT NULL,
  sent_at         INTEGER,
  UNIQUE (story_id, channel_id)
);
CREATE INDEX deliveries_due ON deliveries(state, next_attempt_at) WHERE state IN ('pending', 'sending');
-- Partial indexes are touched only when a row enters their state, not by every insert.
CREATE INDEX deliveries_sent ON deliveries(channel_id, sent_at) WHERE state = 'sent';
CREATE INDEX deliveries_digest_wait ON deliveries(channel_id, state) WHERE state = 'queued';
`,
};
