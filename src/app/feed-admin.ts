// Feeds a server brings: /feeds add, remove, list, export, import and the CLI's OPML verbs.
// Every URL goes through discovery with the polling fetcher (untrusted: the network guard
// applies unless ALLOW_PRIVATE_NETWORK) before anything is stored; storing is one transaction.
import type { AddFeedRequest, AddFeedResult, FeedAdmin, FeedPreview, FeedProblem, ImportRow } from '../../commands/feeds-admin.js';
import { discover, DiscoveryError, type Discovery } from '../feeds/discover.js';
import { FeedError } from '../feeds/errors.js';
import type { Fetcher } from '../feeds/fetch.js';
import { OpmlError, readOpml, writeOpml } from '../feeds/opml.js';
import { canonicalUrl } from '../feeds/url.js';
import { guildFeedId } from '../store/guild-feeds-repo.js';
import type { GuildFeedsPort } from '../store/ports.js';
import type { Gazetteer } from '../text/gazetteer.js';

export interface FeedAdminDeps {
  /**
   * The store's port. The synchronous repository is still accepted while services.ts passes
   * it (issue #16 moves callers one at a time); every call is awaited either way.
   */
  readonly guildFeeds: GuildFeedsPort;
  readonly fetcher: Fetcher;
  readonly gazetteer: Gazetteer;
  readonly timeZone: string;
  readonly maxPerGuild: number;
  readonly now: () => number;
  /** How long one import may spend fetching (default IMPORT_BUDGET_MS). */
  readonly importBudgetMs?: number;
}

/**
 * An import stops trying entries after this many failed fetches (on top of the ones the server
 * has room for), and after IMPORT_BUDGET_MS: a file of a thousand dead links must neither keep
 * the bot fetching for hours, crowding polling's per-host queues, nor outlive Discord's
 * 15-minute interaction token before it can report. What was not tried is reported as skipped.
 */
export const IMPORT_MAX_FAILURES = 20;
export const IMPORT_BUDGET_MS = 10 * 60_000;
/** Problems found before any request: they cost nothing, so they do not count as failures. */
const FREE_PROBLEMS: ReadonlySet<FeedProblem> = new Set(['not-http', 'bad-region', 'no-region']);

const PREVIEW_ITEMS = 3;
const SUMMARY_CHARS = 120;

function problemOf(e: unknown): { problem: FeedProblem; detail: string } | null {
  if (e instanceof DiscoveryError) return { problem: e.problem, detail: e.message };
  if (e instanceof FeedError) {
    const problem: FeedProblem = e.kind === 'blocked' ? 'blocked' : e.kind === 'too-large' ? 'too-large' : e.kind === 'malformed' || e.kind === 'decode' ? 'malformed-feed' : 'unreachable';
    return { problem, detail: e.message };
  }
  return null;
}

const cut = (s: string, n: number) => ([...s].length > n ? `${[...s].slice(0, n - 1).join('')}…` : s);

export function previewOf(d: Discovery): FeedPreview {
  const items =
    d.kind === 'feed'
      ? d.items.map((i) => ({ title: i.title, url: i.link, publishedAt: i.publishedAt, summary: cut(i.text.trim(), SUMMARY_CHARS) }))
      : d.items.map((i) => ({ title: i.title, url: i.url, publishedAt: i.publishedAt, summary: '' }));
  // Newest first; undated items keep their place after the dated ones, as the source lists them.
  const newest = [...items].sort((a, b) => (b.publishedAt ?? -Infinity) - (a.publishedAt ?? -Infinity)).slice(0, PREVIEW_ITEMS);
  return { kind: d.kind, url: d.url, title: d.title, itemCount: d.items.length, newest, confidence: d.kind === 'list-page' ? d.confidence : null };
}

export function createFeedAdmin(deps: FeedAdminDeps): FeedAdmin {
  const { guildFeeds } = deps;

  async function add(req: AddFeedRequest): Promise<AddFeedResult> {
    if (!deps.gazetteer.get(req.region)) return { status: 'invalid', problem: 'bad-region', detail: req.region };
    const given = canonicalUrl(req.url);
    if (!given) return { status: 'invalid', problem: 'not-http', detail: req.url };
    // Answers that need no fetch come first: no request leaves for a feed that is already here.
    const known = await guildFeeds.get(req.guildId, guildFeedId(given));
    if (known) return { status: 'exists', feed: known, preview: null };
    const catalog = await guildFeeds.catalogFeed(given);
    if (catalog) return { status: 'in-catalog', name: catalog.name };
    if ((await guildFeeds.count(req.guildId)) >= deps.maxPerGuild) return { status: 'limit', limit: deps.maxPerGuild };
    let found: Discovery;
    try {
      found = await discover(deps.fetcher, given, { timeZone: deps.timeZone, now: deps.now(), listPage: req.listPage ?? false, exactUrl: req.exactUrl ?? false });
    } catch (e) {
      const p = problemOf(e);
      if (!p) throw e;
      return { status: 'invalid', ...p };
    }
    const url = canonicalUrl(found.url) ?? given;
    const name = (req.name?.trim() || found.title?.trim() || new URL(url).hostname).slice(0, 100);
    const outcome = await guildFeeds.add({ guildId: req.guildId, url, name, region: req.region, kind: found.kind, addedBy: req.addedBy }, deps.maxPerGuild, deps.now());
    if (outcome.status === 'in-catalog') return { status: 'in-catalog', name: outcome.feed.name };
    if (outcome.status === 'limit') return outcome;
    return { status: outcome.status, feed: outcome.feed, preview: previewOf(found) };
  }

  return {
    maxPerGuild: deps.maxPerGuild,
    add,
    async remove(guildId, feedId) {
      const feed = await guildFeeds.get(guildId, feedId);
      return feed && (await guildFeeds.remove(guildId, feedId)) ? feed : null;
    },
    list: async (guildId) => guildFeeds.listForGuild(guildId),
    async exportOpml(guildId) {
      const feeds = (await guildFeeds.listForGuild(guildId)).map((f) => ({ url: f.url, name: f.guildName, region: f.guildRegion, listPage: f.kind === 'list-page' }));
      return writeOpml(`xiangxun feeds of server ${guildId}`, feeds, new Date(deps.now()));
    },
    async importOpml(text, opts) {
      let entries;
      try {
        entries = readOpml(text);
      } catch (e) {
        if (e instanceof OpmlError) return { status: 'invalid', problem: e.problem, detail: e.message };
        throw e;
      }
      if (entries.length === 0) return { status: 'invalid', problem: 'empty', detail: 'no outline has an xmlUrl' };
      const rows: ImportRow[] = [];
      const deadline = deps.now() + (deps.importBudgetMs ?? IMPORT_BUDGET_MS);
      let failures = 0;
      for (const entry of entries) {
        const region = entry.region ?? opts.region;
        const row = { url: entry.url, name: entry.name };
        // A full server costs nothing to find out: add() answers `limit` (or `exists`, or
        // `in-catalog`) before any request, so those entries are still reported as they are.
        const skip = failures >= IMPORT_MAX_FAILURES ? 'failures' : deps.now() >= deadline ? 'deadline' : null;
        if (skip) {
          rows.push({ ...row, outcome: 'skipped', reason: skip });
          continue;
        }
        if (!region) {
          rows.push({ ...row, outcome: 'invalid', reason: 'no-region' });
          continue;
        }
        // An entry's xmlUrl names the feed: fetched alone, no probing of the site around it.
        const r = await add({ guildId: opts.guildId, url: entry.url, region, name: entry.name || null, addedBy: opts.addedBy, listPage: entry.listPage ?? false, exactUrl: true });
        if (r.status === 'invalid' && !FREE_PROBLEMS.has(r.problem)) failures++;
        if (r.status === 'added' || r.status === 'exists') rows.push({ ...row, outcome: r.status, reason: null });
        else if (r.status === 'in-catalog') rows.push({ ...row, outcome: 'exists', reason: 'in-catalog' });
        else if (r.status === 'limit') rows.push({ ...row, outcome: 'skipped', reason: 'limit' });
        else if (r.status === 'invalid') rows.push({ ...row, outcome: 'invalid', reason: r.problem });
      }
      return { status: 'ok', rows };
    },
    async download(url) {
      try {
        const res = await deps.fetcher.fetch({ url, trusted: false, accept: 'html' });
        if (res.kind !== 'fetched') return { ok: false, problem: 'unreachable', detail: 'no content' };
        return { ok: true, text: res.text };
      } catch (e) {
        const p = problemOf(e);
        if (!p) throw e;
        return { ok: false, ...p };
      }
    },
  };
}
