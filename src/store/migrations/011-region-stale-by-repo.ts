import type { Migration } from './index.js';

// Ingest throughput (issue #11). Every new story stores its regions (the region, its
// prefecture and province): with a row trigger on story_regions, each of those inserts ran as
// a statement with its own statement journal, which also makes the FTS5 tables flush their
// pending terms to disk, and cost about as much as storing and indexing the article itself.
// The trigger marked a story's already indexed articles stale when a region was added; the
// articles repository's addRegions does that now (only a story that already has indexed
// articles has anything to mark, which a new story never has). Deleting or moving region
// rows keeps its triggers: neither happens on the ingest path. No data changes.
export const m011: Migration = {
  version: 11,
  name: 'story regions: stale marking by the repository, not a row trigger',
  sql: `
DROP TRIGGER IF EXISTS search_region_added;
`,
};
