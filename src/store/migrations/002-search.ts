import type { Migration } from './index.js';

// Full-text search (issue #4). Both FTS tables are contentless: the text lives once, in
// `articles`; the application feeds them tokens (see src/search/tokens.ts).
//
// The FTS rowid is not the article id but a time-ordered key (`search_docs.doc`), so
// "newest first" and date ranges are rowid order and rowid ranges inside FTS5, which it
// streams without sorting. Keys count 30-second units and are nearly dense, which keeps
// the delta-encoded doclists small.
//
// search_fts: title and body as application bigrams, detail=full so a longer Han string is
// an exact phrase of bigrams; `facets` holds region and feed tokens so region filters are
// an AND inside FTS5. search_chars: each distinct character and word of an article, no
// positions (detail=none costs about 0.2× the text): single-character queries are single
// tokens there instead of a prefix scan over every bigram.
export const m002: Migration = {
  version: 2,
  name: 'full-text search',
  sql: `
CREATE VIRTUAL TABLE search_fts USING fts5(
  title, body, facets,
  content = '', contentless_delete = 1, tokenize = 'unicode61', detail = full
);

CREATE VIRTUAL TABLE search_chars USING fts5(
  terms,
  content = '', contentless_delete = 1, tokenize = 'unicode61', detail = none
);

CREATE TABLE search_docs (
  doc        INTEGER PRIMARY KEY,         -- rowid in both FTS tables
  article_id INTEGER NOT NULL UNIQUE,
  at         INTEGER NOT NULL             -- the article time the key was made from (ms)
);

-- Articles whose index rows may be out of date (their story's regions or their own text
-- changed without a call to indexArticle); re-indexed from the stored text.
CREATE TABLE search_stale (
  article_id INTEGER PRIMARY KEY
);

-- Whoever deletes an article (retention, a removed feed's cascade), its index rows go too.
CREATE TRIGGER search_article_deleted AFTER DELETE ON articles BEGIN
  DELETE FROM search_fts WHERE rowid = (SELECT doc FROM search_docs WHERE article_id = OLD.id);
  DELETE FROM search_chars WHERE rowid = (SELECT doc FROM search_docs WHERE article_id = OLD.id);
  DELETE FROM search_docs WHERE article_id = OLD.id;
  DELETE FROM search_stale WHERE article_id = OLD.id;
END;

CREATE TRIGGER search_article_changed AFTER UPDATE OF story_id, feed_id, title, text, body, published_at, first_seen_at ON articles
WHEN (OLD.story_id IS NOT NEW.story_id OR OLD.feed_id IS NOT NEW.feed_id OR OLD.title IS NOT NEW.title
      OR OLD.text IS NOT NEW.text OR OLD.body IS NOT NEW.body OR OLD.published_at IS NOT NEW.published_at
      OR OLD.first_seen_at IS NOT NEW.first_seen_at)
  AND EXISTS (SELECT 1 FROM search_docs WHERE article_id = NEW.id)
BEGIN
  INSERT OR IGNORE INTO search_stale (article_id) VALUES (NEW.id);
END;

CREATE TRIGGER search_region_added AFTER INSERT ON story_regions BEGIN
  INSERT OR IGNORE INTO search_stale (article_id)
    SELECT a.id FROM articles a JOIN search_docs d ON d.article_id = a.id WHERE a.story_id = NEW.story_id;
END;

CREATE TRIGGER search_region_removed AFTER DELETE ON story_regions BEGIN
  INSERT OR IGNORE INTO search_stale (article_id)
    SELECT a.id FROM articles a JOIN search_docs d ON d.article_id = a.id WHERE a.story_id = OLD.story_id;
END;

CREATE TRIGGER search_region_moved AFTER UPDATE OF story_id, code ON story_regions
WHEN OLD.story_id IS NOT NEW.story_id OR OLD.code IS NOT NEW.code
BEGIN
  INSERT OR IGNORE INTO search_stale (article_id)
    SELECT a.id FROM articles a JOIN search_docs d ON d.article_id = a.id
    WHERE a.story_id IN (OLD.story_id, NEW.story_id);
END;
`,
};
