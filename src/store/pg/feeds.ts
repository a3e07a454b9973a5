// Feeds, poll leases, servers' feeds, learned rates and ingest bounds on Postgres: the same
// statements as the SQLite repositories (feeds-repo.ts and its neighbours), and the same rows
// back. Text is ordered with COLLATE "C", which is SQLite's byte order whatever the database's
// locale.
import { ACTIVE_FEED, toState, type FeedRow } from '../feeds-repo.js';
import { guildFeedId, type AddOutcome, type GuildFeed } from '../guild-feeds-repo.js';
import type { FeedBounds, FeedBoundsPort, FeedLeasesPort, FeedsPort, GuildFeedsPort, SchedulePort } from '../ports.js';
import type { Runner } from './sql.js';

const UPSERT = `
  INSERT INTO feeds (id, name, url, region, interval_minutes, full_text, created_at, in_catalog)
  VALUES (@id, @name, @url, @region, @intervalMinutes, @fullText, @now, 1)
  ON CONFLICT (id) DO UPDATE SET
    name = excluded.name, region = excluded.region, interval_minutes = excluded.interval_minutes,
    full_text = excluded.full_text, in_catalog = 1,
    etag = CASE WHEN feeds.url = excluded.url THEN feeds.etag END,
    last_modified = CASE WHEN feeds.url = excluded.url THEN feeds.last_modified END,
    body_hash = CASE WHEN feeds.url = excluded.url THEN feeds.body_hash END,
    url = excluded.url`;

export function pgFeeds(db: Runner): FeedsPort {
  return {
    async sync(sources, now) {
      await db.atomic(async (tx) => {
        await tx.run('UPDATE feeds SET in_catalog = 0');
        for (const s of sources) await tx.run(UPSERT, { ...s, now });
      });
    },
    async get(id) {
      const r = await db.get<FeedRow>('SELECT * FROM feeds WHERE id = ?', [id]);
      return r ? toState(r) : null;
    },
    list: async () => (await db.all<FeedRow>(`SELECT * FROM feeds WHERE ${ACTIVE_FEED} ORDER BY id COLLATE "C"`)).map(toState),
    due: async (now) =>
      (await db.all<FeedRow>(`SELECT * FROM feeds WHERE ${ACTIVE_FEED} AND (next_poll_at IS NULL OR next_poll_at <= ?) ORDER BY id COLLATE "C"`, [now])).map(toState),
    setItemsHash: async (id, hash) => void (await db.run('UPDATE feeds SET items_hash = ? WHERE id = ?', [hash, id])),
    async recordSuccess(id, u) {
      await db.run(
        `UPDATE feeds SET last_fetch_at = @now, last_success_at = @now, last_status = @status,
          etag = coalesce(@etag, etag), last_modified = coalesce(@lastModified, last_modified),
          body_hash = coalesce(@bodyHash, body_hash), initialized = 1,
          failure_count = 0, failing_since = NULL, next_poll_at = @nextPollAt,
          paused_at = NULL, pause_reason = NULL, item_count = item_count + @newItems,
          last_warning = CASE WHEN @setWarning THEN @warning ELSE last_warning END
        WHERE id = @id`,
        {
          id,
          now: u.now,
          status: u.status,
          etag: u.etag ?? null,
          lastModified: u.lastModified ?? null,
          bodyHash: u.bodyHash ?? null,
          nextPollAt: u.nextPollAt,
          newItems: u.newItems ?? 0,
          setWarning: u.warning !== undefined,
          warning: u.warning ?? null,
        },
      );
    },
    async recordFailure(id, u) {
      await db.run(
        `UPDATE feeds SET last_fetch_at = @now, last_status = 'error', last_error = @error, last_error_at = @now,
          failure_count = failure_count + 1, failing_since = coalesce(failing_since, @now),
          next_poll_at = @nextPollAt,
          paused_at = CASE WHEN @pauseReason::text IS NOT NULL THEN coalesce(paused_at, @now) ELSE paused_at END,
          pause_reason = coalesce(@pauseReason, pause_reason)
        WHERE id = @id`,
        { id, error: u.error, now: u.now, nextPollAt: u.nextPollAt, pauseReason: u.pauseReason },
      );
    },
    resume: async (id) =>
      (await db.run('UPDATE feeds SET paused_at = NULL, pause_reason = NULL, failing_since = NULL, failure_count = 0, next_poll_at = NULL WHERE id = ?', [id])) > 0,
  };
}

/**
 * Poll leases. One statement takes or renews a lease: the insert, or the update of a lease that
 * is this holder's or has run out. Two pollers racing for one feed serialise on its row, and the
 * loser's update finds the winner's live lease and changes nothing.
 */
export function pgLeases(db: Runner): FeedLeasesPort {
  return {
    acquire: async (feedId, holder, now, ms) =>
      (await db.run(
        `INSERT INTO feed_leases (feed_id, owner, until) VALUES (@feedId, @holder, @until)
         ON CONFLICT (feed_id) DO UPDATE SET owner = excluded.owner, until = excluded.until
         WHERE feed_leases.owner = excluded.owner OR feed_leases.until <= @now`,
        { feedId, holder, until: now + ms, now },
      )) > 0,
    release: async (feedId, holder) => void (await db.run('DELETE FROM feed_leases WHERE feed_id = ? AND owner = ?', [feedId, holder])),
  };
}

type LinkRow = FeedRow & { guild_id: string; guild_name: string; guild_region: string; added_by: string; added_at: number };
const toGuildFeed = (r: LinkRow): GuildFeed => ({ ...toState(r), guildId: r.guild_id, guildName: r.guild_name, guildRegion: r.guild_region, addedBy: r.added_by, addedAt: r.added_at });
const LINKS = `SELECT f.*, g.guild_id, g.name AS guild_name, g.region AS guild_region, g.added_by, g.added_at FROM guild_feeds g JOIN feeds f ON f.id = g.feed_id`;

export function pgGuildFeeds(db: Runner): GuildFeedsPort {
  const link = async (r: Runner, guildId: string, feedId: string) => r.get<LinkRow>(`${LINKS} WHERE g.guild_id = ? AND g.feed_id = ?`, [guildId, feedId]);
  const count = async (r: Runner, guildId: string) => (await r.get<{ n: number }>('SELECT count(*) AS n FROM guild_feeds WHERE guild_id = ?', [guildId]))!.n;
  const catalogByUrl = (r: Runner, url: string) => r.get<FeedRow>('SELECT * FROM feeds WHERE url = ? AND in_catalog = 1 LIMIT 1', [url]);
  return {
    listForGuild: async (guildId) => (await db.all<LinkRow>(`${LINKS} WHERE g.guild_id = ? ORDER BY g.added_at, f.id COLLATE "C"`, [guildId])).map(toGuildFeed),
    async get(guildId, feedId) {
      const r = await link(db, guildId, feedId);
      return r ? toGuildFeed(r) : null;
    },
    count: (guildId) => count(db, guildId),
    async catalogFeed(url) {
      const r = await catalogByUrl(db, url);
      return r ? toState(r) : null;
    },
    add: (f, limit, now) =>
      db.atomic(async (tx): Promise<AddOutcome> => {
        // Two moderators of one server adding at once: the second waits here for the first,
        // so the limit holds (SQLite gets this from its single writer).
        await tx.run('SELECT pg_advisory_xact_lock(hashtext(?))', [`guild-feeds:${f.guildId}`]);
        const catalog = await catalogByUrl(tx, f.url);
        if (catalog) return { status: 'in-catalog', feed: toState(catalog) };
        const id = guildFeedId(f.url);
        const existing = await link(tx, f.guildId, id);
        if (existing) return { status: 'exists', feed: toGuildFeed(existing) };
        if ((await count(tx, f.guildId)) >= limit) return { status: 'limit', limit };
        const fullText = f.kind === 'list-page' ? 'always' : 'auto';
        const row = await tx.get<FeedRow>('SELECT * FROM feeds WHERE id = ? FOR UPDATE', [id]);
        if (!row) {
          await tx.run(
            `INSERT INTO feeds (id, name, url, region, interval_minutes, full_text, created_at, in_catalog, origin, kind)
             VALUES (@id, @name, @url, @region, NULL, @fullText, @now, 0, 'guild', @kind) ON CONFLICT (id) DO NOTHING`,
            { id, name: f.name, url: f.url, region: f.region, fullText, now, kind: f.kind },
          );
        } else if ((await tx.get<{ n: number }>('SELECT count(*) AS n FROM guild_feeds WHERE feed_id = ?', [id]))!.n === 0) {
          await tx.run(
            `UPDATE feeds SET initialized = 0, etag = NULL, last_modified = NULL, body_hash = NULL, next_poll_at = NULL,
              paused_at = NULL, pause_reason = NULL, failure_count = 0, failing_since = NULL,
              kind = @kind, full_text = @fullText, name = @name, region = @region WHERE id = @id`,
            { id, kind: f.kind, fullText, name: f.name, region: f.region },
          );
        }
        await tx.run('INSERT INTO guild_feeds (guild_id, feed_id, name, region, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?)', [f.guildId, id, f.name, f.region, f.addedBy, now]);
        return { status: 'added', feed: toGuildFeed((await link(tx, f.guildId, id))!), created: !row };
      }),
    remove: async (guildId, feedId) => (await db.run('DELETE FROM guild_feeds WHERE guild_id = ? AND feed_id = ?', [guildId, feedId])) > 0,
    async urlFacts(url) {
      const r = await db.get<{ catalog: number | null; list_page: boolean | null }>(
        `SELECT max(in_catalog) AS catalog,
          bool_or(kind = 'list-page' AND origin = 'guild' AND EXISTS (SELECT 1 FROM guild_feeds g WHERE g.feed_id = feeds.id)) AS list_page
         FROM feeds WHERE url = ?`,
        [url],
      );
      return { trusted: (r?.catalog ?? 0) === 1, listPage: r?.list_page === true };
    },
  };
}

export function pgSchedule(db: Runner): SchedulePort {
  return {
    async rates() {
      const rows = await db.all<{ id: string; interval_minutes: number | null; rate_items: number | null; rate_hours: number | null; rate_hourly: string | null }>(
        `SELECT id, interval_minutes, rate_items, rate_hours, rate_hourly FROM feeds WHERE ${ACTIVE_FEED} AND paused_at IS NULL`,
      );
      return rows.map((r) => {
        let hourly: number[] | null = null;
        try {
          const parsed = r.rate_hourly ? (JSON.parse(r.rate_hourly) as unknown) : null;
          if (Array.isArray(parsed) && parsed.length === 24 && parsed.every((v) => typeof v === 'number' && Number.isFinite(v))) hourly = parsed as number[];
        } catch {
          hourly = null;
        }
        const rate = r.rate_items !== null && r.rate_hours !== null && hourly ? { items: r.rate_items, hours: r.rate_hours, hourly } : null;
        return { id: r.id, fixed: r.interval_minutes !== null, rate };
      });
    },
    record: async (id, rate, nextPollAt) =>
      void (await db.run('UPDATE feeds SET rate_items = ?, rate_hours = ?, rate_hourly = ?, next_poll_at = ? WHERE id = ?', [
        rate.items,
        rate.hours,
        JSON.stringify(rate.hourly.map((v) => Math.round(v * 1e4) / 1e4)),
        nextPollAt,
        id,
      ])),
    reschedule: async (id, nextPollAt) => void (await db.run('UPDATE feeds SET next_poll_at = ? WHERE id = ?', [nextPollAt, id])),
  };
}

// Kept in meta as one JSON value per feed, read as feed-bounds-repo.ts reads it.
const BOUNDS_PREFIX = 'ingest.bounds.';
function parseBounds(value: string | undefined): FeedBounds | null {
  if (value === undefined) return null;
  try {
    const v = JSON.parse(value) as Partial<FeedBounds>;
    const n = (x: unknown) => (Number.isFinite(x) ? (x as number) : 0);
    const flaggedAt = Number.isFinite(v.flaggedAt) ? (v.flaggedAt as number) : null;
    return { itemsInFeed: n(v.itemsInFeed), lastDropped: n(v.lastDropped), droppedTotal: n(v.droppedTotal), flaggedAt, flag: typeof v.flag === 'string' ? v.flag : null, updatedAt: n(v.updatedAt) };
  } catch {
    return null;
  }
}

export function pgBounds(db: Runner): FeedBoundsPort {
  return {
    async all() {
      const out = new Map<string, FeedBounds>();
      for (const r of await db.all<{ key: string; value: string }>('SELECT key, value FROM meta WHERE starts_with(key, ?)', [BOUNDS_PREFIX])) {
        const b = parseBounds(r.value);
        if (b) out.set(r.key.slice(BOUNDS_PREFIX.length), b);
      }
      return out;
    },
    record: (feedId, poll) =>
      db.atomic(async (tx) => {
        // FOR UPDATE: two pollers recording one feed's bounds add up their drops, not overwrite.
        const old = parseBounds((await tx.get<{ value: string }>('SELECT value FROM meta WHERE key = ? FOR UPDATE', [BOUNDS_PREFIX + feedId]))?.value);
        const next = {
          itemsInFeed: poll.itemsInFeed,
          lastDropped: poll.dropped,
          droppedTotal: (old?.droppedTotal ?? 0) + poll.dropped,
          flaggedAt: poll.flag ? (old?.flaggedAt ?? poll.now) : null,
          flag: poll.flag,
          updatedAt: poll.now,
        };
        await tx.run('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [BOUNDS_PREFIX + feedId, JSON.stringify(next)]);
        return next;
      }),
  };
}
