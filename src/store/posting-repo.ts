// Corrections and pictures (issue #15). A story that changed materially gets the next
// revision; every post already made for it is queued once in `edits` (a later revision
// replaces a waiting one), and the edit is recorded as done only for the revision it carried.
// A post still being sent when the story changes is caught when the outbox records it
// (outbox-repo markSent): it showed the older revision, so it is queued for an edit too.
import type { Db } from './database.js';

export interface EditItem {
  readonly deliveryId: number;
  readonly revision: number;
  readonly attempts: number;
  readonly storyId: number;
  readonly guildId: string;
  readonly channelId: string;
  readonly subscriptionId: number | null;
  readonly messageId: string;
  /** The channel holding the message: a forum post's thread, else the channel itself. */
  readonly messageChannelId: string;
}

/** What a later poll compares an item with: the stored article it was first seen as. */
export interface KnownVersion {
  readonly articleId: number;
  readonly storyId: number;
  readonly title: string;
  readonly text: string;
  readonly body: string | null;
  /** The story's posts show this article (its first source). */
  readonly primary: boolean;
}

export interface ArticleRevision {
  readonly articleId: number;
  readonly title: string;
  readonly html: string;
  readonly text: string;
  readonly body: string | null;
  readonly summary: string | null;
}

/** An edit joined with its delivery, as both stores read it. */
export const toEdit = (r: Record<string, unknown>): EditItem => ({
  deliveryId: r.delivery_id as number,
  revision: r.revision as number,
  attempts: r.attempts as number,
  storyId: r.story_id as number,
  guildId: r.guild_id as string,
  channelId: r.channel_id as string,
  subscriptionId: r.subscription_id as number | null,
  messageId: r.message_id as string,
  messageChannelId: r.message_channel_id as string,
});

export type PostingRepo = ReturnType<typeof createPostingRepo>;

export function createPostingRepo(db: Db) {
  const bump = db.prepare('UPDATE stories SET revision = revision + 1, revised_at = ? WHERE id = ?');
  const revisionOf = db.prepare<[number], number>('SELECT revision FROM stories WHERE id = ?').pluck();
  const queueStory = db.prepare(`
    INSERT INTO edits (delivery_id, revision, next_attempt_at)
    SELECT d.id, s.revision, @now FROM deliveries d JOIN stories s ON s.id = d.story_id
    WHERE d.story_id = @storyId AND d.state = 'sent' AND d.message_id IS NOT NULL AND d.revision < s.revision
    ON CONFLICT (delivery_id) DO UPDATE SET revision = excluded.revision, state = 'pending', attempts = 0,
      next_attempt_at = excluded.next_attempt_at, last_error = NULL, done_at = NULL`);
  const due = db.prepare<[number, number], Record<string, unknown>>(`
    SELECT e.delivery_id, e.revision, e.attempts, d.story_id, d.guild_id, d.channel_id, d.subscription_id, d.message_id,
      coalesce(d.message_channel_id, d.channel_id) AS message_channel_id
    FROM edits e JOIN deliveries d ON d.id = e.delivery_id
    WHERE e.state IN ('pending', 'sending') AND e.next_attempt_at <= ? ORDER BY e.next_attempt_at, e.delivery_id LIMIT ?`);
  const nextDue = db.prepare<[], number | null>("SELECT min(next_attempt_at) FROM edits WHERE state IN ('pending', 'sending')").pluck();
  const begin = db.prepare("UPDATE edits SET state = 'sending', attempts = attempts + 1 WHERE delivery_id = ? AND revision = ? AND state IN ('pending', 'sending')");
  // Done only for the revision that went out: a newer one queued meanwhile stays pending.
  const done = db.prepare("UPDATE edits SET state = 'done', done_at = ?, last_error = NULL WHERE delivery_id = ? AND revision = ?");
  const deliveryRevision = db.prepare('UPDATE deliveries SET revision = max(revision, ?) WHERE id = ?');
  const retry = db.prepare("UPDATE edits SET state = 'pending', next_attempt_at = ?, last_error = ? WHERE delivery_id = ? AND revision = ?");
  const finish = db.prepare('UPDATE edits SET state = ?, last_error = ?, done_at = ? WHERE delivery_id = ? AND revision = ?');
  const skipChannel = db.prepare(`UPDATE edits SET state = 'skipped', last_error = ? WHERE state IN ('pending', 'sending')
    AND delivery_id IN (SELECT id FROM deliveries WHERE channel_id = ?)`);
  const setImage = db.prepare('UPDATE articles SET image_url = ? WHERE id = ?');
  const known = db.prepare<[string, string], { id: number; story_id: number; title: string; text: string; body: string | null; is_primary: number }>(
    'SELECT a.id, a.story_id, a.title, a.text, a.body, s.primary_article_id = a.id AS is_primary FROM articles a JOIN stories s ON s.id = a.story_id WHERE a.feed_id = ? AND a.item_key = ?',
  );
  // The summary is kept when the new one could not be made (null): a post never loses its text.
  const revise = db.prepare('UPDATE articles SET title = @title, html = @html, text = @text, body = coalesce(@body, body), summary = coalesce(@summary, summary) WHERE id = @articleId');
  const facts = db.prepare<[number], { revision: number; revised_at: number | null; image_url: string | null }>(
    'SELECT s.revision, s.revised_at, a.image_url FROM stories s LEFT JOIN articles a ON a.id = s.primary_article_id WHERE s.id = ?',
  );
  const addKey = db.prepare('INSERT OR IGNORE INTO story_title_keys (title_key, story_id) VALUES (?, ?)');
  const stateCounts = db.prepare<[], { state: string; n: number }>('SELECT state, count(*) AS n FROM edits GROUP BY state');


  return {
    /** The story changed materially: next revision, and an edit queued for each post made. Returns the edits queued. */
    reviseStory(storyId: number, now: number): number {
      return db.transaction(() => {
        if (bump.run(now, storyId).changes === 0) return 0;
        return queueStory.run({ storyId, now }).changes;
      })();
    },
    revision: (storyId: number): number => revisionOf.get(storyId) ?? 0,
    dueEdits: (now: number, limit: number): EditItem[] => due.all(now, limit).map(toEdit),
    nextEditAt: (): number | null => nextDue.get() ?? null,
    beginEdit: (e: EditItem): boolean => begin.run(e.deliveryId, e.revision).changes > 0,
    editDone(e: EditItem, now: number): void {
      db.transaction(() => {
        done.run(now, e.deliveryId, e.revision);
        deliveryRevision.run(e.revision, e.deliveryId);
      })();
    },
    editRetry: (e: EditItem, at: number, error: string): void => void retry.run(at, error, e.deliveryId, e.revision),
    /** Left alone: the message was deleted, the thread archived, the channel paused, or Discord refused for good. */
    editFinish: (e: EditItem, state: 'skipped' | 'failed', reason: string, now: number): void => void finish.run(state, reason, now, e.deliveryId, e.revision),
    skipChannelEdits: (channelId: string, reason: string): number => skipChannel.run(reason, channelId).changes,
    knownVersion(feedId: string, itemKey: string): KnownVersion | null {
      const r = known.get(feedId, itemKey);
      return r ? { articleId: r.id, storyId: r.story_id, title: r.title, text: r.text, body: r.body, primary: r.is_primary === 1 } : null;
    },
    /** A corrected headline's key finds the story too (a late copy with the new headline joins it). */
    addTitleKey: (storyId: number, titleKey: string): void => void addKey.run(titleKey, storyId),
    /** Stores the corrected article; the caller revises its story in the same transaction. */
    reviseArticle: (a: ArticleRevision): void => void revise.run(a),
    transaction: <T>(fn: () => T): T => db.transaction(fn)(),
    setArticleImage: (articleId: number, url: string | null): void => void setImage.run(url, articleId),
    /** What a post of the story shows besides the story: its picture, and whether and when it was corrected. */
    postFacts(storyId: number): { revision: number; revisedAt: number | null; image: string | null } {
      const r = facts.get(storyId);
      return { revision: r?.revision ?? 0, revisedAt: r?.revised_at ?? null, image: r?.image_url ?? null };
    },
    editCounts: (): Record<string, number> => Object.fromEntries(stateCounts.all().map((r) => [r.state, r.n])),
  };
}
