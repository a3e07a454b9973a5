// Finds the story an item belongs to: the same news from another feed, or in the other script.
import type { ArticlesRepo, StoryCandidate } from '../store/articles-repo.js';
import type { Gazetteer } from '../text/gazetteer.js';
import { findMentions, type Mention } from '../text/region-mentions.js';
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

/** The places a title names, each as the codes its name can stand for. */
function placesIn(gaz: Gazetteer, key: string): string[][] {
  const found: Mention[] = [];
  findMentions(gaz, key, 'title', found);
  // Weak names (海盐 is also sea salt) count too: this only keeps two titles apart, never joins them.
  return found.map((m) => m.hits.map((h) => h.region.code));
}

/**
 * Titles that name different places are different news, however alike the rest: the same
 * notice is issued by every county (海宁气象台发布暴雨预警 / 海盐气象台发布暴雨预警). Places
 * that contain one another (嘉兴 and 海宁) do not differ; a title naming no place does not either.
 */
export function placesDiffer(gaz: Gazetteer, a: string, b: string): boolean {
  const pa = placesIn(gaz, a);
  const pb = placesIn(gaz, b);
  if (pa.length === 0 || pb.length === 0) return false;
  const related = (x: readonly string[], y: readonly string[]) => x.some((c) => y.some((d) => c === d || gaz.isWithin(c, d) || gaz.isWithin(d, c)));
  return pa.some((x) => !pb.some((y) => related(x, y))) || pb.some((y) => !pa.some((x) => related(x, y)));
}

/** One matcher per poll: caches the recent stories' bigrams for the fuzzy pass. */
export function createStoryMatcher(repo: ArticlesRepo, now: number, gazetteer?: Gazetteer) {
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
        if (score < FUZZY_THRESHOLD || (best && score <= best.score)) continue;
        if (gazetteer && placesDiffer(gazetteer, input.titleKey, c.story.titleKey)) continue;
        best = { id: c.story.id, score };
      }
      return best?.id ?? null;
    },
    /** Stories created during this poll join the fuzzy candidates. */
    remember(story: StoryCandidate): void {
      added.push({ story, grams: bigrams(story.titleKey) });
    },
  };
}
