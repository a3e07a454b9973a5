// `xiangxun feeds export --opml` and `feeds import FILE.opml`: a server's feeds (or the
// catalog) as OPML 2.0 on stdout, and feeds from an OPML file added to a server with the same
// checks as /feeds add, each reported as added, exists or invalid.
import { readFileSync, statSync } from 'node:fs';
import { createServices } from '../../app/services.js';
import { MAX_OPML_CHARS, writeOpml } from '../../feeds/opml.js';
import { UsageError, parseArgs, type CliCommand } from '../context.js';

const SNOWFLAKE = /^\d{17,20}$/;

function guildOption(options: Map<string, string>): string | null {
  const guild = options.get('guild') ?? null;
  if (guild !== null && !SNOWFLAKE.test(guild)) throw new UsageError('--guild takes a server id (17–20 digits)');
  return guild;
}

export const feedsExportCommand: CliCommand = {
  path: ['feeds', 'export'],
  usage: 'feeds export --opml [--guild ID]',
  summary: "write a server's feeds (default: the catalog) as OPML 2.0 to stdout",
  async run(args, ctx) {
    const { flags, options } = parseArgs(args, { flags: ['opml'], options: ['guild'] });
    if (!flags.has('opml')) throw new UsageError('name the format: --opml');
    const guild = guildOption(options);
    const s = createServices(ctx.config, ctx.logger);
    try {
      if (guild) {
        ctx.out(await s.feedAdmin.exportOpml(guild));
        return 0;
      }
      s.syncCatalog();
      const feeds = s.feeds.list().filter((f) => f.origin === 'catalog').map((f) => ({ url: f.url, name: f.name, region: f.region }));
      ctx.out(writeOpml('xiangxun catalog', feeds, new Date()));
      return 0;
    } finally {
      s.close();
    }
  },
};

export const feedsImportCommand: CliCommand = {
  path: ['feeds', 'import'],
  usage: 'feeds import FILE.opml --guild ID [--region CODE]',
  summary: 'add the feeds of an OPML file to a server (same checks as /feeds add)',
  async run(args, ctx) {
    const { positionals, options } = parseArgs(args, { options: ['guild', 'region'] });
    const file = positionals[0];
    if (!file) throw new UsageError('name the OPML file to import');
    const guild = guildOption(options);
    // The catalog is FEEDS_FILE, which the operator edits; imported feeds belong to a server.
    if (!guild) throw new UsageError('--guild is required: imported feeds belong to a server (the catalog is FEEDS_FILE)');
    const region = options.get('region') ?? null;
    let text: string;
    try {
      if (statSync(file).size > MAX_OPML_CHARS * 4) throw new Error('file too large');
      text = readFileSync(file, 'utf8');
    } catch (e) {
      ctx.err(`Cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      return 1;
    }
    const s = createServices(ctx.config, ctx.logger);
    try {
      s.syncCatalog();
      if (region !== null && !s.gazetteer.get(region)) {
        ctx.err(`--region ${region} is not a known region code`);
        return 2;
      }
      const r = await s.feedAdmin.importOpml(text, { guildId: guild, region, addedBy: 'cli' });
      if (r.status === 'invalid') {
        ctx.err(`${file}: ${r.problem}: ${r.detail}`);
        return 1;
      }
      for (const row of r.rows) ctx.out(`${row.outcome.padEnd(7)} ${row.url}${row.name ? `  ${row.name}` : ''}${row.reason ? `  (${row.reason})` : ''}`);
      const n = (o: string) => r.rows.filter((row) => row.outcome === o).length;
      ctx.out(`\n${n('added')} added, ${n('exists')} exist, ${n('invalid')} invalid, ${n('skipped')} skipped`);
      return n('invalid') === 0 && n('skipped') === 0 ? 0 : 1;
    } finally {
      s.close();
    }
  },
};
