// /feeds status: each feed's health for moderators, problems first.
import { UI_COLORS } from '../src/presentation/colors.js';
import { OptionType } from '../src/presentation/discord-api.js';
import { escapeMarkdown, fitEscaped, type Embed } from '../src/presentation/message.js';
import { formatLocalTime } from '../src/presentation/time.js';
import type { FeedState } from '../src/store/ports.js';
import type { CommandDeps } from './deps.js';
import { UserError } from './errors.js';
import { M } from './feeds-text.js';
import { COMMON, localizations, nameLocalizations, t, uiLanguage, type Localized } from './i18n.js';
import { F, URL_MAX } from './feeds-manage-text.js';
import { fitLines } from './fit-lines.js';
import { add, list, remove, removeChoices } from './feeds-manage.js';
import { exportFeeds, importFeeds } from './feeds-opml.js';
import { MODERATOR_PERMISSIONS, requireModerator } from './permissions.js';
import { regionChoices, regionName } from './region-search.js';
import type { CommandInput, CommandModule, Definition, Reply, UiLanguage } from './types.js';

// A plain number, as the helpers build options loosely typed and Definition checks the whole.
const SUBCOMMAND: number = OptionType.Subcommand;
const sub = (name: string, zhCN: string, zhTW: string, text: Localized, options: object[] = []) => ({ type: SUBCOMMAND, name, name_localizations: nameLocalizations(zhCN, zhTW), description: text.en, ...localizations(text), options });
const option = (type: number, name: string, zhCN: string, zhTW: string, text: Localized, extra: object = {}) => ({ type, name, name_localizations: nameLocalizations(zhCN, zhTW), description: text.en, ...localizations(text), ...extra });
const regionOpt = (text: Localized, required: boolean) => option(OptionType.String, 'region', '地区', '地區', text, { required, autocomplete: true, max_length: 100 });

export const definition = {
  name: 'feeds',
  name_localizations: nameLocalizations('新闻源', '新聞來源'),
  description: M.cmd.en,
  ...localizations(M.cmd),
  dm_permission: false,
  // Hidden from members by default; the handler checks again because admins can override this.
  default_member_permissions: MODERATOR_PERMISSIONS,
  options: [
    sub('status', '状态', '狀態', M.status),
    sub('add', '添加', '新增', F.add, [option(OptionType.String, 'url', '网址', '網址', F.optUrl, { required: true, max_length: URL_MAX }), regionOpt(F.optRegion, true), option(OptionType.String, 'name', '名称', '名稱', F.optName, { required: false, max_length: 100 })]),
    sub('remove', '移除', '移除', F.remove, [option(OptionType.String, 'feed', '新闻源', '新聞來源', F.optFeed, { required: true, autocomplete: true, max_length: 100 })]),
    sub('list', '列表', '清單', F.list),
    sub('export', '导出', '匯出', F.export),
    sub('import', '导入', '匯入', F.import, [option(OptionType.Attachment, 'file', '文件', '檔案', F.optFile, { required: true }), regionOpt(F.optImportRegion, false)]),
  ],
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

type Group = 'paused' | 'failing' | 'waiting' | 'ok';
const GROUPS: ReadonlyArray<{ group: Group; title: Localized; color: number }> = [
  { group: 'paused', title: M.groupPaused, color: UI_COLORS.danger },
  { group: 'failing', title: M.groupFailing, color: UI_COLORS.warning },
  { group: 'waiting', title: M.groupWaiting, color: UI_COLORS.muted },
  { group: 'ok', title: M.groupOk, color: UI_COLORS.ok },
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
  // The operator's log and `feeds list` carry the details; moderators learn that there is one.
  const warning = f.lastWarning ? t(M.decodeWarning, lang) : '';
  const parts =
    group === 'paused'
      ? [t(M.paused, lang, { since: when(f.pausedAt) }), error, success, warning]
      : group === 'failing'
        ? [t(M.failing, lang, { n: f.failureCount, since: when(f.failingSince ?? f.lastErrorAt) }), error, success, f.nextPollAt === null ? '' : t(M.nextPoll, lang, { when: when(f.nextPollAt) }), warning]
        : group === 'waiting'
          ? [t(M.waiting, lang)]
          : [success, t(M.items, lang, { n: f.itemCount }), warning];
  return `${head} — ${parts.filter(Boolean).join(lang === 'en' ? '; ' : '；')}`;
}

async function status(input: CommandInput, deps: CommandDeps): Promise<Reply> {
  const lang = uiLanguage(input.locale);
  const guildId = requireModerator(input);
  // The catalog serves everyone; of the feeds servers added, each server sees its own.
  const own = new Set((deps.feedAdmin ? await deps.feedAdmin.list(guildId) : []).map((f) => f.id));
  const feeds = (await deps.feeds.list()).filter((f) => f.origin === 'catalog' || own.has(f.id));
  if (feeds.length === 0) return { ephemeral: true, content: t(M.noFeeds, lang) };
  const zone = (await deps.settings.settings(guildId)).timeZone ?? deps.defaultTimeZone;
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
  // Adding and importing fetch pages: Discord's 3 s are not enough, so they defer first.
  defer: (input) => (input.subcommand === 'add' || input.subcommand === 'import' ? 'ephemeral' : false),
  async execute(input, deps) {
    switch (input.subcommand) {
      case 'status':
        return status(input, deps);
      case 'add':
        return add(input, deps);
      case 'remove':
        return remove(input, deps);
      case 'list':
        return list(input, deps);
      case 'export':
        return exportFeeds(input, deps);
      case 'import':
        return importFeeds(input, deps);
    }
    throw new UserError(COMMON.expired);
  },
  async autocomplete(input, deps) {
    if (input.focused.name === 'feed') return removeChoices(input, deps);
    if (input.focused.name === 'region') return regionChoices(deps.gazetteer, input.focused.value, uiLanguage(input.locale));
    return [];
  },
};
