// A story as a Discord embed, and many stories as a digest. Everything a reader sees is
// converted to the server's script first and fitted to Discord's limits afterwards, since
// conversion changes lengths (記憶體 → 内存). Source text is untrusted: it can be empty,
// enormous, full of markdown, emoji or half surrogate pairs, and must still render.
import type { Region, Script } from '../domain/types.js';
import type { StoryView } from '../store/articles-repo.js';
import type { Gazetteer } from '../text/gazetteer.js';
import { convert, t2s } from '../text/script.js';
import { splitSentences } from '../text/sentences.js';
import { DEFAULT_SUMMARY_BUDGET } from '../text/summary.js';
import { DEFAULT_COLOR, provinceColor } from './colors.js';
import { labelLanguage, labelsFor, type Labels } from './labels.js';
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
import { discordTime, formatLocalTime, safeZone, validTime } from './time.js';

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
}

export interface DigestOptions extends RenderOptions {
  readonly kind: 'burst' | 'scheduled';
  /** Start of a scheduled digest's period (epoch ms). */
  readonly since?: number | null;
}

const MAX_REGION_LEAVES = 8;
const MAX_OTHER_SOURCES = 5;
const NAME_MAX = 80; // feed and outlet names, UTF-16 units
const LINK_URL_MAX = 512; // longer links are left out of lists instead of eating the room
const DIGEST_TITLE_MAX = 100; // code points of a story title in a digest line
const MAX_DIGEST_MESSAGES = 5;

interface Ctx {
  readonly script: Script;
  readonly labels: Labels;
  readonly timeZone: string;
  readonly gaz: Gazetteer;
}

function contextOf(opts: RenderOptions): Ctx {
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
function show(ctx: Ctx, text: string): string {
  return convert(text, ctx.script).replace(CONTROLS, '').replace(LONE_SURROGATES, '\ufffd');
}
const oneLine = (s: string): string => s.replace(/\s+/gu, ' ').trim();

/**
 * A proper name (feed, outlet) in the reader's glyphs only: twp and twp→cn also rewrite
 * vocabulary, which turns 浙江在線 into 浙江線上.
 */
function showName(ctx: Ctx, name: string): string {
  const glyphs = ctx.script === 'cn' ? t2s(name) : convert(name, ctx.script === 'twp' ? 'tw' : ctx.script);
  return oneLine(glyphs.replace(CONTROLS, '').replace(LONE_SURROGATES, '\ufffd'));
}

/**
 * A web link as written when it is plain RFC 3986 text (the reader's URL, untouched), else as
 * the URL parser normalises it; in markdown, parentheses are encoded so `)` cannot end it.
 */
function linkTarget(url: string | null, max: number = LIMITS.url, markdown = false): string | null {
  const raw = url?.trim() ?? '';
  if (!isLinkUrl(raw)) return null;
  let out = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+$/.test(raw) ? raw : new URL(raw).href;
  if (markdown) out = out.replace(/\(/g, '%28').replace(/\)/g, '%29');
  return out.length <= max && isLinkUrl(out) ? out : null;
}

const sameName = (a: string, b: string): boolean => t2s(oneLine(a)).replace(/\s/g, '').toLowerCase() === t2s(oneLine(b)).replace(/\s/g, '').toLowerCase();

function regionName(ctx: Ctx, story: StoryView, r: Region): string {
  if (ctx.script === 'tw' || ctx.script === 'twp') return r.nameTw;
  if (ctx.script === 'hk') return convert(r.name, 'hk'); // HK glyphs differ from Taiwan's (温/溫)
  if (ctx.script === 'original' && story.script === 'traditional') return r.nameTw;
  return r.name;
}

/** Tagged codes that no other tag lies below, strongest first: the story's real places. */
function leafRegions(ctx: Ctx, story: StoryView): string[] {
  const codes = [...new Set(story.regions.map((t) => t.code))].filter((c) => ctx.gaz.get(c) !== undefined);
  return codes.filter((c) => !codes.some((o) => o !== c && ctx.gaz.isWithin(o, c)));
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

function storyColor(ctx: Ctx, leaves: readonly string[]): number {
  return provinceColor(leaves.length ? ctx.gaz.path(leaves[0]!)[0]?.code : undefined);
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

function fullEmbed(ctx: Ctx, story: StoryView, summary: string): Embed {
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
  const room = Math.min(LIMITS.description, LIMITS.total - embedLength(embed));
  if (summary) embed.description = fitEscaped(summary, room);
  return embed;
}

/** Title, link and a short description only: fewer things Discord can object to. */
function compactEmbed(ctx: Ctx, story: StoryView, summary: string): Embed {
  const embed: Embed = { title: titleOf(ctx, story.title), color: DEFAULT_COLOR };
  const url = linkTarget(story.url, LINK_URL_MAX); // always ASCII: href is percent-encoded
  if (url) embed.url = url;
  if (summary) embed.description = fitEscaped(summary, 1024);
  const feed = clipText(showName(ctx, story.feedName), NAME_MAX);
  // Footers show markup raw: the server's wall clock, written out.
  const when = validTime(story.publishedAt) ? formatLocalTime(story.publishedAt, ctx.timeZone) : '';
  const footer = [feed, when].filter(Boolean).join(' · ');
  if (footer) embed.footer = { text: footer };
  return embed;
}

const message = (embeds: Embed[]): OutgoingMessage => ({ embeds, allowed_mentions: { parse: [] } });

export function renderStory(story: StoryView, opts: RenderOptions): OutgoingMessage {
  const ctx = contextOf(opts);
  const budget = Math.max(1, Math.floor(opts.summaryBudget ?? DEFAULT_SUMMARY_BUDGET));
  const summary = summaryOf(ctx, story, budget, opts.longSummary);
  const tries = opts.compact ? [compactEmbed] : [fullEmbed, compactEmbed];
  for (const build of tries) {
    const msg = message([build(ctx, story, summary)]);
    if (validateMessage(msg).length === 0) return msg;
  }
  // Nothing from the story could be sent; a bare title still tells the channel it exists.
  return message([{ title: ctx.labels.untitled, color: DEFAULT_COLOR }]);
}

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
