// A real, throwaway Postgres server for tests, and one database per test file on it.
//
// `.ci/run` starts one server for the whole run (this file as a script: `start DIR` prints the
// TEST_DATABASE_URL to export, `stop DIR` ends it); each test file then takes a database of its
// own with createTestDatabase(), so files running in parallel never see each other's rows.
// Without TEST_DATABASE_URL the Postgres parts of the suite are skipped.
//
// The Debian server binaries are used (PG_BIN, else the newest /usr/lib/postgresql/N/bin).
// initdb and postgres refuse to run as root: as root they run as the `postgres` user, on a data
// directory it owns inside the temp folder; the socket sits in that folder too and TCP listens
// on 127.0.0.1 only, on a port that was free a moment before.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const TEST_DATABASE_URL: string | undefined = process.env.TEST_DATABASE_URL || undefined;

/** The folder holding initdb and pg_ctl, or null when no server is installed. */
export function findPostgresBin(): string | null {
  const given = process.env.PG_BIN;
  if (given) return existsSync(join(given, 'pg_ctl')) ? given : null;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => /^\d+$/u.test(v) && existsSync(join(root, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(root, versions[0]!, 'bin') : null;
}

const isRoot = () => process.getuid?.() === 0;

/** Runs a server binary, as the postgres user when we are root (the server refuses root). */
export function runServerTool(bin: string, tool: string, args: readonly string[]): string {
  const path = join(bin, tool);
  const [cmd, argv] = isRoot() ? ['runuser', ['-u', 'postgres', '--', path, ...args]] : [path, [...args]];
  // cwd: runuser keeps ours, and the postgres user may not be allowed to read it.
  return execFileSync(cmd, argv, { cwd: tmpdir(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A loopback port free a moment ago (the caller retries if it is taken before use). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Makes `dir` for a server's data, socket and log: owned by the postgres user when we are root. */
export function serverFolder(dir: string): void {
  mkdirSync(dir, { recursive: true });
  if (isRoot()) {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, id('-u'), id('-g'));
  }
}

export interface PostgresServer {
  readonly url: string;
  readonly dir: string;
  stop(): void;
}

/** Starts a server in `dir` (made when absent); its data, socket and log stay inside it. */
export async function startPostgres(dir = mkdtempSync(join(tmpdir(), 'xiangxun-pg-'))): Promise<PostgresServer> {
  const bin = findPostgresBin();
  if (!bin) throw new Error('No Postgres server binaries found (install the Debian package `postgresql`, or set PG_BIN).');
  serverFolder(dir);
  const data = join(dir, 'data');
  // Trust on a loopback-only server the test run owns; no fsync: a crash loses only test data.
  runServerTool(bin, 'initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync']);
  let lastError: unknown;
  // A port found free can be taken before the server binds it: try a few.
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
    try {
      runServerTool(bin, 'pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-o', opts, '-w', '-t', '60', 'start']);
      return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, dir, stop: () => stopPostgres(dir) };
    } catch (err) {
      lastError = err;
    }
  }
  throw new Error(`Postgres did not start (log: ${join(dir, 'server.log')}): ${String(lastError)}`);
}

/** Stops the server started in `dir` and removes the folder. */
export function stopPostgres(dir: string): void {
  const bin = findPostgresBin();
  const data = join(dir, 'data');
  if (bin && existsSync(join(data, 'postmaster.pid'))) {
    try {
      runServerTool(bin, 'pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // Already gone: nothing to stop.
    }
  }
  rmSync(dir, { recursive: true, force: true });
}

export interface TestDatabase {
  /** Connection URL of the new, empty database. */
  readonly url: string;
  drop(): Promise<void>;
}

/** A fresh database on the server at `serverUrl` (TEST_DATABASE_URL by default). */
export async function createTestDatabase(serverUrl = TEST_DATABASE_URL): Promise<TestDatabase> {
  if (!serverUrl) throw new Error('TEST_DATABASE_URL is not set');
  const name = `xiangxun_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      try {
        // FORCE ends connections a failed test left open.
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

// As a script, for .ci/run: `start DIR` prints `export TEST_DATABASE_URL=…`; `stop DIR`.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [verb, dir] = process.argv.slice(2);
  if (verb === 'start' && dir) {
    const server = await startPostgres(dir);
    process.stdout.write(`export TEST_DATABASE_URL=${server.url}\n`);
  } else if (verb === 'stop' && dir) {
    stopPostgres(dir);
  } else {
    process.stderr.write('usage: tsx tests/helpers/postgres.ts start|stop DIR\n');
    process.exit(2);
  }
}
