// Subscriptions, per-guild settings and channel health: what moderators configure.
import { DEFAULT_POSTING, type PostingOptions, type Script, type Subscription, type SubscriptionMode } from '../domain/types.js';
import type { Db } from './database.js';

export interface GuildSettings {
  readonly guildId: string;
  readonly locale: string | null;
  readonly script: Script | null;
  readonly timeZone: string | null;
  readonly summaryLength: number | null;
  readonly digestTime: string | null;
  readonly lastDigestAt: number | null;
}

export interface ChannelState {
  readonly channelId: string;
  readonly guildId: string;
  readonly pausedAt: number | null;
  readonly pauseCode: number | null;
  readonly pauseReason: string | null;
}

/** A subscription as a moderator creates it: everything but its id and channel state. */
export type NewSubscription = Omit<Subscription, 'id' | 'pausedReason' | 'posting'> & { readonly posting?: PostingOptions };

/** A subscriptions row as both stores return it (same columns). */
export interface SubRow {
  id: number;
  guild_id: string;
  channel_id: string;
  region_code: string;
  mode: string;
  include_words: string;
  exclude_words: string;
  created_by: string;
  paused_reason: string | null;
  mention_role: string | null;
  mention_words: string;
  open_thread: number;
  crosspost: number;
}

const NONE: readonly string[] = Object.freeze([]);
const words = (json: string): readonly string[] => (json === '[]' ? NONE : (JSON.parse(json) as string[]));

export const toSub = (r: SubRow): Subscription => ({
  id: r.id,
  guildId: r.guild_id,
  channelId: r.channel_id,
  regionCode: r.region_code,
  mode: r.mode as SubscriptionMode,
  include: words(r.include_words),
  exclude: words(r.exclude_words),
  createdBy: r.created_by,
  pausedReason: r.paused_reason,
  posting:
    r.mention_role === null && r.open_thread === 0 && r.crosspost === 0
      ? DEFAULT_POSTING
      : { mentionRole: r.mention_role, mentionWords: words(r.mention_words), openThread: r.open_thread === 1, crosspost: r.crosspost === 1 },
});

export const SUB_SELECT = `SELECT s.*, c.pause_reason AS paused_reason FROM subscriptions s LEFT JOIN channel_state c ON c.channel_id = s.channel_id AND c.paused_at IS NOT NULL`;

export type SubscriptionsRepo = ReturnType<typeof createSubscriptionsRepo>;

export function createSubscriptionsRepo(db: Db) {
  const upsert = db.prepare(`
    INSERT INTO subscriptions (guild_id, channel_id, region_code, mode, include_words, exclude_words, created_by, created_at,
      mention_role, mention_words, open_thread, crosspost)
    VALUES (@guildId, @channelId, @regionCode, @mode, @include, @exclude, @createdBy, @now, @mentionRole, @mentionWords, @openThread, @crosspost)
    ON CONFLICT (channel_id, region_code) DO UPDATE SET mode = excluded.mode,
      include_words = excluded.include_words, exclude_words = excluded.exclude_words, mention_role = excluded.mention_role,
      mention_words = excluded.mention_words, open_thread = excluded.open_thread, crosspost = excluded.crosspost
    RETURNING id`);
  const remove = db.prepare('DELETE FROM subscriptions WHERE guild_id = ? AND channel_id = ? AND region_code = ?');
  const byGuild = db.prepare<[string], SubRow>(`${SUB_SELECT} WHERE s.guild_id = ? ORDER BY s.channel_id, s.region_code`);
  const byId = db.prepare<[number], SubRow>(`${SUB_SELECT} WHERE s.id = ?`);
  // story_regions holds every region of a story with its ancestors, so an exact code match
  // finds subscriptions to the region and to any of its ancestors.
  // A story known only from feeds servers added goes only to those servers; one the catalog
  // carries (or with no article yet) goes to every server whose subscriptions match.
  const forStory = db.prepare<[number], SubRow>(`${SUB_SELECT} JOIN story_regions r ON r.code = s.region_code WHERE r.story_id = ?
    AND (NOT EXISTS (SELECT 1 FROM articles a JOIN feeds f ON f.id = a.feed_id WHERE a.story_id = r.story_id AND f.origin = 'guild')
      OR EXISTS (SELECT 1 FROM articles a JOIN feeds f ON f.id = a.feed_id WHERE a.story_id = r.story_id AND f.origin = 'catalog')
      OR EXISTS (SELECT 1 FROM articles a JOIN guild_feeds g ON g.feed_id = a.feed_id WHERE a.story_id = r.story_id AND g.guild_id = s.guild_id))
    ORDER BY s.channel_id, s.id`);
  const settings = db.prepare<[string], Record<string, unknown>>('SELECT * FROM guild_settings WHERE guild_id = ?');
  const putSettings = db.prepare(`
    INSERT INTO guild_settings (guild_id, locale, script, time_zone, summary_length, digest_time, updated_at)
    VALUES (@guildId, @locale, @script, @timeZone, @summaryLength, @digestTime, @now)
    ON CONFLICT (guild_id) DO UPDATE SET
      locale = coalesce(excluded.locale, locale), script = CASE WHEN @setScript THEN excluded.script ELSE script END,
      time_zone = CASE WHEN @setTimeZone THEN excluded.time_zone ELSE time_zone END,
      summary_length = CASE WHEN @setSummaryLength THEN excluded.summary_length ELSE summary_length END,
      digest_time = CASE WHEN @setDigestTime THEN excluded.digest_time ELSE digest_time END,
      updated_at = excluded.updated_at`);
  const digestDone = db.prepare('UPDATE guild_settings SET last_digest_at = ? WHERE guild_id = ?');
  const channel = db.prepare<[string], Record<string, unknown>>('SELECT * FROM channel_state WHERE channel_id = ?');
  const pause = db.prepare(`
    INSERT INTO channel_state (channel_id, guild_id, paused_at, pause_code, pause_reason) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (channel_id) DO UPDATE SET paused_at = coalesce(paused_at, excluded.paused_at), pause_code = excluded.pause_code, pause_reason = excluded.pause_reason`);
  const unpause = db.prepare('UPDATE channel_state SET paused_at = NULL, pause_code = NULL, pause_reason = NULL WHERE channel_id = ?');
  const digestGuilds = db.prepare<[], { guild_id: string }>("SELECT DISTINCT guild_id FROM subscriptions WHERE mode = 'digest'");

  const toSettings = (guildId: string, r: Record<string, unknown> | undefined): GuildSettings => ({
    guildId,
    locale: (r?.locale as string | null) ?? null,
    script: (r?.script as Script | null) ?? null,
    timeZone: (r?.time_zone as string | null) ?? null,
    summaryLength: (r?.summary_length as number | null) ?? null,
    digestTime: (r?.digest_time as string | null) ?? null,
    lastDigestAt: (r?.last_digest_at as number | null) ?? null,
  });

  return {
    /** Subscribing twice updates the first subscription instead of adding another. */
    subscribe(s: NewSubscription, now: number): number {
      const p = s.posting ?? DEFAULT_POSTING;
      const posting = { mentionRole: p.mentionRole, mentionWords: JSON.stringify(p.mentionWords), openThread: p.openThread ? 1 : 0, crosspost: p.crosspost ? 1 : 0 };
      const row = { guildId: s.guildId, channelId: s.channelId, regionCode: s.regionCode, mode: s.mode, createdBy: s.createdBy };
      return (upsert.get({ ...row, ...posting, include: JSON.stringify(s.include), exclude: JSON.stringify(s.exclude), now }) as { id: number }).id;
    },
    unsubscribe: (guildId: string, channelId: string, regionCode: string): boolean => remove.run(guildId, channelId, regionCode).changes > 0,
    listForGuild: (guildId: string): Subscription[] => byGuild.all(guildId).map(toSub),
    get: (id: number): Subscription | null => {
      const r = byId.get(id);
      return r ? toSub(r) : null;
    },
    forStory: (storyId: number): Subscription[] => forStory.all(storyId).map(toSub),
    guildsWithDigests: (): string[] => digestGuilds.all().map((r) => r.guild_id),
    settings: (guildId: string): GuildSettings => toSettings(guildId, settings.get(guildId)),
    /** Changes only the fields given; `locale` is what Discord reports for the guild. */
    updateSettings(guildId: string, patch: Partial<Omit<GuildSettings, 'guildId' | 'lastDigestAt'>>, now: number): void {
      putSettings.run({
        guildId,
        locale: patch.locale ?? null,
        script: patch.script ?? null,
        timeZone: patch.timeZone ?? null,
        summaryLength: patch.summaryLength ?? null,
        digestTime: patch.digestTime ?? null,
        setScript: 'script' in patch ? 1 : 0,
        setTimeZone: 'timeZone' in patch ? 1 : 0,
        setSummaryLength: 'summaryLength' in patch ? 1 : 0,
        setDigestTime: 'digestTime' in patch ? 1 : 0,
        now,
      });
    },
    markDigestDone: (guildId: string, at: number): void => void digestDone.run(at, guildId),
    channel(channelId: string): ChannelState | null {
      const r = channel.get(channelId);
      if (!r) return null;
      return {
        channelId,
        guildId: r.guild_id as string,
        pausedAt: r.paused_at as number | null,
        pauseCode: r.pause_code as number | null,
        pauseReason: r.pause_reason as string | null,
      };
    },
    pauseChannel: (channelId: string, guildId: string, code: number, reason: string, now: number): void => void pause.run(channelId, guildId, now, code, reason),
    resumeChannel: (channelId: string): boolean => unpause.run(channelId).changes > 0,
  };
}
