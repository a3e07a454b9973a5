// The delivery worker drains the outbox: one send in flight per channel, under the
// limiter, a burst cap that rolls the overflow into a digest, retries with backoff, and a
// nonce per delivery so a send repeated after a crash cannot post twice.
//
// The store is reached through its async ports. A pass lists what is due and then awaits
// between rows, so sends of earlier passes may finish meanwhile: a row is only taken when its
// channel was idle when the list was read as well as now (a finished send leaves its row in
// that list as it was before, and taking it again would send it early or roll it twice).
//
// Claim mode (options.claim, the deliverer role): rows come from claims.ts instead, claimed
// with a lease for this worker's share of the channels. The one-process path stays on due()
// and begin(): after a restart it resends rows left 'sending' at once, where a claim would
// wait out their lease, and it sees every row of a burst where a claim holds a batch.
import { DEFAULT_POSTING, type PostingOptions } from '../domain/types.js';
import { isChannelGone } from '../presentation/discord-errors.js';
import type { OutgoingMessage } from '../presentation/message.js';
import { withRoleMention } from '../presentation/post.js';
import { isStorageFailure } from '../store/errors.js';
import type { OutboxItem } from '../store/ports.js';
import { normalizeForMatch } from '../text/script.js';
import { createClaims, DEFAULT_CLAIM_OPTIONS, type Claims } from './claims.js';
import { editPost } from './edit-post.js';
import { DEFAULT_WORKER_OPTIONS, backoffMs, type RenderedPost, type Renderer, type WorkerDeps, type WorkerOptions } from './options.js';
import { PublishError, deliveryNonce, type PostResult } from './publisher.js';
import { judge } from './route.js';
import { sendDigest } from './send-digest.js';

export function createDeliveryWorker(deps: WorkerDeps) {
  const opts = { ...DEFAULT_WORKER_OPTIONS, ...deps.options };
  const busy = new Map<string, Promise<void>>(); // channel → its send in flight
  let timer: ReturnType<typeof setInterval> | null = null;
  let stopping = false;
  let ticking: Promise<void> | null = null; // the passes running now
  let again = false; // woken while a pass ran: run another, so no kick is lost
  let woken = false; // kicked since the last pass began (claim mode looks at the outbox then)
  const claims: Claims | null = opts.claim
    ? createClaims({ outbox: deps.outbox, deliverers: deps.deliverers, id: deps.delivererId ?? 'deliverer', limiter: deps.limiter, now: deps.now, logger: deps.logger }, { ...DEFAULT_CLAIM_OPTIONS, ...opts.claim })
    : null;

  /** A channel Discord refused is paused, with everything still waiting for it. */
  const pauseChannel = async (channelId: string, guildId: string, e: PublishError): Promise<void> => {
    const reason = `${e.message} (Discord code ${e.code})`;
    await deps.subscriptions.pauseChannel(channelId, guildId, e.code ?? 0, reason, deps.now());
    const skipped = await deps.outbox.skipChannel(channelId, `channel paused: ${reason}`);
    await deps.edits?.skipChannelEdits(channelId, `channel paused: ${reason}`);
    deps.logger.warn({ channel: channelId, guild: guildId, code: e.code, skipped }, 'channel paused: Discord refused posts');
  };

  /** The subscription's role is pinged when it has one, and its words (if any) are in the story. */
  const mentionFor = async (item: OutboxItem, posting: PostingOptions): Promise<string | null> => {
    if (!posting.mentionRole || item.mode !== 'instant') return null;
    if (posting.mentionWords.length === 0) return posting.mentionRole;
    const text = normalizeForMatch((await deps.matchText?.(item.storyId)) ?? '');
    return judge({ include: posting.mentionWords, exclude: [], pausedReason: null }, text).verdict === 'matched' ? posting.mentionRole : null;
  };

  async function publish(item: OutboxItem, post: RenderedPost, message: OutgoingMessage, posting: PostingOptions, nonce: string): Promise<PostResult> {
    if (!deps.publisher.post) return { ...(await deps.publisher.send(item.channelId, message, nonce)), messageChannelId: null, notes: [] };
    return deps.publisher.post({
      channelId: item.channelId,
      message,
      nonce,
      threadName: post.threadName,
      places: post.places,
      openThread: posting.openThread,
      crosspost: posting.crosspost,
      // An earlier attempt may have posted (a forum post carries no nonce to stop a repeat).
      retrySince: item.attempts > 0 ? item.createdAt : null,
    });
  }

  /**
   * A held claim is still this worker's to send: not skipped meanwhile (its channel paused, by
   * this process or another) and not claimed again after its lease ran out (the claim's lease
   * end is its mark, as begin's state check is on the one-process path).
   */
  const stillClaimed = async (item: OutboxItem): Promise<boolean> => {
    const row = await deps.outbox.forStoryInChannel(item.storyId, item.channelId);
    return row !== null && row.id === item.id && row.state === 'sending' && row.nextAttemptAt === item.nextAttemptAt;
  };

  /** `claimed`: the claim already marked the row sending and counted the attempt. */
  async function sendOne(item: OutboxItem, claimed: boolean): Promise<void> {
    if (!(await (claimed ? stillClaimed(item) : deps.outbox.begin(item.id)))) return;
    const settings = await deps.settings.settings(item.guildId);
    const posting = (item.subscriptionId !== null ? (await deps.subscriptions.get(item.subscriptionId))?.posting : null) ?? DEFAULT_POSTING;
    const role = await mentionFor(item, posting);
    const nonce = deliveryNonce('d', item.id);
    for (const compact of [false, true]) {
      const post = await deps.renderer.story(item.storyId, settings, compact);
      if (!post) return deps.outbox.finish(item.id, 'failed', 'the story is no longer stored');
      const message = role ? withRoleMention(post.message, role) : post.message;
      try {
        const result = await publish(item, post, message, posting, nonce);
        await deps.outbox.markSent(item.id, result.messageId, deps.now(), { messageChannelId: result.messageChannelId, revision: post.revision });
        if (result.notes.length) deps.logger.info({ delivery: item.id, channel: item.channelId, notes: result.notes }, 'posted, with notes');
        return;
      } catch (err) {
        const e = err instanceof PublishError ? err : new PublishError('retryable', (err as Error)?.message ?? String(err));
        if (e.kind === 'invalid' && !compact) {
          deps.logger.warn({ delivery: item.id, code: e.code, shape: messageShape(message) }, 'Discord rejected the message; re-rendering compact');
          continue;
        }
        if (e.kind === 'permanent' && isChannelGone(e.code)) return pauseChannel(item.channelId, item.guildId, e);
        if (e.kind !== 'retryable' || item.attempts + 1 >= opts.maxAttempts) {
          deps.logger.error({ delivery: item.id, code: e.code, error: e.message }, 'delivery failed');
          return deps.outbox.finish(item.id, 'failed', e.message);
        }
        await deps.outbox.retryLater(item.id, deps.now() + backoffMs(item.attempts + 1), e.message);
        return;
      }
    }
  }

  const storageFailed = (err: unknown) => {
    stopping = true;
    if (timer) clearInterval(timer);
    timer = null;
    deps.onStorageFailure?.(err);
  };

  const track = (channelId: string, p: Promise<void>, claimedId?: number) => {
    const done = p
      .catch((err: unknown) => (isStorageFailure(err) ? storageFailed(err) : deps.logger.error({ err, channel: channelId }, 'delivery crashed')))
      .finally(() => {
        busy.delete(channelId);
        if (claimedId !== undefined) claims?.finished(claimedId);
      });
    busy.set(channelId, done);
  };

  /** Reads a due list, remembering which channels were busy as it was read (see the top). */
  const listed = async <T extends { channelId: string }>(read: () => Promise<T[]>) => {
    const held = new Set(busy.keys());
    const rows = await read();
    return { rows, taken: (channelId: string) => busy.has(channelId) || held.has(channelId) };
  };

  /** The rows this pass may send: held claims (claim mode), else the due list. */
  async function sendable(now: number, kicked: boolean): Promise<{ rows: OutboxItem[]; taken: (channelId: string) => boolean; looked: boolean }> {
    if (!claims) return { ...(await listed(() => deps.outbox.due(now, 500))), looked: true };
    // Held rows are this worker's alone and leave the list as they start: none can be stale.
    const { rows, looked } = await claims.list(now, kicked);
    return { rows, taken: (channelId) => busy.has(channelId), looked };
  }

  async function pass(kicked: boolean): Promise<void> {
    const now = deps.now();
    const sends = await sendable(now, kicked);
    const owned = (channelId: string) => !claims || claims.owns(channelId, now);
    for (const item of sends.rows) {
      if (busy.size >= opts.maxInFlight) break;
      if (sends.taken(item.channelId)) continue;
      // Held claims wait here pass after pass: the window first spares the store a count per row.
      if (claims && deps.limiter.nextAt(item.channelId, now) > now) continue;
      // Over the cap: the story joins a digest instead of being dropped. Not a retry: an
      // earlier attempt may have posted it (its answer lost), and only sending it again with
      // its nonce (or finding the forum post) can tell; a digest would show it twice.
      if (item.attempts === 0 && (await deps.outbox.sentSince(item.channelId, now - opts.burstWindowMs)) >= opts.burstCap) {
        claims?.started(item.id);
        await deps.outbox.rollIntoBurst(item, now + opts.burstDigestDelayMs, now);
        claims?.finished(item.id);
        continue;
      }
      if (deps.limiter.nextAt(item.channelId, now) > now) continue;
      if (stopping) return;
      deps.limiter.take(item.channelId, now);
      claims?.started(item.id);
      track(item.channelId, sendOne(item, claims !== null), claims ? item.id : undefined);
    }
    // Edits and digests carry no claim: in claim mode each is sent by its channel's deliverer.
    if (!sends.looked) return;
    const edits = deps.edits;
    if (edits) {
      const due = await listed(() => edits.dueEdits(now, 50));
      for (const edit of due.rows) {
        if (busy.size >= opts.maxInFlight) break;
        if (!owned(edit.channelId) || due.taken(edit.channelId) || deps.limiter.nextAt(edit.channelId, now) > now) continue;
        if (stopping) return;
        deps.limiter.take(edit.channelId, now);
        track(edit.channelId, editPost({ ...deps, edits, options: opts }, edit));
      }
    }
    const digests = await listed(() => deps.outbox.dueDigests(now, 50));
    for (const digest of digests.rows) {
      if (busy.size >= opts.maxInFlight) break;
      if (!owned(digest.channelId) || digests.taken(digest.channelId) || deps.limiter.nextAt(digest.channelId, now) > now) continue;
      if (stopping) return;
      track(digest.channelId, sendDigest({ ...deps, options: opts, pauseChannel }, digest));
    }
  }

  /** One pass at a time; a wake-up during a pass runs one more after it. Never rejects. */
  function tick(kick = false): Promise<void> {
    woken ||= kick;
    if (stopping) return Promise.resolve();
    if (ticking) {
      again = true;
      return ticking;
    }
    const run = async () => {
      try {
        do {
          again = false;
          const kicked = woken;
          woken = false;
          await pass(kicked);
        } while (again && !stopping);
      } catch (err) {
        if (isStorageFailure(err)) storageFailed(err);
        else deps.logger.error({ err }, 'delivery tick failed');
      } finally {
        ticking = null;
      }
    };
    ticking = run();
    return ticking;
  }

  return {
    start(): void {
      stopping = false;
      timer ??= setInterval(() => void tick(), opts.tickMs);
      void tick();
    },
    /** Wakes the worker now (after new stories were queued). */
    kick: (): void => void tick(true),
    /** Stops taking new work and waits (up to graceMs) for sends in flight; unfinished ones resume at the next start. */
    async stop(graceMs = 10_000): Promise<void> {
      stopping = true;
      if (timer) clearInterval(timer);
      timer = null;
      // A pass under way starts nothing more once stopping is set; its sends are waited for too.
      const pending = (async () => {
        await ticking;
        await Promise.allSettled([...busy.values()]);
      })();
      await Promise.race([pending, new Promise((r) => setTimeout(r, graceMs).unref())]);
      // Rows claimed but not started go back at once, rather than when their lease runs out.
      await claims?.leave().catch((err: unknown) => deps.logger.warn({ err }, 'could not release claimed deliveries'));
    },
    /** Claim mode: whether this worker plans scheduled digests now (one deliverer does). */
    plansDigests: (): boolean => !claims || claims.plans(deps.now()),
    /** Claim mode: this worker's share of the channels, as of its last heartbeat. */
    share: () => claims?.share() ?? null,
    /** Claim mode: whether it is claiming rows now (false while a hand-over settles). */
    claiming: (): boolean => claims?.claiming(deps.now()) ?? false,
    inFlight: (): number => busy.size,
  };
}

/** The structure of a rejected message, without its text (for the log). */
function messageShape(m: OutgoingMessage): unknown {
  return {
    content: m.content?.length ?? 0,
    embeds: m.embeds.map((e) => ({ title: e.title?.length ?? 0, description: e.description?.length ?? 0, fields: e.fields?.map((f) => [f.name.length, f.value.length]) ?? [] })),
  };
}

export type { Renderer, WorkerDeps, WorkerOptions };
export type DeliveryWorker = ReturnType<typeof createDeliveryWorker>;
