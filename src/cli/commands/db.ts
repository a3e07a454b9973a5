import { existsSync } from 'node:fs';
import { backupDatabase, restoreDatabase, RestoreError, verifyBackup } from '../../store/backup.js';
import { migrate, openDatabase, schemaVersion } from '../../store/database.js';
import { MIGRATIONS } from '../../store/migrations/index.js';
import { DatabaseUrlError, openPgPool, redactDatabaseUrl } from '../../store/pg/connection.js';
import { DumpUnavailable, dumpDatabase } from '../../store/pg/dump.js';
import { migratePg, pgSchemaVersion } from '../../store/pg/migrate.js';
import { PG_MIGRATIONS } from '../../store/pg/migrations/index.js';
import { UsageError, parseArgs, type CliCommand, type CliContext } from '../context.js';

export const dbMigrateCommand: CliCommand = {
  path: ['db', 'migrate'],
  usage: 'db migrate',
  summary: 'apply pending database migrations (the bot also does this at start-up)',
  async run(_args, ctx) {
    if (ctx.config.databaseUrl) return migratePostgres(ctx.config.databaseUrl, ctx);
    const db = openDatabase(ctx.config.databasePath, { migrate: false });
    try {
      const before = schemaVersion(db);
      const applied = migrate(db, (v, name) => ctx.out(`applied ${String(v).padStart(3, '0')} ${name}`));
      const latest = MIGRATIONS.at(-1)?.version ?? 0;
      ctx.out(applied.length ? `${ctx.config.databasePath}: schema ${before} → ${latest}` : `${ctx.config.databasePath}: schema ${latest}, up to date`);
      return 0;
    } finally {
      db.close();
    }
  },
};

export const dbBackupCommand: CliCommand = {
  path: ['db', 'backup'],
  usage: 'db backup <file>',
  summary: 'copy the database to a file, consistently, even while the bot runs',
  async run(args, ctx) {
    const { positionals } = parseArgs(args, {});
    const target = positionals[0];
    if (!target) throw new UsageError('name the backup file');
    if (existsSync(target)) {
      ctx.err(`${target} already exists; choose a new file name.`);
      return 1;
    }
    if (ctx.config.databaseUrl) return backupPostgres(ctx.config.databaseUrl, target, ctx);
    const db = openDatabase(ctx.config.databasePath, { migrate: false });
    try {
      let last = -1;
      const { pages } = await backupDatabase(db, target, ({ totalPages, remainingPages }) => {
        const pct = totalPages ? Math.floor(((totalPages - remainingPages) / totalPages) * 100) : 100;
        if (pct >= last + 10) ctx.err(`backup ${pct}% (${totalPages - remainingPages}/${totalPages} pages)`);
        last = pct;
      });
      const info = verifyBackup(target);
      ctx.out(`Backed up ${ctx.config.databasePath} to ${target}: ${pages} pages, schema ${info.version}, ${info.articles} articles, integrity ok.`);
      return 0;
    } finally {
      db.close();
    }
  },
};

export const dbRestoreCommand: CliCommand = {
  path: ['db', 'restore'],
  usage: 'db restore <file>',
  summary: 'replace the database with a backup (stop the bot first)',
  async run(args, ctx) {
    const { positionals } = parseArgs(args, {});
    const source = positionals[0];
    if (!source) throw new UsageError('name the backup file to restore');
    if (ctx.config.databaseUrl) {
      ctx.err('On Postgres, restore a `db backup` file with pg_restore into an empty database (pg_restore --dbname=URL FILE), then point DATABASE_URL at it.');
      return 1;
    }
    try {
      const r = restoreDatabase(source, ctx.config.databasePath);
      ctx.out(`Restored ${source} into ${ctx.config.databasePath}: schema ${r.version}, ${r.articles} articles.${r.previous ? ` The previous database is kept as ${r.previous}.` : ''}`);
      return 0;
    } catch (e) {
      if (e instanceof RestoreError) {
        ctx.err(`Not restored: ${e.message}. The current database is unchanged.`);
        return 1;
      }
      throw e;
    }
  },
};

async function migratePostgres(url: string, ctx: CliContext): Promise<number> {
  const shown = redactDatabaseUrl(url);
  try {
    const pool = await openPgPool(url);
    try {
      const before = await pgSchemaVersion(pool);
      const applied = await migratePg(pool, (v, name) => ctx.out(`applied ${String(v).padStart(3, '0')} ${name}`));
      const latest = PG_MIGRATIONS.at(-1)?.version ?? 0;
      ctx.out(applied.length ? `${shown}: schema ${before} → ${latest}` : `${shown}: schema ${latest}, up to date`);
      return 0;
    } finally {
      await pool.end();
    }
  } catch (e) {
    if (e instanceof DatabaseUrlError) {
      ctx.err(e.message);
      return 1;
    }
    throw e;
  }
}

async function backupPostgres(url: string, target: string, ctx: CliContext): Promise<number> {
  try {
    await dumpDatabase(url, target);
    ctx.out(`Backed up ${redactDatabaseUrl(url)} to ${target} (pg_dump custom format; restore with pg_restore).`);
    return 0;
  } catch (e) {
    ctx.err(`Not backed up: ${e instanceof DumpUnavailable ? e.message : (e as Error).message}`);
    return 1;
  }
}
