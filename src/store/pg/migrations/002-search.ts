import type { Migration } from '../../migrations/index.js';

// Postgres form of migration 002 (full-text search). The SQLite store keeps the tokens in two
// FTS5 tables keyed by search_docs.doc; here they are two tsvector columns of search_docs
// itself, each with a GIN index, holding the SAME tokens the application makes
// (src/search/tokens.ts): Han runs as overlapping bigrams plus the run's last character, words
// whole. Built from the token list, never parsed by a text-search configuration, so nothing
// is stemmed or dropped and a two-character query is one lexeme, in either script.
//
//   tokens: search_fts — title (weight A) and body (weight B) with positions, so a longer Han
//           string is a phrase of bigrams (<->); region and feed facets (weight D).
//   terms:  search_chars — each distinct character, word and facet once, no positions.
//
// A tsvector keeps positions only up to 16,383 and 256 per lexeme; an article past either is
// marked exact = false and its phrases are also matched as plain AND, so a search may find it
// where a phrase does not quite hold, never miss it.
//
// Rows go with their article through foreign keys (SQLite uses a trigger: FTS5 tables have none).
export const m002: Migration = {
  version: 2,
  name: 'full-text search',
  sql: `
CREATE TABLE search_docs (
  doc        BIGINT PRIMARY KEY,
  article_id BIGINT NOT NULL UNIQUE REFERENCES articles(id) ON DELETE CASCADE,
  at         BIGINT NOT NULL,
  tokens     TSVECTOR NOT NULL,
  terms      TSVECTOR NOT NULL,
  exact      BOOLEAN NOT NULL DEFAULT TRUE
);
-- The tokens live out of line (TOAST), so the table itself stays a few dozen bytes a row: a
-- search reads the rows of its matches from a table that fits in memory, and only ranking
-- reads the tokens themselves.
ALTER TABLE search_docs SET (toast_tuple_target = 128);
CREATE INDEX search_docs_tokens ON search_docs USING gin (tokens);
CREATE INDEX search_docs_terms ON search_docs USING gin (terms);

CREATE TABLE search_stale (
  article_id BIGINT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE
);

CREATE FUNCTION search_mark_article() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO search_stale (article_id)
    SELECT NEW.id WHERE EXISTS (SELECT 1 FROM search_docs WHERE article_id = NEW.id)
    ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

CREATE TRIGGER search_article_changed AFTER UPDATE OF story_id, feed_id, title, text, body, published_at, first_seen_at ON articles
FOR EACH ROW WHEN (OLD.story_id IS DISTINCT FROM NEW.story_id OR OLD.feed_id IS DISTINCT FROM NEW.feed_id
  OR OLD.title IS DISTINCT FROM NEW.title OR OLD.text IS DISTINCT FROM NEW.text OR OLD.body IS DISTINCT FROM NEW.body
  OR OLD.published_at IS DISTINCT FROM NEW.published_at OR OLD.first_seen_at IS DISTINCT FROM NEW.first_seen_at)
EXECUTE FUNCTION search_mark_article();

-- The indexed articles of the stories a region row was added to, removed from or moved between.
CREATE FUNCTION search_mark_story() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO search_stale (article_id)
    SELECT a.id FROM articles a JOIN search_docs d ON d.article_id = a.id
    WHERE a.story_id IN (
      CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE OLD.story_id END,
      CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE NEW.story_id END)
    ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

CREATE TRIGGER search_region_added AFTER INSERT ON story_regions
FOR EACH ROW EXECUTE FUNCTION search_mark_story();

CREATE TRIGGER search_region_removed AFTER DELETE ON story_regions
FOR EACH ROW EXECUTE FUNCTION search_mark_story();

CREATE TRIGGER search_region_moved AFTER UPDATE OF story_id, code ON story_regions
FOR EACH ROW WHEN (OLD.story_id IS DISTINCT FROM NEW.story_id OR OLD.code IS DISTINCT FROM NEW.code)
EXECUTE FUNCTION search_mark_story();
`,
};
