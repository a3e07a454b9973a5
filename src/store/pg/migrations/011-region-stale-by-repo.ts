import type { Migration } from '../../migrations/index.js';

// Postgres form of migration 011: the repository marks a story's indexed articles stale when it
// adds regions, as on SQLite, so the row trigger that did it goes.
export const m011: Migration = {
  version: 11,
  name: 'story regions: stale marking by the repository, not a row trigger',
  sql: `
DROP TRIGGER IF EXISTS search_region_added ON story_regions;
`,
};
