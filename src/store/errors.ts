// Errors that mean the database itself cannot take writes (disk full, read-only, I/O, damage):
// retrying is pointless and carrying on risks more, so the bot stops new work and alerts.
const SQLITE_FATAL = /^SQLITE_(FULL|READONLY|IOERR|CORRUPT|NOTADB|CANTOPEN|NOMEM)/;
// Postgres SQLSTATEs of the same kind: disk full (53100), out of memory (53200), I/O error
// (58030), a read-only transaction (25006: a standby, or default_transaction_read_only),
// data corrupted (XX001, XX002). A lost connection is not among them: the pool reconnects.
const PG_FATAL = new Set(['53100', '53200', '58030', '25006', 'XX001', 'XX002']);

export function isStorageFailure(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && (SQLITE_FATAL.test(code) || PG_FATAL.has(code));
}

/** The database was written by a newer program (either store): refused, never downgraded. */
export class SchemaTooNewError extends Error {
  constructor(readonly found: number, readonly known: number) {
    super(`Database schema version ${found} is newer than this program knows (${known}); upgrade xiangxun.`);
    this.name = 'SchemaTooNewError';
  }
}
