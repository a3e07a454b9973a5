// What a story's post carries besides its embed (issue #15): the title a forum post or thread
// takes, the places a forum's tags are matched against, and a subscription's role ping.
import type { StoryView } from '../store/ports.js';
import type { Gazetteer } from '../text/gazetteer.js';
import { placeKeys, threadName } from './forum.js';
import type { OutgoingMessage } from './message.js';
import { contextOf, oneLine, show, type RenderOptions } from './story-context.js';

export interface PostFacts {
  /** The headline in the server's script, within a thread name's limit. */
  readonly threadName: string;
  /** The story's places, most specific first, as folded names (forum tags are matched to them). */
  readonly places: readonly (readonly string[])[];
}

/** The story's places, most specific first, as folded names (forum tags are matched to them). */
export function storyPlaces(story: StoryView, gaz: Gazetteer): string[][] {
  const regions = [...new Set(story.regions.map((t) => t.code))].flatMap((code) => {
    const r = gaz.get(code);
    return r ? [r] : [];
  });
  return placeKeys(regions);
}

export function postFacts(story: StoryView, opts: RenderOptions): PostFacts {
  const ctx = contextOf(opts);
  return { threadName: threadName(oneLine(show(ctx, story.title)), ctx.labels.untitled), places: storyPlaces(story, ctx.gaz) };
}

/**
 * The post pings one role: its mention leads the content and `allowed_mentions` names that
 * role alone, so text in a story can never ping anyone (not @everyone, users or other roles).
 */
export function withRoleMention(message: OutgoingMessage, roleId: string): OutgoingMessage {
  if (!/^\d{17,20}$/.test(roleId)) return message;
  return { ...message, content: `<@&${roleId}>`, allowed_mentions: { parse: [], roles: [roleId] } };
}
