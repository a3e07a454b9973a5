// Summaries at a server's own length, through the Summarizer port (src/text/summary.ts), so
// an LLM summarizer is one new file wired in src/app. Ingest stores each story's summary at
// DEFAULT_SUMMARY_BUDGET; a server that wants more gets one summary per story made at the
// largest length a server may choose, and every shorter length is cut from it (or from the
// stored one) at sentence bounds when rendering: the port is asked once per story, not once
// per server, and never for a length the stored summary already covers.
import type { StoryView } from '../store/ports.js';
import type { Gazetteer } from '../text/gazetteer.js';
import { homePlaces } from '../text/references.js';
import { DEFAULT_SUMMARY_BUDGET, type Summarizer } from '../text/summary.js';

/** The lengths /settings summary-length accepts, in code points. */
export const MIN_SUMMARY_BUDGET = 60;
export const MAX_SUMMARY_BUDGET = 400;
// Stories are written in the zone of the place they report on: all of China is UTC+8.
const SOURCE_ZONE = 'Asia/Shanghai';
const CACHE_SIZE = 1000;

export interface LongSummaries {
  /**
   * The story summarised at MAX_SUMMARY_BUDGET when `budget` is more than the stored summary
   * covers, else null (render cuts the stored one). Null too when the summarizer fails: the
   * post goes out with the stored summary rather than not at all.
   */
  forStory(story: StoryView, budget: number): Promise<string | null>;
}

export function createLongSummaries(deps: { summarizer: Summarizer; gazetteer: Gazetteer; cacheSize?: number }): LongSummaries {
  const cache = new Map<string, Promise<string | null>>(); // insertion order = age
  const limit = deps.cacheSize ?? CACHE_SIZE;
  const summarize = async (story: StoryView, body: string): Promise<string | null> => {
    const traditional = story.script === 'traditional';
    const context = { publishedAt: story.publishedAt, timeZone: SOURCE_ZONE, places: homePlaces(deps.gazetteer, story.regions, traditional) };
    try {
      return (await deps.summarizer.summarize({ title: story.title, body, budget: MAX_SUMMARY_BUDGET, context })).trim() || null;
    } catch {
      return null;
    }
  };
  return {
    forStory(story, budget) {
      const body = story.body?.trim() ? story.body : story.text;
      if (budget <= DEFAULT_SUMMARY_BUDGET || !body.trim()) return Promise.resolve(null);
      // A corrected article is a new text: its key changes with the title and the length.
      const key = `${story.storyId}:${story.articleId}:${story.title.length}:${body.length}`;
      let got = cache.get(key);
      if (got === undefined) {
        got = summarize(story, body);
        cache.set(key, got);
        // A failure is not remembered: the next post of the story asks again.
        void got.then((text) => text === null && cache.delete(key));
        if (cache.size > limit) cache.delete(cache.keys().next().value!);
      }
      return got;
    },
  };
}
