// `xiangxun search`: the search index from the terminal, as the bot's /search would use it.
import { loadRegionsFile } from '../../app/services.js';
import { SCRIPTS, type Script } from '../../domain/types.js';
import { createSearch, MAX_LIMIT, type SearchHit } from '../../store/sqlite-search/query.js';
import { openDatabase } from '../../store/database.js';
import { createGazetteer, type Gazetteer } from '../../text/gazetteer.js';
import { UsageError, parseArgs, type CliCommand } from '../context.js';

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** `7d`, `24h`, `30m`, `2w` as milliseconds; null when it is not an age. */
export function parseAge(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([mhdw])\s*$/iu.exec(text);
  return m ? Number(m[1]) * UNITS[m[2]!.toLowerCase()]! : null;
}

/** An age ("7d": that long before now) or a date/time such as 2025-05-01 or 2025-05-01T08:00+08:00. */
export function parseTimeOption(name: string, text: string, now: number): number {
  const age = parseAge(text);
  if (age !== null) return now - age;
  const t = Date.parse(text);
  if (Number.isNaN(t)) throw new UsageError(`--${name} takes an age such as 7d, 24h, 30m or a date such as 2025-05-01`);
  return t;
}

function resolveRegions(raw: string, gazetteer: Gazetteer | null): string[] {
  return raw
    .split(/[,，\s]+/u)
    .filter(Boolean)
    .map((value) => {
      if (!gazetteer) return value;
      const senses = gazetteer.resolveName(value);
      if (senses.length === 0) throw new UsageError(`--region: no region is called "${value}" (give a name such as 嘉兴 or a code such as 330400)`);
      if (senses.length > 1 && !/^\d{6}$/u.test(value)) {
        const list = senses.slice(0, 6).map((r) => `${r.code} ${gazetteer.path(r.code).map((p) => p.name).join('')}`);
        throw new UsageError(`--region "${value}" could mean several regions; give a code: ${list.join('; ')}`);
      }
      return senses[0]!.code;
    });
}

function tryGazetteer(): Gazetteer | null {
  try {
    return createGazetteer(loadRegionsFile());
  } catch {
    // Without the regions file, codes still work; they are just not checked or named.
    return null;
  }
}

function formatHit(h: SearchHit, i: number, timeZone: string, gazetteer: Gazetteer | null): string[] {
  const time = new Intl.DateTimeFormat('sv-SE', { timeZone, dateStyle: 'short', timeStyle: 'short' }).format(h.publishedAt ?? h.firstSeenAt);
  const regions = h.regions
    .slice(0, 3)
    .map((c) => gazetteer?.get(c)?.name ?? c)
    .join(' ');
  const score = h.score === undefined ? '' : ` · score ${h.score.toFixed(2)}`;
  return [
    `${String(i + 1).padStart(2)}. ${h.title}`,
    `    ${h.feedName} · ${time}${h.publishedAt === null ? ' (first seen)' : ''}${regions ? ` · ${regions}` : ''}${score}`,
    ...(h.snippet ? [`    ${h.snippet}`] : []),
    ...(h.url ? [`    ${h.url}`] : []),
  ];
}

export const command: CliCommand = {
  path: ['search'],
  usage:
    'search <query> [--region CODE|NAME[,…]] [--feed ID[,…]] [--since 7d|DATE] [--until DATE] [--sort newest|relevance] ' +
    `[--script ${SCRIPTS.join('|')}] [--limit 1-${MAX_LIMIT}] [--cursor C] [--json]`,
  summary: 'search stored articles in either script ("quoted phrases", -word to exclude)',
  async run(args, ctx) {
    const { positionals, flags, options } = parseArgs(args, {
      flags: ['json'],
      options: ['region', 'feed', 'since', 'until', 'sort', 'script', 'limit', 'cursor'],
    });
    const query = positionals.join(' ');
    if (!query.trim()) throw new UsageError('give something to search for, e.g. xiangxun search 嘉兴');
    const sort = options.get('sort') ?? 'newest';
    if (sort !== 'newest' && sort !== 'relevance') throw new UsageError('--sort is newest or relevance');
    const script = (options.get('script') ?? 'original') as Script;
    if (!SCRIPTS.includes(script)) throw new UsageError(`--script is one of ${SCRIPTS.join(', ')}`);
    const limitText = options.get('limit');
    const limit = limitText === undefined ? 10 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw new UsageError(`--limit is a whole number from 1 to ${MAX_LIMIT}`);
    const now = Date.now();
    const since = options.has('since') ? parseTimeOption('since', options.get('since')!, now) : undefined;
    const until = options.has('until') ? parseTimeOption('until', options.get('until')!, now) : undefined;
    const gazetteer = options.has('region') ? tryGazetteer() : null;
    const regions = options.has('region') ? resolveRegions(options.get('region')!, gazetteer) : undefined;
    const feedIds = options.get('feed')?.split(',').filter(Boolean);

    const db = openDatabase(ctx.config.databasePath);
    try {
      const { search } = createSearch(db, gazetteer ? { knownRegion: (c) => gazetteer.get(c) !== undefined } : {});
      const res = search({ query, regions, feedIds, since, until, sort, script, limit, cursor: options.get('cursor') ?? null });
      if (!res.ok) {
        ctx.err(res.message);
        return 1;
      }
      if (flags.has('json')) {
        ctx.out(JSON.stringify(res.items, null, 2));
        if (res.nextCursor) ctx.err(`next page: --cursor ${res.nextCursor}`);
        return 0;
      }
      if (res.items.length === 0) {
        ctx.out('No stored article matches.');
        return 0;
      }
      const names = gazetteer ?? tryGazetteer();
      res.items.forEach((h, i) => {
        for (const line of formatHit(h, i, ctx.config.timeZone, names)) ctx.out(line);
      });
      if (res.nextCursor) ctx.out(`\nmore: add --cursor ${res.nextCursor}`);
      return 0;
    } finally {
      db.close();
    }
  },
};
