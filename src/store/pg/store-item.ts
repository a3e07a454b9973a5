// ArticlesPort.storeItem on Postgres: everything the ingest writes for one new item in one
// statement, so one round trip (each is a network turn, and a poll stores thousands of items).
// Data-modifying CTEs: the story when new (with its regions), the article, the story's primary
// source, the search row at the first free key (search-index.ts newDoc) and meta's shift.
//
// The CTEs of one statement share one snapshot and none sees another's rows, so a new story
// cannot be updated afterwards to point at its article: both ids are drawn from their
// sequences first and the story is inserted already pointing at its article. Foreign keys
// are checked at the end of the statement, when every row is there.
import type { RegionTag } from '../../domain/types.js';
import type { ArticlesPort, ItemToStore, NewArticle } from '../ports.js';
import type { PgQueryable } from './connection.js';
import { statementName, type AddParam, type PgSearchIndex } from './search-index.js';
import type { Runner } from './sql.js';

type Article = Omit<NewArticle, 'storyId'>;

/** The article's columns and their values (as insertArticle writes them), the story id as `storySql`. */
function articleInsert(a: Article, storySql: string, add: AddParam): { columns: string; values: string } {
  const breadcrumb = a.breadcrumb.length ? a.breadcrumb.join(' > ') : null;
  const values = [
    add(a.feedId, 'text'), storySql, add(a.itemKey, 'text'), add(a.guid, 'text'), add(a.url, 'text'), add(a.canonicalUrl, 'text'),
    add(a.title, 'text'), add(a.html, 'text'), add(a.text, 'text'), add(a.body, 'text'), add(a.author, 'text'), add(a.sourceOutlet, 'text'),
    add(breadcrumb, 'text'), add(a.publishedAt, 'bigint'), add(a.firstSeenAt, 'bigint'), add(a.script, 'text'), add(a.summary, 'text'), add(a.imageUrl ?? null, 'text'),
  ];
  const columns = 'feed_id, story_id, item_key, guid, url, canonical_url, title, html, text, body, author, source_outlet, breadcrumb, published_at, first_seen_at, script, summary, image_url';
  return { columns, values: values.join(', ') };
}

/** A code given twice keeps its highest confidence and first source (as addRegions). */
function distinctRegions(tags: readonly RegionTag[]): RegionTag[] {
  const byCode = new Map<string, RegionTag>();
  for (const t of tags) {
    const seen = byCode.get(t.code);
    byCode.set(t.code, seen ? { ...seen, confidence: Math.max(seen.confidence, t.confidence) } : t);
  }
  return [...byCode.values()];
}

interface Stored {
  story_id: number;
  article_id: number;
  doc: number | null;
  shift: string | null;
}

export function pgStoreItem(db: Runner, index: PgSearchIndex | null): ArticlesPort['storeItem'] {
  return async ({ story, article, indexedBody }: ItemToStore) => {
    if (!index) throw new Error('search index not wired into this store');
    const values: unknown[] = [];
    const add: AddParam = (v, type) => `$${values.push(v)}::${type}`;
    const facts = { title: article.title, body: indexedBody, feedId: article.feedId, publishedAt: article.publishedAt, firstSeenAt: article.firstSeenAt };
    // atomicQuery: in the caller's unit of work (after any write waiting there), else in a
    // transaction of its own, so a slow-path key search never leaves an article unindexed.
    return db.atomicQuery(async (q: PgQueryable) => {
      let text: string;
      if ('create' in story) {
        const s = story.create;
        const regions = distinctRegions(story.regions);
        const doc = index.newDoc({ ...facts, regionCodes: story.regions.map((r) => r.code) }, '(SELECT article_id FROM ids)', add);
        const art = articleInsert(article, 'story_id', add);
        text = `WITH ids AS MATERIALIZED (SELECT nextval(pg_get_serial_sequence('stories', 'id')) AS story_id, nextval(pg_get_serial_sequence('articles', 'id')) AS article_id),
          s AS (INSERT INTO stories (id, title_key, published_at, first_seen_at, postable, hold_reason, primary_article_id)
            SELECT story_id, ${add(s.titleKey, 'text')}, ${add(s.publishedAt, 'bigint')}, ${add(s.firstSeenAt, 'bigint')}, ${add(s.postable ? 1 : 0, 'integer')}, ${add(s.holdReason, 'text')}, article_id FROM ids),
          r AS (INSERT INTO story_regions (story_id, code, confidence, source)
            SELECT (SELECT story_id FROM ids), t.code, t.confidence, t.source
            FROM unnest(${add(regions.map((r) => r.code), 'text[]')}, ${add(regions.map((r) => r.confidence), 'float8[]')}, ${add(regions.map((r) => r.source), 'text[]')}) AS t(code, confidence, source)),
          a AS (INSERT INTO articles (id, ${art.columns}) SELECT article_id, ${art.values} FROM ids),
          ${doc.ctes}
          SELECT story_id, article_id, ${doc.select} FROM ids`;
        const row = await run(q, text, values);
        await doc.settle(q, row.article_id, row);
        return { storyId: row.story_id, articleId: row.article_id };
      }
      // A known story: its regions are its index facets, read first (the only extra turn).
      const codes = await q.query<{ codes: string | null }>({
        name: 'xiangxun_store_item_codes',
        text: "SELECT string_agg(code, ' ') AS codes FROM story_regions WHERE story_id = $1",
        values: [story.id],
      });
      const regionCodes = codes.rows[0]?.codes?.split(' ') ?? [];
      const storyId = add(story.id, 'bigint');
      const doc = index.newDoc({ ...facts, regionCodes }, '(SELECT id FROM a)', add);
      const art = articleInsert(article, storyId, add);
      // The first article of a story becomes its primary source (as insertArticle).
      text = `WITH a AS (INSERT INTO articles (${art.columns}) VALUES (${art.values}) RETURNING id, story_id),
          p AS (UPDATE stories SET primary_article_id = (SELECT id FROM a) WHERE id = (SELECT story_id FROM a) AND primary_article_id IS NULL),
          ${doc.ctes}
          SELECT story_id, id AS article_id, ${doc.select} FROM a`;
      const row = await run(q, text, values);
      await doc.settle(q, row.article_id, row);
      return { storyId: row.story_id, articleId: row.article_id };
    });
  };
}

async function run(q: PgQueryable, text: string, values: unknown[]): Promise<Stored> {
  const r = await q.query<Stored>({ name: statementName(text), text, values });
  return r.rows[0]!;
}
