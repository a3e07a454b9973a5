import type { Migration } from './index.js';

// Fan-out (issue #14): planning a story's deliveries reads, for every subscription that covers
// one of its regions, the channel, mode, guild and word lists. An index holding them all lets
// that read stay in the index instead of a table lookup per subscription (~60,000 per poll).
// It leads with region_code, so it serves every query subscriptions_region served.
export const m008: Migration = {
  version: 8,
  name: 'fan-out index',
  sql: `
CREATE INDEX subscriptions_fan_out ON subscriptions(region_code, channel_id, mode, guild_id, include_words, exclude_words);
DROP INDEX subscriptions_region;
`,
};
