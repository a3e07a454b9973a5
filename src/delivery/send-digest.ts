// Sending a digest: one or more messages, each with its own stable nonce.
import { isChannelGone } from '../presentation/discord-errors.js';
import type { DigestItem } from '../store/ports.js';
import { backoffMs, type WorkerDeps, type WorkerOptions } from './options.js';
import { PublishError, deliveryNonce } from './publisher.js';

export type DigestDeps = Omit<WorkerDeps, 'options' | 'onStorageFailure'> & {
  readonly options: WorkerOptions;
  readonly pauseChannel: (channelId: string, guildId: string, e: PublishError) => Promise<void>;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function sendDigest(deps: DigestDeps, digest: DigestItem): Promise<void> {
  await deps.outbox.beginDigest(digest.id);
  const settings = await deps.settings.settings(digest.guildId);
  const messages = await deps.renderer.digest(digest.storyIds, settings, digest.kind, digest.since);
  const places = (await deps.renderer.digestPlaces?.(digest.storyIds)) ?? [];
  // An earlier attempt may have posted a part already (a forum post carries no nonce).
  const retrySince = digest.attempts > 0 ? digest.createdAt : null;
  const ids: string[] = [];
  try {
    for (const [part, message] of messages.entries()) {
      // Later parts wait for the channel's limit like any other post.
      for (let at = deps.limiter.nextAt(digest.channelId, deps.now()); at > deps.now(); at = deps.limiter.nextAt(digest.channelId, deps.now())) {
        await sleep(at - deps.now());
      }
      deps.limiter.take(digest.channelId, deps.now());
      const nonce = `${deliveryNonce('g', digest.id)}p${part}`;
      ids.push((await deps.publisher.send(digest.channelId, message, nonce, { places, retrySince })).messageId);
    }
    await deps.outbox.digestSent(digest.id, ids, deps.now());
  } catch (err) {
    const e = err instanceof PublishError ? err : new PublishError('retryable', (err as Error)?.message ?? String(err));
    if (e.kind === 'permanent' && isChannelGone(e.code)) {
      await deps.outbox.digestFinish(digest.id, 'failed', e.message);
      return deps.pauseChannel(digest.channelId, digest.guildId, e);
    }
    if (e.kind !== 'retryable' || digest.attempts + 1 >= deps.options.maxAttempts) {
      deps.logger.error({ digest: digest.id, code: e.code, error: e.message }, 'digest failed');
      return deps.outbox.digestFinish(digest.id, 'failed', e.message);
    }
    await deps.outbox.digestRetry(digest.id, deps.now() + backoffMs(digest.attempts + 1), e.message);
  }
}
