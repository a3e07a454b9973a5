// Shapes shared by the fake Discord's modules and the tests that drive it.

export type JsonObject = Record<string, unknown>;

export interface UserSeed {
  id: string;
  username: string;
  globalName?: string;
  bot?: boolean;
}

export interface RoleSeed {
  id: string;
  name: string;
  /** Permission bit set; a decimal string is accepted as Discord sends it. */
  permissions: bigint | string;
  position?: number;
  managed?: boolean;
  /** Whether anyone may @mention it; Discord's default for a new role is false. */
  mentionable?: boolean;
}

export interface MemberSeed {
  user: UserSeed;
  roles: string[];
  nick?: string;
}

export interface OverwriteSeed {
  /** A role id (the guild id for @everyone) or a user id. */
  id: string;
  type: 'role' | 'member';
  allow?: bigint;
  deny?: bigint;
}

/** A forum or media channel's tag (`available_tags`). */
export interface TagSeed {
  id: string;
  /** 0–20 characters. */
  name: string;
  /** Only members with Manage Threads may apply it. */
  moderated?: boolean;
  emojiId?: string | null;
  emojiName?: string | null;
}

/** Channel types the fake knows: text, announcement, forum, media. */
export type GuildChannelType = 0 | 5 | 15 | 16;

export interface ChannelSeed {
  id: string;
  name: string;
  /** 0 = text, 5 = announcement, 15 = forum, 16 = media. */
  type?: GuildChannelType;
  topic?: string;
  overwrites?: OverwriteSeed[];
  /** Forum and media channels: the tags posts may carry. */
  tags?: TagSeed[];
  /** Channel flags; for forums REQUIRE_TAG = 1 << 4 (ChannelFlag.RequireTag). */
  flags?: number;
  /** Minutes: 60, 1440, 4320 or 10080 (default 4320 for forums, 1440 otherwise). */
  defaultAutoArchiveDuration?: 60 | 1440 | 4320 | 10080;
}

/** Channel flag bits used by the fake. */
export const ChannelFlag = { Pinned: 1 << 1, RequireTag: 1 << 4 } as const;

/** Message flag bits used by the fake. */
export const MessageFlag = { Crossposted: 1 << 0, IsCrosspost: 1 << 1, SuppressEmbeds: 1 << 2, HasThread: 1 << 5, Ephemeral: 1 << 6, SuppressNotifications: 1 << 12 } as const;

/**
 * A thread the bot opened: a forum/media post (type 11 under a forum, its starter message
 * inside the thread with the thread's id) or a thread started from a message (type 11 or 10
 * under a text or announcement channel, with the message's id).
 */
export interface ThreadRecord {
  id: string;
  guildId: string;
  parentId: string;
  /** 10 announcement thread, 11 public thread, 12 private thread. */
  type: 10 | 11 | 12;
  name: string;
  ownerId: string;
  appliedTags: string[];
  autoArchiveDuration: number;
  archived: boolean;
  locked: boolean;
  createdAt: number;
  /**
   * Forum post: the starter message lives in the thread. From a message: it lives in the
   * parent. Bare: a thread opened in a text channel without a message.
   */
  kind: 'forum-post' | 'from-message' | 'bare';
  /** The request body that created it. */
  body: JsonObject;
}

/** Who a message actually notified, after `allowed_mentions` and Discord's role rules. */
export interface Pings {
  everyone: boolean;
  roles: string[];
  users: string[];
}

export interface MessageVersion {
  at: number;
  /** The request body (creation or edit) that made this version. */
  body: JsonObject;
  /** The message object as the API returned it then. */
  message: JsonObject;
}

export interface GuildSeed {
  /** Also the id of the @everyone role, as on Discord. */
  id: string;
  name: string;
  ownerId?: string;
  preferredLocale?: string;
  roles: RoleSeed[];
  members: MemberSeed[];
  channels: ChannelSeed[];
}

export interface LoggedRequest {
  method: string;
  /** Percent-decoded, without the `/api/v10` prefix: `@original` reads as such. */
  path: string;
  query: Record<string, string>;
  /** Whether an Authorization header came along; the token itself is never kept. */
  authorized: boolean;
  body: unknown;
  status: number;
  /** Discord's JSON error code when the answer was an error. */
  code?: number;
  /** The spec operation the body was validated against, when it had one. */
  operationId?: string;
  at: number;
}

export interface StoredMessage {
  id: string;
  channelId: string;
  nonce?: string | number;
  /** The request body as the bot sent it (from `payload_json` for multipart). */
  body: JsonObject;
  /** The message object as the API returned it, kept current by later edits. */
  message: JsonObject;
  createdAt: number;
  edits: JsonObject[];
  /** The creation, then one entry per accepted edit. */
  history: MessageVersion[];
  /** Who the message notified when it was posted (edits notify no one, as on Discord). */
  pings: Pings;
  deleted: boolean;
  /** When it was published with the crosspost route (flag CROSSPOSTED). */
  crosspostedAt?: number;
  /** `moderator` when a test deleted it with `deleteMessage`, as a moderator would. */
  deletedBy?: 'bot' | 'moderator';
}

export interface UploadedFile {
  filename: string;
  size: number;
}

export type FaultStatus = 429 | 500 | 502 | 503 | 504;

export type FaultSpec =
  | { status: FaultStatus; retryAfter?: number; global?: boolean }
  /**
   * Drops the connection. With `afterProcessing` the request takes effect first, so the
   * bot loses the answer to a write that happened: the case nonces exist for.
   */
  | { status: 'reset'; afterProcessing?: boolean };

export type ChannelFault = 'deleted' | 'no-access' | 'no-permission';

export interface ApiErrorBody {
  code: number;
  message: string;
  errors?: JsonObject;
}

/** An HTTP answer in the making: the routes return these and the server writes them. */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
