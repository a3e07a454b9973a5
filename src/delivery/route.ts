// Routing: a new story → one outbox row per channel whose subscriptions match it. Runs inside
// the unit of work that stores the story, so a crash can never leave one without the other.
import type { Subscription } from '../domain/types.js';
import type { ArticlesPort, OutboxPort, SubscriptionsPort, SyncOf, WordLists } from '../store/ports.js';
import { normalizeForMatch } from '../text/script.js';

export type SubscriptionVerdict = 'matched' | 'no-include-word' | 'excluded-word' | 'channel-paused';

export interface RouteDecision {
  readonly subscription: Subscription;
  readonly verdict: SubscriptionVerdict;
  readonly word?: string;
}

/** Whether one subscription takes a story, and why not (kept pure for /why). */
export function judge(sub: Pick<Subscription, 'include' | 'exclude' | 'pausedReason'>, normalizedText: string, seen: Map<string, boolean> = new Map()): { verdict: SubscriptionVerdict; word?: string } {
  // Many subscriptions share words: each word is normalized and looked up once per story.
  const has = (w: string) => {
    let found = seen.get(w);
    if (found === undefined) {
      const n = normalizeForMatch(w.trim());
      found = n.length > 0 && normalizedText.includes(n);
      seen.set(w, found);
    }
    return found;
  };
  const excluded = sub.exclude.find(has);
  if (excluded) return { verdict: 'excluded-word', word: excluded };
  if (sub.include.length > 0 && !sub.include.some(has)) return { verdict: 'no-include-word' };
  if (sub.pausedReason) return { verdict: 'channel-paused' };
  return { verdict: 'matched' };
}

/** What routing reads and writes: the store's ports, or a unit of work's. */
export interface RouterPorts {
  readonly subscriptions: Pick<SubscriptionsPort, 'forStory'>;
  readonly outbox: Pick<OutboxPort, 'wordListsFor' | 'fanOut'>;
  readonly articles: Pick<ArticlesPort, 'matchText'>;
}

const decisions = (subs: readonly Subscription[], matchText: string): RouteDecision[] => {
  const text = normalizeForMatch(matchText);
  const seen = new Map<string, boolean>();
  return subs.map((subscription) => ({ subscription, ...judge(subscription, text, seen) }));
};

/** The keys of the word lists that take the story. */
const acceptedLists = (lists: readonly WordLists[], matchText: string): string[] => {
  const text = normalizeForMatch(matchText);
  const seen = new Map<string, boolean>();
  return lists.filter((l) => judge({ ...l, pausedReason: null }, text, seen).verdict === 'matched').map((l) => l.key);
};

/** The router over the store's async ports: what the bot and the commands use. */
export function createStoreRouter(deps: RouterPorts) {
  return {
    /** Every subscription that covers the story's regions, with its verdict. */
    async decide(storyId: number): Promise<RouteDecision[]> {
      const subs = await deps.subscriptions.forStory(storyId);
      return subs.length === 0 ? [] : decisions(subs, await deps.articles.matchText(storyId));
    },
    /**
     * Writes the outbox rows for a new story; returns how many channels will receive it.
     * Same outcome as grouping decide() by channel (first instant match, else first match;
     * a paused channel gets a 'skipped' row), but a poll routes ~1,000 stories to ~60,000
     * channels, so only the distinct word lists are judged here and the outbox plans the rest
     * in SQL (issue #14). `ports`: the unit of work the story is stored in (default: the store).
     */
    async route(storyId: number, now: number, ports: RouterPorts = deps): Promise<number> {
      const lists = await ports.outbox.wordListsFor(storyId);
      const accepted = lists.length > 0 ? acceptedLists(lists, await ports.articles.matchText(storyId)) : [];
      return ports.outbox.fanOut(storyId, accepted, now);
    },
  };
}

export type Router = ReturnType<typeof createStoreRouter>;

/**
 * The same router over synchronous SQLite repositories, for code that arranges data inside a
 * synchronous SQLite transaction (tests, benchmarks). The bot routes through createStoreRouter.
 */
export function createRouter(deps: { readonly [K in keyof RouterPorts]: SyncOf<RouterPorts[K]> }) {
  return {
    decide(storyId: number): RouteDecision[] {
      const subs = deps.subscriptions.forStory(storyId);
      return subs.length === 0 ? [] : decisions(subs, deps.articles.matchText(storyId));
    },
    route(storyId: number, now: number): number {
      const lists = deps.outbox.wordListsFor(storyId);
      return deps.outbox.fanOut(storyId, lists.length > 0 ? acceptedLists(lists, deps.articles.matchText(storyId)) : [], now);
    },
  };
}
