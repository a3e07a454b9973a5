// The port delivery sends through. src/discord implements it with discord.js; tests may use
// the real client against a fake Discord. Errors are classified here, by Discord's codes.
import type { OutgoingMessage } from './message.js';

export interface Publisher {
  /** Posts a message; the nonce is the same on every retry, so Discord can drop a repeat. */
  send(channelId: string, message: OutgoingMessage, nonce: string): Promise<{ messageId: string }>;
}

export type PublishErrorKind = 'permanent' | 'invalid' | 'retryable';

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

/** Discord error codes that mean "this channel cannot take posts until a moderator acts". */
export const CHANNEL_GONE: Readonly<Record<number, string>> = {
  10003: 'the channel was deleted (Unknown Channel)',
  50001: 'the bot cannot see the channel (Missing Access)',
  50013: 'the bot lacks permission to post there (Missing Permissions)',
};

export function classifyDiscordError(code: number | null, status: number | null, message: string): PublishError {
  if (code !== null && CHANNEL_GONE[code]) return new PublishError('permanent', CHANNEL_GONE[code]!, code, status);
  if (code === 50035 || code === 50006) return new PublishError('invalid', message, code, status);
  if (status !== null && status >= 400 && status < 500 && status !== 429 && status !== 408) return new PublishError('permanent', message, code, status);
  return new PublishError('retryable', message, code, status);
}

/** ≤ 25 characters, derived from the delivery alone, so a resend after a crash repeats it. */
export const deliveryNonce = (kind: 'd' | 'g', id: number): string => `xx${kind}${id.toString(36)}`;
