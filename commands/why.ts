// /why url: what happened to one story in this server — seen, regions, each subscription's
// verdict, and where and when it was posted. For moderators wondering "why didn't it post?".
import { OptionType } from '../src/presentation/discord-api.js';
import { DiscordCode } from '../src/presentation/discord-errors.js';
import { clipText, escapeMarkdown, fitEscaped } from '../src/presentation/message.js';
import { formatLocalTime } from '../src/presentation/time.js';
import type { RouteDecision } from '../src/delivery/route.js';
import type { OutboxItem, StoryView } from '../src/store/ports.js';
import type { CommandDeps } from './deps.js';
import { UserError } from './errors.js';
import { fitLines } from './fit-lines.js';
import { localizations, nameLocalizations, t, uiLanguage } from './i18n.js';
import { MODERATOR_PERMISSIONS, requireModerator } from './permissions.js';
import { regionPath } from './region-search.js';
import { M as REGION_TEXT } from './region-text.js';
import type { CommandInput, CommandModule, Definition, Reply, UiLanguage } from './types.js';
import { M, REGION_BY, REGION_SOURCES } from './why-text.js';

const URL_MAX_LENGTH = 1500;
const DESCRIPTION_MAX = 4000;
const MAX_REGIONS = 8;

export const definition = {
  name: 'why',
  name_localizations: nameLocalizations('为何', '為何'),
  description: M.cmd.en,
  ...localizations(M.cmd),
  dm_permission: false,
  // Hidden from members by default; the handler checks again because admins can override this.
  default_member_permissions: MODERATOR_PERMISSIONS,
  options: [{ type: OptionType.String, name: 'url', name_localizations: nameLocalizations('链接', '連結'), description: M.optUrl.en, ...localizations(M.optUrl), required: true, max_length: URL_MAX_LENGTH }],
} as const satisfies Definition;

/** A link echoed back, cut short: replies have a bounded size. Canonical links are ASCII. */
const short = (url: string) => (url.length > 80 ? `${url.slice(0, 80)}…` : url);

/** The story behind a link, trying the other scheme too: many sites serve both. */
async function findStory(deps: CommandDeps, raw: string, canonical: string): Promise<number | null> {
  const other = canonical.startsWith('https:') ? `http:${canonical.slice(6)}` : `https:${canonical.slice(5)}`;
  return (await deps.articles.storyByUrl(canonical, raw)) ?? deps.articles.storyByUrl(other, other);
}

/** hold_reason is written in English for logs (ingest/poll-feed.ts); readers get their language. */
function holdText(reason: string | null, lang: UiLanguage): string {
  const hours = /^too old\D*(\d+)/.exec(reason ?? '');
  if (hours) return t(M.holdTooOld, lang, { h: hours[1]! });
  if (reason?.startsWith('backlog')) return t(M.holdBacklog, lang);
  return t(M.holdOther, lang);
}

/** Discord's refusal, by its code (see presentation/discord-errors CHANNEL_GONE); raw messages stay in the log. */
function pauseCause(code: number | null, lang: UiLanguage): string {
  if (code === DiscordCode.unknownChannel) return t(M.pauseGone, lang);
  if (code === DiscordCode.missingAccess) return t(M.pauseAccess, lang);
  if (code === DiscordCode.missingPermissions) return t(M.pausePermission, lang);
  return t(M.pauseOther, lang);
}

/** `code`: the pause code stored for the channel (null: unknown or not paused). */
function pausedVerdict(code: number | null, lang: UiLanguage): string {
  return t(M.channelPaused, lang, { cause: pauseCause(code, lang), fix: t(code === DiscordCode.unknownChannel ? M.fixGone : M.fixResume, lang) });
}

function storyLines(story: StoryView, deps: CommandDeps, lang: UiLanguage, zone: string): string[] {
  const lines = [t(M.seen, lang, { when: formatLocalTime(story.firstSeenAt, zone), feed: escapeMarkdown(story.feedName) }) + (story.alsoReportedBy.length ? t(M.otherSources, lang, { n: story.alsoReportedBy.length }) : '')];
  if (story.publishedAt !== null) lines.push(t(M.published, lang, { when: formatLocalTime(story.publishedAt, zone) }));
  // Ancestors are implied by their descendants; listing them only repeats the path.
  const own = story.regions.filter((r) => r.source !== 'ancestor');
  const shown = (own.length ? own : story.regions).slice(0, MAX_REGIONS);
  const list = shown.map((r) => t(REGION_BY, lang, { region: regionPath(deps.gazetteer, r.code, lang), source: t(REGION_SOURCES[r.source], lang) }));
  lines.push(list.length ? t(M.regions, lang, { list: list.join(lang === 'en' ? '; ' : '；') }) : t(M.noRegions, lang));
  lines.push(story.postable ? t(M.postable, lang) : t(M.held, lang, { reason: holdText(story.holdReason, lang) }));
  return lines;
}

async function decisionLine(d: RouteDecision, story: StoryView, deps: CommandDeps, lang: UiLanguage): Promise<string> {
  const s = d.subscription;
  const head = `<#${s.channelId}> · ${regionPath(deps.gazetteer, s.regionCode, lang)} · ${t(s.mode === 'digest' ? REGION_TEXT.modeDigest : REGION_TEXT.modeInstant, lang)}`;
  const verdict =
    d.verdict === 'matched'
      ? t(story.postable ? M.matched : M.matchedHeld, lang)
      : d.verdict === 'no-include-word'
        ? t(M.noInclude, lang, { words: escapeMarkdown(s.include.join('、')) })
        : d.verdict === 'excluded-word'
          ? t(M.excluded, lang, { word: escapeMarkdown(d.word ?? '') })
          : pausedVerdict((await deps.subscriptions.channel(s.channelId))?.pauseCode ?? null, lang);
  return `${head}${lang === 'en' ? ': ' : '：'}${verdict}`;
}

function deliveryLine(d: OutboxItem, guildId: string, lang: UiLanguage, zone: string): string {
  const channel = `<#${d.channelId}>`;
  switch (d.state) {
    case 'sent': {
      const line = t(M.sent, lang, { channel, when: d.sentAt === null ? '—' : formatLocalTime(d.sentAt, zone) });
      return d.messageId ? `${line} · [${t(M.jump, lang)}](https://discord.com/channels/${guildId}/${d.channelId}/${d.messageId})` : line;
    }
    case 'pending':
    case 'sending':
      return d.attempts > 0 && d.lastError ? t(M.retrying, lang, { channel, n: d.attempts }) : t(M.pending, lang, { channel });
    case 'queued':
      return t(M.queued, lang, { channel });
    case 'digested':
      // An instant subscription only lands in a digest when the channel hit its burst cap.
      return t(d.mode === 'digest' ? M.inDigest : M.capped, lang, { channel });
    case 'skipped': {
      // The channel may have been resumed since: the code of the refusal is in the row itself.
      const code = /Discord code (\d+)/.exec(d.lastError ?? '')?.[1];
      return t(M.skipped, lang, { channel, cause: pauseCause(code === undefined ? null : Number(code), lang) });
    }
    case 'failed':
      return t(M.failed, lang, { channel });
  }
}

async function explain(input: CommandInput, deps: CommandDeps): Promise<Reply> {
  const lang = uiLanguage(input.locale);
  const guildId = requireModerator(input);
  const raw = String(input.options.url ?? '').trim();
  if (raw.length > URL_MAX_LENGTH) throw new UserError(M.tooLong, { max: URL_MAX_LENGTH });
  const canonical = deps.canonicalUrl(raw);
  if (!canonical) throw new UserError(M.notAUrl, { text: fitEscaped(raw, 80) });
  const storyId = await findStory(deps, raw, canonical);
  const story = storyId === null ? null : await deps.articles.story(storyId);
  if (!story) return { ephemeral: true, content: t(M.neverSeen, lang, { url: `<${short(canonical)}>` }) };

  const zone = (await deps.settings.settings(guildId)).timeZone ?? deps.defaultTimeZone;
  const decisions = (await deps.decide(story.storyId)).filter((d) => d.subscription.guildId === guildId);
  const deliveries = (await deps.outbox.forStory(story.storyId)).filter((d) => d.guildId === guildId);
  const verdicts = await Promise.all(decisions.map((d) => decisionLine(d, story, deps, lang)));
  const lines = [
    ...storyLines(story, deps, lang, zone),
    '',
    t(M.subsHeading, lang),
    ...(verdicts.length ? verdicts : [t(M.noSubs, lang)]),
    '',
    t(M.postsHeading, lang),
    ...(deliveries.length ? deliveries.map((d) => deliveryLine(d, guildId, lang, zone)) : [t(story.postable ? M.noPosts : M.noPostsHeld, lang)]),
  ];
  const description = fitLines(lines, DESCRIPTION_MAX, (n) => t(M.more, lang, { n })).text;
  const url = story.url && /^https?:\/\//i.test(story.url) && story.url.length <= 2000 ? story.url : undefined;
  return {
    ephemeral: true,
    content: t(M.header, lang, { zone }),
    embeds: [{ title: clipText(story.title, 256) || '—', ...(url ? { url } : {}), description }],
  };
}

export const why: CommandModule = {
  definition,
  async execute(input, deps) {
    return explain(input, deps);
  },
};
