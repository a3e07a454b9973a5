// Plain data shared by every layer. No behaviour lives here.

/** A script view of Chinese text. `original` means "as the source wrote it". */
export type Script = 'original' | 'cn' | 'tw' | 'twp' | 'hk';
export const SCRIPTS: readonly Script[] = ['original', 'cn', 'tw', 'twp', 'hk'];

/** What a text is written in, as detected. */
export type DetectedScript = 'traditional' | 'simplified' | 'mixed' | 'none';

export type RegionKind = 'province' | 'prefecture' | 'county';

/** One division of GB/T 2260 (province, prefecture, county level). */
export interface Region {
  readonly code: string; // six digits
  readonly name: string; // Simplified full name, e.g. 嘉兴市
  readonly nameTw: string; // Traditional (Taiwan glyphs) full name, e.g. 嘉興市
  readonly short: string | null; // e.g. 嘉兴; null when stripping the suffix leaves < 2 chars
  readonly parent: string | null; // code of the parent, null for a province
  readonly kind: RegionKind;
  /** Short name is a common word or duplicated elsewhere: only match with suffix or parent. */
  readonly risky: boolean;
  readonly aliases: readonly string[]; // extra Simplified names (no suffix forms)
}

export interface RegionsFile {
  readonly vintage: string; // where the data came from and its date
  readonly regions: readonly Region[];
}

export type FullTextMode = 'auto' | 'always' | 'never';

/** A feed as configured in FEEDS_FILE (after `{rsshub}` substitution). */
export interface FeedSource {
  readonly id: string;
  readonly name: string;
  readonly url: string;
  readonly region: string; // six-digit region code
  readonly intervalMinutes: number | null; // null: the adaptive schedule within the POLL_CRON budget
  readonly fullText: FullTextMode;
}

/** A region attached to a story, with where the evidence came from. */
export interface RegionTag {
  readonly code: string;
  readonly confidence: number; // 0..1
  readonly source: 'feed' | 'breadcrumb' | 'title' | 'body' | 'ancestor';
}

/** An item as it came out of a feed, before storage. */
export interface FeedItem {
  readonly guid: string | null;
  readonly link: string | null;
  readonly title: string;
  readonly html: string; // original item HTML (content:encoded, else description)
  readonly text: string; // html decoded and stripped to text
  readonly author: string | null;
  readonly publishedAt: number | null; // epoch ms
  readonly dateRaw: string | null;
  /** The item's enclosures and Media RSS entries, addresses absolute (feeds/feed-media.ts); absent when none. */
  readonly media?: readonly FeedMedia[];
}

/** A feed item's enclosure, media:content or media:thumbnail, as the feed declares it. */
export interface FeedMedia {
  readonly url: string;
  /** MIME type (enclosure type, media:content type). */
  readonly type?: string | null;
  /** media:content medium: image, video, audio… */
  readonly medium?: string | null;
  readonly width?: number | null;
  readonly height?: number | null;
  /** Declared size in bytes (enclosure length, media:content fileSize). */
  readonly length?: number | null;
  /** A thumbnail is a picture by definition, so it needs no declared type. */
  readonly kind?: 'enclosure' | 'content' | 'thumbnail';
}

export type SubscriptionMode = 'instant' | 'digest';

export interface Subscription {
  readonly id: number;
  readonly guildId: string;
  readonly channelId: string;
  readonly regionCode: string;
  readonly mode: SubscriptionMode;
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly createdBy: string;
  readonly pausedReason: string | null;
  /** How its posts go out in Discord (issue #15); a digest never pings. */
  readonly posting: PostingOptions;
}

export interface PostingOptions {
  /** A role to ping with each post; null: no ping. */
  readonly mentionRole: string | null;
  /** Ping only for stories holding one of these words (matched like include words); empty: every story. */
  readonly mentionWords: readonly string[];
  /** Open a discussion thread on each post (text and announcement channels). */
  readonly openThread: boolean;
  /** Publish each post to the channels that follow this announcement channel. */
  readonly crosspost: boolean;
}

export const DEFAULT_POSTING: PostingOptions = Object.freeze({ mentionRole: null, mentionWords: Object.freeze([]), openThread: false, crosspost: false });

export type DeliveryState = 'pending' | 'sending' | 'sent' | 'failed' | 'digested' | 'skipped';
