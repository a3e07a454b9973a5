// Who a story may reach widens when a feed joins it: a story known only from feeds servers
// added goes only to those servers (outbox-repo fan-out, subscriptions-repo forStory), so
// when a catalog feed, or another server's feed, later carries it, it must be routed again.
import type { Db } from './database.js';

export type StoryAudienceRepo = ReturnType<typeof createStoryAudienceRepo>;

export function createStoryAudienceRepo(db: Db) {
  // Read before the joining article is stored. The story's audience is everyone unless it
  // has an article from a server's feed and none from the catalog; then it is the servers
  // whose feeds carried it. Widening: a catalog feed joins, or a feed of a server not yet
  // among them. Held stories (backlog, too old) are never routed, so never again either.
  const widens = db.prepare<{ storyId: number; feedId: string }, number>(`
    SELECT (SELECT postable FROM stories WHERE id = @storyId) = 1
      AND EXISTS (SELECT 1 FROM articles a JOIN feeds f ON f.id = a.feed_id WHERE a.story_id = @storyId AND f.origin = 'guild')
      AND NOT EXISTS (SELECT 1 FROM articles a JOIN feeds f ON f.id = a.feed_id WHERE a.story_id = @storyId AND f.origin = 'catalog')
      AND ((SELECT origin FROM feeds WHERE id = @feedId) = 'catalog'
        OR EXISTS (SELECT 1 FROM guild_feeds g WHERE g.feed_id = @feedId AND g.guild_id NOT IN (
          SELECT g2.guild_id FROM articles a JOIN guild_feeds g2 ON g2.feed_id = a.feed_id WHERE a.story_id = @storyId)))`).pluck();
  return {
    /** True when an article of `feedId` joining the story makes it reach servers it could not. */
    widens: (storyId: number, feedId: string): boolean => widens.get({ storyId, feedId }) === 1,
  };
}
