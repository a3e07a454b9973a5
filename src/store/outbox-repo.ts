// The outbox: one row per (story, channel), and digests that roll many stories into one message.
import type { DeliveryState, SubscriptionMode } from '../domain/types.js';
import type { Db } from './database.js';

export interface OutboxItem {
  readonly id: number;
  readonly storyId: number;
  readonly guildId: string;
  readonly channelId: string;
  readonly subscriptionId: number | null;
  readonly mode: SubscriptionMode;
  readonly state: DeliveryState | 'queued';
  readonly attempts: number;
  readonly nextAttemptAt: number;
  readonly messageId: string | null;
  readonly digestId: number | null;
  readonly lastError: string | null;
  readonly createdAt: number;
  readonly sentAt: number | null;
}

export interface DigestItem {
  readonly id: number;
  readonly channelId: string;
  readonly guildId: string;
  readonly kind: 'burst' | 'scheduled';
  readonly state: 'pending' | 'sending' | 'sent' | 'failed';
  readonly attempts: number;
  readonly nextAttemptAt: number;
  readonly since: number | null;
  readonly storyIds: readonly number[];
  readonly createdAt: number;
}

/** An outbox row as both stores return it (same columns). */
export const toItem = (r: Record<string, unknown>): OutboxItem => ({
  id: r.id as number,
  storyId: r.story_id as number,
  guildId: r.guild_id as string,
  channelId: r.channel_id as string,
  subscriptionId: r.subscription_id as number | null,
  mode: r.mode as SubscriptionMode,
  state: r.state as OutboxItem['state'],
  attempts: r.attempts as number,
  nextAttemptAt: r.next_attempt_at as number,
  messageId: r.message_id as string | null,
  digestId: r.digest_id as number | null,
  lastError: r.last_error as string | null,
  createdAt: r.created_at as number,
  sentAt: r.sent_at as number | null,
});

/** A subscription's words, and the key fanOut knows them by. */
export interface WordLists {
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly key: string;
}

interface FanOutParams {
  storyId: number;
  accepted: string;
  now: number;
}

export type OutboxRepo = ReturnType<typeof createOutboxRepo>;

export function createOutboxRepo(db: Db) {
  const insert = db.prepare(`
    INSERT INTO deliveries (story_id, guild_id, channel_id, subscription_id, mode, state, next_attempt_at, last_error, created_at)
    VALUES (@storyId, @guildId, @channelId, @subscriptionId, @mode, @state, @now, @reason, @now)
    ON CONFLICT (story_id, channel_id) DO NOTHING`);
  // Fan-out (issue #14): a poll stores ~1,000 stories bound for ~60,000 channels, so a story's
  // outbox rows are planned and written by SQL instead of a row at a time from JS. Keyword
  // checks need the script folding of the router: the distinct word lists of the covering
  // subscriptions are judged there first and only the lists that let the story through come
  // back (fail closed: a subscription whose words are not listed is left out). Who may receive
  // a story follows subscriptions-repo forStory: its regions with their ancestors
  // (story_regions), and a story known only from feeds servers added goes only to them.
  const worded = db.prepare<[number], { include_words: string; exclude_words: string }>(`
    SELECT DISTINCT s.include_words, s.exclude_words FROM story_regions r JOIN subscriptions s ON s.region_code = r.code
    WHERE r.story_id = ? AND (s.include_words <> '[]' OR s.exclude_words <> '[]')`);
  const ORIGIN = `WITH origin(guild_only) AS (
      SELECT EXISTS (SELECT 1 FROM articles a JOIN feeds f ON f.id = a.feed_id WHERE a.story_id = @storyId AND f.origin = 'guild')
        AND NOT EXISTS (SELECT 1 FROM articles a JOIN feeds f ON f.id = a.feed_id WHERE a.story_id = @storyId AND f.origin = 'catalog'))`;
  const TAKES = `r.story_id = @storyId
      AND ((s.include_words = '[]' AND s.exclude_words = '[]') OR s.include_words || char(10) || s.exclude_words IN (SELECT value FROM json_each(@accepted)))
      AND (NOT origin.guild_only OR EXISTS (SELECT 1 FROM articles a JOIN guild_feeds g ON g.feed_id = a.feed_id WHERE a.story_id = @storyId AND g.guild_id = s.guild_id))`;
  const COLUMNS = 'INSERT INTO deliveries (story_id, guild_id, channel_id, subscription_id, mode, state, next_attempt_at, last_error, created_at)';
  // Channels that are not paused, a row per covering subscription, instant ones first, so
  // the UNIQUE(story_id, channel_id) conflict keeps each channel's first instant subscription,
  // else its first one: no grouping, and changes() counts the channels that will get it.
  // (A channel_state row counts as paused only with a reason, as judge() has it.)
  const fanOutActive = db.prepare<FanOutParams>(`${ORIGIN} ${COLUMNS}
    SELECT @storyId, s.guild_id, s.channel_id, s.id, s.mode, CASE WHEN s.mode = 'instant' THEN 'pending' ELSE 'queued' END, @now, NULL, @now
    FROM story_regions r JOIN subscriptions s ON s.region_code = r.code CROSS JOIN origin
    LEFT JOIN channel_state c ON c.channel_id = s.channel_id AND c.paused_at IS NOT NULL AND c.pause_reason <> ''
    WHERE c.channel_id IS NULL AND ${TAKES}
    ORDER BY s.mode <> 'instant', s.id
    ON CONFLICT (story_id, channel_id) DO NOTHING`);
  // Paused channels: one 'skipped' row each, recording why. Led from the story, as above, so
  // its cost follows the story's fan-out however many channels were ever paused.
  const fanOutPaused = db.prepare<FanOutParams>(`${ORIGIN} ${COLUMNS}
    SELECT @storyId, s.guild_id, s.channel_id, min(s.id), s.mode, 'skipped', @now, 'channel paused: ' || c.pause_reason, @now
    FROM story_regions r CROSS JOIN subscriptions s ON s.region_code = r.code CROSS JOIN channel_state c ON c.channel_id = s.channel_id CROSS JOIN origin
    WHERE c.paused_at IS NOT NULL AND c.pause_reason <> '' AND ${TAKES}
    GROUP BY s.channel_id
    ON CONFLICT (story_id, channel_id) DO NOTHING`);
  const due = db.prepare<[number, number], Record<string, unknown>>(
    "SELECT * FROM deliveries WHERE state IN ('pending', 'sending') AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?",
  );
  const nextDue = db.prepare<[], number | null>("SELECT min(next_attempt_at) FROM deliveries WHERE state IN ('pending', 'sending')").pluck();
  const begin = db.prepare("UPDATE deliveries SET state = 'sending', attempts = attempts + 1 WHERE id = ? AND state IN ('pending', 'sending')");
  const sent = db.prepare("UPDATE deliveries SET state = 'sent', message_id = ?, message_channel_id = ?, revision = ?, sent_at = ?, last_error = NULL WHERE id = ?");
  // A post rendered from an older revision than its story now has (corrected while it was
  // being sent) is queued for an edit as it is recorded (issue #15).
  const editIfStale = db.prepare(`
    INSERT INTO edits (delivery_id, revision, next_attempt_at)
    SELECT d.id, s.revision, @now FROM deliveries d JOIN stories s ON s.id = d.story_id
    WHERE d.id = @id AND d.message_id IS NOT NULL AND d.revision < s.revision
    ON CONFLICT (delivery_id) DO UPDATE SET revision = excluded.revision, state = 'pending', attempts = 0,
      next_attempt_at = excluded.next_attempt_at, last_error = NULL, done_at = NULL`);
  const retry = db.prepare("UPDATE deliveries SET state = 'pending', next_attempt_at = ?, last_error = ? WHERE id = ?");
  const finish = db.prepare('UPDATE deliveries SET state = ?, last_error = ? WHERE id = ?');
  const skipChannel = db.prepare("UPDATE deliveries SET state = 'skipped', last_error = ? WHERE channel_id = ? AND state IN ('pending', 'sending', 'queued')");
  const byStoryChannel = db.prepare<[number, string], Record<string, unknown>>('SELECT * FROM deliveries WHERE story_id = ? AND channel_id = ?');
  const byStory = db.prepare<[number], Record<string, unknown>>('SELECT * FROM deliveries WHERE story_id = ? ORDER BY channel_id');
  const sentSince = db.prepare<[string, number, string, number], number>(`
    SELECT (SELECT count(*) FROM deliveries WHERE channel_id = ? AND state = 'sent' AND sent_at >= ?)
         + (SELECT count(*) FROM digests WHERE channel_id = ? AND state = 'sent' AND sent_at >= ?)`).pluck();
  const openBurst = db.prepare<[string], number>("SELECT id FROM digests WHERE channel_id = ? AND kind = 'burst' AND state = 'pending' ORDER BY id LIMIT 1").pluck();
  const insertDigest = db.prepare(`
    INSERT INTO digests (channel_id, guild_id, kind, next_attempt_at, since, created_at) VALUES (?, ?, ?, ?, ?, ?)`);
  const attach = db.prepare("UPDATE deliveries SET state = 'digested', digest_id = ? WHERE id = ?");
  const dueDigests = db.prepare<[number, number], Record<string, unknown>>(
    "SELECT * FROM digests WHERE state IN ('pending', 'sending') AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?",
  );
  const nextDigest = db.prepare<[], number | null>("SELECT min(next_attempt_at) FROM digests WHERE state IN ('pending', 'sending')").pluck();
  const digestStories = db.prepare<[number], number>('SELECT story_id FROM deliveries WHERE digest_id = ? ORDER BY id').pluck();
  const beginDigest = db.prepare("UPDATE digests SET state = 'sending', attempts = attempts + 1 WHERE id = ?");
  const digestSent = db.prepare("UPDATE digests SET state = 'sent', message_ids = ?, sent_at = ?, last_error = NULL WHERE id = ?");
  const digestRetry = db.prepare("UPDATE digests SET state = 'pending', next_attempt_at = ?, last_error = ? WHERE id = ?");
  const digestFinish = db.prepare('UPDATE digests SET state = ?, last_error = ? WHERE id = ?');
  const queued = db.prepare<[string], Record<string, unknown>>("SELECT * FROM deliveries WHERE guild_id = ? AND state = 'queued' ORDER BY channel_id, id");

  const toDigest = (r: Record<string, unknown>): DigestItem => ({
    id: r.id as number,
    channelId: r.channel_id as string,
    guildId: r.guild_id as string,
    kind: r.kind as DigestItem['kind'],
    state: r.state as DigestItem['state'],
    attempts: r.attempts as number,
    nextAttemptAt: r.next_attempt_at as number,
    since: r.since as number | null,
    storyIds: digestStories.all(r.id as number),
    createdAt: r.created_at as number,
  });

  return {
    /** Queues a story for a channel; false when the channel already has it. */
    enqueue(d: { storyId: number; guildId: string; channelId: string; subscriptionId: number | null; mode: SubscriptionMode; state: 'pending' | 'queued' | 'skipped'; reason: string | null }, now: number): boolean {
      return insert.run({ ...d, now }).changes > 0;
    },
    /**
     * The distinct word lists (include, exclude) of the subscriptions that cover a story, to
     * judge before fanOut. The key joins the two JSON texts with a newline, which JSON text
     * never holds raw, as fanOut's SQL does.
     */
    wordListsFor: (storyId: number): WordLists[] =>
      worded.all(storyId).map((r) => ({ include: JSON.parse(r.include_words) as string[], exclude: JSON.parse(r.exclude_words) as string[], key: `${r.include_words}\n${r.exclude_words}` })),
    /**
     * Queues a story for every channel whose subscriptions cover it, in SQL; `accepted`
     * are the keys of the word lists that let it through. Returns how many
     * channels newly got it (a paused channel's 'skipped' row is not counted).
     */
    fanOut(storyId: number, accepted: readonly string[], now: number): number {
      const params = { storyId, accepted: JSON.stringify(accepted), now };
      fanOutPaused.run(params);
      return fanOutActive.run(params).changes;
    },
    due: (now: number, limit: number): OutboxItem[] => due.all(now, limit).map(toItem),
    nextDueAt: (): number | null => {
      const a = nextDue.get() ?? null;
      const b = nextDigest.get() ?? null;
      return a === null ? b : b === null ? a : Math.min(a, b);
    },
    begin: (id: number): boolean => begin.run(id).changes > 0,
    /**
     * The post went out. `post` says where its message lives (a forum post's thread) and which
     * revision of the story it showed; a story revised meanwhile gets the post queued for an edit.
     */
    markSent(id: number, messageId: string, now: number, post: { messageChannelId: string | null; revision: number } = { messageChannelId: null, revision: 0 }): void {
      db.transaction(() => {
        sent.run(messageId, post.messageChannelId, post.revision, now, id);
        if (post.revision >= 0) editIfStale.run({ id, now });
      })();
    },
    retryLater: (id: number, at: number, error: string): void => void retry.run(at, error, id),
    finish: (id: number, state: 'failed' | 'skipped', reason: string): void => void finish.run(state, reason, id),
    skipChannel: (channelId: string, reason: string): number => skipChannel.run(reason, channelId).changes,
    forStoryInChannel: (storyId: number, channelId: string): OutboxItem | null => {
      const r = byStoryChannel.get(storyId, channelId);
      return r ? toItem(r) : null;
    },
    forStory: (storyId: number): OutboxItem[] => byStory.all(storyId).map(toItem),
    /** Messages (posts and digests) a channel received since `since`: the burst cap counts these. */
    sentSince: (channelId: string, since: number): number => sentSince.get(channelId, since, channelId, since) ?? 0,
    /** Rolls a delivery into the channel's open burst digest, opening one when needed. */
    rollIntoBurst(item: OutboxItem, sendAt: number, now: number): number {
      let digestId = openBurst.get(item.channelId) ?? null;
      if (digestId === null) digestId = Number(insertDigest.run(item.channelId, item.guildId, 'burst', sendAt, null, now).lastInsertRowid);
      attach.run(digestId, item.id);
      return digestId;
    },
    /** A scheduled digest of the given queued deliveries. */
    createScheduledDigest(channelId: string, guildId: string, deliveryIds: readonly number[], since: number | null, now: number): number {
      const id = Number(insertDigest.run(channelId, guildId, 'scheduled', now, since, now).lastInsertRowid);
      for (const d of deliveryIds) attach.run(id, d);
      return id;
    },
    queuedForGuild: (guildId: string): OutboxItem[] => queued.all(guildId).map(toItem),
    dueDigests: (now: number, limit: number): DigestItem[] => dueDigests.all(now, limit).map(toDigest),
    beginDigest: (id: number): void => void beginDigest.run(id),
    digestSent: (id: number, messageIds: readonly string[], now: number): void => void digestSent.run(JSON.stringify(messageIds), now, id),
    digestRetry: (id: number, at: number, error: string): void => void digestRetry.run(at, error, id),
    digestFinish: (id: number, state: 'failed', reason: string): void => void digestFinish.run(state, reason, id),
    transaction: <T>(fn: () => T): T => db.transaction(fn)(),
  };
}
