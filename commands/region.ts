// /region subscribe | unsubscribe | list | browse
import { OptionType, POSTABLE_CHANNEL_TYPES } from '../src/presentation/discord-api.js';
import { clipText, fitEscaped, LIMITS, type Embed } from '../src/presentation/message.js';
import type { CommandDeps } from './deps.js';
import { UserError } from './errors.js';
import { COMMON, localizations, nameLocalizations, t, uiLanguage, type Localized } from './i18n.js';
import { requireGuild, requireModerator } from './permissions.js';
import { choosePosting, postingOptions, wordsText } from './region-posting.js';
import { regionChoices, regionName, regionPath, resolveRegion, searchRegions } from './region-search.js';
import { M } from './region-text.js';
import type { AutocompleteInput, CommandInput, CommandModule, Definition, Reply } from './types.js';
import { parseWords, storyEmbed } from './view.js';


const SNOWFLAKE = /^\d{17,20}$/;
const REASON_SHOWN = 200;
const LINE_MAX = 1000;

/** A channel as the reply shows it: a mention for a real id; anything else (a forged option) escaped and cut. */
const channelRef = (id: string): string => (SNOWFLAKE.test(id) ? `<#${id}>` : fitEscaped(id.replace(/\s+/gu, ' '), 40) || '—');

const regionOption = (description: Localized) => ({ type: OptionType.String as const, name: 'region', name_localizations: nameLocalizations('地区', '地區'), description: description.en, ...localizations(description), required: true, autocomplete: true, max_length: 100 });
const channelOption = { type: OptionType.Channel as const, name: 'channel', name_localizations: nameLocalizations('频道', '頻道'), description: M.optChannel.en, ...localizations(M.optChannel), channel_types: [...POSTABLE_CHANNEL_TYPES] };

export const definition = {
  name: 'region',
  name_localizations: nameLocalizations('地区', '地區'),
  description: M.cmd.en,
  ...localizations(M.cmd),
  dm_permission: false,
  options: [
    {
      type: OptionType.Subcommand, name: 'subscribe', name_localizations: nameLocalizations('订阅', '訂閱'), description: M.subscribe.en, ...localizations(M.subscribe),
      options: [
        regionOption(M.optRegion),
        channelOption,
        { type: OptionType.String, name: 'mode', name_localizations: nameLocalizations('方式', '方式'), description: M.optMode.en, ...localizations(M.optMode), choices: [
          { name: 'instant', name_localizations: nameLocalizations('即时推送', '即時推送'), value: 'instant' },
          { name: 'digest', name_localizations: nameLocalizations('每日汇总', '每日彙整'), value: 'digest' },
        ] },
        { type: OptionType.String, name: 'include', name_localizations: nameLocalizations('包含', '包含'), description: M.optInclude.en, ...localizations(M.optInclude), max_length: 200 },
        { type: OptionType.String, name: 'exclude', name_localizations: nameLocalizations('排除', '排除'), description: M.optExclude.en, ...localizations(M.optExclude), max_length: 200 },
        ...postingOptions,
      ],
    },
    { type: OptionType.Subcommand, name: 'unsubscribe', name_localizations: nameLocalizations('取消订阅', '取消訂閱'), description: M.unsubscribe.en, ...localizations(M.unsubscribe), options: [regionOption(M.optSubscribed), channelOption] },
    { type: OptionType.Subcommand, name: 'list', name_localizations: nameLocalizations('列表', '列表'), description: M.list.en, ...localizations(M.list) },
    { type: OptionType.Subcommand, name: 'browse', name_localizations: nameLocalizations('浏览', '瀏覽'), description: M.browse.en, ...localizations(M.browse), options: [{ ...regionOption(M.optParent), name: 'parent', name_localizations: nameLocalizations('上级', '上級'), required: false }] },
  ],
} as const satisfies Definition;

async function subscribe(input: CommandInput, deps: CommandDeps): Promise<Reply> {
  const lang = uiLanguage(input.locale);
  const guildId = requireModerator(input);
  const region = resolveRegion(deps.gazetteer, String(input.options.region ?? ''), lang);
  const channelId = String(input.options.channel ?? input.channelId ?? '');
  // Discord sends a channel id; anything else is a forged request and is not looked up.
  if (!SNOWFLAKE.test(channelId)) throw new UserError(M.notTextChannel, { channel: channelRef(channelId) });
  const access = await deps.channelAccess(guildId, channelId);
  if (!access.exists || !access.postable) throw new UserError(M.notTextChannel, { channel: channelRef(channelId) });
  if (access.missing.length) throw new UserError(M.missingPermission, { channel: channelRef(channelId), permissions: access.missing.join(', ') });
  const include = parseWords(input.options.include as string | undefined);
  const exclude = parseWords(input.options.exclude as string | undefined);
  if (!include || !exclude) throw new UserError(M.badWords);
  const mode = input.options.mode === 'digest' ? 'digest' : 'instant';
  const pathText = regionPath(deps.gazetteer, region.code, lang);
  const { posting, notes } = await choosePosting(input, deps, { guildId, access, region, channel: channelRef(channelId), pathText, mode, lang });
  await deps.subscriptions.subscribe({ guildId, channelId, regionCode: region.code, mode, include, exclude, createdBy: input.userId, posting }, deps.now());
  const resumed = await deps.subscriptions.resumeChannel(channelId);
  const latest = (await deps.articles.latestInRegion(region.code, 1))[0];
  const preview = latest === undefined ? null : await storyEmbed(deps, latest, guildId, lang);
  const words = [include.length ? t(M.includeWords, lang, { words: wordsText(include) }) : '', exclude.length ? t(M.excludeWords, lang, { words: wordsText(exclude) }) : ''].filter(Boolean).join('\n');
  return {
    ephemeral: true,
    content: [t(M.subscribed, lang, { path: pathText, channel: channelRef(channelId), mode: t(mode === 'digest' ? M.modeDigest : M.modeInstant, lang) }), words, ...notes, resumed ? t(M.resumed, lang) : '', preview ? t(M.preview, lang) : t(M.noPreview, lang)].filter(Boolean).join('\n'),
    embeds: preview ? [preview] : [],
  };
}

async function unsubscribe(input: CommandInput, deps: CommandDeps): Promise<Reply> {
  const lang = uiLanguage(input.locale);
  const guildId = requireModerator(input);
  const region = resolveRegion(deps.gazetteer, String(input.options.region ?? ''), lang);
  const channelId = String(input.options.channel ?? input.channelId ?? '');
  const removed = SNOWFLAKE.test(channelId) && (await deps.subscriptions.unsubscribe(guildId, channelId, region.code));
  const path = regionPath(deps.gazetteer, region.code, lang);
  if (!removed) throw new UserError(M.notSubscribed, { path, channel: channelRef(channelId) });
  return { ephemeral: true, content: t(M.unsubscribed, lang, { path, channel: channelRef(channelId) }) };
}

async function list(input: CommandInput, deps: CommandDeps): Promise<Reply> {
  const lang = uiLanguage(input.locale);
  const guildId = requireGuild(input);
  const subs = await deps.subscriptions.listForGuild(guildId);
  if (subs.length === 0) return { ephemeral: true, content: t(M.noSubscriptions, lang) };
  const lines = subs.map((s) => {
    const state = s.pausedReason ? t(M.paused, lang, { reason: fitEscaped(s.pausedReason, REASON_SHOWN) }) : t(M.active, lang);
    const words = [s.include.length ? `+${wordsText(s.include)}` : '', s.exclude.length ? `−${wordsText(s.exclude)}` : ''].filter(Boolean).join(' ');
    const how = [s.posting.mentionRole ? `🔔 <@&${s.posting.mentionRole}>${s.posting.mentionWords.length ? ` (${wordsText(s.posting.mentionWords)})` : ''}` : '', s.posting.openThread ? '🧵' : '', s.posting.crosspost ? '📣' : ''].filter(Boolean).join(' ');
    return `${channelRef(s.channelId)} · ${regionPath(deps.gazetteer, s.regionCode, lang)} · ${t(s.mode === 'digest' ? M.modeDigest : M.modeInstant, lang)}${words ? ` · ${words}` : ''}${how ? ` · ${how}` : ''} · ${state}`;
  }).map((l) => clipText(l, LINE_MAX));
  const embeds: Embed[] = [];
  let chunk: string[] = [];
  for (const l of lines) {
    if ([...chunk, l].join('\n').length > 3800) {
      embeds.push({ description: chunk.join('\n') });
      chunk = [];
    }
    chunk.push(l);
  }
  embeds.push({ description: chunk.join('\n') });
  return { ephemeral: true, content: t(M.listTitle, lang, { n: subs.length }), embeds: embeds.slice(0, LIMITS.embeds).map((e, i) => (i === 0 ? { ...e, title: t(M.listHeading, lang) } : e)) };
}

async function browse(input: CommandInput, deps: CommandDeps): Promise<Reply> {
  const lang = uiLanguage(input.locale);
  const parentText = input.options.parent as string | undefined;
  const parent = parentText ? resolveRegion(deps.gazetteer, parentText, lang) : null;
  const children = parent ? deps.gazetteer.children(parent.code) : deps.gazetteer.provinces();
  const since = deps.now() - 7 * 86_400_000;
  const counts = await deps.articles.regionCounts(children.map((c) => c.code), since);
  const lines = [...children]
    .sort((a, b) => (counts.get(b.code) ?? 0) - (counts.get(a.code) ?? 0) || a.code.localeCompare(b.code))
    .map((c) => `${regionName(c, lang)} \`${c.code}\` — ${t(M.storiesThisWeek, lang, { n: counts.get(c.code) ?? 0 })}`);
  const title = parent ? regionPath(deps.gazetteer, parent.code, lang) : t(M.allProvinces, lang);
  if (lines.length === 0) return { ephemeral: true, content: t(M.noChildren, lang, { path: title }) };
  return { ephemeral: true, embeds: [{ title, description: lines.join('\n').slice(0, 4000) }] };
}

export const region: CommandModule = {
  definition,
  async execute(input, deps) {
    switch (input.subcommand) {
      case 'subscribe':
        return subscribe(input, deps);
      case 'unsubscribe':
        return unsubscribe(input, deps);
      case 'list':
        return list(input, deps);
      case 'browse':
        return browse(input, deps);
      default:
        throw new UserError(COMMON.expired);
    }
  },
  async autocomplete(input: AutocompleteInput, deps) {
    const lang = uiLanguage(input.locale);
    if (input.subcommand === 'unsubscribe' && input.guildId) {
      // Only this server's subscriptions can be removed: offer those.
      const codes = [...new Set((await deps.subscriptions.listForGuild(input.guildId)).map((s) => s.regionCode))];
      const q = input.focused.value.trim();
      const matches = q ? new Set(searchRegions(deps.gazetteer, q, 200).map((r) => r.code)) : null;
      return codes.filter((c) => !matches || matches.has(c)).slice(0, 25).map((c) => ({ name: regionPath(deps.gazetteer, c, lang).slice(0, 100), value: c }));
    }
    return regionChoices(deps.gazetteer, input.focused.value, lang);
  },
};
