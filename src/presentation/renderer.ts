// Looks up what a post needs (the story, the guild's settings, a longer summary when the
// guild asks for one) and renders it.
import type { ArticlesRepo, StoryView } from '../store/articles-repo.js';
import type { GuildSettings } from '../store/subscriptions-repo.js';
import type { Gazetteer } from '../text/gazetteer.js';
import { defaultScript } from './labels.js';
import type { OutgoingMessage } from './message.js';
import { renderDigest, renderStory, type RenderOptions } from './render.js';
import type { LongSummaries } from './summaries.js';

/** Delivery's Renderer port (src/delivery/options.ts), implemented over the stored stories. */
export interface StoryRenderer {
  story(storyId: number, settings: GuildSettings, compact: boolean): Promise<OutgoingMessage | null>;
  digest(storyIds: readonly number[], settings: GuildSettings, kind: 'burst' | 'scheduled', since: number | null): OutgoingMessage[];
}

export function createRenderer(deps: { articles: ArticlesRepo; gazetteer: Gazetteer; summaries: LongSummaries; defaultTimeZone: string }): StoryRenderer {
  const options = (s: GuildSettings, compact = false): RenderOptions => ({
    script: s.script ?? defaultScript(s.locale),
    timeZone: s.timeZone ?? deps.defaultTimeZone,
    guildLocale: s.locale,
    gazetteer: deps.gazetteer,
    ...(s.summaryLength ? { summaryBudget: s.summaryLength } : {}),
    compact,
  });
  return {
    async story(storyId, settings, compact) {
      const story = deps.articles.story(storyId);
      if (!story) return null;
      const opts = options(settings, compact);
      const longSummary = opts.summaryBudget ? await deps.summaries.forStory(story, opts.summaryBudget) : null;
      return renderStory(story, { ...opts, longSummary });
    },
    digest(storyIds, settings, kind, since) {
      const stories = storyIds.map((id) => deps.articles.story(id)).filter((s): s is StoryView => s !== null);
      return stories.length ? renderDigest(stories, { ...options(settings), kind, since }) : [];
    },
  };
}
