// The delivery port implemented with discord.js's REST client. The raw route is used so the
// message goes out exactly as rendered (plain API-shaped embeds) with its nonce enforced.
import { DiscordAPIError, HTTPError, RateLimitError, Routes, type Client } from 'discord.js';
import type { OutgoingMessage } from '../presentation/message.js';
import { PublishError, classifyDiscordError, type Publisher } from '../delivery/publisher.js';
import { createPosting } from './posting.js';

export function createDiscordPublisher(client: Client): Publisher {
  const posting = createPosting(client, toPublishError);
  return {
    post: posting.post,
    edit: posting.edit,
    async send(channelId, message: OutgoingMessage, nonce) {
      try {
        const body = { ...message, nonce, enforce_nonce: true };
        const sent = (await client.rest.post(Routes.channelMessages(channelId), { body })) as { id: string };
        return { messageId: sent.id };
      } catch (err) {
        throw toPublishError(err);
      }
    },
  };
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
