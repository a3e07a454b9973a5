// /feeds status: each feed's health for moderators, problems first.
import { escapeMarkdown, fitEscaped, type Embed } from '../src/delivery/message.js';
import { formatLocalTime } from '../src/delivery/render.js';
import type { FeedState } from '../src/store/feeds-repo.js';
import type { CommandDeps } from './deps.js';
import { UserError } from './errors.js';
import { M } from './feeds-text.js';
import { COMMON, localizations, nameLocalizations, t, uiLanguage, type Localized } from './i18n.js';
import { MODERATOR_PERMISSIONS, requireModerator } from './permissions.js';
import { regionName } from './region-search.js';
import type { CommandInput, CommandModule, Definition, Reply, UiLanguage } from './types.js';

const SUB = 1;

export const definition = {
  name: 'feeds',
  name_localizations: nameLocalizations('新闻源', '新聞來源'),
  description: M.cmd.en,
  ...localizations(M.cmd),
  dm_permission: false,
  // Hidden from members by default; the handler checks again because admins can override this.
  default_member_permissions: MODERATOR_PERMISSIONS,
  options: [{ type: SUB, name: 'status', name_localizations: nameLocalizations('状态', '狀態'), description: M.status.en, ...localizations(M.status) }],
} as const satisfies Definition;

/** Discord allows 6000 characters over all embeds of a message; this leaves room for titles. */
const EMBEDS_BUDGET = 5600;
const DESCRIPTION_MAX = 4000;
const ERROR_MAX = 160;

/** Messages the ingest layer writes are meant for admins, except wrapped crashes. */
export function feedError(error: string, lang: UiLanguage): string {
  if (error.startsWith('unexpected error')) return t(M.internalError, lang);
  return fitEscaped(error, ERROR_MAX);
}

/**
 * As many lines as fit in `max` characters (UTF-16 units, never fewer than Discord's count),
 * closing with `more(n)` when some had to be left out.
 */
export function fitLines(lines: readonly string[], max: number, more: (n: number) => string): { text: string; shown: number } {
  const reserve = more(lines.length).length + 1;
  let size = 0;
  let shown = 0;
  for (const line of lines) {
    const room = shown === lines.length - 1 ? max : max - reserve;
    if (size + line.length + 1 > room) break;
    size += line.length + 1;
    shown++;
  }
  const kept = lines.slice(0, shown);
  if (shown < lines.length) kept.push(more(lines.length - shown));
  return { text: kept.join('\n'), shown };
}

type Group = 'paused' | 'failing' | 'waiting' | 'ok';
const GROUPS: ReadonlyArray<{ group: Group; title: Localized; color: number }> = [
  { group: 'paused', title: M.groupPaused, color: 0xed4245 },
  { group: 'failing', title: M.groupFailing, color: 0xfaa61a },
  { group: 'waiting', title: M.groupWaiting, color: 0x99aab5 },
  { group: 'ok', title: M.groupOk, color: 0x57f287 },
];

function groupOf(f: FeedState): Group {
  if (f.pausedAt !== null) return 'paused';
  if (f.lastStatus === 'error' || f.failureCount > 0) return 'failing';
  if (f.lastFetchAt === null) return 'waiting';
  return 'ok';
}

const byName = new Intl.Collator('zh', { numeric: true });

/** Within a group, the longest-standing problem first; the others by name (源2 before 源10). */
function compare(a: FeedState, b: FeedState): number {
  const since = (f: FeedState) => f.pausedAt ?? f.failingSince ?? Number.MAX_SAFE_INTEGER;
  return since(a) - since(b) || b.failureCount - a.failureCount || byName.compare(a.name, b.name) || byName.compare(a.id, b.id);
}

function line(f: FeedState, group: Group, deps: CommandDeps, lang: UiLanguage, zone: string): string {
  const when = (ms: number | null) => (ms === null ? '—' : formatLocalTime(ms, zone));
  const region = deps.gazetteer.get(f.region);
  const head = `**${escapeMarkdown(f.name)}** \`${f.id}\`${region ? ` · ${regionName(region, lang)}` : ''}`;
  const success = f.lastSuccessAt === null ? t(M.neverSucceeded, lang) : t(M.lastSuccess, lang, { when: when(f.lastSuccessAt) });
  const error = f.lastError ? t(M.lastError, lang, { error: feedError(f.lastError, lang) }) : '';
  const parts =
    group === 'paused'
      ? [t(M.paused, lang, { since: when(f.pausedAt) }), error, success]
      : group === 'failing'
        ? [t(M.failing, lang, { n: f.failureCount, since: when(f.failingSince ?? f.lastErrorAt) }), error, success, f.nextPollAt === null ? '' : t(M.nextPoll, lang, { when: when(f.nextPollAt) })]
        : group === 'waiting'
          ? [t(M.waiting, lang)]
          : [success, t(M.items, lang, { n: f.itemCount })];
  return `${head} — ${parts.filter(Boolean).join(lang === 'en' ? '; ' : '；')}`;
}

function status(input: CommandInput, deps: CommandDeps): Reply {
  const lang = uiLanguage(input.locale);
  const guildId = requireModerator(input);
  const feeds = deps.feeds.list();
  if (feeds.length === 0) return { ephemeral: true, content: t(M.noFeeds, lang) };
  const zone = deps.subscriptions.settings(guildId).timeZone ?? deps.defaultTimeZone;
  const byGroup = new Map<Group, FeedState[]>(GROUPS.map((g) => [g.group, []]));
  for (const f of feeds) byGroup.get(groupOf(f))!.push(f);

  const embeds: Embed[] = [];
  let budget = EMBEDS_BUDGET;
  let omitted = 0;
  for (const { group, title, color } of GROUPS) {
    const members = byGroup.get(group)!.sort(compare);
    if (members.length === 0) continue;
    const heading = `${t(title, lang)} (${members.length})`;
    const room = Math.min(DESCRIPTION_MAX, budget - heading.length);
    // Too little room left for even one useful line: count the group instead of listing it.
    if (room < 200) {
      omitted += members.length;
      continue;
    }
    const fitted = fitLines(members.map((f) => line(f, group, deps, lang, zone)), room, (n) => t(M.more, lang, { n }));
    omitted += members.length - fitted.shown;
    budget -= heading.length + fitted.text.length;
    embeds.push({ title: heading, description: fitted.text, color });
  }
  const count = (g: Group) => byGroup.get(g)!.length;
  const content = [
    t(M.summary, lang, { total: feeds.length, paused: count('paused'), failing: count('failing'), waiting: count('waiting'), ok: count('ok'), zone }),
    omitted ? t(M.omitted, lang, { n: omitted }) : '',
  ].filter(Boolean).join('\n');
  return { ephemeral: true, content, embeds };
}

export const feeds: CommandModule = {
  definition,
  async execute(input, deps) {
    if (input.subcommand === 'status') return status(input, deps);
    throw new UserError(COMMON.expired);
  },
};
