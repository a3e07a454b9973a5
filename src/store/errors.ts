// Errors that mean the database itself cannot take writes (disk full, read-only, I/O, damage):
// retrying is pointless and carrying on risks more, so the bot stops new work and alerts.
const FATAL = /^SQLITE_(FULL|READONLY|IOERR|CORRUPT|NOTADB|CANTOPEN|NOMEM)/;

export function isStorageFailure(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && FATAL.test(code);
}
