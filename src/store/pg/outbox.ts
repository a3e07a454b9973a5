// The outbox on Postgres: the statements of outbox-repo.ts, and a claim that lets any number of
// delivery workers share it. claim() locks due rows with FOR UPDATE SKIP LOCKED and moves each
// past its lease in the same statement, so two workers never get one row; a worker that dies
// mid-send leaves the row 'sending' and it is due again when the lease runs out (its nonce, made
// from the row, lets Discord drop the resend if the first attempt did post).
import { toItem } from '../outbox-repo.js';
import type { DeliverersPort, DigestItem, OutboxPort } from '../ports.js';
import type { Runner } from './sql.js';

// Who receives a story, as outbox-repo.ts plans it (see there for why): its regions with their
// ancestors, word lists judged by the router (`accepted`), and a story known only from servers'
// feeds going only to those servers.
const ORIGIN = `WITH origin(guild_only) AS (
    SELECT EXISTS (SELECT 1 FROM articles a JOIN feeds f ON f.id = a.feed_id WHERE a.story_id = @storyId AND f.origin = 'guild')
      AND NOT EXISTS (SELECT 1 FROM articles a JOIN feeds f ON f.id = a.feed_id WHERE a.story_id = @storyId AND f.origin = 'catalog'))`;
const TAKES = `r.story_id = @storyId
    AND ((s.include_words = '[]' AND s.exclude_words = '[]') OR s.include_words || chr(10) || s.exclude_words IN (SELECT json_array_elements_text(@accepted::json)))
    AND (NOT origin.guild_only OR EXISTS (SELECT 1 FROM articles a JOIN guild_feeds g ON g.feed_id = a.feed_id WHERE a.story_id = @storyId AND g.guild_id = s.guild_id))`;
const COLUMNS = 'INSERT INTO deliveries (story_id, guild_id, channel_id, subscription_id, mode, state, next_attempt_at, last_error, created_at)';
// Instant subscriptions first, so the UNIQUE (story_id, channel_id) conflict keeps each
// channel's first instant subscription, else its first one.
const FAN_OUT_ACTIVE = `${ORIGIN} ${COLUMNS}
  SELECT @storyId::bigint, s.guild_id, s.channel_id, s.id, s.mode, CASE WHEN s.mode = 'instant' THEN 'pending' ELSE 'queued' END, @now::bigint, NULL, @now::bigint
  FROM story_regions r JOIN subscriptions s ON s.region_code = r.code CROSS JOIN origin
  LEFT JOIN channel_state c ON c.channel_id = s.channel_id AND c.paused_at IS NOT NULL AND c.pause_reason <> ''
  WHERE c.channel_id IS NULL AND ${TAKES}
  ORDER BY s.mode <> 'instant', s.id
  ON CONFLICT (story_id, channel_id) DO NOTHING`;
// Paused channels: one 'skipped' row each with the reason, from the channel's first subscription.
const FAN_OUT_PAUSED = `${ORIGIN} ${COLUMNS}
  SELECT DISTINCT ON (s.channel_id) @storyId::bigint, s.guild_id, s.channel_id, s.id, s.mode, 'skipped', @now::bigint, 'channel paused: ' || c.pause_reason, @now::bigint
  FROM story_regions r JOIN subscriptions s ON s.region_code = r.code JOIN channel_state c ON c.channel_id = s.channel_id CROSS JOIN origin
  WHERE c.paused_at IS NOT NULL AND c.pause_reason <> '' AND ${TAKES}
  ORDER BY s.channel_id, s.id
  ON CONFLICT (story_id, channel_id) DO NOTHING`;
const EDIT_IF_STALE = `
  INSERT INTO edits (delivery_id, revision, next_attempt_at)
  SELECT d.id, s.revision, @now::bigint FROM deliveries d JOIN stories s ON s.id = d.story_id
  WHERE d.id = @id AND d.message_id IS NOT NULL AND d.revision < s.revision
  ON CONFLICT (delivery_id) DO UPDATE SET revision = excluded.revision, state = 'pending', attempts = 0,
    next_attempt_at = excluded.next_attempt_at, last_error = NULL, done_at = NULL`;
// A deliverer's share (ports.ts DeliveryShare) is the channels whose id hashes to its index:
// channel_share() is the same FNV-1a hash as the SQLite store's channelShare (migration 003).
const CLAIM = `
  WITH c AS (
    SELECT id, next_attempt_at AS due FROM deliveries
    WHERE state IN ('pending', 'sending') AND next_attempt_at <= @now
      AND (@count::int <= 1 OR channel_share(channel_id, @count::int) = @index::int)
    ORDER BY next_attempt_at, id LIMIT @limit FOR UPDATE SKIP LOCKED),
  u AS (
    UPDATE deliveries d SET state = 'sending', attempts = d.attempts + 1, next_attempt_at = @until
    FROM c WHERE d.id = c.id RETURNING d.*, c.due)
  SELECT * FROM u ORDER BY due, id`;

export function pgOutbox(db: Runner): OutboxPort {
  const toDigest = async (r: Record<string, unknown>): Promise<DigestItem> => ({
    id: r.id as number,
    channelId: r.channel_id as string,
    guildId: r.guild_id as string,
    kind: r.kind as DigestItem['kind'],
    state: r.state as DigestItem['state'],
    attempts: r.attempts as number,
    nextAttemptAt: r.next_attempt_at as number,
    since: r.since as number | null,
    storyIds: (await db.all<{ story_id: number }>('SELECT story_id FROM deliveries WHERE digest_id = ? ORDER BY id', [r.id])).map((x) => x.story_id),
    createdAt: r.created_at as number,
  });
  const insertDigest = async (r: Runner, channelId: string, guildId: string, kind: 'burst' | 'scheduled', at: number, since: number | null, now: number) =>
    (await r.get<{ id: number }>('INSERT INTO digests (channel_id, guild_id, kind, next_attempt_at, since, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id', [channelId, guildId, kind, at, since, now]))!.id;
  const attach = (r: Runner, digestId: number, deliveryId: number) => r.run("UPDATE deliveries SET state = 'digested', digest_id = ? WHERE id = ?", [digestId, deliveryId]);

  return {
    enqueue: async (d, now) =>
      (await db.run(
        `INSERT INTO deliveries (story_id, guild_id, channel_id, subscription_id, mode, state, next_attempt_at, last_error, created_at)
         VALUES (@storyId, @guildId, @channelId, @subscriptionId, @mode, @state, @now, @reason, @now)
         ON CONFLICT (story_id, channel_id) DO NOTHING`,
        { ...d, now },
      )) > 0,
    wordListsFor: async (storyId) =>
      (
        await db.all<{ include_words: string; exclude_words: string }>(
          `SELECT DISTINCT s.include_words, s.exclude_words FROM story_regions r JOIN subscriptions s ON s.region_code = r.code
           WHERE r.story_id = ? AND (s.include_words <> '[]' OR s.exclude_words <> '[]')`,
          [storyId],
        )
      ).map((r) => ({ include: JSON.parse(r.include_words) as string[], exclude: JSON.parse(r.exclude_words) as string[], key: `${r.include_words}\n${r.exclude_words}` })),
    fanOut: (storyId, accepted, now) =>
      db.atomic(async (tx) => {
        const params = { storyId, accepted: JSON.stringify(accepted), now };
        await tx.run(FAN_OUT_PAUSED, params);
        return tx.run(FAN_OUT_ACTIVE, params);
      }),
    due: async (now, limit) =>
      (await db.all<Record<string, unknown>>("SELECT * FROM deliveries WHERE state IN ('pending', 'sending') AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?", [now, limit])).map(toItem),
    claim: async (now, limit, leaseMs, share) =>
      (await db.all<Record<string, unknown>>(CLAIM, { now, limit, until: now + leaseMs, count: share?.count ?? 1, index: share?.index ?? 0 })).map(toItem),
    async nextDueAt() {
      const r = await db.get<{ a: number | null; b: number | null }>(
        `SELECT (SELECT min(next_attempt_at) FROM deliveries WHERE state IN ('pending', 'sending')) AS a,
                (SELECT min(next_attempt_at) FROM digests WHERE state IN ('pending', 'sending')) AS b`,
      );
      const a = r?.a ?? null;
      const b = r?.b ?? null;
      return a === null ? b : b === null ? a : Math.min(a, b);
    },
    begin: async (id) => (await db.run("UPDATE deliveries SET state = 'sending', attempts = attempts + 1 WHERE id = ? AND state IN ('pending', 'sending')", [id])) > 0,
    markSent: (id, messageId, now, post = { messageChannelId: null, revision: 0 }) =>
      db.atomic(async (tx) => {
        // The story row is locked first: a correction stored meanwhile by a poller (reviseStory,
        // which updates that row) is then either seen here, so this post is queued for an edit,
        // or it waits for this commit and queues the edit itself. Without the lock each would
        // miss the other (read committed) and the post would keep the old headline.
        await tx.run('SELECT 1 FROM stories s JOIN deliveries d ON d.story_id = s.id WHERE d.id = ? FOR SHARE OF s', [id]);
        await tx.run("UPDATE deliveries SET state = 'sent', message_id = ?, message_channel_id = ?, revision = ?, sent_at = ?, last_error = NULL WHERE id = ?", [
          messageId,
          post.messageChannelId,
          post.revision,
          now,
          id,
        ]);
        if (post.revision >= 0) await tx.run(EDIT_IF_STALE, { id, now });
      }),
    retryLater: async (id, at, error) => void (await db.run("UPDATE deliveries SET state = 'pending', next_attempt_at = ?, last_error = ? WHERE id = ?", [at, error, id])),
    finish: async (id, state, reason) => void (await db.run('UPDATE deliveries SET state = ?, last_error = ? WHERE id = ?', [state, reason, id])),
    skipChannel: (channelId, reason) => db.run("UPDATE deliveries SET state = 'skipped', last_error = ? WHERE channel_id = ? AND state IN ('pending', 'sending', 'queued')", [reason, channelId]),
    async forStoryInChannel(storyId, channelId) {
      const r = await db.get<Record<string, unknown>>('SELECT * FROM deliveries WHERE story_id = ? AND channel_id = ?', [storyId, channelId]);
      return r ? toItem(r) : null;
    },
    forStory: async (storyId) => (await db.all<Record<string, unknown>>('SELECT * FROM deliveries WHERE story_id = ? ORDER BY channel_id COLLATE "C"', [storyId])).map(toItem),
    sentSince: async (channelId, since) =>
      (
        await db.get<{ n: number }>(
          `SELECT (SELECT count(*) FROM deliveries WHERE channel_id = @channelId AND state = 'sent' AND sent_at >= @since)
                + (SELECT count(*) FROM digests WHERE channel_id = @channelId AND state = 'sent' AND sent_at >= @since) AS n`,
          { channelId, since },
        )
      )?.n ?? 0,
    rollIntoBurst: (item, sendAt, now) =>
      db.atomic(async (tx) => {
        // Two deliverers rolling into one channel at once open one burst between them.
        await tx.run('SELECT pg_advisory_xact_lock(hashtext(?))', [`burst:${item.channelId}`]);
        const open = await tx.get<{ id: number }>("SELECT id FROM digests WHERE channel_id = ? AND kind = 'burst' AND state = 'pending' ORDER BY id LIMIT 1", [item.channelId]);
        const digestId = open?.id ?? (await insertDigest(tx, item.channelId, item.guildId, 'burst', sendAt, null, now));
        await attach(tx, digestId, item.id);
        return digestId;
      }),
    createScheduledDigest: (channelId, guildId, deliveryIds, since, now) =>
      db.atomic(async (tx) => {
        const id = await insertDigest(tx, channelId, guildId, 'scheduled', now, since, now);
        if (deliveryIds.length) await tx.run("UPDATE deliveries SET state = 'digested', digest_id = ? WHERE id = ANY(?::bigint[])", [id, deliveryIds]);
        return id;
      }),
    queuedForGuild: async (guildId) =>
      (await db.all<Record<string, unknown>>("SELECT * FROM deliveries WHERE guild_id = ? AND state = 'queued' ORDER BY channel_id COLLATE \"C\", id", [guildId])).map(toItem),
    async dueDigests(now, limit) {
      const rows = await db.all<Record<string, unknown>>("SELECT * FROM digests WHERE state IN ('pending', 'sending') AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?", [now, limit]);
      const out: DigestItem[] = [];
      for (const r of rows) out.push(await toDigest(r));
      return out;
    },
    beginDigest: async (id) => void (await db.run("UPDATE digests SET state = 'sending', attempts = attempts + 1 WHERE id = ?", [id])),
    digestSent: async (id, messageIds, now) => void (await db.run("UPDATE digests SET state = 'sent', message_ids = ?, sent_at = ?, last_error = NULL WHERE id = ?", [JSON.stringify(messageIds), now, id])),
    digestRetry: async (id, at, error) => void (await db.run("UPDATE digests SET state = 'pending', next_attempt_at = ?, last_error = ? WHERE id = ?", [at, error, id])),
    digestFinish: async (id, state, reason) => void (await db.run('UPDATE digests SET state = ?, last_error = ? WHERE id = ?', [state, reason, id])),
  };
}

/**
 * The live deliverers, one row each, renewed by heartbeat. A share is the deliverer's place
 * among the live ids in byte order (as the SQLite store sorts them); rows past their time go
 * on every heartbeat, so a crashed deliverer's channels pass to the others once it lapses.
 */
export function pgDeliverers(db: Runner): DeliverersPort {
  return {
    heartbeat: (id, now, ttlMs) =>
      db.atomic(async (tx) => {
        await tx.run('INSERT INTO deliverers (id, until) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET until = excluded.until', [id, now + ttlMs]);
        await tx.run('DELETE FROM deliverers WHERE until <= ?', [now]);
        const ids = (await tx.all<{ id: string }>('SELECT id FROM deliverers ORDER BY id COLLATE "C"')).map((r) => r.id);
        return { index: ids.indexOf(id), count: ids.length };
      }),
    leave: async (id) => void (await db.run('DELETE FROM deliverers WHERE id = ?', [id])),
  };
}
