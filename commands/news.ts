// /news search | latest. Both answer only the caller: search results page through stored
// state (news-state.ts) and any result can be posted publicly with a button.
import type { Script } from '../src/domain/types.js';
import { DEFAULT_COLOR } from '../src/presentation/colors.js';
import { OptionType } from '../src/presentation/discord-api.js';
import { clipText, escapeMarkdown, fitEscaped, isLinkUrl, LIMITS, messageLength, type Embed } from '../src/presentation/message.js';
import { discordTimestamp } from '../src/presentation/time.js';
import type { SearchError, SearchHit, SearchRequest } from '../src/search/request.js';
import type { Gazetteer } from '../src/text/gazetteer.js';
import { convert } from '../src/text/script.js';
import type { CommandDeps } from './deps.js';
import { UserError } from './errors.js';
import { earlierStories, otherSources, storyPage, type Found } from './news-fold.js';
import { COMMON, localizations, nameLocalizations, t, uiLanguage, type Localized } from './i18n.js';
import { openButton, MAX_PAGE, pageId, parseButton, postId, saveSearch, type SavedSearch } from './news-state.js';
import { postResult } from './news-post.js';
import { M } from './news-text.js';
import { regionChoices, regionPath, resolveRegion } from './region-search.js';
import type { Button, ButtonInput, ButtonReply, CommandInput, CommandModule, Definition, Reply, UiLanguage } from './types.js';
import { replyScript, storyEmbed } from './view.js';

/** The search's own limit (MAX_QUERY_LENGTH in src/search/query-syntax.ts; a unit test keeps them equal). */
export const MAX_QUERY = 200;
const MAX_DAYS = 365;
const MAX_COUNT = 10;
const DEFAULT_COUNT = 5;
const PER_PAGE = 5;
const DAY_MS = 86_400_000;
// Five results share one description (4096): each gets a fifth, its parts capped below it.
const RESULT_MAX = Math.floor(LIMITS.description / PER_PAGE) - 2;
const TITLE_MAX = 200;
const URL_MAX = 512;
const NAME_MAX = 80;
const SNIPPET_MAX = 600; // escaped; the search cuts snippets to about 120 characters
const SNIPPET_MIN = 120;
const QUERY_SHOWN = 60;
const TRADITIONAL: ReadonlySet<Script> = new Set(['tw', 'twp', 'hk']);

const regionOption = (description: Localized, required: boolean) => ({ type: OptionType.String as const, name: 'region', name_localizations: nameLocalizations('地区', '地區'), description: description.en, ...localizations(description), required, autocomplete: true, max_length: 100 });

export const definition = {
  name: 'news',
  name_localizations: nameLocalizations('新闻', '新聞'),
  description: M.cmd.en,
  ...localizations(M.cmd),
  options: [
    {
      type: OptionType.Subcommand, name: 'search', name_localizations: nameLocalizations('搜索', '搜尋'), description: M.search.en, ...localizations(M.search),
      options: [
        { type: OptionType.String, name: 'query', name_localizations: nameLocalizations('关键词', '關鍵字'), description: M.optQuery.en, ...localizations(M.optQuery), required: true, min_length: 1, max_length: MAX_QUERY },
        regionOption(M.optRegion, false),
        { type: OptionType.Integer, name: 'days', name_localizations: nameLocalizations('天数', '天數'), description: M.optDays.en, ...localizations(M.optDays), min_value: 1, max_value: MAX_DAYS },
        { type: OptionType.String, name: 'sort', name_localizations: nameLocalizations('排序', '排序'), description: M.optSort.en, ...localizations(M.optSort), choices: [
          { name: M.sortNewest.en, name_localizations: nameLocalizations(M.sortNewest['zh-Hans'], M.sortNewest['zh-Hant']), value: 'newest' },
          { name: M.sortRelevance.en, name_localizations: nameLocalizations(M.sortRelevance['zh-Hans'], M.sortRelevance['zh-Hant']), value: 'relevance' },
        ] },
      ],
    },
    {
      type: OptionType.Subcommand, name: 'latest', name_localizations: nameLocalizations('最新', '最新'), description: M.latest.en, ...localizations(M.latest),
      options: [
        regionOption(M.optLatestRegion, true),
        { type: OptionType.Integer, name: 'count', name_localizations: nameLocalizations('条数', '則數'), description: M.optCount.en, ...localizations(M.optCount), min_value: 1, max_value: MAX_COUNT },
      ],
    },
  ],
} as const satisfies Definition;

/** Who is looking: the reply is in their language, the buttons are theirs. */
interface Viewer {
  readonly userId: string;
  readonly guildId: string | null;
  readonly lang: UiLanguage;
}

// Keyed by string: the search may add refusals (bounds, time budget) before this list knows them.
const SEARCH_ERRORS: Partial<Record<SearchError | 'too-many-terms' | 'too-broad', Localized>> = {
  'too-many-terms': M.tooManyTerms,
  'too-broad': M.tooBroad,
  'empty-query': M.emptyQuery,
  'too-long': M.tooLong,
  'no-terms': M.noTerms,
  'bad-range': M.badDays,
  'bad-cursor': COMMON.expired,
};

const inRange = (v: unknown, lo: number, hi: number): v is number => Number.isInteger(v) && (v as number) >= lo && (v as number) <= hi;
const oneLine = (s: string): string => s.replace(/\s+/gu, ' ').trim();
const validTime = (ms: number): boolean => Number.isFinite(ms) && ms >= 0 && ms <= Date.UTC(9999, 11, 30);
const shownQuery = (q: string): string => fitEscaped(oneLine(q), QUERY_SHOWN);
const requestOf = (s: SavedSearch, cursor: string | null, limit: number): SearchRequest => ({ query: s.query, regions: s.region ? [s.region] : [], ...(s.since !== null ? { since: s.since } : {}), sort: s.sort, script: s.script, limit, cursor });

async function runSearch(deps: CommandDeps, s: SavedSearch, cursor: string | null, limit: number): Promise<Found> {
  const r = await deps.search.search(requestOf(s, cursor, limit));
  if (r.ok) return r;
  const text = SEARCH_ERRORS[r.error as keyof typeof SEARCH_ERRORS];
  // Other errors (region, feed, script) mean this module built a bad request: a bug, not the user's.
  if (!text) throw new Error(`search refused a request: ${r.error}: ${r.message}`);
  throw new UserError(text, { max: text === M.badDays ? MAX_DAYS : MAX_QUERY, length: s.query.length });
}

/** The most specific regions of a hit (story_regions also lists their ancestors). */
function regionsText(gaz: Gazetteer, codes: readonly string[], script: Script): string {
  const known = codes.filter((c) => gaz.get(c));
  const leaves = known.filter((c) => !known.some((o) => o !== c && gaz.isWithin(o, c)));
  const names = leaves.slice(0, 3).map((c) => (TRADITIONAL.has(script) ? gaz.get(c)!.nameTw : gaz.get(c)!.name));
  return names.join('、') + (leaves.length > 3 ? '…' : '');
}

/** The snippet's ** highlights kept, everything else made inert as markdown, within `max`. */
function snippetText(snippet: string, max: number): string {
  const text = oneLine(snippet);
  const marked = text
    .split('**')
    .map((part, i) => (i % 2 === 1 && part ? `**${escapeMarkdown(part)}**` : escapeMarkdown(part)))
    .join('');
  // Cutting inside a highlight would leave ** open: a long snippet is shown without them.
  return marked.length <= max ? marked : fitEscaped(text.replaceAll('**', ''), max);
}

/** A page of stories (one row each, however many feeds carried it), from `cursor` on. */
function storiesFrom(deps: CommandDeps, s: SavedSearch, cursor: string | null, shown: ReadonlySet<number>): Promise<Found> {
  return storyPage((limit) => runSearch(deps, s, cursor, limit), (next, limit) => deps.search.search(requestOf(s, next, limit)), PER_PAGE, shown);
}

async function resultLine(deps: CommandDeps, h: SearchHit, n: number, script: Script, lang: UiLanguage): Promise<string> {
  // Titles and snippets come converted by the search; names are converted here.
  const title = fitEscaped(oneLine(h.title) || '—', TITLE_MAX);
  // In markdown a ")" would end the link early: parentheses are percent-encoded.
  const link = h.url && isLinkUrl(h.url) ? h.url.replace(/[()]/g, (c) => (c === '(' ? '%28' : '%29')) : '';
  const when = h.publishedAt ?? h.firstSeenAt;
  const meta = [
    fitEscaped(oneLine(convert(h.feedName, script === 'twp' ? 'tw' : script)), NAME_MAX),
    // Markup Discord shows in each reader's own time zone (it renders in descriptions).
    validTime(when) ? discordTimestamp(when, 'f') : '',
    escapeMarkdown(regionsText(deps.gazetteer, h.regions, script)),
  ].filter(Boolean).join(' · ');
  const others = await otherSources(deps, h, script, lang === 'en' ? ', ' : '、');
  const also = others ? t(M.alsoReportedBy, lang, { sources: others }) : '';
  const linked = `**${n}.** [${title}](${link})`;
  // A long link gives way to the snippet; title and names alone always leave it room.
  const fixed = meta.length + (also ? also.length + 1 : 0);
  const head = link && link.length <= URL_MAX && linked.length + fixed + SNIPPET_MIN <= RESULT_MAX ? linked : `**${n}.** ${title}`;
  const room = Math.max(0, RESULT_MAX - head.length - fixed - 2);
  return [head, meta, also, snippetText(h.snippet, Math.min(SNIPPET_MAX, room))].filter(Boolean).join('\n');
}

function filtersText(deps: CommandDeps, s: SavedSearch, lang: UiLanguage): string {
  return [
    s.region ? t(M.filterRegion, lang, { path: regionPath(deps.gazetteer, s.region, lang) }) : '',
    s.days !== null ? t(M.filterDays, lang, { days: s.days }) : '',
    t(s.sort === 'relevance' ? M.sortRelevance : M.sortNewest, lang),
  ].filter(Boolean).join(' · ');
}

async function resultsPage(deps: CommandDeps, v: Viewer, key: string, s: SavedSearch, page: number, found: Found): Promise<Reply> {
  const prev: Button = { customId: pageId(v.userId, key, Math.max(0, page - 1)), label: t(M.previous, v.lang), style: 'primary', disabled: page === 0 };
  if (found.items.length === 0) return { ephemeral: true, content: t(M.pageEmpty, v.lang), embeds: [], buttons: [prev] };
  const from = page * PER_PAGE + 1;
  const lines = await Promise.all(found.items.map((h, i) => resultLine(deps, h, from + i, s.script, v.lang)));
  const header = t(M.header, v.lang, { query: shownQuery(s.query), page: page + 1, from, to: from + found.items.length - 1 });
  const posts: Button[] = found.items.map((h, i) => ({ customId: postId(v.userId, key, from + i, h.storyId), label: t(M.post, v.lang, { n: from + i }), style: 'secondary' }));
  const next: Button = { customId: pageId(v.userId, key, page + 1), label: t(M.next, v.lang), style: 'primary', disabled: found.nextCursor === null || page + 1 > MAX_PAGE };
  return {
    ephemeral: true,
    content: [header, filtersText(deps, s, v.lang), t(M.postHint, v.lang)].join('\n'),
    embeds: [{ description: clipText(lines.join('\n\n'), LIMITS.description), color: DEFAULT_COLOR }],
    // Post buttons first: on a full page they fill a row and Previous/Next get their own.
    buttons: [...posts, prev, next],
  };
}

/** What to try instead, for the filters this search used. */
function noResults(deps: CommandDeps, s: SavedSearch, lang: UiLanguage): string {
  const parent = s.region ? deps.gazetteer.ancestors(s.region)[0] : undefined;
  return [
    t(M.noResults, lang, { query: shownQuery(s.query) }),
    `• ${t(M.tryWords, lang)}`,
    s.region ? `• ${parent ? t(M.tryRegion, lang, { parent: regionPath(deps.gazetteer, parent.code, lang) }) : t(M.tryAnyRegion, lang)}` : '',
    s.days !== null && s.days < MAX_DAYS ? `• ${t(M.tryDays, lang)}` : '',
  ].filter(Boolean).join('\n');
}

async function search(input: CommandInput, deps: CommandDeps): Promise<Reply> {
  const lang = uiLanguage(input.locale);
  const query = String(input.options.query ?? '');
  // Discord enforces the option limits; these checks are for a client that does not.
  if (!query.trim()) throw new UserError(M.emptyQuery);
  if (query.length > MAX_QUERY) throw new UserError(M.tooLong, { max: MAX_QUERY, length: query.length });
  const days = input.options.days;
  if (days !== undefined && !inRange(days, 1, MAX_DAYS)) throw new UserError(M.badDays, { max: MAX_DAYS });
  const regionText = String(input.options.region ?? '').trim();
  const region = regionText ? resolveRegion(deps.gazetteer, regionText, lang) : null;
  const saved: SavedSearch = {
    kind: 'search',
    guild: input.guildId,
    query,
    region: region?.code ?? null,
    days: days ?? null,
    since: days === undefined ? null : deps.now() - days * DAY_MS,
    sort: input.options.sort === 'relevance' ? 'relevance' : 'newest',
    script: await replyScript(deps, input.guildId, lang),
  };
  const found = await storiesFrom(deps, saved, null, new Set());
  if (found.items.length === 0) return { ephemeral: true, content: noResults(deps, saved, lang) };
  const key = await saveSearch(deps.searches, input.userId, saved, found.nextCursor, deps.now());
  await deps.searches.addResults(key, found.items.map((h, i) => ({ n: i + 1, storyId: h.storyId })));
  return resultsPage(deps, { userId: input.userId, guildId: input.guildId, lang }, key, saved, 0, found);
}

async function latest(input: CommandInput, deps: CommandDeps): Promise<Reply> {
  const lang = uiLanguage(input.locale);
  const count = input.options.count ?? DEFAULT_COUNT;
  if (!inRange(count, 1, MAX_COUNT)) throw new UserError(M.badCount, { max: MAX_COUNT });
  const region = resolveRegion(deps.gazetteer, String(input.options.region ?? ''), lang);
  const path = regionPath(deps.gazetteer, region.code, lang);
  const shown: { id: number; embed: Embed }[] = [];
  for (const id of await deps.articles.latestInRegion(region.code, count)) {
    const embed = await storyEmbed(deps, id, input.guildId, lang);
    if (embed) shown.push({ id, embed });
  }
  if (shown.length === 0) {
    const parent = deps.gazetteer.ancestors(region.code)[0];
    const hint = parent ? t(M.latestTryParent, lang, { parent: regionPath(deps.gazetteer, parent.code, lang) }) : t(M.latestTrySearch, lang);
    return { ephemeral: true, content: `${t(M.latestNone, lang, { path })}\n${hint}` };
  }
  // Ten full story embeds can pass Discord's 6000-character total for one message.
  let trimmed = 0;
  while (shown.length > 1 && messageLength({ embeds: shown.map((x) => x.embed), allowed_mentions: { parse: [] } }) > LIMITS.total) {
    shown.pop();
    trimmed++;
  }
  const key = await saveSearch(deps.searches, input.userId, { kind: 'latest', guild: input.guildId, region: region.code }, null, deps.now());
  await deps.searches.addResults(key, shown.map((x, i) => ({ n: i + 1, storyId: x.id })));
  return {
    ephemeral: true,
    content: [t(M.latestHeader, lang, { path, n: shown.length }), trimmed ? t(M.latestTrimmed, lang, { n: trimmed }) : '', t(M.postHint, lang)].filter(Boolean).join('\n'),
    embeds: shown.map((x) => x.embed),
    buttons: shown.map((x, i) => ({ customId: postId(input.userId, key, i + 1, x.id), label: t(M.post, lang, { n: i + 1 }), style: 'secondary' })),
  };
}

async function button(input: ButtonInput, deps: CommandDeps): Promise<ButtonReply> {
  const lang = uiLanguage(input.locale);
  const ref = parseButton(input.customId);
  if (!ref) throw new UserError(COMMON.expired);
  const opened = await openButton(deps.searches, ref, input.userId, deps.now());
  if (ref.kind === 'post') return postResult(input, deps, opened, ref.n, ref.storyId);
  const cursor = opened.pages[ref.page];
  if (opened.saved.kind !== 'search' || cursor === undefined) throw new UserError(COMMON.expired);
  const found = await storiesFrom(deps, opened.saved, cursor, await earlierStories(deps, opened.key, ref.page, PER_PAGE));
  if (found.nextCursor) await deps.searches.setPageCursor(opened.key, ref.page + 1, found.nextCursor);
  await deps.searches.addResults(opened.key, found.items.map((h, i) => ({ n: ref.page * PER_PAGE + 1 + i, storyId: h.storyId })));
  return { update: await resultsPage(deps, { userId: input.userId, guildId: input.guildId, lang }, opened.key, opened.saved, ref.page, found) };
}

export const news: CommandModule = {
  definition,
  // Searching a large index, or rendering ten stories, can pass Discord's 3-second deadline.
  // Ephemeral, because whatever goes wrong is then shown to the caller only.
  defer: 'ephemeral',
  async execute(input, deps) {
    switch (input.subcommand) {
      case 'search':
        return search(input, deps);
      case 'latest':
        return latest(input, deps);
      default:
        throw new UserError(COMMON.expired);
    }
  },
  async autocomplete(input, deps) {
    if (input.focused.name !== 'region') return [];
    return regionChoices(deps.gazetteer, input.focused.value, uiLanguage(input.locale));
  },
  button,
};
