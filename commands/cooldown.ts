// How often one member, and one server, may search, press buttons and ask for autocomplete.
// A sliding window per key: the times of the last `limit` admitted requests are kept, and a
// new one is admitted when the oldest of them is older than the window. Refused attempts are
// not counted, so hammering does not extend the wait. The clock is injected (tests).
import type { Localized } from './i18n.js';

export type CooldownKind = 'search' | 'command' | 'button' | 'autocomplete';

export interface Window {
  readonly limit: number;
  readonly windowMs: number;
}

export interface CooldownRules {
  readonly user: Readonly<Record<CooldownKind, Window>>;
  readonly guild: Readonly<Record<CooldownKind, Window>>;
}

// A member types a query in a few seconds and reads results for longer: these leave normal
// use untouched and stop a script. A server's windows allow several busy members at once.
// Other commands are cheap (settings, lists): their window only stops a flood.
export const DEFAULT_RULES: CooldownRules = {
  user: {
    search: { limit: 5, windowMs: 30_000 },
    command: { limit: 90, windowMs: 60_000 },
    button: { limit: 10, windowMs: 15_000 },
    autocomplete: { limit: 25, windowMs: 10_000 },
  },
  guild: {
    search: { limit: 30, windowMs: 30_000 },
    command: { limit: 300, windowMs: 60_000 },
    button: { limit: 60, windowMs: 15_000 },
    autocomplete: { limit: 150, windowMs: 10_000 },
  },
};

export const SLOW_DOWN: Localized = {
  'zh-Hans': '操作太频繁了，请 {seconds} 秒后再试。',
  'zh-Hant': '操作太頻繁了，請 {seconds} 秒後再試。',
  en: 'You are going too fast. Please try again in {seconds} s.',
};
export const SERVER_SLOW_DOWN: Localized = {
  'zh-Hans': '本服务器的成员刚刚用得太频繁了，请 {seconds} 秒后再试。',
  'zh-Hant': '本伺服器的成員剛剛用得太頻繁了，請 {seconds} 秒後再試。',
  en: 'Members of this server are using this too often right now. Please try again in {seconds} s.',
};

export type Verdict = { readonly ok: true } | { readonly ok: false; readonly scope: 'user' | 'guild'; readonly retryAfterMs: number };

export interface Cooldowns {
  /** Admits (and counts) one request, or says how long until one would be admitted. */
  take(kind: CooldownKind, userId: string, guildId: string | null): Verdict;
}

/** Keys idle for longer than every window are dropped now and then: memory stays bounded by active users. */
const SWEEP_EVERY = 1_000;

export function createCooldowns(now: () => number, rules: CooldownRules = DEFAULT_RULES): Cooldowns {
  const windows = new Map<string, number[]>();
  const longest = Math.max(...Object.values(rules.user).map((w) => w.windowMs), ...Object.values(rules.guild).map((w) => w.windowMs));
  let calls = 0;

  /** Milliseconds until `key` may go again (0: now), with its expired times dropped. */
  const wait = (key: string, w: Window, t: number): number => {
    const times = windows.get(key);
    if (!times) return 0;
    while (times.length && t - times[0]! >= w.windowMs) times.shift();
    // A clock that went backwards leaves times in the future: they still count, once.
    return times.length < w.limit ? 0 : Math.max(1, times[0]! + w.windowMs - t);
  };
  const record = (key: string, t: number): void => {
    const times = windows.get(key);
    if (times) times.push(t);
    else windows.set(key, [t]);
  };
  const sweep = (t: number): void => {
    for (const [key, times] of windows) if (!times.length || t - times[times.length - 1]! >= longest) windows.delete(key);
  };

  return {
    take(kind, userId, guildId) {
      const t = now();
      if (++calls % SWEEP_EVERY === 0) sweep(t);
      const userKey = `u:${kind}:${userId}`;
      const guildKey = guildId ? `g:${kind}:${guildId}` : null;
      const userWait = wait(userKey, rules.user[kind], t);
      if (userWait > 0) return { ok: false, scope: 'user', retryAfterMs: userWait };
      const guildWait = guildKey ? wait(guildKey, rules.guild[kind], t) : 0;
      if (guildWait > 0) return { ok: false, scope: 'guild', retryAfterMs: guildWait };
      record(userKey, t);
      if (guildKey) record(guildKey, t);
      return { ok: true };
    },
  };
}
