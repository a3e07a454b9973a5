// /region subscribe's posting options (issue #15): how a subscription's posts go out in the
// channel a moderator picked. Every choice Discord would refuse later is refused now, with
// the reason: a forum that requires a tag none of its tags can give, a role the bot may not
// ping (or @everyone), a crosspost outside an announcement channel, a thread without the
// permission to open one. What only changes the result is said in the reply instead.
import { DEFAULT_POSTING, type PostingOptions, type Region } from '../src/domain/types.js';
import { OptionType } from '../src/presentation/discord-api.js';
import { matchForumTags, placeKeys } from '../src/presentation/forum.js';
import { fitEscaped } from '../src/presentation/message.js';
import type { ChannelAccess, CommandDeps } from './deps.js';
import { UserError } from './errors.js';
import { localizations, nameLocalizations, t } from './i18n.js';
import { P } from './region-posting-text.js';
import { M } from './region-text.js';
import type { CommandInput, UiLanguage } from './types.js';
import { parseWords } from './view.js';

const SNOWFLAKE = /^\d{17,20}$/;

export const postingOptions = [
  { type: OptionType.Role as const, name: 'mention', name_localizations: nameLocalizations('提醒', '提醒'), description: P.optMention.en, ...localizations(P.optMention) },
  { type: OptionType.String as const, name: 'mention_words', name_localizations: nameLocalizations('提醒关键词', '提醒關鍵詞'), description: P.optMentionWords.en, ...localizations(P.optMentionWords), max_length: 200 },
  { type: OptionType.Boolean as const, name: 'thread', name_localizations: nameLocalizations('讨论串', '討論串'), description: P.optThread.en, ...localizations(P.optThread) },
  { type: OptionType.Boolean as const, name: 'crosspost', name_localizations: nameLocalizations('发布', '發布'), description: P.optCrosspost.en, ...localizations(P.optCrosspost) },
];

export interface PostingChoice {
  readonly posting: PostingOptions;
  /** Lines for the reply, in the member's language. */
  readonly notes: readonly string[];
}

const WORD_SHOWN = 30;
/** Member-typed keywords, inert as markdown (a link stays text) and each cut. */
export const wordsText = (words: readonly string[]): string => words.map((w) => fitEscaped(w, WORD_SHOWN)).join('、');

/** The subscribed place and its ancestors: every story the subscription takes names one of them. */
function forumNotes(access: ChannelAccess, path: readonly Region[], channel: string, pathText: string, lang: UiLanguage): string[] {
  const tags = access.tags ?? [];
  const matched = matchForumTags(tags, placeKeys(path), access.canApplyModerated ?? false);
  const suggestion = path.at(-1)?.short ?? path.at(-1)?.name ?? '';
  if (matched.length === 0 && access.requiresTag) throw new UserError(P.forumNeedsTag, { channel, path: pathText, name: suggestion });
  if (matched.length === 0) return [t(P.forumNoTags, lang, { name: suggestion })];
  const names = matched.map((id) => fitEscaped(tags.find((x) => x.id === id)?.name ?? id, 40));
  return [t(P.forumTags, lang, { tags: names.join('、') })];
}

async function mentionChoice(input: CommandInput, deps: CommandDeps, guildId: string, mode: string, lang: UiLanguage) {
  const raw = input.options.mention;
  const words = parseWords(input.options.mention_words as string | undefined);
  if (words === null) throw new UserError(M.badWords);
  if (raw === undefined || raw === null || raw === '') {
    if (words.length) throw new UserError(P.wordsNeedRole);
    return { role: null, words: [] as string[], notes: [] as string[] };
  }
  const role = String(raw);
  // A role option carries an id; anything else is a forged request and is not looked up.
  if (!SNOWFLAKE.test(role)) throw new UserError(P.unknownRole);
  if (role === guildId) throw new UserError(P.noEveryone);
  const access = deps.roleAccess ? await deps.roleAccess(guildId, role) : null;
  if (!access?.exists) throw new UserError(P.unknownRole);
  if (access.everyone) throw new UserError(P.noEveryone);
  if (!access.mentionable) throw new UserError(P.cannotMention);
  const mention = `<@&${role}>`;
  const notes = [words.length ? t(P.mentionWordsOn, lang, { role: mention, words: wordsText(words) }) : t(P.mentionOn, lang, { role: mention })];
  if (mode === 'digest') notes.push(t(P.mentionDigest, lang));
  return { role, words, notes };
}

/** The posting options a moderator chose, checked against the channel; throws a UserError for one Discord would refuse. */
export async function choosePosting(
  input: CommandInput,
  deps: CommandDeps,
  ctx: { guildId: string; access: ChannelAccess; region: Region; channel: string; pathText: string; mode: string; lang: UiLanguage },
): Promise<PostingChoice> {
  const { access, lang, channel } = ctx;
  const forum = access.kind === 'forum' || access.kind === 'media';
  const notes: string[] = [];
  if (forum) notes.push(...forumNotes(access, deps.gazetteer.path(ctx.region.code), channel, ctx.pathText, lang));
  const crosspost = input.options.crosspost === true;
  if (crosspost && access.kind !== 'announcement') throw new UserError(P.crosspostNeedsAnnouncement, { channel });
  if (crosspost) notes.push(t(P.crosspostOn, lang));
  let openThread = input.options.thread === true;
  if (openThread && forum) {
    notes.push(t(P.forumThread, lang));
    openThread = false;
  } else if (openThread) {
    if (access.canOpenThreads === false) throw new UserError(P.noThreadPermission, { channel });
    notes.push(t(P.threadOn, lang));
  }
  const mention = await mentionChoice(input, deps, ctx.guildId, ctx.mode, lang);
  notes.push(...mention.notes);
  const posting = !mention.role && !openThread && !crosspost ? DEFAULT_POSTING : { mentionRole: mention.role, mentionWords: mention.words, openThread, crosspost };
  return { posting, notes };
}
