// One error type for everything that can go wrong between a feed URL and parsed items.
// The kind drives retry and pause decisions; the message ends up in front of server admins,
// so it must be short, human and free of secrets, stack traces and response bodies.

export type FeedErrorKind =
  | 'timeout'
  | 'http'
  | 'too-large'
  | 'too-many-redirects'
  | 'redirect-loop'
  | 'network'
  | 'blocked'
  | 'decode'
  | 'malformed'
  | 'not-a-feed';

export class FeedError extends Error {
  constructor(
    readonly kind: FeedErrorKind,
    message: string,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'FeedError';
  }
}

export const isFeedError = (e: unknown): e is FeedError => e instanceof FeedError;
