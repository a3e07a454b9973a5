// Many stories as a digest: one line each, packed into as few messages as Discord's limits
// allow, counted rather than dropped past the cap.
import type { StoryView } from '../store/ports.js';
import { DEFAULT_COLOR } from './colors.js';
import type { Labels } from './labels.js';
import { clipText, embedLength, escapeMarkdown, fitEscaped, LIMITS, type Embed, type OutgoingMessage } from './message.js';
import { contextOf, leafRegions, LINK_URL_MAX, linkTarget, message, NAME_MAX, oneLine, show, showName, storyColor, type Ctx, type RenderOptions } from './story-context.js';
import { formatLocalTime, validTime } from './time.js';

export interface DigestOptions extends RenderOptions {
  readonly kind: 'burst' | 'scheduled';
  /** Start of a scheduled digest's period (epoch ms). */
  readonly since?: number | null;
}

const DIGEST_TITLE_MAX = 100; // code points of a story title in a digest line
const MAX_DIGEST_MESSAGES = 5;

function digestLine(ctx: Ctx, story: StoryView, compact: boolean): string {
  const title = clipText(oneLine(show(ctx, story.title)) || ctx.labels.untitled, DIGEST_TITLE_MAX, 'codePoint');
  const label = escapeMarkdown(title);
  const target = compact ? null : linkTarget(story.url, LINK_URL_MAX, true);
  const source = fitEscaped(clipText(showName(ctx, story.feedName), NAME_MAX), 2 * NAME_MAX);
  return `• ${target ? `[${label}](${target})` : label}${source ? ` — ${source}` : ''}`;
}

function digestColor(ctx: Ctx, stories: readonly StoryView[]): number {
  const votes = new Map<number, number>();
  for (const s of stories) {
    const c = storyColor(ctx, leafRegions(ctx, s));
    votes.set(c, (votes.get(c) ?? 0) + 1);
  }
  return [...votes].sort((a, b) => b[1] - a[1])[0]?.[0] ?? DEFAULT_COLOR;
}

/**
 * Many stories as a roll-up: one line each, packed into descriptions (4096), embeds (10)
 * and messages (6000 in all). Past MAX_DIGEST_MESSAGES the rest is counted, not dropped.
 * No stories, no messages.
 */
export function renderDigest(stories: readonly StoryView[], opts: DigestOptions): OutgoingMessage[] {
  if (stories.length === 0) return [];
  const ctx = contextOf(opts);
  const l = ctx.labels;
  const lines = stories.map((s) => digestLine(ctx, s, opts.compact === true));
  let header = opts.kind === 'scheduled' ? l.digestTitle(stories.length) : l.burstTitle(stories.length);
  // The header is a title, where markup shows raw: the period is written in the server's zone.
  if (opts.kind === 'scheduled' && validTime(opts.since)) header += ` · ${l.since(formatLocalTime(opts.since, ctx.timeZone))}`;
  const color = digestColor(ctx, stories);
  const descMax = opts.compact ? 2048 : LIMITS.description;
  const messages: Embed[][] = [];
  let next = 0;
  while (next < lines.length && messages.length < MAX_DIGEST_MESSAGES) {
    const embeds: Embed[] = [];
    let used = 0;
    while (next < lines.length && embeds.length < (opts.compact ? 1 : LIMITS.embeds)) {
      const title = embeds.length > 0 ? undefined : clipText(messages.length === 0 ? header : l.continued, LIMITS.title);
      const room = Math.min(descMax, LIMITS.total - used - (title?.length ?? 0));
      let description = '';
      for (; next < lines.length; next++) {
        const grown = description ? `${description}\n${lines[next]}` : lines[next]!;
        if (grown.length > room) break;
        description = grown;
      }
      if (!description) break;
      const embed: Embed = title ? { title, description, color } : { description, color };
      embeds.push(embed);
      used += embedLength(embed);
    }
    if (embeds.length === 0) break;
    messages.push(embeds);
  }
  if (next < lines.length) countTheRest(messages, lines.length - next, l, descMax);
  return messages.map(message);
}

/** Ends the last embed with "and N more", giving up listed lines until the note fits. */
function countTheRest(messages: Embed[][], rest: number, l: Labels, descMax: number): void {
  const embeds = messages[messages.length - 1]!;
  const last = embeds[embeds.length - 1]!;
  const lines = (last.description ?? '').split('\n');
  const others = embeds.reduce((n, e) => n + embedLength(e), 0) - embedLength(last);
  for (let hidden = rest; ; hidden++) {
    const description = [...lines, escapeMarkdown(l.moreStories(hidden))].join('\n');
    const room = Math.min(descMax, LIMITS.total - others - (last.title?.length ?? 0));
    if (description.length <= room || lines.length === 0) {
      last.description = description;
      return;
    }
    lines.pop();
  }
}
