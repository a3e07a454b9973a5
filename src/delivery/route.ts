// Routing: a new story → one outbox row per channel whose subscriptions match it. Runs inside
// the transaction that stores the story, so a crash can never leave one without the other.
import type { Subscription } from '../domain/types.js';
import type { ArticlesRepo } from '../store/articles-repo.js';
import type { OutboxRepo } from '../store/outbox-repo.js';
import type { SubscriptionsRepo } from '../store/subscriptions-repo.js';
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

export interface RouterDeps {
  readonly subscriptions: SubscriptionsRepo;
  readonly outbox: OutboxRepo;
  readonly articles: ArticlesRepo;
}

export function createRouter(deps: RouterDeps) {
  return {
    /** Every subscription that covers the story's regions, with its verdict. */
    decide(storyId: number): RouteDecision[] {
      const subs = deps.subscriptions.forStory(storyId);
      if (subs.length === 0) return [];
      const text = normalizeForMatch(deps.articles.matchText(storyId));
      const seen = new Map<string, boolean>();
      return subs.map((subscription) => ({ subscription, ...judge(subscription, text, seen) }));
    },
    /**
     * Writes the outbox rows for a new story; returns how many channels will receive it.
     * Same outcome as grouping decide() by channel (first instant match, else first match;
     * a paused channel gets a 'skipped' row), but a poll routes ~1,000 stories to ~60,000
     * channels, so only the distinct word lists are judged here and the outbox plans the rest
     * in SQL (issue #14).
     */
    route(storyId: number, now: number): number {
      const lists = deps.outbox.wordListsFor(storyId);
      const accepted: string[] = [];
      if (lists.length > 0) {
        const text = normalizeForMatch(deps.articles.matchText(storyId));
        const seen = new Map<string, boolean>();
        for (const l of lists) if (judge({ ...l, pausedReason: null }, text, seen).verdict === 'matched') accepted.push(l.key);
      }
      return deps.outbox.fanOut(storyId, accepted, now);
    },
  };
}

export type Router = ReturnType<typeof createRouter>;
