// A look at a database file for `xiangxun doctor`, read-only: it must never migrate, create
// or lock a database that a running bot is using.
import { existsSync, statfsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { openDatabase, schemaVersion } from './database.js';
import { MIGRATIONS } from './migrations/index.js';

export interface DatabaseInspection {
  readonly exists: boolean;
  readonly schema: number | null;
  readonly known: number;
  /** "ok", or what SQLite's quick check found. */
  readonly check: string | null;
  readonly freeBytes: number | null;
  readonly channels: ReadonlyArray<{ channelId: string; guildId: string }>;
  readonly error: string | null;
}

export function inspectDatabase(path: string): DatabaseInspection {
  const known = MIGRATIONS.at(-1)?.version ?? 0;
  const free = (() => {
    try {
      // The folder that holds (or will hold) the file: that is where the disk must have room.
      let dir = dirname(resolve(path));
      while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
      const s = statfsSync(dir);
      return s.bavail * s.bsize;
    } catch {
      return null;
    }
  })();
  if (path === ':memory:' || !existsSync(path)) return { exists: false, schema: null, known, check: null, freeBytes: free, channels: [], error: null };
  try {
    const db = openDatabase(path, { readonly: true, migrate: false });
    try {
      const schema = schemaVersion(db);
      const check = String(db.pragma('quick_check', { simple: true }));
      const hasSubs = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'subscriptions'").get() !== undefined;
      const channels = hasSubs
        ? (db.prepare('SELECT DISTINCT channel_id AS channelId, guild_id AS guildId FROM subscriptions ORDER BY guild_id, channel_id').all() as Array<{ channelId: string; guildId: string }>)
        : [];
      return { exists: true, schema, known, check, freeBytes: free, channels, error: null };
    } finally {
      db.close();
    }
  } catch (e) {
    const err = e as { code?: string; message?: string };
    return { exists: true, schema: null, known, check: null, freeBytes: free, channels: [], error: err.code ?? err.message ?? 'cannot open' };
  }
}
