import { describe, expect, it } from 'vitest';
import { isStorageFailure } from '../../../src/store/errors.js';

describe('isStorageFailure', () => {
  it('halts on a full, read-only or broken database of either store, not on a busy or lost one', () => {
    for (const code of ['SQLITE_FULL', 'SQLITE_READONLY_DBMOVED', 'SQLITE_IOERR_WRITE', '53100', '25006', '58030']) expect(isStorageFailure({ code })).toBe(true);
    for (const code of ['SQLITE_BUSY', 'SQLITE_CONSTRAINT_UNIQUE', '23505', '40001', 'ECONNREFUSED', '57P01']) expect(isStorageFailure({ code })).toBe(false);
    expect(isStorageFailure(new Error('plain'))).toBe(false);
    expect(isStorageFailure(null)).toBe(false);
  });
});
