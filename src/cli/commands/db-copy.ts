import { openPostgresStore } from '../../app/store-open.js';
import { CopyRefused, copySqliteToPostgres } from '../../store/copy.js';
import { openDatabase } from '../../store/database.js';
import { DatabaseUrlError, openPgPool, redactDatabaseUrl } from '../../store/pg/connection.js';
import { migratePg } from '../../store/pg/migrate.js';
import { UsageError, parseArgs, type CliCommand } from '../context.js';

const REINDEX_BATCH = 500;

export const dbCopyCommand: CliCommand = {
  path: ['db', 'copy'],
  usage: 'db copy --from sqlite:<file> --to postgres://USER:PASSWORD@HOST/DATABASE',
  summary: 'move an installation from its SQLite file to an empty Postgres database (stop the bot first)',
  async run(args, ctx) {
    const { options } = parseArgs(args, { options: ['from', 'to'] });
    const from = options.get('from') ?? (ctx.config.databaseUrl ? undefined : `sqlite:${ctx.config.databasePath}`);
    const to = options.get('to') ?? ctx.config.databaseUrl ?? undefined;
    if (!from?.startsWith('sqlite:')) throw new UsageError('--from must be sqlite:<file> (the SQLite database to copy)');
    if (!to || !/^postgres(?:ql)?:\/\//iu.test(to)) throw new UsageError('--to must be a postgres:// URL (or set DATABASE_URL)');
    const path = from.slice('sqlite:'.length);
    const shown = redactDatabaseUrl(to);
    const source = openDatabase(path, { readonly: true });
    let pool;
    try {
      pool = await openPgPool(to);
      await migratePg(pool);
      const started = Date.now();
      let lastTable = '';
      const result = await copySqliteToPostgres(source, pool, (p) => {
        if (p.table !== lastTable || p.copied === p.total) ctx.err(`${p.table}: ${p.copied}/${p.total}`);
        lastTable = p.table;
      });
      await pool.end();
      pool = undefined;
      // The index is rebuilt from the copied articles, in batches, as the bot's refresh does.
      const store = await openPostgresStore(to);
      try {
        let indexed = 0;
        for (let n = await store.index.refreshStale(REINDEX_BATCH); n > 0; n = await store.index.refreshStale(REINDEX_BATCH)) {
          indexed += n;
          ctx.err(`search index: ${indexed}/${result.toIndex}`);
        }
      } finally {
        await store.close();
      }
      const rows = result.tables.reduce((n, t) => n + t.rows, 0);
      ctx.out(`Copied ${path} to ${shown}: ${rows} rows in ${result.tables.length} tables (${result.tables.map((t) => `${t.table} ${t.rows}`).join(', ')}), ${result.toIndex} articles indexed, in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
      ctx.out('Set DATABASE_URL to this database and start the bot; keep the SQLite file as a backup.');
      return 0;
    } catch (e) {
      if (e instanceof CopyRefused || e instanceof DatabaseUrlError) {
        ctx.err(`Not copied: ${e.message}`);
        return 1;
      }
      throw e;
    } finally {
      source.close();
      await pool?.end().catch(() => undefined);
    }
  },
};
