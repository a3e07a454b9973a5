// The port delivery sends through. src/discord implements it with discord.js; tests may use
// the real client against a fake Discord. What Discord's error codes mean lives in
// src/presentation/discord-errors.ts; here a failure becomes the error delivery acts on.
import { CHANNEL_GONE, discordErrorKind, type DiscordErrorKind } from '../presentation/discord-errors.js';
import type { OutgoingMessage } from '../presentation/message.js';

/** A story's post, and how its channel takes it (issue #15). */
export interface PostRequest {
  readonly channelId: string;
  readonly message: OutgoingMessage;
  /** The same on every retry, so Discord can drop a repeat. */
  readonly nonce: string;
  /** A forum or media channel's post title (the headline), and a thread's name. */
  readonly threadName: string;
  /** The story's places, most specific first, each as its folded names (presentation/forum placeKeys): a forum's tags are matched to them. */
  readonly places: readonly (readonly string[])[];
  readonly openThread: boolean;
  readonly crosspost: boolean;
  /** When an earlier attempt of this post began (it may have posted already); null on the first. */
  readonly retrySince: number | null;
}

export interface PostResult {
  readonly messageId: string;
  /** A forum post's thread, which holds the message; null: the channel itself. */
  readonly messageChannelId: string | null;
  /** What went differently from asked without failing the post (no tag matched, no thread opened…). */
  readonly notes: readonly string[];
}

export interface EditRequest {
  readonly messageChannelId: string;
  readonly messageId: string;
  readonly message: OutgoingMessage;
  /** A forum post's new title; null: keep it. */
  readonly threadName: string | null;
}

export interface Publisher {
  /**
   * Posts a plain message (digests); the nonce is the same on every retry, so Discord can drop
   * a repeat. In a forum it becomes a post: `places` choose its tags, and `retrySince` (when an
   * earlier attempt began) lets it find a post that attempt made, since a post carries no nonce.
   */
  send(channelId: string, message: OutgoingMessage, nonce: string, post?: { places?: PostRequest['places']; retrySince?: number | null }): Promise<{ messageId: string }>;
  /**
   * Posts a story as its channel takes it: a forum post with tags, or a message that may be
   * published to followers or get a thread. A publisher without it (a test's) sends plainly.
   */
  post?(req: PostRequest): Promise<PostResult>;
  /** Edits a post in place (corrections). A publisher without it leaves posts as they are. */
  edit?(req: EditRequest): Promise<void>;
}

export type PublishErrorKind = DiscordErrorKind;

export class PublishError extends Error {
  constructor(
    readonly kind: PublishErrorKind,
    message: string,
    readonly code: number | null = null,
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'PublishError';
  }
}

export function classifyDiscordError(code: number | null, status: number | null, message: string): PublishError {
  const kind = discordErrorKind(code, status);
  return new PublishError(kind, (code !== null && CHANNEL_GONE[code]) || message, code, status);
}

/** ≤ 25 characters, derived from the delivery alone, so a resend after a crash repeats it. */
export const deliveryNonce = (kind: 'd' | 'g', id: number): string => `xx${kind}${id.toString(36)}`;
