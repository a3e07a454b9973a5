// What command handlers receive. Types only: the implementations are built in src/app and
// src/discord and passed in, so handlers are testable with a real store and no Discord.
import type { RouteDecision } from '../src/delivery/route.js';
import type { LongSummaries } from '../src/presentation/summaries.js';
import type { ArticlesPort, FeedsPort, OutboxPort, SearchesPort, SearchPort, SettingsPort, SubscriptionsPort } from '../src/store/ports.js';
import type { Gazetteer } from '../src/text/gazetteer.js';
import type { FeedAdmin } from './feeds-admin.js';

export interface ChannelAccess {
  /** The channel exists in this guild and takes posts (text, announcement, forum or media). */
  readonly postable: boolean;
  readonly exists: boolean;
  /** Permissions the bot lacks there, by Discord's names (ViewChannel, SendMessages, EmbedLinks). */
  readonly missing: readonly string[];
  /** How the channel takes posts: forum and media channels get one post per story (issue #15). */
  readonly kind?: 'text' | 'announcement' | 'forum' | 'media' | 'other';
  /** A forum's tags, and whether a post must carry one (REQUIRE_TAG). */
  readonly tags?: readonly { id: string; name: string; moderated: boolean }[];
  readonly requiresTag?: boolean;
  /** The bot may apply moderated tags (Manage Threads). */
  readonly canApplyModerated?: boolean;
  /** The bot may open threads on its posts (Create Public Threads). */
  readonly canOpenThreads?: boolean;
}

/** Whether the bot may ping a role (issue #15): it exists, is not @everyone, and is mentionable or the bot may mention everyone. */
export interface RoleAccess {
  readonly exists: boolean;
  readonly everyone: boolean;
  readonly mentionable: boolean;
}

export interface CommandDeps {
  readonly subscriptions: SubscriptionsPort;
  /** Per-server settings (language, script, time zone, summary length, digest time). */
  readonly settings: SettingsPort;
  readonly articles: ArticlesPort;
  readonly feeds: FeedsPort;
  readonly outbox: OutboxPort;
  readonly search: SearchPort;
  /** Searches behind /news result buttons, kept across restarts. */
  readonly searches: SearchesPort;
  /** What routing would decide for each subscription (/why). */
  readonly decide: (storyId: number) => Promise<RouteDecision[]>;
  readonly gazetteer: Gazetteer;
  /** Longer summaries for a server's own summary length (the Summarizer port); without it, the stored one is cut. */
  readonly summaries?: LongSummaries;
  readonly channelAccess: (guildId: string, channelId: string) => Promise<ChannelAccess>;
  /** Role pings: whether the bot may mention a role. Without it, no role can be pinged. */
  readonly roleAccess?: (guildId: string, roleId: string) => Promise<RoleAccess>;
  readonly now: () => number;
  readonly defaultTimeZone: string;
  /** How ingest spells a link (src/feeds/url.ts), so /why finds a story by any spelling of it. */
  readonly canonicalUrl: (raw: string) => string | null;
  /** Feeds servers add themselves (/feeds add, remove, list, export, import). */
  readonly feedAdmin?: FeedAdmin;
}
