// What a search asks and answers: the shapes of the store's search port (store/ports.ts),
// which the SQLite engine (store/sqlite-search/query.ts) and the Postgres one
// (store/pg/search-engine.ts) both keep.
import type { Script } from './types.js';

export interface SearchRequest {
  readonly query: string;
  /** Region codes; a region includes its descendants (story_regions holds ancestors). */
  readonly regions?: readonly string[];
  readonly feedIds?: readonly string[];
  /** Epoch ms, inclusive, on the article's publication time (first-seen time when missing). */
  readonly since?: number;
  readonly until?: number;
  readonly sort?: 'newest' | 'relevance';
  readonly script?: Script;
  /** 1–25, default 5. */
  readonly limit?: number;
  readonly cursor?: string | null;
}

export interface SearchHit {
  readonly articleId: number;
  readonly storyId: number;
  readonly title: string;
  readonly url: string | null;
  readonly feedId: string;
  readonly feedName: string;
  readonly publishedAt: number | null;
  readonly firstSeenAt: number;
  readonly regions: string[];
  readonly snippet: string;
  readonly score?: number;
}

export type SearchError =
  | 'empty-query'
  | 'too-long'
  | 'no-terms'
  | 'too-many-terms' // more single characters or excluded words than QUERY_BOUNDS allows
  | 'too-broad' // nothing found in what one search may read: add a word, a region or a date
  | 'bad-region'
  | 'bad-feed'
  | 'bad-range'
  | 'bad-script'
  | 'bad-cursor';

export type SearchResponse =
  | {
      readonly ok: true;
      readonly items: SearchHit[];
      readonly nextCursor: string | null;
      readonly total?: number;
      /**
       * Set when the search stopped at its budget before walking its whole range: the
       * items are what it found, nextCursor (if any) goes on looking further back, and
       * `searchedBackTo` is the oldest article time it reached (ms).
       */
      readonly partial?: { readonly searchedBackTo: number };
    }
  | { readonly ok: false; readonly error: SearchError; readonly message: string };
