// What command handlers receive. Types only: the implementations are built in src/app and
// src/discord and passed in, so handlers are testable with real repositories and no Discord.
import type { RouteDecision } from '../src/delivery/route.js';
import type { createSearch } from '../src/search/query.js';
import type { ArticlesRepo } from '../src/store/articles-repo.js';
import type { FeedsRepo } from '../src/store/feeds-repo.js';
import type { OutboxRepo } from '../src/store/outbox-repo.js';
import type { LongSummaries } from '../src/presentation/summaries.js';
import type { SearchesRepo } from '../src/store/searches-repo.js';
import type { SubscriptionsRepo } from '../src/store/subscriptions-repo.js';
import type { Gazetteer } from '../src/text/gazetteer.js';
import type { FeedAdmin } from './feeds-admin.js';

export interface ChannelAccess {
  /** The channel exists in this guild and is a text or announcement channel. */
  readonly postable: boolean;
  readonly exists: boolean;
  /** Permissions the bot lacks there, by Discord's names (ViewChannel, SendMessages, EmbedLinks). */
  readonly missing: readonly string[];
}

export interface CommandDeps {
  readonly subscriptions: SubscriptionsRepo;
  readonly articles: ArticlesRepo;
  readonly feeds: FeedsRepo;
  readonly outbox: OutboxRepo;
  readonly search: ReturnType<typeof createSearch>;
  /** Searches behind /news result buttons, kept across restarts. */
  readonly searches: SearchesRepo;
  readonly decide: (storyId: number) => RouteDecision[];
  readonly gazetteer: Gazetteer;
  /** Longer summaries for a server's own summary length (the Summarizer port); without it, the stored one is cut. */
  readonly summaries?: LongSummaries;
  readonly channelAccess: (guildId: string, channelId: string) => Promise<ChannelAccess>;
  readonly now: () => number;
  readonly defaultTimeZone: string;
  /** How ingest spells a link (src/feeds/url.ts), so /why finds a story by any spelling of it. */
  readonly canonicalUrl: (raw: string) => string | null;
  /** Feeds servers add themselves (/feeds add, remove, list, export, import). */
  readonly feedAdmin?: FeedAdmin;
}
