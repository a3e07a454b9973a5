// Finds the story an item belongs to: the same news from another feed, or in the other script.
import type { ArticlesPort, StoryCandidate } from '../store/ports.js';
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

/** At least `n` code points (titles are short: counted without building an array). */
function atLeastCodePoints(s: string, n: number): boolean {
  if (s.length < n) return false;
  if (s.length >= 2 * n) return true;
  let count = 0;
  for (let i = 0; i < s.length && count < n; i++) {
    const c = s.charCodeAt(i);
    const next = s.charCodeAt(i + 1);
    if (c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) i++; // a pair is one
    count++;
  }
  return count >= n;
}

interface FuzzyCandidate {
  readonly story: StoryCandidate;
  readonly digits: string;
  grams: Set<string> | null; // made on first comparison
}

const fuzzyCandidate = (story: StoryCandidate): FuzzyCandidate => ({ story, digits: numbers(story.titleKey), grams: null });

/** What matching reads. */
export type MatchPorts = Pick<ArticlesPort, 'storyByCanonicalUrl' | 'storiesByTitleKey' | 'recentStories'>;

/** One matcher per poll: caches the recent stories' bigrams for the fuzzy pass. */
export function createStoryMatcher(repo: MatchPorts, now: number, gazetteer?: Gazetteer) {
  let recent: FuzzyCandidate[] | null = null;
  const added: FuzzyCandidate[] = [];
  const recentStories = async (articles: MatchPorts): Promise<FuzzyCandidate[]> => (recent ??= (await articles.recentStories(now - 3 * DAY, FUZZY_CANDIDATES)).map(fuzzyCandidate));

  async function fuzzy(input: MatchInput, articles: MatchPorts): Promise<number | null> {
    // Near-identical titles merge only across feeds: one feed's similar headlines are separate items.
    const grams = bigrams(input.titleKey);
    const digits = numbers(input.titleKey);
    let best: { id: number; score: number } | null = null;
    // The stories this poll added first, then the recent ones (the first of equal scores wins).
    for (const list of [added, await recentStories(articles)]) {
      for (const c of list) {
        if (c.story.feedId === input.feedId || Math.abs(timeOf(c.story) - input.time) > FUZZY_WINDOW) continue;
        if (c.digits !== digits) continue;
        const score = dice(grams, (c.grams ??= bigrams(c.story.titleKey)));
        if (score < FUZZY_THRESHOLD || (best && score <= best.score)) continue;
        if (gazetteer && placesDiffer(gazetteer, input.titleKey, c.story.titleKey)) continue;
        best = { id: c.story.id, score };
      }
    }
    return best?.id ?? null;
  }

  return {
    /** `articles`: the ports to read through (a unit of work's, at store time; default: the matcher's). */
    async match(input: MatchInput, articles: MatchPorts = repo): Promise<number | null> {
      if (input.canonicalUrl) {
        const byUrl = await articles.storyByCanonicalUrl(input.canonicalUrl);
        if (byUrl !== null) return byUrl;
      }
      if (!atLeastCodePoints(input.titleKey, 4)) return null; // "快讯" alone says nothing about identity
      for (const s of await articles.storiesByTitleKey(input.titleKey)) {
        if (Math.abs(timeOf(s) - input.time) <= EXACT_WINDOW) return s.id;
      }
      return atLeastCodePoints(input.titleKey, FUZZY_MIN_KEY) ? fuzzy(input, articles) : null;
    },
    /** Stories created during this poll join the fuzzy candidates. */
    remember(story: StoryCandidate): void {
      added.push(fuzzyCandidate(story));
    },
  };
}
