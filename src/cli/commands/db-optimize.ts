// `xiangxun db optimize`: retention (when asked), then index merge, ANALYZE and VACUUM.
import { applyRetention, optimize, type OptimizeProgress } from '../../store/sqlite-search/maintenance.js';
import { openDatabase } from '../../store/database.js';
import { UsageError, parseArgs, type CliCommand } from '../context.js';
import { parseAge } from './search.js';

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

const STEP_NAMES: Record<OptimizeProgress['step'], string> = {
  refresh: 'refresh stale index rows',
  'merge-index': 'merge the search index',
  'merge-chars': 'merge the character index',
  analyze: 'ANALYZE',
  vacuum: 'VACUUM',
};

export const command: CliCommand = {
  path: ['db', 'optimize'],
  usage: 'db optimize [--retain 365d]',
  summary: 'merge the search index, refresh planner statistics and compact the file; --retain first drops older articles',
  async run(args, ctx) {
    const { options } = parseArgs(args, { options: ['retain'] });
    let retainMs: number | null = null;
    if (options.has('retain')) {
      retainMs = parseAge(options.get('retain')!);
      if (retainMs === null || retainMs <= 0) throw new UsageError('--retain takes an age such as 365d or 52w');
    }
    const db = openDatabase(ctx.config.databasePath);
    try {
      if (retainMs !== null) {
        const r = applyRetention(db, retainMs);
        ctx.out(`retention: removed ${r.articles} articles and ${r.stories} stories older than ${options.get('retain')}` +
          (r.storiesKept ? ` (${r.storiesKept} stories kept: still referenced)` : ''));
      }
      const result = optimize(db, (p) => {
        const head = `[${p.index}/${p.of}] ${STEP_NAMES[p.step]}`;
        if (p.phase === 'start') ctx.out(`${head} …`);
        else ctx.out(`${head}: done in ${((p.ms ?? 0) / 1000).toFixed(1)} s, database ${mb(p.bytes ?? 0)}`);
      });
      ctx.out(`${ctx.config.databasePath}: ${mb(result.beforeBytes)} → ${mb(result.afterBytes)} in ${(result.ms / 1000).toFixed(1)} s`);
      return 0;
    } finally {
      db.close();
    }
  },
};
