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
export function judge(sub: Subscription, normalizedText: string, seen: Map<string, boolean> = new Map()): { verdict: SubscriptionVerdict; word?: string } {
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
    /** Writes the outbox rows for a new story; returns how many channels will receive it. */
    route(storyId: number, now: number): number {
      const byChannel = new Map<string, RouteDecision[]>();
      for (const d of this.decide(storyId)) {
        const list = byChannel.get(d.subscription.channelId) ?? [];
        list.push(d);
        byChannel.set(d.subscription.channelId, list);
      }
      let queued = 0;
      for (const [channelId, decisions] of byChannel) {
        const matched = decisions.filter((d) => d.verdict === 'matched');
        const first = matched.find((d) => d.subscription.mode === 'instant') ?? matched[0];
        const paused = decisions.find((d) => d.verdict === 'channel-paused');
        if (!first && !paused) continue; // keywords kept it out: nothing to record
        const sub = (first ?? paused)!.subscription;
        const state = first ? (first.subscription.mode === 'instant' ? 'pending' : 'queued') : 'skipped';
        const reason = first ? null : `channel paused: ${sub.pausedReason}`;
        if (deps.outbox.enqueue({ storyId, guildId: sub.guildId, channelId, subscriptionId: sub.id, mode: sub.mode, state, reason }, now) && first) queued++;
      }
      return queued;
    },
  };
}

export type Router = ReturnType<typeof createRouter>;
