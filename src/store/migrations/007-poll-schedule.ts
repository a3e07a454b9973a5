import type { Migration } from './index.js';

// Per-feed adaptive polling (issue #14): what each feed has been seen to publish, decayed over
// days, and by hour of the day, so its next poll can be planned (src/ingest/adaptive-schedule.ts).
export const m007: Migration = {
  version: 7,
  name: 'feed publishing rates',
  sql: `
ALTER TABLE feeds ADD COLUMN rate_items  REAL;   -- decayed count of new items
ALTER TABLE feeds ADD COLUMN rate_hours  REAL;   -- decayed hours they were observed over
ALTER TABLE feeds ADD COLUMN rate_hourly TEXT;   -- JSON: 24 decayed counts by local hour
`,
};
