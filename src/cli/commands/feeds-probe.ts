// Fetch and parse each configured feed once, storing nothing: shared by `feeds check` and
// `doctor --feeds`. Conditional GET is skipped on purpose: the point is to see the feed.
import { createServices } from '../../app/services.js';
import { FeedError } from '../../feeds/errors.js';
import { parseFeed } from '../../feeds/parse.js';
import type { CliContext } from '../context.js';

export interface FeedProbe {
  readonly id: string;
  readonly ok: boolean;
  readonly ms: number;
  /** Added by a server (/feeds add), not from FEEDS_FILE. */
  readonly guild: boolean;
  /** When ok: format, item count, charset, newest item time and parse warnings. */
  readonly format?: string;
  readonly items?: number;
  readonly charset?: string;
  readonly newest?: number | null;
  readonly warnings?: readonly string[];
  /** When not ok: the error kind and message. */
  readonly error?: string;
}

export async function probeFeeds(ctx: CliContext, only?: string): Promise<FeedProbe[]> {
  const s = createServices(ctx.config, ctx.logger);
  try {
    s.syncCatalog();
    const feeds = s.feeds.list().filter((f) => only === undefined || f.id === only);
    // The polling fetcher: servers' URLs are untrusted on every hop and list pages are read
    // into items, exactly as when they are polled.
    const fetcher = s.ingestDeps().fetcher;
    return await Promise.all(
      feeds.map(async (f): Promise<FeedProbe> => {
        const started = performance.now();
        const ms = () => Math.round(performance.now() - started);
        const guild = f.origin === 'guild';
        try {
          const res = await fetcher.fetch({ url: f.url, trusted: true });
          if (res.kind !== 'fetched') throw new Error(`unexpected ${res.kind}`);
          const parsed = await parseFeed(res.text, { timeZone: ctx.config.timeZone, now: Date.now() });
          const newest = parsed.items.reduce<number | null>((m, i) => (i.publishedAt !== null && (m === null || i.publishedAt > m) ? i.publishedAt : m), null);
          return { id: f.id, guild, ok: true, ms: ms(), format: parsed.format, items: parsed.items.length, charset: res.charset, newest, warnings: [...(res.decodeWarnings ?? []), ...parsed.warnings] };
        } catch (e) {
          const kind = e instanceof FeedError ? e.kind : 'error';
          return { id: f.id, guild, ok: false, ms: ms(), error: `${kind}: ${(e as Error).message}` };
        }
      }),
    );
  } finally {
    s.close();
  }
}

/** Summary for the doctor: how many feeds, and which failed with what. */
export async function checkFeeds(ctx: CliContext): Promise<{ total: number; failed: Array<{ id: string; error: string; guild: boolean }> }> {
  const results = await probeFeeds(ctx);
  return { total: results.length, failed: results.filter((r) => !r.ok).map((r) => ({ id: r.id, error: r.error ?? 'failed', guild: r.guild })) };
}
