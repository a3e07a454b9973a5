// The Postgres migrations: one per SQLite migration, same number and name, so a schema version
// means the same tables in both stores. Never edit a released one: add the next number, in both.
import type { Migration } from '../../migrations/index.js';
import { m001 } from './001-initial.js';
import { m002 } from './002-search.js';
import { m003 } from './003-delivery.js';
import { m004 } from './004-searches.js';
import { m005 } from './005-search-results.js';
import { m006 } from './006-guild-feeds.js';
import { m007 } from './007-poll-schedule.js';
import { m008 } from './008-fan-out-index.js';
import { m009 } from './009-feed-warning.js';
import { m010 } from './010-discord-posting.js';
import { m011 } from './011-region-stale-by-repo.js';
import { m012 } from './012-corrected-titles.js';
import { m013 } from './013-items-hash.js';

export const PG_MIGRATIONS: readonly Migration[] = [m001, m002, m003, m004, m005, m006, m007, m008, m009, m010, m011, m012, m013];
