// Online backups: SQLite's backup API copies a consistent snapshot page by page while the
// bot keeps running (readers and writers are not blocked for the whole copy).
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import { MIGRATIONS } from './migrations/index.js';
import type { Db } from './database.js';

export interface BackupProgress {
  readonly totalPages: number;
  readonly remainingPages: number;
}

export async function backupDatabase(db: Db, target: string, onProgress?: (p: BackupProgress) => void): Promise<{ pages: number }> {
  const result = await db.backup(target, {
    progress: (p) => {
      onProgress?.(p);
      return 200; // pages per step: small steps keep the bot's own queries responsive
    },
  });
  return { pages: result.totalPages };
}

export class RestoreError extends Error {
  override name = 'RestoreError';
}

/** Checks a backup file before it replaces anything: readable, intact, a schema we know. */
export function verifyBackup(path: string): { version: number; articles: number } {
  if (!existsSync(path)) throw new RestoreError(`${path} does not exist`);
  let db: Database.Database | null = null;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    const check = db.pragma('integrity_check', { simple: true });
    if (check !== 'ok') throw new RestoreError(`${path} failed the integrity check: ${String(check)}`);
    const version = db.pragma('user_version', { simple: true }) as number;
    const latest = MIGRATIONS.at(-1)?.version ?? 0;
    if (version === 0) throw new RestoreError(`${path} is not a xiangxun database`);
    if (version > latest) throw new RestoreError(`${path} has schema ${version}, newer than this program (${latest})`);
    const articles = db.prepare('SELECT count(*) FROM articles').pluck().get() as number;
    return { version, articles };
  } catch (e) {
    if (e instanceof RestoreError) throw e;
    throw new RestoreError(`${path} is not a readable SQLite database (${(e as Error).message})`);
  } finally {
    db?.close();
  }
}

/**
 * Replaces the database with a verified backup. The bot must be stopped: the old file is
 * kept beside it (.before-restore) and the swap is a rename, so a failure leaves one intact.
 */
export function restoreDatabase(backup: string, target: string): { version: number; articles: number; previous: string | null } {
  const info = verifyBackup(backup);
  const staging = `${target}.restoring`;
  copyFileSync(backup, staging);
  let previous: string | null = null;
  if (existsSync(target)) {
    previous = `${target}.before-restore`;
    rmSync(previous, { force: true });
    renameSync(target, previous);
  }
  for (const suffix of ['-wal', '-shm']) rmSync(`${target}${suffix}`, { force: true });
  renameSync(staging, target);
  return { ...info, previous };
}
