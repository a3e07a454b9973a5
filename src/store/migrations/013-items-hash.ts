import type { Migration } from './index.js';

// Corrections (issue #15) need a poll to compare known items with what is stored, which means
// parsing; most changed bodies only carry a new build date. A digest of the items' own XML
// tells the two apart without parsing: the same digest as the last full read, and every guid
// known, means nothing to store and nothing corrected.
export const m013: Migration = {
  version: 13,
  name: 'digest of a feed document items',
  sql: `
ALTER TABLE feeds ADD COLUMN items_hash TEXT;
`,
};
