// The feed catalog (FEEDS_FILE): validated once, with `{rsshub}` replaced by RSSHUB_BASE.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { FeedSource } from '../domain/types.js';

export const FEED_KINDS = ['news', 'e-paper', 'government', 'weather', 'video'] as const;
export type FeedKind = (typeof FEED_KINDS)[number];

/** A catalog entry with what an operator needs to judge it; `feeds list` shows the disabled ones. */
export interface CatalogEntry extends FeedSource {
  readonly kind: FeedKind;
  /** What the RSSHub instance must provide: `puppeteer` or config keys. */
  readonly needs: readonly string[];
  readonly antiCrawler: boolean;
  readonly enabled: boolean;
  readonly disabledReason: string | null;
}

const interval = z.union([
  z.number().int().min(1).max(7 * 24 * 60),
  z
    .string()
    .regex(/^\d+\s*(m|min|h|d)$/i, 'use minutes as a number, or a duration like "15m", "2h", "1d"')
    .transform((s) => {
      const n = Number.parseInt(s, 10);
      const unit = s.replace(/[\d\s]/g, '').toLowerCase();
      return unit.startsWith('d') ? n * 1440 : unit === 'h' ? n * 60 : n;
    }),
]);

export const feedEntrySchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lower-case letters, digits, - and _ (at most 64)'),
    name: z.string().min(1).max(100),
    url: z.string().min(1),
    region: z.string().regex(/^\d{6}$/, 'a six-digit GB/T 2260 code such as 330400'),
    interval: interval.optional(),
    fullText: z.enum(['auto', 'always', 'never']).optional(),
    // What an operator needs to judge a source; all optional so older files still load.
    kind: z.enum(FEED_KINDS).optional(),
    needs: z.array(z.string().min(1).max(64)).max(16).optional(),
    antiCrawler: z.boolean().optional(),
    enabled: z.boolean().optional(),
    disabledReason: z.string().min(1).max(300).optional(),
  })
  .strict()
  .refine((f) => f.enabled !== false || f.disabledReason !== undefined, {
    message: 'a disabled feed needs a disabledReason (what it lacks, so an operator can decide)',
    path: ['disabledReason'],
  });

export const feedsFileSchema = z
  .object({ feeds: z.array(feedEntrySchema) })
  .passthrough()
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.feeds.forEach((f, i) => {
      if (seen.has(f.id)) ctx.addIssue({ code: 'custom', path: ['feeds', i, 'id'], message: `duplicate feed id "${f.id}"` });
      seen.add(f.id);
    });
  });

export class CatalogError extends Error {
  override name = 'CatalogError';
}

type CatalogOptions = { rsshubBase: string; knownRegion?: (code: string) => boolean; origin?: string };

/** The feeds to poll: enabled entries only, as plain feed sources. */
export function parseCatalog(json: string, opts: CatalogOptions): FeedSource[] {
  return parseCatalogEntries(json, opts)
    .filter((e) => e.enabled)
    .map(({ id, name, url, region, intervalMinutes, fullText }) => ({ id, name, url, region, intervalMinutes, fullText }));
}

/** Every catalog entry, disabled ones included; `knownRegion` rejects codes missing from regions.json. */
export function parseCatalogEntries(json: string, opts: CatalogOptions): CatalogEntry[] {
  const where = opts.origin ?? 'feeds file';
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    throw new CatalogError(`${where}: not valid JSON (${(e as Error).message})`);
  }
  const parsed = feedsFileSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new CatalogError(`${where} is invalid:\n${lines.join('\n')}`);
  }
  const problems: string[] = [];
  const feeds = parsed.data.feeds.map((f, i): CatalogEntry => {
    const url = f.url.replaceAll('{rsshub}', opts.rsshubBase);
    if (!/^https?:\/\/[^\s/]+/i.test(url)) problems.push(`  feeds.${i}.url: "${f.id}" needs an http(s) URL`);
    if (opts.knownRegion && !opts.knownRegion(f.region)) problems.push(`  feeds.${i}.region: ${f.region} is not a known region code`);
    return {
      id: f.id,
      name: f.name,
      url,
      region: f.region,
      intervalMinutes: f.interval ?? null,
      fullText: f.fullText ?? 'auto',
      kind: f.kind ?? 'news',
      needs: f.needs ?? [],
      antiCrawler: f.antiCrawler ?? false,
      enabled: f.enabled ?? true,
      disabledReason: f.disabledReason ?? null,
    };
  });
  if (problems.length > 0) throw new CatalogError(`${where} is invalid:\n${problems.join('\n')}`);
  return feeds;
}

function readCatalogFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new CatalogError(`cannot read feeds file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** The feeds to poll from FEEDS_FILE (disabled entries are left out). */
export function loadCatalog(path: string, opts: Omit<CatalogOptions, 'origin'>): FeedSource[] {
  return parseCatalog(readCatalogFile(path), { ...opts, origin: path });
}

/** Every entry of FEEDS_FILE with kind, needs, anti-crawler flag and enabled state, for listings. */
export function loadCatalogEntries(path: string, opts: Omit<CatalogOptions, 'origin'>): CatalogEntry[] {
  return parseCatalogEntries(readCatalogFile(path), { ...opts, origin: path });
}
