// Corrections (issue #15): a post whose story was revised is edited in place, never posted
// again. An edit repeated after a crash sends the same body twice, which changes nothing.
// A post Discord no longer lets the bot edit — deleted by a moderator, in a deleted, archived
// or locked thread, in a channel the bot lost or that is paused — is left as it is.
import { isNotEditable } from '../presentation/discord-errors.js';
import type { EditItem } from '../store/ports.js';
import { backoffMs, type EditQueue, type WorkerDeps, type WorkerOptions } from './options.js';
import { PublishError } from './publisher.js';

export async function editPost(deps: WorkerDeps & { edits: EditQueue; options: WorkerOptions }, edit: EditItem): Promise<void> {
  const { edits } = deps;
  if (!(await edits.beginEdit(edit))) return;
  const now = deps.now();
  const channel = await deps.subscriptions.channel(edit.channelId);
  if (channel?.pausedAt) return edits.editFinish(edit, 'skipped', `channel paused: ${channel.pauseReason ?? ''}`, now);
  if (!deps.publisher.edit) return edits.editFinish(edit, 'skipped', 'this publisher cannot edit posts', now);
  const post = await deps.renderer.story(edit.storyId, await deps.settings.settings(edit.guildId), false);
  if (!post) return edits.editFinish(edit, 'failed', 'the story is no longer stored', now);
  // The content (a role ping) stays as posted: an edit re-pings nobody and only the embed changes.
  const { content: _content, ...message } = post.message;
  const forumPost = edit.messageChannelId !== edit.channelId;
  try {
    await deps.publisher.edit({ messageChannelId: edit.messageChannelId, messageId: edit.messageId, message, threadName: forumPost ? post.threadName : null });
    await edits.editDone(edit, deps.now());
  } catch (err) {
    const e = err instanceof PublishError ? err : new PublishError('retryable', (err as Error)?.message ?? String(err));
    if (isNotEditable(e.code)) {
      deps.logger.info({ delivery: edit.deliveryId, code: e.code }, 'post left as it is: Discord no longer lets the bot edit it');
      return edits.editFinish(edit, 'skipped', e.message, deps.now());
    }
    if (e.kind !== 'retryable' || edit.attempts + 1 >= deps.options.maxAttempts) {
      deps.logger.error({ delivery: edit.deliveryId, code: e.code, error: e.message }, 'edit failed');
      return edits.editFinish(edit, 'failed', e.message, deps.now());
    }
    await edits.editRetry(edit, deps.now() + backoffMs(edit.attempts + 1), e.message);
  }
}
