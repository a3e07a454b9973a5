import { readFileSync } from 'node:fs';
import { loadRegionsFile } from '../../app/services.js';
import type { Script } from '../../domain/types.js';
import { SCRIPTS } from '../../domain/types.js';
import { createFetcher } from '../../feeds/fetch.js';
import { createUrlGuard } from '../../feeds/network-guard.js';
import { decodeBytes } from '../../text/charset.js';
import { extractArticle, extractFromText } from '../../text/extract.js';
import { createGazetteer } from '../../text/gazetteer.js';
import { formatZoned } from '../../text/dates.js';
import { homePlaces } from '../../text/references.js';
import { tagRegions, withAncestors } from '../../text/regions.js';
import { convert } from '../../text/script.js';
import { extractiveSummary } from '../../text/summary.js';
import { UsageError, parseArgs, type CliCommand } from '../context.js';

const looksLikeHtml = (text: string) => /<(html|body|p|div|article|head)\b/i.test(text.slice(0, 20000));

export const extractCommand: CliCommand = {
  path: ['extract'],
  usage: 'extract <file-or-url> [--json] [--script original|cn|tw|twp|hk] [--region CODE]',
  summary: 'show what the pipeline makes of one article page',
  async run(args, ctx) {
    const { positionals, flags, options } = parseArgs(args, { flags: ['json'], options: ['script', 'region'] });
    const target = positionals[0];
    if (!target) throw new UsageError('name a file or an http(s) URL');
    const script = (options.get('script') ?? 'original') as Script;
    if (!SCRIPTS.includes(script)) throw new UsageError(`--script must be one of ${SCRIPTS.join(', ')}`);

    let bytes: Uint8Array;
    let contentType: string | null = null;
    let url: string | undefined;
    if (/^https?:\/\//i.test(target)) {
      const guard = createUrlGuard({ allowPrivateNetwork: ctx.config.allowPrivateNetwork });
      const fetcher = createFetcher({ userAgent: ctx.config.fetch.userAgent, timeoutMs: ctx.config.fetch.timeoutMs, maxBytes: ctx.config.fetch.maxBytes, guard });
      // The operator typed this URL, so its first hop is trusted; where it redirects is not.
      const res = await fetcher.fetch({ url: target, accept: 'html', trusted: true }).finally(() => guard.close());
      if (res.kind !== 'fetched') throw new Error(`unexpected ${res.kind}`);
      ({ bytes, contentType } = res);
      url = res.finalUrl;
    } else {
      try {
        bytes = readFileSync(target);
      } catch (e) {
        ctx.err(`Cannot read ${target}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
        return 1;
      }
    }
    const decoded = decodeBytes(bytes, contentType);
    const opts = { url, timeZone: ctx.config.timeZone };
    const article = looksLikeHtml(decoded.text) ? extractArticle(decoded.text, opts) : extractFromText(decoded.text, opts);
    if (!article) {
      ctx.err('No article found on that page.');
      return 1;
    }
    const gaz = createGazetteer(loadRegionsFile());
    const found = tagRegions(gaz, { title: article.title, body: article.text, breadcrumb: article.breadcrumb, feedRegion: options.get('region') ?? null });
    const places = homePlaces(gaz, found, article.script === 'traditional');
    const summary = extractiveSummary({ title: article.title, body: article.text, context: { publishedAt: article.publishedAt, timeZone: ctx.config.timeZone, places } });
    const tags = withAncestors(gaz, found);
    const regions = tags.map((t) => ({ ...t, name: convert(gaz.get(t.code)?.name ?? t.code, script) }));
    const view = (s: string | null) => (s === null ? null : convert(s, script));
    const result = {
      title: view(article.title),
      author: view(article.author),
      published: article.publishedAt === null ? null : formatZoned(article.publishedAt, ctx.config.timeZone),
      publishedRaw: article.publishedRaw,
      source: view(article.source),
      breadcrumb: article.breadcrumb.map((b) => convert(b, script)),
      script: article.script,
      charset: decoded.charset,
      summary: view(summary),
      regions,
      body: view(article.text),
    };
    if (flags.has('json')) {
      ctx.out(JSON.stringify(result, null, 2));
      return 0;
    }
    ctx.out(`Title:     ${result.title}`);
    ctx.out(`Author:    ${result.author ?? '—'}`);
    ctx.out(`Published: ${result.published ?? '—'}${result.publishedRaw ? `  (${result.publishedRaw})` : ''}`);
    ctx.out(`Source:    ${result.source ?? '—'}`);
    ctx.out(`Breadcrumb: ${result.breadcrumb.join(' > ') || '—'}`);
    ctx.out(`Script:    ${result.script} (charset ${result.charset})`);
    ctx.out(`Regions:   ${regions.map((r) => `${r.name} ${r.code} (${r.source}, ${r.confidence.toFixed(2)})`).join('; ') || '—'}`);
    ctx.out(`Summary:   ${result.summary ?? '—'}`);
    ctx.out(`\n${result.body}`);
    return 0;
  },
};
