// Housekeeping on Postgres: retention as sqlite-search/maintenance.ts applies it on SQLite (the same
// articles and stories go), in short units of work so pollers and deliverers are never held up
// for long. The search index rows go with their articles (foreign keys); WAL checkpoints are
// the server's own business, the search index's pending entries are merged by checkpoint().
import type { Runner } from './sql.js';

// Articles deleted per unit of work.
const BATCH = 500;
const FOREIGN_KEY_VIOLATION = '23503';

export interface RetentionResult {
  readonly articles: number;
  readonly stories: number;
  readonly storiesKept: number;
}

export function pgMaintenance(db: Runner) {
  return {
    async applyRetention(olderThanMs: number, now: number): Promise<RetentionResult> {
      const done = { articles: 0, stories: 0, storiesKept: 0 };
      if (!(olderThanMs > 0) || !Number.isFinite(olderThanMs)) return done;
      const cutoff = now - olderThanMs;
      for (;;) {
        // Articles past the cutoff by their publication, or by when they were first seen when
        // undated (and their story too); both branches use an index.
        const rows = await db.all<{ id: number; story_id: number }>(
          `SELECT id, story_id FROM articles WHERE published_at < @cutoff
           UNION ALL
           SELECT a.id, a.story_id FROM stories s JOIN articles a ON a.story_id = s.id
           WHERE s.first_seen_at < @cutoff AND a.published_at IS NULL AND a.first_seen_at < @cutoff
           LIMIT @limit`,
          { cutoff, limit: BATCH },
        );
        if (rows.length === 0) return done;
        await db.atomic(async (tx) => {
          done.articles += await tx.run('DELETE FROM articles WHERE id = ANY(?::bigint[])', [rows.map((r) => r.id)]);
          for (const storyId of new Set(rows.map((r) => r.story_id))) {
            if (await tx.get('SELECT 1 AS x FROM articles WHERE story_id = ? LIMIT 1', [storyId])) {
              // The story lives on in its other sources: the first of them becomes its primary.
              await tx.run(
                `UPDATE stories SET primary_article_id = (SELECT min(id) FROM articles WHERE story_id = stories.id)
                 WHERE id = ? AND primary_article_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM articles WHERE id = stories.primary_article_id)`,
                [storyId],
              );
              continue;
            }
            // A savepoint per story: a row elsewhere that still refers to it keeps it, and must
            // not undo the batch.
            await tx.run('SAVEPOINT story');
            try {
              await tx.run('DELETE FROM stories WHERE id = ?', [storyId]);
              await tx.run('RELEASE SAVEPOINT story');
              done.stories++;
            } catch (err) {
              if ((err as { code?: unknown }).code !== FOREIGN_KEY_VIOLATION) throw err;
              await tx.run('ROLLBACK TO SAVEPOINT story');
              done.storiesKept++;
            }
          }
        });
      }
    },
    // New index entries wait in each GIN index's pending list (cheap to add to); every search
    // reads that list through, and the insert that finds it full merges it, a pause of up to a
    // second. Merging it here, off the write path (the job runs every minute), keeps it short.
    checkpoint: async (): Promise<void> =>
      void (await db.run("SELECT gin_clean_pending_list('search_docs_tokens'::regclass), gin_clean_pending_list('search_docs_terms'::regclass)")),
  };
}
