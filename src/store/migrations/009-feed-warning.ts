import type { Migration } from './index.js';

// Issue 10: a feed whose charset declaration lies, or whose bad bytes were replaced, is
// warned about in the log and in `feeds list`. The last full fetch's decoding warnings are
// kept on the feed (NULL when it had none).
export const m009: Migration = {
  version: 9,
  name: 'feed warning',
  sql: `
ALTER TABLE feeds ADD COLUMN last_warning TEXT;
`,
};
