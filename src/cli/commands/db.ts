import { migrate, openDatabase, schemaVersion } from '../../store/database.js';
import { MIGRATIONS } from '../../store/migrations/index.js';
import type { CliCommand } from '../context.js';

export const dbMigrateCommand: CliCommand = {
  path: ['db', 'migrate'],
  usage: 'db migrate',
  summary: 'apply pending database migrations (the bot also does this at start-up)',
  async run(_args, ctx) {
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
