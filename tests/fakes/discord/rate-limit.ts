// Per-route, per-channel rate limits with Discord's headers. A client that reads the
// headers never sees a 429 here; one that ignores them does, and the hit is counted.
import { createHash } from 'node:crypto';

export interface RateLimitOptions {
  /** Requests allowed per window for each route and channel. */
  perChannel: number;
  windowMs: number;
}

export type RateDecision =
  | { ok: true; headers: Record<string, string> }
  | { ok: false; retryAfter: number; headers: Record<string, string> };

interface Window {
  start: number;
  used: number;
}

const seconds = (ms: number): string => (Math.max(ms, 0) / 1000).toFixed(3);

export class RateLimiter {
  private readonly windows = new Map<string, Window>();
  /** 429s earned by exceeding a limit (injected faults are not counted here). */
  hits = 0;

  constructor(private options: RateLimitOptions | false) {}

  configure(options: RateLimitOptions | false): void {
    this.options = options;
    this.windows.clear();
  }

  /**
   * Counts one request to `route` (a template such as `POST /channels/:id/messages`) for
   * `major` (the channel id). The bucket id depends on the route alone, like Discord's:
   * @discordjs/rest keys its queues by bucket id plus channel, and a bucket id that changed
   * from one response to the next would hand it a fresh queue that forgot `Remaining: 0`.
   */
  take(route: string, major: string, now = Date.now()): RateDecision {
    if (!this.options) return { ok: true, headers: {} };
    const { perChannel, windowMs } = this.options;
    const key = `${route} ${major}`;
    let w = this.windows.get(key);
    if (!w || now >= w.start + windowMs) {
      w = { start: now, used: 0 };
      this.windows.set(key, w);
    }
    const resetAt = w.start + windowMs;
    const bucket = createHash('sha1').update(route).digest('hex').slice(0, 32);
    const headers = (remaining: number): Record<string, string> => ({
      'X-RateLimit-Limit': String(perChannel),
      'X-RateLimit-Remaining': String(remaining),
      'X-RateLimit-Reset': seconds(resetAt),
      'X-RateLimit-Reset-After': seconds(resetAt - now),
      'X-RateLimit-Bucket': bucket,
    });
    if (w.used >= perChannel) {
      this.hits++;
      // Never "0.000": a zero Retry-After reads as "retry at once" and the client spins.
      const wait = Math.max(resetAt - now, 1);
      return {
        ok: false,
        retryAfter: wait / 1000,
        headers: { ...headers(0), 'Retry-After': seconds(wait), 'X-RateLimit-Scope': 'user' },
      };
    }
    w.used++;
    return { ok: true, headers: headers(perChannel - w.used) };
  }
}
