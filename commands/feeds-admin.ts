// What /feeds add, remove, list, export and import need from the bot: types only. The
// implementation (src/app/feed-admin.ts) fetches, checks and stores; handlers only talk.
import type { GuildFeed } from '../src/store/ports.js';

/** Why a URL cannot be added, each with its own answer to the moderator. */
export type FeedProblem =
  | 'not-http'
  | 'blocked'
  | 'too-large'
  | 'unreachable'
  | 'malformed-feed'
  | 'empty-feed'
  | 'no-feed'
  | 'article-page'
  | 'home-page'
  | 'bad-region'
  | 'no-region';

export interface FeedPreviewItem {
  readonly title: string;
  readonly url: string | null;
  readonly publishedAt: number | null;
  readonly summary: string;
}

export interface FeedPreview {
  readonly kind: 'feed' | 'list-page';
  readonly url: string;
  readonly title: string | null;
  readonly itemCount: number;
  /** The three newest items, as they would be posted. */
  readonly newest: readonly FeedPreviewItem[];
  /** For a list page: how sure the recogniser is (0..1). */
  readonly confidence: number | null;
}

export type AddFeedResult =
  | { readonly status: 'added' | 'exists'; readonly feed: GuildFeed; readonly preview: FeedPreview | null }
  | { readonly status: 'in-catalog'; readonly name: string }
  | { readonly status: 'limit'; readonly limit: number }
  | { readonly status: 'invalid'; readonly problem: FeedProblem; readonly detail: string };

export interface AddFeedRequest {
  readonly guildId: string;
  readonly url: string;
  /** A six-digit region code the caller has resolved. */
  readonly region: string;
  readonly name: string | null;
  readonly addedBy: string;
  /** Read the URL as a list page, without looking for a feed (an exported list page). */
  readonly listPage?: boolean;
  /** Fetch the URL alone, probing no announced feed or common path (an OPML entry's xmlUrl). */
  readonly exactUrl?: boolean;
}

/** `skipped`: not tried, because the server is full, too many entries failed or time ran out. */
export type ImportOutcome = 'added' | 'exists' | 'invalid' | 'skipped';

export interface ImportRow {
  readonly url: string;
  readonly name: string;
  readonly outcome: ImportOutcome;
  /**
   * Why it was not added: a problem, the catalog already has it, or why it was skipped (the
   * server is full, too many entries before it failed, the import ran out of time).
   */
  readonly reason: FeedProblem | 'in-catalog' | 'limit' | 'failures' | 'deadline' | null;
}

export type ImportResult =
  | { readonly status: 'ok'; readonly rows: readonly ImportRow[] }
  | { readonly status: 'invalid'; readonly problem: 'too-large' | 'too-many' | 'malformed' | 'empty'; readonly detail: string };

export interface FeedAdmin {
  readonly maxPerGuild: number;
  add(req: AddFeedRequest): Promise<AddFeedResult>;
  remove(guildId: string, feedId: string): Promise<GuildFeed | null>;
  list(guildId: string): Promise<GuildFeed[]>;
  exportOpml(guildId: string): Promise<string>;
  importOpml(text: string, opts: { readonly guildId: string; readonly region: string | null; readonly addedBy: string }): Promise<ImportResult>;
  /** Reads an uploaded file (a Discord attachment URL) within the fetcher's limits. */
  download(url: string): Promise<{ ok: true; text: string } | { ok: false; problem: FeedProblem; detail: string }>;
}
