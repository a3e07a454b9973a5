// Finds the story an item belongs to: the same news from another feed, or in the other script.
import type { ArticlesRepo, StoryCandidate } from '../store/articles-repo.js';
import { bigrams, dice } from './identity.js';

const DAY = 86_400_000;
/** Same title: the same story if published within this window. */
const EXACT_WINDOW = 3 * DAY;
/** Nearly the same title (one or two words differ): a tighter window and a high bar. */
const FUZZY_WINDOW = 1.5 * DAY;
const FUZZY_THRESHOLD = 0.8;
const FUZZY_MIN_KEY = 8;
const FUZZY_CANDIDATES = 2000;

export interface MatchInput {
  readonly feedId: string;
  readonly titleKey: string;
  readonly canonicalUrl: string | null;
  readonly time: number; // published, else first seen
}

const timeOf = (s: StoryCandidate): number => s.publishedAt ?? s.firstSeenAt;
/** Titles that differ in a number (第1期 / 第2期, 3号线 / 4号线) are different news. */
const numbers = (key: string): string => (key.match(/\d+/g) ?? []).join(',');

/** One matcher per poll: caches the recent stories' bigrams for the fuzzy pass. */
export function createStoryMatcher(repo: ArticlesRepo, now: number) {
  let recent: Array<{ story: StoryCandidate; grams: Set<string> }> | null = null;
  const added: Array<{ story: StoryCandidate; grams: Set<string> }> = [];

  const recentStories = () => {
    recent ??= repo
      .recentStories(now - 3 * DAY, FUZZY_CANDIDATES)
      .map((story) => ({ story, grams: bigrams(story.titleKey) }));
    return recent;
  };

  return {
    match(input: MatchInput): number | null {
      if (input.canonicalUrl) {
        const byUrl = repo.storyByCanonicalUrl(input.canonicalUrl);
        if (byUrl !== null) return byUrl;
      }
      if ([...input.titleKey].length < 4) return null; // "快讯" alone says nothing about identity
      for (const s of repo.storiesByTitleKey(input.titleKey)) {
        if (Math.abs(timeOf(s) - input.time) <= EXACT_WINDOW) return s.id;
      }
      if ([...input.titleKey].length < FUZZY_MIN_KEY) return null;
      // Near-identical titles merge only across feeds: one feed's similar headlines are separate items.
      const grams = bigrams(input.titleKey);
      const digits = numbers(input.titleKey);
      let best: { id: number; score: number } | null = null;
      for (const c of [...added, ...recentStories()]) {
        if (c.story.feedId === input.feedId || Math.abs(timeOf(c.story) - input.time) > FUZZY_WINDOW) continue;
        if (numbers(c.story.titleKey) !== digits) continue;
        const score = dice(grams, c.grams);
        if (score >= FUZZY_THRESHOLD && (!best || score > best.score)) best = { id: c.story.id, score };
      }
      return best?.id ?? null;
    },
    /** Stories created during this poll join the fuzzy candidates. */
    remember(story: StoryCandidate): void {
      added.push({ story, grams: bigrams(story.titleKey) });
    },
  };
}
