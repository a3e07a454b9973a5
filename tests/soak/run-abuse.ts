// The abuse soak (issue #11): the real bot process against the fake Discord and feed server,
// a stored corpus, and hostile members who search with ~30 common characters (plain, negated,
// by relevance), press Next and Post as fast as they can, flood autocomplete, while a feed
// suddenly carries 100,000 items. A bystander in another server runs /settings show every
// second. Measured: the bot's event-loop delay (read from its own log lines, written by its
// monitor in src/shared/event-loop.ts) and the bystander's acknowledgement latency (on the
// wire, by the fake Discord).
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { indexWriterKey } from '../helpers/index-writer-key.js';
import { withoutImports } from '../helpers/source-key.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { definitions } from '../../commands/index.js';
import { deployCommands } from '../../src/discord/deploy.js';
import { openDatabase } from '../../src/store/database.js';
import { startFakeDiscord, type InteractionHandle, type JsonObject } from '../fakes/fake-discord.js';
import { rssFeed, startFeedServer } from '../fakes/feed-server.js';
import { buildAbuseGuilds, floodFeed, hostileQueries, seedArticles, SEED_FEEDS } from './abuse-world.js';

export interface AbuseOptions {
  /** How long the abuse runs (default 180 s: three of the monitor's 60 s windows). */
  readonly seconds?: number;
  /** Articles stored before the bot starts (default 100,000, the figure). */
  readonly articles?: number;
  readonly floodItems?: number;
  readonly hostileMembers?: number;
  /** Parts of the abuse left out, to find which one stalls the bot. */
  readonly without?: ReadonlySet<'flood' | 'searches' | 'buttons' | 'autocomplete'>;
  readonly log?: (s: string) => void;
  /** Extra Node flags for the bot process (e.g. --cpu-prof --cpu-prof-dir DIR, to find long tasks). */
  readonly nodeArgs?: readonly string[];
}

export interface LoopWindow {
  readonly at: number;
  readonly p99: number;
  readonly max: number;
  readonly samples: number;
}

export interface AbuseReport {
  readonly seconds: number;
  readonly articles: number;
  readonly seedSeconds: number;
  /** Monitor windows that overlapped the abuse; p99 is the worst window's, max the largest. */
  readonly loop: { readonly windows: readonly LoopWindow[]; readonly p99: number; readonly max: number };
  readonly bystander: { readonly sent: number; readonly within3s: number; readonly percent: number; readonly p50: number; readonly p99: number; readonly max: number };
  readonly hostile: Record<string, number>;
  readonly floodPolls: number;
  readonly tokenLeaks: number;
  readonly unhandled: number;
}

/** What the seeded file depends on: the schema, the articles seeded (import lines aside), and the index rows written for them. */
function seedKey(): string {
  const hash = createHash('sha1');
  for (const f of ['../../src/store/migrations/index.ts', './abuse-world.ts']) hash.update(withoutImports(readFileSync(new URL(f, import.meta.url), 'utf8')));
  hash.update(indexWriterKey());
  return hash.digest('hex').slice(0, 10);
}

export const TARGETS = { loopP99: 100, loopMax: 500, bystanderPercent: 100, bystanderP99: 1000 } as const;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: readonly number[], p: number): number => {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

/** Runs `fn` every `ms` until stopped; a slow tick is not stacked on the next. */
function every(ms: number, fn: () => void): () => void {
  let on = true;
  void (async () => {
    while (on) {
      try {
        fn();
      } catch {
        // A driver error (a fake-side refusal) must not end the soak.
      }
      await sleep(ms);
    }
  })();
  return () => {
    on = false;
  };
}

export async function runAbuseSoak(opts: AbuseOptions = {}): Promise<AbuseReport> {
  const log = opts.log ?? (() => {});
  const seconds = opts.seconds ?? 180;
  const articles = opts.articles ?? 100_000;
  const dir = mkdtempSync(join(tmpdir(), 'xiangxun-abuse-'));

  const probe = await startFakeDiscord();
  const appId = probe.applicationId;
  await probe.close();
  const world = buildAbuseGuilds(appId, opts.hostileMembers ?? 12);
  const fake = await startFakeDiscord({ guilds: world.guilds, rateLimit: { perChannel: 5, windowMs: 5000 } });
  for (const g of world.guilds) await deployCommands({ token: fake.token, applicationId: fake.applicationId, apiBase: fake.apiBase, guildId: g.id, definitions: definitions() });
  const server = await startFeedServer();
  const small = (id: string) => rssFeed([{ title: `${id} 今日新闻`, guid: `${id}-1`, link: `https://news.example.cn/${id}/1.html`, date: new Date().toUTCString(), description: '<p>今日新闻。</p>' }], { title: id });
  const feedIds = [...Array.from({ length: SEED_FEEDS }, (_, i) => `seed-${i}`), 'flood'];
  for (const id of feedIds) server.setRoute(`/${id}.xml`, { body: small(id), contentType: 'application/rss+xml; charset=utf-8' });
  writeFileSync(join(dir, 'feeds.json'), JSON.stringify({ feeds: feedIds.map((id) => ({ id, name: id, url: server.url(`/${id}.xml`), region: '330400', fullText: 'never' })) }));

  // Seeding 100k articles takes minutes on a busy machine: the seeded file is kept, keyed by
  // what decides its contents, and copied for each run (feed URLs are rewritten to this run's).
  const cache = join(tmpdir(), `xiangxun-abuse-seed-${articles}-${seedKey()}.db`);
  let seedSeconds = 0;
  if (!existsSync(cache)) {
    const db = openDatabase(`${cache}.building`);
    const addFeed = db.prepare('INSERT INTO feeds (id, name, url, region, created_at) VALUES (?, ?, ?, ?, ?)');
    for (const id of feedIds) addFeed.run(id, id, `http://127.0.0.1/${id}.xml`, '330400', Date.now());
    log(`seeding ${articles.toLocaleString()} articles (kept in ${cache})…`);
    seedSeconds = seedArticles(db, articles, Date.now());
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    renameSync(`${cache}.building`, cache);
  }
  copyFileSync(cache, join(dir, 'bot.db'));
  const db = openDatabase(join(dir, 'bot.db'));
  for (const id of feedIds) db.prepare('UPDATE feeds SET url = ? WHERE id = ?').run(server.url(`/${id}.xml`), id);
  db.close();
  log(`seeded in ${seedSeconds.toFixed(0)} s; starting the bot`);

  const env = {
    ...process.env,
    DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: fake.applicationId, DISCORD_API_BASE: fake.apiBase,
    DATABASE_PATH: join(dir, 'bot.db'), FEEDS_FILE: join(dir, 'feeds.json'), POLL_CRON: '*/5 * * * * *',
    FIRST_POLL_BACKLOG: '100000', MAX_ITEM_AGE_HOURS: '0', ALLOW_PRIVATE_NETWORK: 'true', FETCH_TIMEOUT_MS: '10000', LOG_LEVEL: 'info',
    // The flood must reach the parser and the store: the byte limit is not what bounds it.
    FETCH_MAX_BYTES: String(16 * 1024 * 1024),
  };
  const output: string[] = [];
  let pending = '';
  const lines: JsonObject[] = [];
  const bot: ChildProcess = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', 'tsx', 'src/index.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const take = (d: Buffer) => {
    const s = d.toString();
    output.push(s);
    pending += s;
    const parts = pending.split('\n');
    pending = parts.pop() ?? '';
    for (const p of parts) {
      try {
        lines.push(JSON.parse(p) as JsonObject);
      } catch {
        // Not a log line (tsx warnings and the like).
      }
    }
  };
  bot.stdout!.on('data', take);
  bot.stderr!.on('data', take);
  const loopLines = () => lines.filter((l) => l.eventLoopDelayMs !== undefined);
  try {
    await fake.waitFor(() => fake.identifies.length >= 1, 60_000);
    // The first window holds start-up (login, warming the converters and the region index):
    // the abuse starts when it has been reported, so every later window is abuse only.
    log('bot connected; waiting for its first event-loop report (up to 70 s)…');
    const until = async (ok: () => boolean, ms: number) => {
      const end = Date.now() + ms;
      while (!ok() && Date.now() < end) await sleep(200);
    };
    await until(() => loopLines().length >= 1, 70_000);
    const baseline = loopLines().length;

    const started = Date.now();
    log(`abuse for ${seconds} s`);
    const without = opts.without ?? new Set();
    if (!without.has('flood')) server.setRoute('/flood.xml', { body: floodFeed(opts.floodItems ?? 100_000), contentType: 'application/rss+xml; charset=utf-8' });
    const hostile: Record<string, number> = {};
    const count = (k: string) => (hostile[k] = (hostile[k] ?? 0) + 1);
    const queries = hostileQueries();
    const { members } = world.hostile;
    let turn = 0;
    const searches: Array<{ h: InteractionHandle; user: string; seen: boolean }> = [];
    const buttons: Array<{ id: string; user: string; messageId: string }> = [];
    const clicks: InteractionHandle[] = [];
    const completes: InteractionHandle[] = [];
    const bystander: Array<{ h: InteractionHandle; sent: number }> = [];

    const stops = [
      // Hostile searches: ten a second across the members, each the worst kind.
      every(100, () => {
        if (without.has('searches')) return;
        const user = members[turn++ % members.length]!;
        const query = queries[turn % queries.length]!;
        const h = fake.slash({ name: 'news', subcommand: 'search', options: { query, sort: turn % 2 ? 'relevance' : 'newest' }, user, guildId: world.hostile.guildId, channelId: world.hostile.channelId });
        searches.push({ h, user, seen: false });
        count('searches sent');
      }),
      // Button spam: Next on every result page that came back, Post three times each, and forged posts.
      every(100, () => {
        for (const s of searches) {
          if (s.seen) continue;
          const edit = s.h.responses().find((r) => r.kind === 'edit');
          if (!edit) continue;
          s.seen = true;
          const rows = (edit.body.components as Array<{ components: Array<{ custom_id: string; disabled?: boolean }> }> | undefined) ?? [];
          for (const b of rows.flatMap((r) => r.components)) if (!b.disabled) buttons.push({ id: b.custom_id, user: s.user, messageId: String(edit.message?.id ?? '') });
        }
        for (let k = 0; k < 2 && buttons.length && !without.has('buttons'); k++) {
          const b = buttons[Math.floor(Math.random() * buttons.length)]!;
          const forged = k === 1 && b.id.startsWith('news:s:') ? b.id.replace(/:\d+$/, ':1') : b.id;
          clicks.push(fake.click({ customId: forged, user: b.user, guildId: world.hostile.guildId, channelId: world.hostile.channelId, ...(b.messageId ? { messageId: b.messageId } : {}) }));
          count(forged === b.id ? 'buttons pressed' : 'forged buttons pressed');
        }
      }),
      // Autocomplete flood: twenty a second.
      every(50, () => {
        if (without.has('autocomplete')) return;
        const user = members[Math.floor(Math.random() * members.length)]!;
        completes.push(fake.autocomplete({ name: 'news', subcommand: 'search', options: { query: 'x', region: ['嘉', '浙江', 'hz', '3304', '海'][turn % 5]! }, focused: 'region', user, guildId: world.hostile.guildId, channelId: world.hostile.channelId }));
        count('autocompletes sent');
      }),
      // The bystander, in the other server, once a second.
      every(1000, () => {
        bystander.push({ sent: Date.now(), h: fake.slash({ name: 'settings', subcommand: 'show', user: world.bystander.member, guildId: world.bystander.guildId, channelId: world.bystander.channelId, locale: 'en-US' }) });
      }),
    ];
    await sleep(seconds * 1000);
    stops.forEach((s) => s());
    const ended = Date.now();
    log('abuse over; waiting for the window that covers its end…');
    await sleep(4000);
    await until(() => loopLines().slice(baseline).some((l) => Number(l.time) >= ended), 70_000);

    const windows: LoopWindow[] = loopLines()
      .slice(baseline)
      .filter((l) => Number(l.time) > started)
      .map((l) => {
        const d = l.eventLoopDelayMs as { p99: number; max: number; samples: number };
        return { at: Number(l.time), p99: d.p99, max: d.max, samples: d.samples };
      })
      .filter((_, i, all) => i === 0 || all[i - 1]!.at < ended);
    const latencies = bystander.map(({ h, sent }) => {
      const first = h.responses()[0];
      return first ? first.at - sent : Number.POSITIVE_INFINITY;
    });
    for (const s of searches) {
      const first = s.h.responses()[0];
      const text = String((first?.body.data as JsonObject | undefined)?.content ?? '');
      if (!first) count('searches never answered');
      else if (first.type === 5) count('searches run (deferred)');
      else if (/too fast|频繁|頻繁|too often/.test(text)) count('searches refused by cooldown');
      else count('searches answered at once');
    }
    for (const h of completes) if (h.responses()[0]?.body && ((h.responses()[0]!.body.data as JsonObject | undefined)?.choices as unknown[] | undefined)?.length === 0) count('autocompletes answered empty');
    for (const h of clicks) {
      const first = h.responses()[0];
      const text = String((first?.body.data as JsonObject | undefined)?.content ?? '');
      if (!first) count('buttons never answered');
      else if (first.type === 7) count('buttons: page shown');
      else if (first.type === 6) count('buttons: posted');
      else if (/频繁|頻繁|too fast|too often/.test(text)) count('buttons refused by cooldown');
      else if (/已经公开过|already been posted/.test(text)) count('buttons refused: already posted');
      else if (/不在这次搜索|not one of this search/.test(text)) count('buttons refused: not a result');
      else count(`buttons refused: ${text.slice(0, 24)}`);
    }
    hostile['public posts from buttons'] = clicks.filter((h) => h.responses().some((r) => r.kind === 'followup' && (Number(r.body.flags ?? 0) & 64) === 0)).length;
    const all = output.join('');
    writeFileSync(join(dir, 'bot.log'), all);
    log(`the bot's log: ${join(dir, 'bot.log')}`);
    const report: AbuseReport = {
      seconds: Math.round((ended - started) / 1000),
      articles,
      seedSeconds: Math.round(seedSeconds),
      loop: { windows, p99: Math.max(0, ...windows.map((w) => w.p99)), max: Math.max(0, ...windows.map((w) => w.max)) },
      bystander: {
        sent: latencies.length,
        within3s: latencies.filter((x) => x <= 3000).length,
        percent: latencies.length ? Math.round((latencies.filter((x) => x <= 3000).length / latencies.length) * 1000) / 10 : 0,
        p50: pct(latencies, 50),
        p99: pct(latencies, 99),
        max: Math.max(0, ...latencies),
      },
      hostile,
      floodPolls: server.requests.filter((r) => r.path === '/flood.xml' && r.at >= started).length,
      tokenLeaks: all.split(fake.token).length - 1 + (all.match(/fake-itoken\./g) ?? []).length,
      unhandled: (all.match(/unhandled rejection|uncaughtException/gi) ?? []).length,
    };
    log(JSON.stringify(report, null, 2));
    return report;
  } finally {
    bot.kill('SIGTERM');
    await new Promise((res) => (bot.exitCode !== null ? res(null) : bot.once('exit', res)));
    await fake.close();
    await server.close();
  }
}
