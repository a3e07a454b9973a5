// Postgres errors that mean the database cannot take writes, as store/errors.ts lists SQLite's:
// retrying is pointless and carrying on risks more, so the bot stops new work and alerts.
// Connection trouble (a restart, a network blip, too many connections) is not among them: the
// pool reconnects, and the work is retried as any failed poll or delivery is.
const FATAL = new Set([
  '53100', // disk_full
  '53200', // out_of_memory
  '58030', // io_error
  'XX001', // data_corrupted
  'XX002', // index_corrupted
  '25006', // read_only_sql_transaction: a standby, or the database set read-only
]);

export function isPgStorageFailure(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && FATAL.has(code);
}
