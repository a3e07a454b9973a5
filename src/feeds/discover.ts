// From a URL a moderator pasted to something the bot can poll: the URL itself if it is a feed;
// else a feed the page announces (<link rel="alternate">); else a feed at a path sites commonly
// use; else the page itself when it is a list of articles. Every request goes through the
// polling fetcher, untrusted (the guard applies unless ALLOW_PRIVATE_NETWORK), with its limits.
import type { FeedItem } from '../domain/types.js';
import { FeedError } from './errors.js';
import type { Fetcher } from './fetch.js';
import { recognizeListPage, type ListItem } from './list-page.js';
import { parseFeed } from './parse.js';

export type Discovery =
  | { readonly kind: 'feed'; readonly url: string; readonly title: string | null; readonly items: readonly FeedItem[] }
  | { readonly kind: 'list-page'; readonly url: string; readonly title: string | null; readonly items: readonly ListItem[]; readonly confidence: number };

export type DiscoveryProblem = 'not-http' | 'empty-feed' | 'no-feed' | 'article-page' | 'home-page';

/** A URL that gives nothing to poll, for a reason the moderator can act on. */
export class DiscoveryError extends Error {
  constructor(
    readonly problem: DiscoveryProblem,
    message: string,
  ) {
    super(message);
    this.name = 'DiscoveryError';
  }
}

export interface DiscoverOptions {
  readonly timeZone: string;
  readonly now: number;
  /** The URL is known to be a list page (an exported one): read it as one, look for no feed. */
  readonly listPage?: boolean;
  /**
   * Fetch this URL alone and probe no other address (an OPML entry's xmlUrl, which names the
   * feed): a file of many entries then costs one request each. A list page is still read.
   */
  readonly exactUrl?: boolean;
}

/** Paths where sites commonly publish their feed, tried in this order. */
export const COMMON_FEED_PATHS = ['/rss', '/feed', '/rss.xml', '/atom.xml', '/index.xml', '/feed.xml'];
const MAX_ALTERNATES = 3;

/** Feeds a page announces in its head, in document order (relative links resolved). */
export function alternateFeeds(html: string, pageUrl: string): string[] {
  const out: string[] = [];
  const head = html.slice(0, 200_000);
  for (const tag of head.match(/<link\b[^<>]{0,2000}>/gi) ?? []) {
    const attr = (name: string) => new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag)?.slice(1).find((v) => v !== undefined) ?? null;
    const rel = (attr('rel') ?? '').toLowerCase().split(/\s+/);
    const type = (attr('type') ?? '').toLowerCase().trim();
    const href = attr('href');
    if (!rel.includes('alternate') || !href || !/^application\/(?:rss|atom|rdf)\+xml$/.test(type)) continue;
    try {
      const url = new URL(href.trim(), pageUrl);
      if ((url.protocol === 'http:' || url.protocol === 'https:') && !out.includes(url.href)) out.push(url.href);
    } catch {
      // a broken link in the page's head: not a feed
    }
  }
  return out;
}

async function tryFeed(fetcher: Fetcher, url: string, opts: DiscoverOptions): Promise<Discovery | FeedError | null> {
  try {
    const res = await fetcher.fetch({ url, trusted: false });
    if (res.kind !== 'fetched') return null;
    const feed = await parseFeed(res.text, { timeZone: opts.timeZone, now: opts.now, baseUrl: res.finalUrl });
    return { kind: 'feed', url: res.finalUrl, title: feed.title, items: feed.items };
  } catch (e) {
    // A candidate on an address the bot may not reach is skipped like one that fails: one bad
    // announced link must not hide a feed at a common path. It is kept for the final answer.
    if (e instanceof FeedError && e.kind === 'blocked') return e;
    return null;
  }
}

export async function discover(fetcher: Fetcher, rawUrl: string, opts: DiscoverOptions): Promise<Discovery> {
  let url: URL;
  try {
    url = new URL(rawUrl.trim());
  } catch {
    throw new DiscoveryError('not-http', 'not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new DiscoveryError('not-http', 'only http and https URLs');
  url.hash = '';
  // Network and size problems with the URL itself are the moderator's answer: they propagate.
  const res = await fetcher.fetch({ url: url.href, trusted: false });
  if (res.kind !== 'fetched') throw new FeedError('http', 'the server sent no content');
  if (opts.listPage) return readList(res.text, res.finalUrl, opts, false);
  try {
    const feed = await parseFeed(res.text, { timeZone: opts.timeZone, now: opts.now, baseUrl: res.finalUrl });
    if (feed.items.length === 0) throw new DiscoveryError('empty-feed', 'the feed has no items');
    return { kind: 'feed', url: res.finalUrl, title: feed.title, items: feed.items };
  } catch (e) {
    if (!(e instanceof FeedError)) throw e;
    // A feed that is broken is a broken feed, not a page to look into.
    if (e.kind !== 'not-a-feed') throw e;
  }
  if (opts.exactUrl) return readList(res.text, res.finalUrl, opts, false);
  const candidates = [...alternateFeeds(res.text, res.finalUrl).slice(0, MAX_ALTERNATES), ...COMMON_FEED_PATHS.map((p) => new URL(p, res.finalUrl).href)];
  let emptyFeed = false;
  let blocked: FeedError | null = null;
  for (const candidate of candidates) {
    if (candidate === res.finalUrl) continue;
    const found = await tryFeed(fetcher, candidate, opts);
    if (found instanceof FeedError) blocked ??= found;
    else if (found && found.items.length > 0) return found;
    else if (found) emptyFeed = true;
  }
  try {
    return readList(res.text, res.finalUrl, opts, emptyFeed);
  } catch (e) {
    // Nothing else worked and the page points at a feed the bot may not fetch: that is the
    // answer the moderator can act on, not "no feed".
    if (blocked && e instanceof DiscoveryError && e.problem === 'no-feed') throw new FeedError('blocked', `the page's feed is on an address the bot may not connect to (${blocked.message})`);
    throw e;
  }
}

function readList(html: string, url: string, opts: DiscoverOptions, emptyFeed: boolean): Discovery {
  const verdict = recognizeListPage(html, { url, timeZone: opts.timeZone, now: opts.now });
  if (verdict.kind === 'list') return { kind: 'list-page', url, title: verdict.title, items: verdict.items, confidence: verdict.confidence };
  if (emptyFeed) throw new DiscoveryError('empty-feed', 'the feed has no items');
  if (verdict.reason === 'article') throw new DiscoveryError('article-page', 'an article page, not a list');
  if (verdict.reason === 'home') throw new DiscoveryError('home-page', 'a home page with many lists');
  throw new DiscoveryError('no-feed', 'no feed and no list of articles');
}
