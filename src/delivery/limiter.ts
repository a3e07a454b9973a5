// Send limits that keep the bot under Discord's own, so it never meets a 429 in normal
// operation. A sliding log (at most N starts in any window) is never more permissive than
// Discord's fixed windows, which a token bucket can be just after a refill.

export interface Window {
  readonly limit: number;
  readonly windowMs: number;
}

export class SlidingWindow {
  private readonly starts: number[] = [];
  private limit: number;
  constructor(private readonly w: Window) {
    this.limit = w.limit;
  }

  /** When the next start is allowed (≤ now: allowed now). */
  nextAt(now: number): number {
    this.prune(now);
    return this.starts.length < this.limit ? now : this.starts[this.starts.length - this.limit]! + this.w.windowMs;
  }

  /** Allows `1/parts` of the window's starts (at least one): the part one of `parts` senders may use. */
  divide(parts: number): void {
    this.limit = Math.max(1, Math.floor(this.w.limit / Math.max(1, parts)));
  }

  take(now: number): void {
    this.prune(now);
    this.starts.push(now);
  }

  private prune(now: number): void {
    while (this.starts.length && this.starts[0]! <= now - this.w.windowMs) this.starts.shift();
  }
}

export interface SendLimits {
  /** Discord allows 5 messages per 5 s per channel; the margin absorbs clock and network skew. */
  readonly perChannel: Window;
  /** Discord's global limit is 50 requests/s for the whole bot. */
  readonly global: Window;
}

export const DISCORD_LIMITS: SendLimits = {
  perChannel: { limit: 5, windowMs: 5_250 },
  global: { limit: 48, windowMs: 1_000 },
};

export function createLimiter(limits: SendLimits = DISCORD_LIMITS) {
  const channels = new Map<string, SlidingWindow>();
  const global = new SlidingWindow(limits.global);
  const channel = (id: string) => {
    let w = channels.get(id);
    if (!w) channels.set(id, (w = new SlidingWindow(limits.perChannel)));
    return w;
  };
  return {
    /** When a send to this channel may start. */
    nextAt: (channelId: string, now: number): number => Math.max(channel(channelId).nextAt(now), global.nextAt(now)),
    take(channelId: string, now: number): void {
      channel(channelId).take(now);
      global.take(now);
    },
    /**
     * Discord's global limit is the bot's, whichever process sends: one of `count` deliverers
     * keeps to its part of it. Per-channel windows stay whole (a channel has one deliverer).
     */
    shareGlobal(count: number): void {
      global.divide(count);
    },
    /** How long until sends made by others before a hand-over can no longer count against a window. */
    settleMs: (): number => Math.max(limits.perChannel.windowMs, limits.global.windowMs),
  };
}

export type Limiter = ReturnType<typeof createLimiter>;
