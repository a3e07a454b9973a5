import type { Migration } from './index.js';

// What each /news result button points to (issue #11). A Post button's custom id names a
// story, but the id comes back from the client and can be made up: the story actually shown
// as result n of a stored search is kept here, with when it was posted, so a result is
// posted only if it was one, and only once. Rows go with their search.
export const m005: Migration = {
  version: 5,
  name: 'stored search results',
  sql: `
CREATE TABLE search_results (
  key       TEXT NOT NULL REFERENCES searches(key) ON DELETE CASCADE,
  n         INTEGER NOT NULL,        -- the result's number on screen, from 1
  story_id  INTEGER NOT NULL,
  posted_at INTEGER,                 -- set when its Post button posted it
  PRIMARY KEY (key, n)
) WITHOUT ROWID;
`,
};
