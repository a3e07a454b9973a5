import { createServices } from '../../app/services.js';
import { FeedError } from '../../feeds/errors.js';
import { parseFeed } from '../../feeds/parse.js';
import type { FeedState } from '../../store/feeds-repo.js';
import { UsageError, parseArgs, type CliCommand } from '../context.js';

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
    const s = createServices(ctx.config, ctx.logger);
    let failures = 0;
    try {
      s.syncCatalog();
      const feeds = s.feeds.list().filter((f) => !options.has('feed') || f.id === options.get('feed'));
      // The polling fetcher: servers' URLs untrusted, list pages read into items.
      const fetcher = s.ingestDeps().fetcher;
      await Promise.all(
        feeds.map(async (f) => {
          const started = performance.now();
          try {
            const res = await fetcher.fetch({ url: f.url, trusted: true });
            if (res.kind !== 'fetched') throw new Error(`unexpected ${res.kind}`);
            const parsed = await parseFeed(res.text, { timeZone: ctx.config.timeZone, now: Date.now() });
            const newest = parsed.items.reduce<number | null>((m, i) => (i.publishedAt !== null && (m === null || i.publishedAt > m) ? i.publishedAt : m), null);
            ctx.out(`✓ ${f.id}: ${parsed.format}, ${parsed.items.length} items, charset ${res.charset}, newest ${when(newest)} [${Math.round(performance.now() - started)} ms]`);
            for (const w of parsed.warnings) ctx.out(`    ! ${w}`);
          } catch (e) {
            failures++;
            const kind = e instanceof FeedError ? e.kind : 'error';
            ctx.out(`✗ ${f.id}: ${kind}: ${(e as Error).message} [${Math.round(performance.now() - started)} ms]`);
          }
        }),
      );
      ctx.out(`\n${feeds.length - failures} of ${feeds.length} feeds OK`);
      return failures === 0 ? 0 : 1;
    } finally {
      s.close();
    }
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
