// `db backup` on Postgres: pg_dump's custom format (restored with pg_restore), consistent while
// the bot runs because pg_dump reads one snapshot. The password reaches pg_dump through a
// private password file named in the connection string, never on a command line that other
// users of the machine can list, and never in this process's environment.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class DumpUnavailable extends Error {
  constructor() {
    super('pg_dump is not installed here. Install the PostgreSQL client tools (Debian: apt-get install postgresql-client) or back up with your provider’s snapshots; see README, "Postgres and roles".');
    this.name = 'DumpUnavailable';
  }
}

/** A .pgpass line: `:` and `\` are escaped in each field. */
const pgpassField = (v: string) => v.replaceAll('\\', '\\\\').replaceAll(':', '\\:');

/** Dumps the database of `url` to `target`; rejects with pg_dump's own message (password removed). */
export function dumpDatabase(url: string, target: string, pgDump = 'pg_dump'): Promise<void> {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  const dir = mkdtempSync(join(tmpdir(), 'xiangxun-dump-'));
  const passfile = join(dir, 'pgpass');
  const host = decodeURIComponent(u.hostname);
  const port = u.port || '5432';
  const database = decodeURIComponent(u.pathname.slice(1)) || 'postgres';
  const user = decodeURIComponent(u.username);
  writeFileSync(passfile, `${[host, port, database, user || '*', password].map(pgpassField).join(':')}\n`, { mode: 0o600 });
  const conn = new URL(url);
  conn.password = '';
  conn.searchParams.set('passfile', passfile);
  return new Promise<void>((resolve, reject) => {
    const child = spawn(pgDump, ['--format=custom', `--file=${target}`, `--dbname=${conn.toString()}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    child.on('error', (e: NodeJS.ErrnoException) => reject(e.code === 'ENOENT' ? new DumpUnavailable() : e));
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`pg_dump failed (exit ${code}): ${(password ? err.replaceAll(password, '***') : err).trim().slice(0, 500)}`));
    });
  }).finally(() => rmSync(dir, { recursive: true, force: true }));
}
