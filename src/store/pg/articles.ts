// Articles, stories, corrections and story audiences on Postgres: the statements of
// articles-repo.ts, posting-repo.ts and story-audience.ts. Aliases in camelCase are quoted
// (Postgres folds unquoted names to lower case), and text is ordered with COLLATE "C".
import type { RegionTag } from '../../domain/types.js';
import { toStoryView } from '../articles-repo.js';
import { toEdit } from '../posting-repo.js';
import type { ArticlesPort, PostingPort, StoryAudiencePort, StoryCandidate } from '../ports.js';
import type { Runner } from './sql.js';

type CandidateRow = { id: number; feed_id: string | null; title_key: string; published_at: number | null; first_seen_at: number };
const CANDIDATE = 'SELECT s.id, a.feed_id, s.title_key, s.published_at, s.first_seen_at FROM stories s LEFT JOIN articles a ON a.id = s.primary_article_id';
const toCandidate = (r: CandidateRow): StoryCandidate => ({ id: r.id, feedId: r.feed_id, titleKey: r.title_key, publishedAt: r.published_at, firstSeenAt: r.first_seen_at });

type RegionRows = {
  readonly storyId: number;
  readonly codes: string[];
  readonly confidences: number[];
  readonly sources: string[];
};

// One statement for every tag; a code given twice keeps its highest confidence and first source.
const REGIONS_INSERT = `INSERT INTO story_regions (story_id, code, confidence, source)
  SELECT @storyId::bigint, t.code, max(t.confidence), (array_agg(t.source ORDER BY t.n))[1]
  FROM unnest(@codes::text[], @confidences::float8[], @sources::text[]) WITH ORDINALITY AS t(code, confidence, source, n) GROUP BY t.code
  ON CONFLICT (story_id, code) DO UPDATE SET confidence = GREATEST(story_regions.confidence, excluded.confidence)`;

export function pgArticles(db: Runner): Omit<ArticlesPort, 'storeItem'> {
  return {
    latestInRegion: async (code, limit) =>
      (
        await db.all<{ id: number }>(
          `SELECT s.id FROM story_regions r JOIN stories s ON s.id = r.story_id
           WHERE r.code = ? AND s.primary_article_id IS NOT NULL ORDER BY s.first_seen_at DESC, s.id DESC LIMIT ?`,
          [code, limit],
        )
      ).map((r) => r.id),
    async regionCounts(codes, since) {
      const rows = await db.all<{ code: string; n: number }>(
        `SELECT r.code, count(*) AS n FROM story_regions r JOIN stories s ON s.id = r.story_id
         WHERE r.code = ANY(?::text[]) AND s.first_seen_at >= ? GROUP BY r.code`,
        [codes, since],
      );
      const found = new Map(rows.map((r) => [r.code, r.n]));
      return new Map(codes.map((c) => [c, found.get(c) ?? 0]));
    },
    storyByUrl: async (canonical, raw) =>
      (await db.get<{ story_id: number }>('SELECT story_id FROM articles WHERE canonical_url = ? OR url = ? ORDER BY id LIMIT 1', [canonical, raw]))?.story_id ?? null,
    async matchText(storyId) {
      const r = await db.get<{ title: string; summary: string | null; body: string | null; text: string }>(
        'SELECT a.title, a.summary, a.body, a.text FROM stories s JOIN articles a ON a.id = s.primary_article_id WHERE s.id = ?',
        [storyId],
      );
      return r ? `${r.title}\n${r.summary ?? ''}\n${r.body ?? r.text}` : '';
    },
    hasItem: async (feedId, itemKey) => (await db.get('SELECT 1 AS x FROM articles WHERE feed_id = ? AND item_key = ?', [feedId, itemKey])) !== undefined,
    feedHasItems: async (feedId) => (await db.get('SELECT 1 AS x FROM articles WHERE feed_id = ? LIMIT 1', [feedId])) !== undefined,
    storedUnder: async (feedId, itemKey) =>
      (
        await db.all<{ canonical_url: string | null; title: string; text: string }>(
          'SELECT canonical_url, title, text FROM articles WHERE feed_id = ? AND item_key = ? ORDER BY id LIMIT 20',
          [feedId, itemKey],
        )
      ).map((r) => ({ canonicalUrl: r.canonical_url, title: r.title, text: r.text })),
    storyByCanonicalUrl: async (url) => (await db.get<{ story_id: number }>('SELECT story_id FROM articles WHERE canonical_url = ? ORDER BY id LIMIT 1', [url]))?.story_id ?? null,
    async storiesByTitleKey(key) {
      const found = await db.all<CandidateRow>(`${CANDIDATE} WHERE s.title_key = ? ORDER BY s.id DESC LIMIT 20`, [key]);
      const corrected = await db.all<CandidateRow>(`${CANDIDATE} JOIN story_title_keys k ON k.story_id = s.id WHERE k.title_key = ? ORDER BY s.id DESC LIMIT 20`, [key]);
      for (const r of corrected) if (!found.some((f) => f.id === r.id)) found.push(r);
      return found.map(toCandidate);
    },
    recentStories: async (since, limit) => (await db.all<CandidateRow>(`${CANDIDATE} WHERE s.first_seen_at >= ? ORDER BY s.first_seen_at DESC LIMIT ?`, [since, limit])).map(toCandidate),
    insertStory: async (s) =>
      (await db.get<{ id: number }>('INSERT INTO stories (title_key, published_at, first_seen_at, postable, hold_reason) VALUES (?, ?, ?, ?, ?) RETURNING id', [
        s.titleKey,
        s.publishedAt,
        s.firstSeenAt,
        s.postable ? 1 : 0,
        s.holdReason,
      ]))!.id,
    async insertArticle(a) {
      const breadcrumb = a.breadcrumb.length ? a.breadcrumb.join(' > ') : null;
      // One round trip: the article, the story's primary source if it has none yet, and the
      // regions of its new story when they wait for it (addRegions).
      const regions = db.take<RegionRows>('new-story-regions', (d) => d.storyId === a.storyId);
      const r = await db.get<{ id: number }>(
        `WITH ${regions ? `r AS (${REGIONS_INSERT.replaceAll('@storyId', '?').replace('@codes', '?').replace('@confidences', '?').replace('@sources', '?')}), ` : ''}a AS (
           INSERT INTO articles (feed_id, story_id, item_key, guid, url, canonical_url, title, html, text, body, author,
             source_outlet, breadcrumb, published_at, first_seen_at, script, summary, image_url)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id, story_id),
         p AS (UPDATE stories SET primary_article_id = (SELECT id FROM a) WHERE id = (SELECT story_id FROM a) AND primary_article_id IS NULL)
         SELECT id FROM a`,
        [
          ...(regions ? [regions.storyId, regions.codes, regions.confidences, regions.sources] : []),
          ...[a.feedId, a.storyId, a.itemKey, a.guid, a.url, a.canonicalUrl, a.title, a.html, a.text, a.body, a.author, a.sourceOutlet, breadcrumb],
          ...[a.publishedAt, a.firstSeenAt, a.script, a.summary, a.imageUrl ?? null],
        ],
      );
      return r!.id;
    },
    async addRegions(storyId, tags, opts = {}) {
      if (tags.length === 0) return;
      // The story's indexed articles are marked stale in the same round trip, so their
      // region facets are refreshed; a story made in this unit of work has none to mark.
      const params: RegionRows = { storyId, codes: tags.map((t) => t.code), confidences: tags.map((t) => t.confidence), sources: tags.map((t) => t.source) };
      const insert = REGIONS_INSERT;
      // A new story's regions ride with its first article's insert, which follows (one round trip fewer).
      if (opts.newStory) return db.defer('new-story-regions', params, () => db.run(insert, params));
      await db.run(
        `WITH tagged AS (${insert} RETURNING 1)
         INSERT INTO search_stale (article_id)
         SELECT a.id FROM articles a JOIN search_docs d ON d.article_id = a.id WHERE a.story_id = @storyId::bigint AND EXISTS (SELECT 1 FROM tagged)
         ON CONFLICT DO NOTHING`,
        params,
      );
    },
    async story(storyId) {
      const r = await db.get<Record<string, unknown>>(
        `SELECT s.id AS story_id, s.postable, s.hold_reason, a.id AS article_id, a.feed_id, f.name AS feed_name, a.title, a.url,
          a.summary, a.text, a.body, a.author, a.source_outlet, coalesce(a.published_at, s.published_at) AS published_at,
          s.first_seen_at, a.script
         FROM stories s JOIN articles a ON a.id = s.primary_article_id JOIN feeds f ON f.id = a.feed_id WHERE s.id = ?`,
        [storyId],
      );
      if (!r) return null;
      const regions = await db.all<RegionTag>('SELECT code, confidence, source FROM story_regions WHERE story_id = ? ORDER BY confidence DESC, code COLLATE "C"', [storyId]);
      const alsoReportedBy = await db.all<{ feedId: string; feedName: string; url: string | null }>(
        `SELECT a.feed_id AS "feedId", f.name AS "feedName", a.url FROM articles a JOIN feeds f ON f.id = a.feed_id
         JOIN stories s ON s.id = a.story_id WHERE a.story_id = ? AND a.id <> s.primary_article_id ORDER BY a.id`,
        [storyId],
      );
      return toStoryView(r, regions, alsoReportedBy);
    },
  };
}


export function pgPosting(db: Runner): PostingPort {
  return {
    reviseStory: (storyId, now) =>
      db.atomic(async (tx) => {
        if ((await tx.run('UPDATE stories SET revision = revision + 1, revised_at = ? WHERE id = ?', [now, storyId])) === 0) return 0;
        return tx.run(
          `INSERT INTO edits (delivery_id, revision, next_attempt_at)
           SELECT d.id, s.revision, @now::bigint FROM deliveries d JOIN stories s ON s.id = d.story_id
           WHERE d.story_id = @storyId AND d.state = 'sent' AND d.message_id IS NOT NULL AND d.revision < s.revision
           ON CONFLICT (delivery_id) DO UPDATE SET revision = excluded.revision, state = 'pending', attempts = 0,
             next_attempt_at = excluded.next_attempt_at, last_error = NULL, done_at = NULL`,
          { storyId, now },
        );
      }),
    revision: async (storyId) => (await db.get<{ revision: number }>('SELECT revision FROM stories WHERE id = ?', [storyId]))?.revision ?? 0,
    dueEdits: async (now, limit) =>
      (
        await db.all<Record<string, unknown>>(
          `SELECT e.delivery_id, e.revision, e.attempts, d.story_id, d.guild_id, d.channel_id, d.subscription_id, d.message_id,
            coalesce(d.message_channel_id, d.channel_id) AS message_channel_id
           FROM edits e JOIN deliveries d ON d.id = e.delivery_id
           WHERE e.state IN ('pending', 'sending') AND e.next_attempt_at <= ? ORDER BY e.next_attempt_at, e.delivery_id LIMIT ?`,
          [now, limit],
        )
      ).map(toEdit),
    nextEditAt: async () => (await db.get<{ at: number | null }>("SELECT min(next_attempt_at) AS at FROM edits WHERE state IN ('pending', 'sending')"))?.at ?? null,
    beginEdit: async (e) =>
      (await db.run("UPDATE edits SET state = 'sending', attempts = attempts + 1 WHERE delivery_id = ? AND revision = ? AND state IN ('pending', 'sending')", [e.deliveryId, e.revision])) > 0,
    editDone: (e, now) =>
      db.atomic(async (tx) => {
        await tx.run("UPDATE edits SET state = 'done', done_at = ?, last_error = NULL WHERE delivery_id = ? AND revision = ?", [now, e.deliveryId, e.revision]);
        await tx.run('UPDATE deliveries SET revision = GREATEST(revision, ?) WHERE id = ?', [e.revision, e.deliveryId]);
      }),
    editRetry: async (e, at, error) =>
      void (await db.run("UPDATE edits SET state = 'pending', next_attempt_at = ?, last_error = ? WHERE delivery_id = ? AND revision = ?", [at, error, e.deliveryId, e.revision])),
    editFinish: async (e, state, reason, now) =>
      void (await db.run('UPDATE edits SET state = ?, last_error = ?, done_at = ? WHERE delivery_id = ? AND revision = ?', [state, reason, now, e.deliveryId, e.revision])),
    skipChannelEdits: (channelId, reason) =>
      db.run(
        `UPDATE edits SET state = 'skipped', last_error = ? WHERE state IN ('pending', 'sending')
         AND delivery_id IN (SELECT id FROM deliveries WHERE channel_id = ?)`,
        [reason, channelId],
      ),
    async knownVersion(feedId, itemKey) {
      const r = await db.get<{ id: number; story_id: number; title: string; text: string; body: string | null; is_primary: boolean | null }>(
        'SELECT a.id, a.story_id, a.title, a.text, a.body, s.primary_article_id = a.id AS is_primary FROM articles a JOIN stories s ON s.id = a.story_id WHERE a.feed_id = ? AND a.item_key = ?',
        [feedId, itemKey],
      );
      return r ? { articleId: r.id, storyId: r.story_id, title: r.title, text: r.text, body: r.body, primary: r.is_primary === true } : null;
    },
    addTitleKey: async (storyId, titleKey) => void (await db.run('INSERT INTO story_title_keys (title_key, story_id) VALUES (?, ?) ON CONFLICT DO NOTHING', [titleKey, storyId])),
    reviseArticle: async (a) =>
      void (await db.run('UPDATE articles SET title = @title, html = @html, text = @text, body = coalesce(@body, body), summary = coalesce(@summary, summary) WHERE id = @articleId', {
        ...a,
      })),
    setArticleImage: async (articleId, url) => void (await db.run('UPDATE articles SET image_url = ? WHERE id = ?', [url, articleId])),
    async postFacts(storyId) {
      const r = await db.get<{ revision: number; revised_at: number | null; image_url: string | null }>(
        'SELECT s.revision, s.revised_at, a.image_url FROM stories s LEFT JOIN articles a ON a.id = s.primary_article_id WHERE s.id = ?',
        [storyId],
      );
      return { revision: r?.revision ?? 0, revisedAt: r?.revised_at ?? null, image: r?.image_url ?? null };
    },
    editCounts: async () => Object.fromEntries((await db.all<{ state: string; n: number }>('SELECT state, count(*) AS n FROM edits GROUP BY state')).map((r) => [r.state, r.n])),
  };
}

export function pgAudience(db: Runner): StoryAudiencePort {
  return {
    widens: async (storyId, feedId) =>
      (
        await db.get<{ w: boolean | null }>(
          `SELECT (SELECT postable FROM stories WHERE id = @storyId) = 1
            AND EXISTS (SELECT 1 FROM articles a JOIN feeds f ON f.id = a.feed_id WHERE a.story_id = @storyId AND f.origin = 'guild')
            AND NOT EXISTS (SELECT 1 FROM articles a JOIN feeds f ON f.id = a.feed_id WHERE a.story_id = @storyId AND f.origin = 'catalog')
            AND ((SELECT origin FROM feeds WHERE id = @feedId) = 'catalog'
              OR EXISTS (SELECT 1 FROM guild_feeds g WHERE g.feed_id = @feedId AND g.guild_id NOT IN (
                SELECT g2.guild_id FROM articles a JOIN guild_feeds g2 ON g2.feed_id = a.feed_id WHERE a.story_id = @storyId))) AS w`,
          { storyId, feedId },
        )
      )?.w === true,
  };
}
