// What rendering a story for one server needs (script, labels, zone, gazetteer) and the
// helpers story posts and digests share: text in the reader's script made safe, names,
// links, places and colour.
import type { Script } from '../domain/types.js';
import type { StoryView } from '../store/ports.js';
import type { Gazetteer } from '../text/gazetteer.js';
import { convert, t2s } from '../text/script.js';
import { provinceColor } from './colors.js';
import { labelLanguage, labelsFor, type Labels } from './labels.js';
import { isLinkUrl, LIMITS, type Embed, type OutgoingMessage } from './message.js';
import { safeZone } from './time.js';

export interface RenderOptions {
  readonly script: Script;
  readonly timeZone: string;
  readonly guildLocale: string | null;
  readonly gazetteer: Gazetteer;
  /** Code points; the stored summary was made with DEFAULT_SUMMARY_BUDGET. */
  readonly summaryBudget?: number;
  /**
   * The story summarised at a larger budget by the Summarizer port (see summaries.ts), for a
   * budget above the stored summary's; it is cut at sentence bounds to `summaryBudget`.
   */
  readonly longSummary?: string | null;
  /** Smaller fallback, for a message Discord refused with 50035. */
  readonly compact?: boolean;
  /** The article's picture (chosen and checked at ingest, text/lead-image.ts). */
  readonly image?: string | null;
  /** When the story was last corrected: the post says it was updated. */
  readonly revisedAt?: number | null;
}

export const NAME_MAX = 80; // feed and outlet names, UTF-16 units
export const LINK_URL_MAX = 512; // longer links are left out of lists instead of eating the room

export interface Ctx {
  readonly script: Script;
  readonly labels: Labels;
  readonly timeZone: string;
  readonly gaz: Gazetteer;
}

export function contextOf(opts: RenderOptions): Ctx {
  return {
    script: opts.script,
    labels: labelsFor(labelLanguage(opts.script, opts.guildLocale)),
    timeZone: safeZone(opts.timeZone),
    gaz: opts.gazetteer,
  };
}

// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
const LONE_SURROGATES = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** In the reader's script, without control characters or halves of surrogate pairs. */
export function show(ctx: Ctx, text: string): string {
  return convert(text, ctx.script).replace(CONTROLS, '').replace(LONE_SURROGATES, '\ufffd');
}
export const oneLine = (s: string): string => s.replace(/\s+/gu, ' ').trim();

/**
 * A proper name (feed, outlet) in the reader's glyphs only: twp and twp→cn also rewrite
 * vocabulary, which turns 浙江在線 into 浙江線上.
 */
export function showName(ctx: Ctx, name: string): string {
  const glyphs = ctx.script === 'cn' ? t2s(name) : convert(name, ctx.script === 'twp' ? 'tw' : ctx.script);
  return oneLine(glyphs.replace(CONTROLS, '').replace(LONE_SURROGATES, '\ufffd'));
}

/**
 * A web link as written when it is plain RFC 3986 text (the reader's URL, untouched), else as
 * the URL parser normalises it; in markdown, parentheses are encoded so `)` cannot end it.
 */
export function linkTarget(url: string | null, max: number = LIMITS.url, markdown = false): string | null {
  const raw = url?.trim() ?? '';
  if (!isLinkUrl(raw)) return null;
  let out = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+$/.test(raw) ? raw : new URL(raw).href;
  if (markdown) out = out.replace(/\(/g, '%28').replace(/\)/g, '%29');
  return out.length <= max && isLinkUrl(out) ? out : null;
}

/** Tagged codes that no other tag lies below, strongest first: the story's real places. */
export function leafRegions(ctx: Ctx, story: StoryView): string[] {
  const codes = [...new Set(story.regions.map((t) => t.code))].filter((c) => ctx.gaz.get(c) !== undefined);
  return codes.filter((c) => !codes.some((o) => o !== c && ctx.gaz.isWithin(o, c)));
}

export function storyColor(ctx: Ctx, leaves: readonly string[]): number {
  return provinceColor(leaves.length ? ctx.gaz.path(leaves[0]!)[0]?.code : undefined);
}

export const message = (embeds: Embed[]): OutgoingMessage => ({ embeds, allowed_mentions: { parse: [] } });
