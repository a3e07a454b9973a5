// Subscriptions, server settings, stored searches and health probes on Postgres: the statements
// of subscriptions-repo.ts, searches-repo.ts and health-repo.ts.
import { randomBytes } from 'node:crypto';
import { DEFAULT_POSTING, type Script } from '../../domain/types.js';
import { ACTIVE_FEED } from '../feeds-repo.js';
import { parsePages } from '../searches-repo.js';
import { SUB_SELECT as SUBS, toSub, type SubRow } from '../subscriptions-repo.js';
import type { GuildSettings, HealthPort, SearchesPort, SettingsPort, SubscriptionsPort } from '../ports.js';
import type { Runner } from './sql.js';

export function pgSubscriptions(db: Runner): SubscriptionsPort {
  return {
    async subscribe(s, now) {
      const p = s.posting ?? DEFAULT_POSTING;
      const r = await db.get<{ id: number }>(
        `INSERT INTO subscriptions (guild_id, channel_id, region_code, mode, include_words, exclude_words, created_by, created_at,
          mention_role, mention_words, open_thread, crosspost)
         VALUES (@guildId, @channelId, @regionCode, @mode, @include, @exclude, @createdBy, @now, @mentionRole, @mentionWords, @openThread, @crosspost)
         ON CONFLICT (channel_id, region_code) DO UPDATE SET mode = excluded.mode,
          include_words = excluded.include_words, exclude_words = excluded.exclude_words, mention_role = excluded.mention_role,
          mention_words = excluded.mention_words, open_thread = excluded.open_thread, crosspost = excluded.crosspost
         RETURNING id`,
        {
          guildId: s.guildId,
          channelId: s.channelId,
          regionCode: s.regionCode,
          mode: s.mode,
          createdBy: s.createdBy,
          include: JSON.stringify(s.include),
          exclude: JSON.stringify(s.exclude),
          now,
          mentionRole: p.mentionRole,
          mentionWords: JSON.stringify(p.mentionWords),
          openThread: p.openThread ? 1 : 0,
          crosspost: p.crosspost ? 1 : 0,
        },
      );
      return r!.id;
    },
    unsubscribe: async (guildId, channelId, regionCode) => (await db.run('DELETE FROM subscriptions WHERE guild_id = ? AND channel_id = ? AND region_code = ?', [guildId, channelId, regionCode])) > 0,
    listForGuild: async (guildId) => (await db.all<SubRow>(`${SUBS} WHERE s.guild_id = ? ORDER BY s.channel_id COLLATE "C", s.region_code COLLATE "C"`, [guildId])).map(toSub),
    async get(id) {
      const r = await db.get<SubRow>(`${SUBS} WHERE s.id = ?`, [id]);
      return r ? toSub(r) : null;
    },
    forStory: async (storyId) =>
      (
        await db.all<SubRow>(
          `${SUBS} JOIN story_regions r ON r.code = s.region_code WHERE r.story_id = ?
           AND (NOT EXISTS (SELECT 1 FROM articles a JOIN feeds f ON f.id = a.feed_id WHERE a.story_id = r.story_id AND f.origin = 'guild')
             OR EXISTS (SELECT 1 FROM articles a JOIN feeds f ON f.id = a.feed_id WHERE a.story_id = r.story_id AND f.origin = 'catalog')
             OR EXISTS (SELECT 1 FROM articles a JOIN guild_feeds g ON g.feed_id = a.feed_id WHERE a.story_id = r.story_id AND g.guild_id = s.guild_id))
           ORDER BY s.channel_id COLLATE "C", s.id`,
          [storyId],
        )
      ).map(toSub),
    async channel(channelId) {
      const r = await db.get<Record<string, unknown>>('SELECT * FROM channel_state WHERE channel_id = ?', [channelId]);
      if (!r) return null;
      return { channelId, guildId: r.guild_id as string, pausedAt: r.paused_at as number | null, pauseCode: r.pause_code as number | null, pauseReason: r.pause_reason as string | null };
    },
    pauseChannel: async (channelId, guildId, code, reason, now) =>
      void (await db.run(
        `INSERT INTO channel_state (channel_id, guild_id, paused_at, pause_code, pause_reason) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (channel_id) DO UPDATE SET paused_at = coalesce(channel_state.paused_at, excluded.paused_at), pause_code = excluded.pause_code, pause_reason = excluded.pause_reason`,
        [channelId, guildId, now, code, reason],
      )),
    resumeChannel: async (channelId) => (await db.run('UPDATE channel_state SET paused_at = NULL, pause_code = NULL, pause_reason = NULL WHERE channel_id = ?', [channelId])) > 0,
  };
}

export function pgSettings(db: Runner): SettingsPort {
  return {
    async settings(guildId) {
      const r = await db.get<Record<string, unknown>>('SELECT * FROM guild_settings WHERE guild_id = ?', [guildId]);
      const s: GuildSettings = {
        guildId,
        locale: (r?.locale as string | null) ?? null,
        script: (r?.script as Script | null) ?? null,
        timeZone: (r?.time_zone as string | null) ?? null,
        summaryLength: (r?.summary_length as number | null) ?? null,
        digestTime: (r?.digest_time as string | null) ?? null,
        lastDigestAt: (r?.last_digest_at as number | null) ?? null,
      };
      return s;
    },
    updateSettings: async (guildId, patch, now) =>
      void (await db.run(
        `INSERT INTO guild_settings AS g (guild_id, locale, script, time_zone, summary_length, digest_time, updated_at)
         VALUES (@guildId, @locale, @script, @timeZone, @summaryLength, @digestTime, @now)
         ON CONFLICT (guild_id) DO UPDATE SET
          locale = coalesce(excluded.locale, g.locale), script = CASE WHEN @setScript THEN excluded.script ELSE g.script END,
          time_zone = CASE WHEN @setTimeZone THEN excluded.time_zone ELSE g.time_zone END,
          summary_length = CASE WHEN @setSummaryLength THEN excluded.summary_length ELSE g.summary_length END,
          digest_time = CASE WHEN @setDigestTime THEN excluded.digest_time ELSE g.digest_time END,
          updated_at = excluded.updated_at`,
        {
          guildId,
          locale: patch.locale ?? null,
          script: patch.script ?? null,
          timeZone: patch.timeZone ?? null,
          summaryLength: patch.summaryLength ?? null,
          digestTime: patch.digestTime ?? null,
          setScript: 'script' in patch,
          setTimeZone: 'timeZone' in patch,
          setSummaryLength: 'summaryLength' in patch,
          setDigestTime: 'digestTime' in patch,
          now,
        },
      )),
    markDigestDone: async (guildId, at) => void (await db.run('UPDATE guild_settings SET last_digest_at = ? WHERE guild_id = ?', [at, guildId])),
    guildsWithDigests: async () => (await db.all<{ guild_id: string }>("SELECT DISTINCT guild_id FROM subscriptions WHERE mode = 'digest'")).map((r) => r.guild_id),
  };
}

export function pgSearches(db: Runner): SearchesPort {
  return {
    async create(userId, request, next, now) {
      const key = randomBytes(8).toString('base64url');
      await db.run('INSERT INTO searches (key, user_id, request, pages, created_at) VALUES (?, ?, ?, ?, ?)', [key, userId, request, JSON.stringify(next === null ? [null] : [null, next]), now]);
      return key;
    },
    async get(key) {
      const r = await db.get<{ key: string; user_id: string; request: string; pages: string; created_at: number }>('SELECT key, user_id, request, pages, created_at FROM searches WHERE key = ?', [key]);
      return r ? { key: r.key, userId: r.user_id, request: r.request, pages: parsePages(r.pages), createdAt: r.created_at } : null;
    },
    async setPageCursor(key, page, cursor) {
      if (!Number.isSafeInteger(page) || page < 1) throw new RangeError(`page ${page} cannot have a cursor`);
      // As SQLite's json_set: the page right after the last one reached is appended, a known
      // one replaced, and one further on ignored.
      await db.run(
        `UPDATE searches SET pages = jsonb_set(pages::jsonb, ARRAY[@path::text], to_jsonb(@cursor::text), true)::text
         WHERE key = @key AND jsonb_array_length(pages::jsonb) >= @page::int`,
        { key, path: String(page), page, cursor },
      );
    },
    addResults: async (key, results) => {
      if (!results.length) return;
      await db.run('INSERT INTO search_results (key, n, story_id) SELECT ?, n, s FROM unnest(?::int[], ?::bigint[]) AS t(n, s) ON CONFLICT DO NOTHING', [
        key,
        results.map((r) => r.n),
        results.map((r) => r.storyId),
      ]);
    },
    async result(key, n) {
      const r = await db.get<{ story_id: number; posted_at: number | null }>('SELECT story_id, posted_at FROM search_results WHERE key = ? AND n = ?', [key, n]);
      return r ? { storyId: r.story_id, postedAt: r.posted_at } : null;
    },
    claimPost: async (key, n, now) => (await db.run('UPDATE search_results SET posted_at = ? WHERE key = ? AND n = ? AND posted_at IS NULL', [now, key, n])) === 1,
    releasePost: async (key, n, at) => void (await db.run('UPDATE search_results SET posted_at = NULL WHERE key = ? AND n = ? AND posted_at = ?', [key, n, at])),
    prune: (before) => db.run('DELETE FROM searches WHERE created_at < ?', [before]),
  };
}

export function pgHealth(db: Runner): HealthPort {
  const count = async (sql: string) => (await db.get<{ n: number }>(sql))?.n ?? 0;
  return {
    outboxPending: () => count("SELECT count(*) AS n FROM deliveries WHERE state IN ('pending', 'sending')"),
    pausedFeeds: () => count(`SELECT count(*) AS n FROM feeds WHERE paused_at IS NOT NULL AND ${ACTIVE_FEED}`),
    pausedChannels: () => count('SELECT count(*) AS n FROM channel_state WHERE paused_at IS NOT NULL'),
    deliveryCreatedAt: async (id) => (await db.get<{ created_at: number }>('SELECT created_at FROM deliveries WHERE id = ?', [id]))?.created_at ?? null,
    async probeWrite() {
      // A committed write that changes nothing; lock_timeout so a probe answers at once even
      // while a migration holds the table. A lock wait is someone writing: the database takes writes.
      try {
        await db.atomic(async (tx) => {
          await tx.run("SET LOCAL lock_timeout = '1s'");
          await tx.run("INSERT INTO meta (key, value) VALUES ('health.probe', '1') ON CONFLICT (key) DO UPDATE SET value = excluded.value");
        });
        return null;
      } catch (err) {
        const code = String((err as { code?: unknown }).code ?? 'PG_ERROR');
        return code === '55P03' || code === '40001' || code === '40P01' ? null : code;
      }
    },
  };
}
