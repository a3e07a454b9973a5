import { createServices } from '../../app/services.js';
import { loadCatalogEntries, type CatalogEntry } from '../../feeds/catalog.js';
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

/** What the catalog says of an entry beyond its address: kind, what RSSHub needs, anti-crawler. */
function judged(e: CatalogEntry): string {
  return [e.kind, ...(e.needs.length ? [`needs ${e.needs.join(', ')}`] : []), ...(e.antiCrawler ? ['anti-crawler'] : [])].join('; ');
}

export const feedsListCommand: CliCommand = {
  path: ['feeds', 'list'],
  usage: 'feeds list [--json]',
  summary: 'list configured feeds with their health, and the catalog entries that are disabled',
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
      // Disabled entries are never synced into the database: only the file knows them, and an
      // operator deciding whether to give RSSHub puppeteer or a key needs to see them.
      const entries = loadCatalogEntries(ctx.config.feedsFile, { rsshubBase: ctx.config.rsshubBase });
      const byId = new Map(entries.map((e) => [e.id, e]));
      const regionOf = (code: string) => `${code} ${s.gazetteer.path(code).map((r) => r.name).join(' › ')}`;
      for (const f of feeds) {
        const entry = f.origin === 'catalog' ? byId.get(f.id) : undefined;
        ctx.out(`${f.id.padEnd(24)} ${f.name}  [${regionOf(f.region)}]${entry ? `  (${judged(entry)})` : ''}`);
        ctx.out(`${''.padEnd(24)} ${f.url}`);
        ctx.out(`${''.padEnd(24)} health: ${health(f)}; last success ${when(f.lastSuccessAt)}; items ${f.itemCount}`);
        if (f.lastWarning) ctx.out(`${''.padEnd(24)} warning: ${f.lastWarning}`);
      }
      const disabled = entries.filter((e) => !e.enabled);
      if (disabled.length) ctx.out(`\nDisabled in ${ctx.config.feedsFile} (not polled):`);
      for (const e of disabled) {
        ctx.out(`${e.id.padEnd(24)} ${e.name}  [${regionOf(e.region)}]  (${judged(e)})`);
        ctx.out(`${''.padEnd(24)} ${e.url}`);
        ctx.out(`${''.padEnd(24)} disabled: ${e.disabledReason ?? '—'}`);
      }
      ctx.out(`\n${feeds.length} feeds in ${ctx.config.feedsFile}${disabled.length ? `, ${disabled.length} catalog entries disabled` : ''}`);
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
