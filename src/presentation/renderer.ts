// Looks up what a post needs (the story, the guild's settings, a longer summary when the
// guild asks for one) and renders it.
import type { ArticlesPort, GuildSettings, PostingPort, StoryView } from '../store/ports.js';
import type { Gazetteer } from '../text/gazetteer.js';
import { defaultScript } from './labels.js';
import type { OutgoingMessage } from './message.js';
import { postFacts, storyPlaces, type PostFacts } from './post.js';
import { renderDigest, renderStory, type RenderOptions } from './render.js';
import type { LongSummaries } from './summaries.js';

/** Delivery's Renderer port (src/delivery/options.ts), implemented over the stored stories. */
export interface StoryPost extends PostFacts {
  readonly message: OutgoingMessage;
  readonly revision: number;
}

/** Per story: its picture and corrections (the store's PostingPort). */
export type PostFactsSource = Pick<PostingPort, 'postFacts'>;

export interface StoryRenderer {
  story(storyId: number, settings: GuildSettings, compact: boolean): Promise<StoryPost | null>;
  digest(storyIds: readonly number[], settings: GuildSettings, kind: 'burst' | 'scheduled', since: number | null): Promise<OutgoingMessage[]>;
  digestPlaces(storyIds: readonly number[]): Promise<readonly (readonly string[])[]>;
}

const NO_FACTS: PostFactsSource = { postFacts: () => Promise.resolve({ revision: 0, revisedAt: null, image: null }) };

export function createRenderer(deps: { articles: Pick<ArticlesPort, 'story'>; gazetteer: Gazetteer; summaries: LongSummaries; defaultTimeZone: string; posts?: PostFactsSource }): StoryRenderer {
  const posts = deps.posts ?? NO_FACTS;
  const options = (s: GuildSettings, compact = false): RenderOptions => ({
    script: s.script ?? defaultScript(s.locale),
    timeZone: s.timeZone ?? deps.defaultTimeZone,
    guildLocale: s.locale,
    gazetteer: deps.gazetteer,
    ...(s.summaryLength ? { summaryBudget: s.summaryLength } : {}),
    compact,
  });
  /** The stories still stored, in the order asked. */
  const stories = async (storyIds: readonly number[]): Promise<StoryView[]> => (await Promise.all(storyIds.map((id) => deps.articles.story(id)))).filter((s): s is StoryView => s !== null);
  return {
    async story(storyId, settings, compact) {
      const story = await deps.articles.story(storyId);
      if (!story) return null;
      const facts = await posts.postFacts(storyId);
      const opts = { ...options(settings, compact), image: facts.image, revisedAt: facts.revision > 0 ? facts.revisedAt : null };
      const longSummary = opts.summaryBudget ? await deps.summaries.forStory(story, opts.summaryBudget) : null;
      return { message: renderStory(story, { ...opts, longSummary }), ...postFacts(story, opts), revision: facts.revision };
    },
    async digestPlaces(storyIds) {
      // Each story's places, in order, without repeats: most specific first within a story.
      const seen = new Set<string>();
      const out: (readonly string[])[] = [];
      for (const story of await stories(storyIds)) {
        for (const keys of storyPlaces(story, deps.gazetteer)) {
          const k = keys.join('|');
          if (seen.has(k)) continue;
          seen.add(k);
          out.push(keys);
        }
      }
      return out;
    },
    async digest(storyIds, settings, kind, since) {
      const found = await stories(storyIds);
      return found.length ? renderDigest(found, { ...options(settings), kind, since }) : [];
    },
  };
}
