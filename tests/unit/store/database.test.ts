import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SchemaTooNewError, migrate, openDatabase, schemaVersion } from '../../../src/store/database.js';
import { MIGRATIONS } from '../../../src/store/migrations/index.js';

describe('database', () => {
  it('opens with WAL, NORMAL sync, foreign keys and 8 KiB pages, and migrates', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'xx-db-')), 'a.db');
    const db = openDatabase(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('page_size', { simple: true })).toBe(8192);
    expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)!.version);
    db.close();
  });

  it('migrations are numbered in order and idempotent', () => {
    MIGRATIONS.forEach((m, i) => expect(m.version).toBe(i + 1));
    const db = openDatabase(':memory:');
    expect(migrate(db)).toEqual([]);
    db.close();
  });

  it('refuses a schema newer than it knows', () => {
    const db = openDatabase(':memory:');
    db.pragma(`user_version = ${MIGRATIONS.length + 5}`);
    expect(() => migrate(db)).toThrow(SchemaTooNewError);
    db.close();
  });
});
