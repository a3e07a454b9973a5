// A story as a Discord embed (digests: digest.ts). Everything a reader sees is
// converted to the server's script first and fitted to Discord's limits afterwards, since
// conversion changes lengths (記憶體 → 内存). Source text is untrusted: it can be empty,
// enormous, full of markdown, emoji or half surrogate pairs, and must still render.
import type { Region } from '../domain/types.js';
import type { StoryView } from '../store/ports.js';
import { convert, t2s } from '../text/script.js';
import { splitSentences } from '../text/sentences.js';
import { DEFAULT_SUMMARY_BUDGET } from '../text/summary.js';
import { DEFAULT_COLOR } from './colors.js';
import {
  clipText,
  embedLength,
  escapeMarkdown,
  fitEscaped,
  fitList,
  isLinkUrl,
  LIMITS,
  validateMessage,
  type Embed,
  type EmbedField,
  type OutgoingMessage,
} from './message.js';
import { contextOf, leafRegions, LINK_URL_MAX, linkTarget, message, NAME_MAX, oneLine, show, showName, storyColor, type Ctx, type RenderOptions } from './story-context.js';
import { discordTime, formatLocalTime, validTime } from './time.js';

export type { RenderOptions } from './story-context.js';
export { renderDigest, type DigestOptions } from './digest.js';

const MAX_REGION_LEAVES = 8;
const MAX_OTHER_SOURCES = 5;

const sameName = (a: string, b: string): boolean => t2s(oneLine(a)).replace(/\s/g, '').toLowerCase() === t2s(oneLine(b)).replace(/\s/g, '').toLowerCase();

function regionName(ctx: Ctx, story: StoryView, r: Region): string {
  if (ctx.script === 'tw' || ctx.script === 'twp') return r.nameTw;
  if (ctx.script === 'hk') return convert(r.name, 'hk'); // HK glyphs differ from Taiwan's (温/溫)
  if (ctx.script === 'original' && story.script === 'traditional') return r.nameTw;
  return r.name;
}

/** 浙江省 › 嘉兴市 › 秀洲区、海盐县: counties grouped under their prefecture's path. */
function regionsValue(ctx: Ctx, story: StoryView, leaves: readonly string[]): string | null {
  if (leaves.length === 0) return null;
  const groups = new Map<string, string[]>();
  for (const code of leaves.slice(0, MAX_REGION_LEAVES)) {
    const path = ctx.gaz.path(code).map((r) => regionName(ctx, story, r));
    const county = ctx.gaz.get(code)!.kind === 'county' && path.length > 1;
    const key = (county ? path.slice(0, -1) : path).join(' › ');
    const names = groups.get(key) ?? [];
    if (county) names.push(path[path.length - 1]!);
    groups.set(key, names);
  }
  const lines = [...groups].map(([prefix, names]) => clipText(names.length ? `${prefix} › ${names.join(ctx.labels.listSeparator)}` : prefix, 300));
  const hidden = Math.max(0, leaves.length - MAX_REGION_LEAVES);
  return fitList(lines, '\n', LIMITS.fieldValue, ctx.labels.moreRegions, hidden);
}

function sourceValue(ctx: Ctx, story: StoryView): string | null {
  const feed = showName(ctx, story.feedName) || showName(ctx, story.feedId);
  if (!feed) return null;
  const outlet = showName(ctx, story.sourceOutlet ?? '');
  const text = outlet && !sameName(outlet, feed) ? ctx.labels.viaFeed(clipText(feed, NAME_MAX), clipText(outlet, NAME_MAX)) : feed;
  return fitEscaped(text, LIMITS.fieldValue);
}

function othersValue(ctx: Ctx, story: StoryView): string | null {
  const seen = new Set<string>([story.feedId]);
  const names: string[] = [story.feedName];
  const items: string[] = [];
  for (const o of story.alsoReportedBy) {
    const name = showName(ctx, o.feedName) || showName(ctx, o.feedId);
    if (!name || seen.has(o.feedId) || names.some((n) => sameName(n, name))) continue;
    seen.add(o.feedId);
    names.push(name);
    const label = escapeMarkdown(clipText(name, NAME_MAX));
    const target = linkTarget(o.url, LINK_URL_MAX, true);
    items.push(target ? `[${label}](${target})` : label);
  }
  if (items.length === 0) return null;
  const shown = items.slice(0, MAX_OTHER_SOURCES);
  return fitList(shown, ctx.labels.listSeparator, LIMITS.fieldValue, ctx.labels.moreSources, items.length - shown.length);
}

function leadSentences(text: string, budget: number): string {
  let out = '';
  for (const s of splitSentences(text.slice(0, budget * 4 + 200))) {
    const next = out && /[\x21-\x7e]$/.test(out) && /^[\x21-\x7e]/.test(s) ? `${out} ${s}` : out + s;
    if ([...next].length > budget) return out || clipText(s, budget, 'codePoint');
    out = next;
  }
  return out;
}

/**
 * The summary in the reader's script, at most `budget` code points: the summary the port made
 * for this budget or a larger one, cut at sentence bounds; the body's lead without one.
 */
function summaryOf(ctx: Ctx, story: StoryView, budget: number, long: string | null | undefined): string {
  const made = (budget > DEFAULT_SUMMARY_BUDGET && long?.trim()) || story.summary?.trim() || '';
  const body = story.body?.trim() ? story.body : story.text;
  const summary = made ? ([...made].length <= budget ? made : leadSentences(made, budget)) : leadSentences(body, budget);
  return clipText(show(ctx, summary).trim(), budget, 'codePoint');
}

function titleOf(ctx: Ctx, title: string): string {
  return clipText(oneLine(show(ctx, title)) || ctx.labels.untitled, LIMITS.title);
}

/** Footers show markup raw: the server's wall clock, written out. */
function updatedFooter(ctx: Ctx, revisedAt: number | null | undefined): Embed['footer'] {
  return validTime(revisedAt ?? null) ? { text: ctx.labels.updated(formatLocalTime(revisedAt!, ctx.timeZone)) } : undefined;
}

function fullEmbed(ctx: Ctx, story: StoryView, summary: string, opts: RenderOptions): Embed {
  const leaves = leafRegions(ctx, story);
  const embed: Embed = { title: titleOf(ctx, story.title), color: storyColor(ctx, leaves) };
  const url = linkTarget(story.url);
  if (url) embed.url = url;
  const fields: EmbedField[] = [];
  const regions = regionsValue(ctx, story, leaves);
  if (regions) fields.push({ name: ctx.labels.regions, value: regions });
  const source = sourceValue(ctx, story);
  if (source) fields.push({ name: ctx.labels.source, value: source, inline: true });
  if (validTime(story.publishedAt)) {
    // Field values render Discord's timestamp markup: each reader sees their own local time.
    fields.push({ name: ctx.labels.published, value: discordTime(story.publishedAt), inline: true });
    embed.timestamp = new Date(story.publishedAt).toISOString();
  }
  const others = othersValue(ctx, story);
  if (others) fields.push({ name: ctx.labels.alsoReportedBy, value: others });
  if (fields.length) embed.fields = fields;
  if (opts.image && isLinkUrl(opts.image)) embed.image = { url: opts.image };
  const updated = updatedFooter(ctx, opts.revisedAt);
  if (updated) embed.footer = updated;
  const room = Math.min(LIMITS.description, LIMITS.total - embedLength(embed));
  if (summary) embed.description = fitEscaped(summary, room);
  return embed;
}

/** Title, link and a short description only: fewer things Discord can object to. */
function compactEmbed(ctx: Ctx, story: StoryView, summary: string, opts: RenderOptions): Embed {
  const embed: Embed = { title: titleOf(ctx, story.title), color: DEFAULT_COLOR };
  const url = linkTarget(story.url, LINK_URL_MAX); // always ASCII: href is percent-encoded
  if (url) embed.url = url;
  if (summary) embed.description = fitEscaped(summary, 1024);
  const feed = clipText(showName(ctx, story.feedName), NAME_MAX);
  // Footers show markup raw: the server's wall clock, written out.
  const when = validTime(story.publishedAt) ? formatLocalTime(story.publishedAt, ctx.timeZone) : '';
  const footer = [feed, when, updatedFooter(ctx, opts.revisedAt)?.text ?? ''].filter(Boolean).join(' · ');
  if (footer) embed.footer = { text: footer };
  return embed;
}

export function renderStory(story: StoryView, opts: RenderOptions): OutgoingMessage {
  const ctx = contextOf(opts);
  const budget = Math.max(1, Math.floor(opts.summaryBudget ?? DEFAULT_SUMMARY_BUDGET));
  const summary = summaryOf(ctx, story, budget, opts.longSummary);
  const tries = opts.compact ? [compactEmbed] : [fullEmbed, compactEmbed];
  for (const build of tries) {
    const msg = message([build(ctx, story, summary, opts)]);
    if (validateMessage(msg).length === 0) return msg;
  }
  // Nothing from the story could be sent; a bare title still tells the channel it exists.
  return message([{ title: ctx.labels.untitled, color: DEFAULT_COLOR }]);
}
