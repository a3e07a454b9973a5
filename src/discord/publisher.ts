// The delivery port implemented with discord.js's REST client (posting.ts): raw routes, so
// messages go out exactly as rendered (plain API-shaped embeds) with their nonce enforced.
import { DiscordAPIError, HTTPError, RateLimitError, type Client } from 'discord.js';
import { PublishError, classifyDiscordError, type Publisher } from '../delivery/publisher.js';
import { createPosting } from './posting.js';

export function createDiscordPublisher(client: Client): Publisher {
  const posting = createPosting(client, toPublishError);
  return { send: posting.send, post: posting.post, edit: posting.edit };
}

export function toPublishError(err: unknown): PublishError {
  if (err instanceof DiscordAPIError) {
    const code = typeof err.code === 'number' ? err.code : null;
    return classifyDiscordError(code, err.status, `${err.message}`.split('\n')[0]!.slice(0, 200));
  }
  if (err instanceof HTTPError) return new PublishError('retryable', `Discord answered HTTP ${err.status}`, null, err.status);
  if (err instanceof RateLimitError) return new PublishError('retryable', `rate limited on ${err.route} for ${err.retryAfter} ms`, null, 429);
  const name = (err as Error)?.name ?? 'Error';
  return new PublishError('retryable', name === 'AbortError' ? 'Discord did not answer in time' : `${name}: ${(err as Error)?.message ?? String(err)}`.slice(0, 200));
}
