// Database upkeep: merging the FTS segments, planner statistics, reclaiming space, and
// dropping articles past the retention age (their index rows go with them by trigger).
import type { Db } from '../database.js';
import { createSearchIndex } from './index-writer.js';

export type OptimizeStep = 'refresh' | 'merge-index' | 'merge-chars' | 'analyze' | 'vacuum';

export interface OptimizeProgress {
  readonly step: OptimizeStep;
  /** 1-based position of the step, out of `of`. */
  readonly index: number;
  readonly of: number;
  readonly phase: 'start' | 'done';
  /** Time the step took (on 'done'). */
  readonly ms?: number;
  /** Database size after the step (on 'done'). */
  readonly bytes?: number;
}

export interface OptimizeResult {
  readonly beforeBytes: number;
  readonly afterBytes: number;
  readonly ms: number;
}

const STEPS: readonly OptimizeStep[] = ['refresh', 'merge-index', 'merge-chars', 'analyze', 'vacuum'];

export function databaseBytes(db: Db): number {
  const pages = db.pragma('page_count', { simple: true }) as number;
  const size = db.pragma('page_size', { simple: true }) as number;
  return pages * size;
}

/**
 * Merges each FTS index into one segment (smaller and faster to read), refreshes the
 * planner statistics and rewrites the file. SQLite reports no progress inside a statement
 * in this build, so progress is per step. Needs free disk about the size of the database.
 */
export function optimize(db: Db, onProgress: (p: OptimizeProgress) => void = () => {}): OptimizeResult {
  const started = performance.now();
  const beforeBytes = databaseBytes(db);
  const writer = createSearchIndex(db);
  const run: Record<OptimizeStep, () => void> = {
    refresh: () => {
      while (writer.refreshStale(1000) > 0);
    },
    'merge-index': () => db.exec("INSERT INTO search_fts (search_fts) VALUES ('optimize')"),
    'merge-chars': () => db.exec("INSERT INTO search_chars (search_chars) VALUES ('optimize')"),
    analyze: () => db.exec('ANALYZE'),
    vacuum: () => {
      db.exec('VACUUM');
      // In WAL mode the rewritten pages sit in the log until a checkpoint moves them.
      db.pragma('wal_checkpoint(TRUNCATE)');
    },
  };
  STEPS.forEach((step, i) => {
    onProgress({ step, index: i + 1, of: STEPS.length, phase: 'start' });
    const t = performance.now();
    run[step]();
    onProgress({ step, index: i + 1, of: STEPS.length, phase: 'done', ms: performance.now() - t, bytes: databaseBytes(db) });
  });
  return { beforeBytes, afterBytes: databaseBytes(db), ms: performance.now() - started };
}

export interface RetentionResult {
  readonly articles: number;
  readonly stories: number;
  /** Stories left in place because other rows (deliveries, posts) still refer to them. */
  readonly storiesKept: number;
}

const BATCH = 500;

/**
 * Deletes articles whose time (publication, else first seen) is more than `olderThanMs`
 * before `now`, in short transactions so the bot keeps running; stories left without
 * articles go too when nothing else refers to them. `olderThanMs` ≤ 0 keeps everything.
 */
export function applyRetention(db: Db, olderThanMs: number, now: number = Date.now()): RetentionResult {
  if (!(olderThanMs > 0) || !Number.isFinite(olderThanMs)) return { articles: 0, stories: 0, storiesKept: 0 };
  const cutoff = now - olderThanMs;
  // Both branches use an index: articles_published, and stories_first_seen for undated items.
  const batch = db.prepare<{ cutoff: number; limit: number }, { id: number; story_id: number }>(`
    SELECT id, story_id FROM articles WHERE published_at < @cutoff
    UNION ALL
    SELECT a.id, a.story_id FROM stories s JOIN articles a ON a.story_id = s.id
    WHERE s.first_seen_at < @cutoff AND a.published_at IS NULL AND a.first_seen_at < @cutoff
    LIMIT @limit`);
  const deleteArticle = db.prepare('DELETE FROM articles WHERE id = ?');
  const orphan = db.prepare<[number], number>('SELECT 1 FROM articles WHERE story_id = ? LIMIT 1').pluck();
  const deleteStory = db.prepare('DELETE FROM stories WHERE id = ?');
  const repointPrimary = db.prepare(`
    UPDATE stories SET primary_article_id = (SELECT min(id) FROM articles WHERE story_id = stories.id)
    WHERE id = ? AND primary_article_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM articles WHERE id = stories.primary_article_id)`);
  let articles = 0;
  let stories = 0;
  let storiesKept = 0;
  for (;;) {
    const rows = batch.all({ cutoff, limit: BATCH });
    if (rows.length === 0) break;
    db.transaction(() => {
      for (const r of rows) articles += deleteArticle.run(r.id).changes;
      for (const storyId of new Set(rows.map((r) => r.story_id))) {
        if (orphan.get(storyId) !== undefined) {
          repointPrimary.run(storyId);
          continue;
        }
        try {
          // A savepoint per story: a foreign key from another table must not undo the batch.
          db.transaction(() => deleteStory.run(storyId))();
          stories++;
        } catch (err) {
          if ((err as { code?: string }).code !== 'SQLITE_CONSTRAINT_FOREIGNKEY') throw err;
          storiesKept++;
        }
      }
    })();
  }
  return { articles, stories, storiesKept };
}
