import type { DetectedScript, RegionTag } from '../domain/types.js';
import type { Db } from './database.js';

export interface NewArticle {
  readonly feedId: string;
  readonly storyId: number;
  readonly itemKey: string;
  readonly guid: string | null;
  readonly url: string | null;
  readonly canonicalUrl: string | null;
  readonly title: string;
  readonly html: string;
  readonly text: string;
  readonly body: string | null;
  readonly author: string | null;
  readonly sourceOutlet: string | null;
  readonly breadcrumb: readonly string[];
  readonly publishedAt: number | null;
  readonly firstSeenAt: number;
  readonly script: DetectedScript;
  readonly summary: string | null;
  /** The lead picture's address (text/lead-image.ts), checked at ingest; null when none. */
  readonly imageUrl?: string | null;
}

export interface NewStory {
  readonly titleKey: string;
  readonly publishedAt: number | null;
  readonly firstSeenAt: number;
  readonly postable: boolean;
  readonly holdReason: string | null;
}

export interface StoryCandidate {
  readonly id: number;
  readonly feedId: string | null; // feed of the first source
  readonly titleKey: string;
  readonly publishedAt: number | null;
  readonly firstSeenAt: number;
}

/** A stored story as it would be posted: the first source plus the others. */
export interface StoryView {
  readonly storyId: number;
  readonly articleId: number;
  readonly feedId: string;
  readonly feedName: string;
  readonly title: string;
  readonly url: string | null;
  readonly summary: string | null;
  readonly text: string;
  readonly body: string | null;
  readonly author: string | null;
  readonly sourceOutlet: string | null;
  readonly publishedAt: number | null;
  readonly firstSeenAt: number;
  readonly script: DetectedScript;
  readonly postable: boolean;
  readonly holdReason: string | null;
  readonly regions: readonly RegionTag[];
  readonly alsoReportedBy: readonly { feedId: string; feedName: string; url: string | null }[];
}

/** A story row (story + its first source + feed name) as both stores read it, with its regions and other sources. */
export function toStoryView(r: Record<string, unknown>, regions: readonly RegionTag[], alsoReportedBy: StoryView['alsoReportedBy']): StoryView {
  return {
    storyId: r.story_id as number,
    articleId: r.article_id as number,
    feedId: r.feed_id as string,
    feedName: r.feed_name as string,
    title: r.title as string,
    url: r.url as string | null,
    summary: r.summary as string | null,
    text: r.text as string,
    body: r.body as string | null,
    author: r.author as string | null,
    sourceOutlet: r.source_outlet as string | null,
    publishedAt: r.published_at as number | null,
    firstSeenAt: r.first_seen_at as number,
    script: r.script as DetectedScript,
    postable: r.postable === 1,
    holdReason: r.hold_reason as string | null,
    regions,
    alsoReportedBy,
  };
}

export type ArticlesRepo = ReturnType<typeof createArticlesRepo>;

export function createArticlesRepo(db: Db) {
  const hasItem = db.prepare<[string, string], { x: number }>('SELECT 1 AS x FROM articles WHERE feed_id = ? AND item_key = ?').pluck();
  const feedHasItems = db.prepare<[string], number>('SELECT 1 FROM articles WHERE feed_id = ? LIMIT 1').pluck();
  type StoredItemRow = { canonical_url: string | null; title: string; text: string };
  const underKey = db.prepare<[string, string], StoredItemRow>('SELECT canonical_url, title, text FROM articles WHERE feed_id = ? AND item_key = ? ORDER BY id LIMIT 20');
  const byCanonical = db.prepare<[string], number>('SELECT story_id FROM articles WHERE canonical_url = ? ORDER BY id LIMIT 1').pluck();
  type CandidateRow = { id: number; feed_id: string | null; title_key: string; published_at: number | null; first_seen_at: number };
  const candidateColumns = 'SELECT s.id, a.feed_id, s.title_key, s.published_at, s.first_seen_at FROM stories s LEFT JOIN articles a ON a.id = s.primary_article_id';
  const byTitleKey = db.prepare<[string], CandidateRow>(`${candidateColumns} WHERE s.title_key = ? ORDER BY s.id DESC LIMIT 20`);
  // A corrected story is also found by its corrected headline (story_title_keys, issue #15).
  // Asked apart: one OR over both made every ingest lookup sort (a fifth of ingest's CPU).
  const byCorrectedKey = db.prepare<[string], CandidateRow>(`${candidateColumns} JOIN story_title_keys k ON k.story_id = s.id WHERE k.title_key = ? ORDER BY s.id DESC LIMIT 20`);
  const recent = db.prepare<[number, number], CandidateRow>(`${candidateColumns} WHERE s.first_seen_at >= ? ORDER BY s.first_seen_at DESC LIMIT ?`);
  const toCandidate = (r: CandidateRow): StoryCandidate => ({ id: r.id, feedId: r.feed_id, titleKey: r.title_key, publishedAt: r.published_at, firstSeenAt: r.first_seen_at });
  // Positional parameters: binding 18 named ones from a copied object cost more than the insert.
  const insertStory = db.prepare('INSERT INTO stories (title_key, published_at, first_seen_at, postable, hold_reason) VALUES (?, ?, ?, ?, ?)');
  const insertArticle = db.prepare(`
    INSERT INTO articles (feed_id, story_id, item_key, guid, url, canonical_url, title, html, text, body, author,
      source_outlet, breadcrumb, published_at, first_seen_at, script, summary, image_url)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const setPrimary = db.prepare('UPDATE stories SET primary_article_id = ? WHERE id = ? AND primary_article_id IS NULL');
  const insertRegion = db.prepare(
    'INSERT INTO story_regions (story_id, code, confidence, source) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET confidence = max(confidence, excluded.confidence)',
  );
  // Articles of a story that are in the search index: their facets name the story's regions.
  const indexedOfStory = db.prepare<[number], number>('SELECT a.id FROM articles a JOIN search_docs d ON d.article_id = a.id WHERE a.story_id = ?').pluck();
  const markStale = db.prepare('INSERT OR IGNORE INTO search_stale (article_id) VALUES (?)');
  const storyRow = db.prepare<[number], Record<string, unknown>>(`
    SELECT s.id AS story_id, s.postable, s.hold_reason, a.id AS article_id, a.feed_id, f.name AS feed_name, a.title, a.url,
      a.summary, a.text, a.body, a.author, a.source_outlet, coalesce(a.published_at, s.published_at) AS published_at,
      s.first_seen_at, a.script
    FROM stories s JOIN articles a ON a.id = s.primary_article_id JOIN feeds f ON f.id = a.feed_id WHERE s.id = ?`);
  const regionsOf = db.prepare<[number], { code: string; confidence: number; source: RegionTag['source'] }>(
    'SELECT code, confidence, source FROM story_regions WHERE story_id = ? ORDER BY confidence DESC, code',
  );
  const others = db.prepare<[number], { feedId: string; feedName: string; url: string | null }>(`
    SELECT a.feed_id AS feedId, f.name AS feedName, a.url FROM articles a JOIN feeds f ON f.id = a.feed_id
    JOIN stories s ON s.id = a.story_id WHERE a.story_id = ? AND a.id <> s.primary_article_id ORDER BY a.id`);

  const matchText = db.prepare<[number], { title: string; summary: string | null; body: string | null; text: string }>(
    'SELECT a.title, a.summary, a.body, a.text FROM stories s JOIN articles a ON a.id = s.primary_article_id WHERE s.id = ?',
  );

  const latestInRegion = db.prepare<[string, number], number>(`
    SELECT s.id FROM story_regions r JOIN stories s ON s.id = r.story_id
    WHERE r.code = ? AND s.primary_article_id IS NOT NULL ORDER BY s.first_seen_at DESC, s.id DESC LIMIT ?`).pluck();
  const regionCount = db.prepare<[string, number], number>(`
    SELECT count(*) FROM story_regions r JOIN stories s ON s.id = r.story_id WHERE r.code = ? AND s.first_seen_at >= ?`).pluck();
  const byUrl = db.prepare<[string, string], number>('SELECT story_id FROM articles WHERE canonical_url = ? OR url = ? ORDER BY id LIMIT 1').pluck();

  /** insertArticle with the story given apart (the ingest's article has none yet: no copy made to add it). */
  function insertArticleOf(a: Omit<NewArticle, 'storyId'>, storyId: number): number {
    const breadcrumb = a.breadcrumb.length ? a.breadcrumb.join(' > ') : null;
    const id = Number(
      insertArticle.run(a.feedId, storyId, a.itemKey, a.guid, a.url, a.canonicalUrl, a.title, a.html, a.text, a.body, a.author,
        a.sourceOutlet, breadcrumb, a.publishedAt, a.firstSeenAt, a.script, a.summary, a.imageUrl ?? null).lastInsertRowid,
    );
    setPrimary.run(id, storyId);
    return id;
  }

  return {
    /** The newest stories of a region (descendants included: story_regions holds ancestors). */
    latestInRegion: (code: string, limit: number): number[] => latestInRegion.all(code, limit),
    /** How many stories each region had since `since`. */
    regionCounts: (codes: readonly string[], since: number): Map<string, number> => new Map(codes.map((c) => [c, regionCount.get(c, since) ?? 0])),
    /** The story an article link belongs to, by its canonical or raw URL. */
    storyByUrl: (canonical: string, raw: string): number | null => byUrl.get(canonical, raw) ?? null,
    /** Title, summary and text of a story's first source: what subscription keywords are matched against. */
    matchText(storyId: number): string {
      const r = matchText.get(storyId);
      return r ? `${r.title}\n${r.summary ?? ''}\n${r.body ?? r.text}` : '';
    },
    hasItem: (feedId: string, itemKey: string): boolean => hasItem.get(feedId, itemKey) !== undefined,
    /** Whether a feed has stored any item (a feed that has not needs no per-item dedupe look-up). */
    feedHasItems: (feedId: string): boolean => feedHasItems.get(feedId) !== undefined,
    /** The items a feed stored under one item key (a key a sibling may since have narrowed). */
    storedUnder: (feedId: string, itemKey: string): { canonicalUrl: string | null; title: string; text: string }[] =>
      underKey.all(feedId, itemKey).map((r) => ({ canonicalUrl: r.canonical_url, title: r.title, text: r.text })),
    storyByCanonicalUrl: (url: string): number | null => byCanonical.get(url) ?? null,
    storiesByTitleKey(key: string): StoryCandidate[] {
      const found = byTitleKey.all(key);
      for (const r of byCorrectedKey.all(key)) if (!found.some((f) => f.id === r.id)) found.push(r);
      return found.map(toCandidate);
    },
    recentStories: (since: number, limit: number): StoryCandidate[] => recent.all(since, limit).map(toCandidate),
    insertStory: (s: NewStory): number => Number(insertStory.run(s.titleKey, s.publishedAt, s.firstSeenAt, s.postable ? 1 : 0, s.holdReason).lastInsertRowid),
    /** Inserts an article; the first article of a story becomes its primary source. */
    insertArticle: (a: NewArticle): number => insertArticleOf(a, a.storyId),
    insertArticleOf,
    /**
     * Adds region tags to a story (a known code keeps its higher confidence). Articles of the
     * story already in the search index are marked stale, so their region facets are
     * refreshed (migration 011: this replaced a row trigger that cost a statement journal
     * per row). A story created in the caller's transaction (`newStory`) has none: no lookup.
     */
    addRegions(storyId: number, tags: readonly RegionTag[], opts: { newStory?: boolean } = {}): void {
      if (tags.length === 0) return;
      for (const t of tags) insertRegion.run(storyId, t.code, t.confidence, t.source);
      if (opts.newStory) return;
      for (const id of indexedOfStory.all(storyId)) markStale.run(id);
    },
    story(storyId: number): StoryView | null {
      const r = storyRow.get(storyId);
      if (!r) return null;
      return toStoryView(r, regionsOf.all(storyId), others.all(storyId));
    },
  };
}
