import { createServices } from '../../app/services.js';
import type { FeedState } from '../../store/feeds-repo.js';
import { UsageError, parseArgs, type CliCommand } from '../context.js';
import { probeFeeds } from './feeds-probe.js';

const when = (ms: number | null): string => (ms === null ? '—' : new Date(ms).toISOString().replace('.000Z', 'Z'));

function health(f: FeedState): string {
  if (f.pausedAt !== null) return `PAUSED (${f.pauseReason})`;
  if (f.failureCount > 0) return `failing ×${f.failureCount}: ${f.lastError}`;
  if (f.lastSuccessAt === null) return 'not polled yet';
  return 'ok';
}

export const feedsListCommand: CliCommand = {
  path: ['feeds', 'list'],
  usage: 'feeds list [--json]',
  summary: 'list configured feeds with their health',
  async run(args, ctx) {
    const { flags } = parseArgs(args, { flags: ['json'] });
    const s = createServices(ctx.config, ctx.logger);
    try {
      s.syncCatalog();
      const feeds = s.feeds.list();
      if (flags.has('json')) {
        ctx.out(JSON.stringify(feeds, null, 2));
        return 0;
      }
      for (const f of feeds) {
        const region = s.gazetteer.path(f.region).map((r) => r.name).join(' › ');
        ctx.out(`${f.id.padEnd(24)} ${f.name}  [${f.region} ${region}]`);
        ctx.out(`${''.padEnd(24)} ${f.url}`);
        ctx.out(`${''.padEnd(24)} health: ${health(f)}; last success ${when(f.lastSuccessAt)}; items ${f.itemCount}`);
      }
      ctx.out(`\n${feeds.length} feeds in ${ctx.config.feedsFile}`);
      return 0;
    } finally {
      s.close();
    }
  },
};

export const feedsCheckCommand: CliCommand = {
  path: ['feeds', 'check'],
  usage: 'feeds check [--feed ID]',
  summary: 'fetch each feed once (no conditional GET, nothing stored) and report',
  async run(args, ctx) {
    const { options } = parseArgs(args, { options: ['feed'] });
    const results = await probeFeeds(ctx, options.get('feed'));
    for (const r of results) {
      if (r.ok) {
        ctx.out(`✓ ${r.id}: ${r.format}, ${r.items} items, charset ${r.charset}, newest ${when(r.newest ?? null)} [${r.ms} ms]`);
        for (const w of r.warnings ?? []) ctx.out(`    ! ${w}`);
      } else ctx.out(`✗ ${r.id}: ${r.error} [${r.ms} ms]`);
    }
    const failures = results.filter((r) => !r.ok).length;
    ctx.out(`\n${results.length - failures} of ${results.length} feeds OK`);
    return failures === 0 ? 0 : 1;
  },
};

export const feedsResumeCommand: CliCommand = {
  path: ['feeds', 'resume'],
  usage: 'feeds resume ID',
  summary: 'resume a paused feed (it is polled at the next tick)',
  async run(args, ctx) {
    const { positionals } = parseArgs(args, {});
    const id = positionals[0];
    if (!id) throw new UsageError('name the feed to resume');
    const s = createServices(ctx.config, ctx.logger);
    try {
      s.syncCatalog();
      if (!s.feeds.resume(id)) {
        ctx.err(`No feed with id "${id}".`);
        return 1;
      }
      ctx.out(`Feed ${id} resumed.`);
      return 0;
    } finally {
      s.close();
    }
  },
};
