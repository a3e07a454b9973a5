// The port delivery sends through. src/discord implements it with discord.js; tests may use
// the real client against a fake Discord. What Discord's error codes mean lives in
// src/presentation/discord-errors.ts; here a failure becomes the error delivery acts on.
import { CHANNEL_GONE, discordErrorKind, type DiscordErrorKind } from '../presentation/discord-errors.js';
import type { OutgoingMessage } from '../presentation/message.js';

export interface Publisher {
  /** Posts a message; the nonce is the same on every retry, so Discord can drop a repeat. */
  send(channelId: string, message: OutgoingMessage, nonce: string): Promise<{ messageId: string }>;
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
