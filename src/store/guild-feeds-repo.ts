// Feeds a server brings: one feeds row per URL (fetched once), one guild_feeds row per server
// that added it. Adding is one transaction that checks the server's limit, so two moderators
// adding at once can never pass it, and nothing is stored half-way.
import { createHash } from 'node:crypto';
import type { Db } from './database.js';
import { toState, type FeedKind, type FeedRow, type FeedState } from './feeds-repo.js';

/** A feed as one server sees it: its own name and region for it. */
export interface GuildFeed extends FeedState {
  readonly guildId: string;
  readonly guildName: string;
  readonly guildRegion: string;
  readonly addedBy: string;
  readonly addedAt: number;
}

export interface NewGuildFeed {
  readonly guildId: string;
  readonly url: string;
  readonly name: string;
  readonly region: string;
  readonly kind: FeedKind;
  readonly addedBy: string;
}

export type AddOutcome =
  | { readonly status: 'added'; readonly feed: GuildFeed; readonly created: boolean }
  | { readonly status: 'exists'; readonly feed: GuildFeed }
  | { readonly status: 'in-catalog'; readonly feed: FeedState }
  | { readonly status: 'limit'; readonly limit: number };

type LinkRow = FeedRow & { guild_id: string; guild_name: string; guild_region: string; added_by: string; added_at: number };

const toGuildFeed = (r: LinkRow): GuildFeed => ({ ...toState(r), guildId: r.guild_id, guildName: r.guild_name, guildRegion: r.guild_region, addedBy: r.added_by, addedAt: r.added_at });

/** Guild feed ids cannot collide with catalog ids, which allow no colon. */
export const guildFeedId = (url: string): string => `g:${createHash('sha256').update(url).digest('hex').slice(0, 12)}`;

export type GuildFeedsRepo = ReturnType<typeof createGuildFeedsRepo>;

export function createGuildFeedsRepo(db: Db) {
  const SELECT = `SELECT f.*, g.guild_id, g.name AS guild_name, g.region AS guild_region, g.added_by, g.added_at FROM guild_feeds g JOIN feeds f ON f.id = g.feed_id`;
  const forGuild = db.prepare<[string], LinkRow>(`${SELECT} WHERE g.guild_id = ? ORDER BY g.added_at, f.id`);
  const link = db.prepare<[string, string], LinkRow>(`${SELECT} WHERE g.guild_id = ? AND g.feed_id = ?`);
  const count = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM guild_feeds WHERE guild_id = ?');
  const catalogByUrl = db.prepare<[string], FeedRow>('SELECT * FROM feeds WHERE url = ? AND in_catalog = 1 LIMIT 1');
  const byId = db.prepare<[string], FeedRow>('SELECT * FROM feeds WHERE id = ?');
  const linksOf = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM guild_feeds WHERE feed_id = ?');
  const insertFeed = db.prepare(`
    INSERT INTO feeds (id, name, url, region, interval_minutes, full_text, created_at, in_catalog, origin, kind)
    VALUES (@id, @name, @url, @region, NULL, @fullText, @now, 0, 'guild', @kind)`);
  // A feed nobody polled for a while starts again like a new one: what it gathered meanwhile is backlog.
  // Its new first server's name and region become the feed's (the region is the feed's prior).
  // The add has just fetched it fine, so a pause or failure streak from before is over: it is
  // polled at the next tick (next_poll_at NULL) instead of waiting for a paused feed's daily probe.
  const revive = db.prepare(`UPDATE feeds SET initialized = 0, etag = NULL, last_modified = NULL, body_hash = NULL, next_poll_at = NULL,
    paused_at = NULL, pause_reason = NULL, failure_count = 0, failing_since = NULL,
    kind = @kind, full_text = @fullText, name = @name, region = @region WHERE id = @id`);
  const insertLink = db.prepare('INSERT INTO guild_feeds (guild_id, feed_id, name, region, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?)');
  const unlink = db.prepare('DELETE FROM guild_feeds WHERE guild_id = ? AND feed_id = ?');
  const urlFacts = db.prepare<[string], { catalog: number; list_page: number }>(`
    SELECT max(in_catalog) AS catalog, max(kind = 'list-page' AND origin = 'guild' AND EXISTS (SELECT 1 FROM guild_feeds g WHERE g.feed_id = feeds.id)) AS list_page
    FROM feeds WHERE url = ?`);

  return {
    listForGuild: (guildId: string): GuildFeed[] => forGuild.all(guildId).map(toGuildFeed),
    get(guildId: string, feedId: string): GuildFeed | null {
      const r = link.get(guildId, feedId);
      return r ? toGuildFeed(r) : null;
    },
    count: (guildId: string): number => count.get(guildId)!.n,
    /** A catalog feed at this exact URL, if any (it already serves every server). */
    catalogFeed(url: string): FeedState | null {
      const r = catalogByUrl.get(url);
      return r ? toState(r) : null;
    },
    add(f: NewGuildFeed, limit: number, now: number): AddOutcome {
      return db.transaction((): AddOutcome => {
        const catalog = catalogByUrl.get(f.url);
        if (catalog) return { status: 'in-catalog', feed: toState(catalog) };
        const id = guildFeedId(f.url);
        const existing = link.get(f.guildId, id);
        if (existing) return { status: 'exists', feed: toGuildFeed(existing) };
        if (count.get(f.guildId)!.n >= limit) return { status: 'limit', limit };
        const fullText = f.kind === 'list-page' ? 'always' : 'auto';
        const row = byId.get(id);
        // A feed other servers already have keeps its first server's region: it is the prior for
        // placing every story of the feed, and one feed is fetched and placed once for all its
        // servers. This server's region is kept in guild_feeds.region (shown in /feeds list) but
        // does not steer routing; /feeds add says so when the two differ.
        if (!row) insertFeed.run({ id, name: f.name, url: f.url, region: f.region, fullText, now, kind: f.kind });
        else if (linksOf.get(id)!.n === 0) revive.run({ id, kind: f.kind, fullText, name: f.name, region: f.region });
        insertLink.run(f.guildId, id, f.name, f.region, f.addedBy, now);
        return { status: 'added', feed: toGuildFeed(link.get(f.guildId, id)!), created: !row };
      })();
    },
    /** The server stops receiving the feed; the feed row and its articles stay for history. */
    remove: (guildId: string, feedId: string): boolean => unlink.run(guildId, feedId).changes > 0,
    /**
     * How to fetch a URL: an operator's catalog URL is trusted on its first hop; a server's is
     * not. A list page is read as HTML and turned into items.
     */
    urlFacts(url: string): { trusted: boolean; listPage: boolean } {
      const r = urlFacts.get(url);
      return { trusted: (r?.catalog ?? 0) === 1, listPage: (r?.list_page ?? 0) === 1 };
    },
  };
}
