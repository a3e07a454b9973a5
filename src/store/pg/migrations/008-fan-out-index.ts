import type { Migration } from '../../migrations/index.js';

// Postgres form of migration 008 (fan-out index). The short columns are INCLUDEd so the
// planning read stays in the index; the word lists are not, since a b-tree entry has a size
// limit that long lists could pass (they are read from the row).
export const m008: Migration = {
  version: 8,
  name: 'fan-out index',
  sql: `
CREATE INDEX subscriptions_fan_out ON subscriptions(region_code) INCLUDE (channel_id, mode, guild_id);
DROP INDEX subscriptions_region;
`,
};
