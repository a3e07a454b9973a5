// Claim mode (issue #16): several deliverers share one outbox. Each heartbeats through the
// store to learn its share (index of count among the live deliverers), claims only the rows of
// channels hashing to its share, with a lease, and keeps them here until it starts them. A
// channel thus has one sender, whose local window keeps Discord's per-channel limit; the
// bot-wide limit is split by count.
//
// Hand-overs: when the share changes (a deliverer joins, leaves or lapses) the others learn it
// only at their next heartbeat, and their last sends still count in Discord's windows. So a
// deliverer whose share changed claims nothing for one heartbeat period plus one limit window.
// A deliverer that dies leaves its claimed rows 'sending' until their lease runs out; then the
// channel's new owner claims them, and the row's nonce lets Discord drop a repeat.
import type { Logger } from '../shared/logger.js';
import type { DeliverersPort, DeliveryShare, OutboxItem, OutboxPort } from '../store/ports.js';
import { channelShare } from '../store/share.js';
import type { Limiter } from './limiter.js';

export interface ClaimOptions {
  /** How long a claimed row is this deliverer's before another may claim it (a crash's cost). */
  readonly leaseMs: number;
  /** Rows claimed at once; more are claimed when half have been started. */
  readonly batch: number;
  /** A heartbeat's lifetime: a deliverer silent this long is no longer counted. */
  readonly ttlMs: number;
  readonly renewMs: number;
  /** How often an idle deliverer asks whether anything is due (no kick crosses processes). */
  readonly lookMs: number;
}

export const DEFAULT_CLAIM_OPTIONS: ClaimOptions = { leaseMs: 120_000, batch: 100, ttlMs: 6_000, renewMs: 2_000, lookMs: 2_000 };

export interface ClaimDeps {
  readonly outbox: Pick<OutboxPort, 'claim' | 'nextDueAt' | 'retryLater'>;
  /** Without it this is the only deliverer (share 0 of 1). */
  readonly deliverers?: DeliverersPort;
  readonly id: string;
  readonly limiter: Limiter;
  readonly now: () => number;
  readonly logger: Logger;
}

export function createClaims(deps: ClaimDeps, opts: ClaimOptions) {
  const held = new Map<number, OutboxItem>(); // claimed, not started; in claim (due) order
  const sending = new Set<number>();
  let share: DeliveryShare | null = null;
  let beatAt = Number.NEGATIVE_INFINITY;
  let settledAt = Number.POSITIVE_INFINITY;
  let lookAt = Number.NEGATIVE_INFINITY;
  let full = false; // the last claim got all it asked for: more is probably due

  const live = (now: number) => now - beatAt < opts.ttlMs;
  const settled = (now: number) => share !== null && now >= settledAt && live(now);
  const mine = (channelId: string) => share !== null && (share.count <= 1 || channelShare(channelId, share.count) === share.index);

  /** Releases held rows of channels that are no longer this deliverer's (their next owner sends them). */
  async function releaseForeign(): Promise<void> {
    for (const item of [...held.values()]) {
      if (mine(item.channelId)) continue;
      held.delete(item.id);
      await deps.outbox.retryLater(item.id, deps.now(), 'handed to another deliverer');
    }
  }

  async function heartbeat(now: number): Promise<void> {
    if (now - beatAt < opts.renewMs) return;
    const next = deps.deliverers ? await deps.deliverers.heartbeat(deps.id, now, opts.ttlMs) : { index: 0, count: 1 };
    const lapsed = !live(now);
    beatAt = now;
    if (share && !lapsed && share.index === next.index && share.count === next.count) return;
    share = next;
    deps.limiter.shareGlobal(next.count);
    // The first deliverer alone has nobody to wait for.
    settledAt = deps.deliverers ? now + opts.renewMs + deps.limiter.settleMs() : now;
    deps.logger.info({ deliverer: deps.id, share: next.index, of: next.count }, 'delivery share changed');
    await releaseForeign();
  }

  return {
    /**
     * Renews the heartbeat and, when it is time to look (woken, a full last claim, or the
     * look period passed), claims more of this share. Returns the rows held, in due order,
     * and whether this pass looked (edits and digests are read on the same rhythm).
     */
    async list(now: number, woken: boolean): Promise<{ rows: OutboxItem[]; looked: boolean }> {
      await heartbeat(now);
      for (const [id, item] of held) if (item.nextAttemptAt <= now) held.delete(id); // lease ran out: claimable again
      const want = opts.batch - held.size;
      const looked = settled(now) && (woken || full || now >= lookAt);
      if (looked && share) {
        lookAt = now + opts.lookMs;
        const next = woken || full ? now : await deps.outbox.nextDueAt();
        if (want >= opts.batch / 2 && next !== null && next <= now) {
          const got = await deps.outbox.claim(now, want, opts.leaseMs, share);
          full = got.length === want;
          // The claim counted an attempt; the worker reasons about attempts made before this one.
          for (const item of got) if (!sending.has(item.id)) held.set(item.id, { ...item, attempts: item.attempts - 1 });
        } else if (want >= opts.batch / 2) full = false;
      }
      return { rows: [...held.values()], looked };
    },
    /** The row is being sent (or rolled into a digest): no longer held. */
    started(id: number): void {
      held.delete(id);
      sending.add(id);
    },
    finished(id: number): void {
      sending.delete(id);
    },
    /** Edits and digests of a channel are this deliverer's to send. */
    owns: (channelId: string, now: number): boolean => settled(now) && mine(channelId),
    /** One deliverer plans scheduled digests: the one holding share 0, once settled in it. */
    plans: (now: number): boolean => settled(now) && share?.index === 0,
    share: (): DeliveryShare | null => share,
    /** Whether it claims now: a share known, its hand-over wait over, its heartbeat live. */
    claiming: (now: number): boolean => settled(now),
    /** A clean stop: rows not started are released and the share is left to the others at once. */
    async leave(): Promise<void> {
      for (const item of [...held.values()]) await deps.outbox.retryLater(item.id, deps.now(), 'released by a deliverer that stopped');
      held.clear();
      share = null;
      await deps.deliverers?.leave(deps.id);
    },
  };
}

export type Claims = ReturnType<typeof createClaims>;
