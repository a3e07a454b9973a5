// What Discord's JSON error codes mean for a post. Delivery decides what to do about a
// failure (pause the channel, re-render compact, retry); this file only knows the codes.
import { RESTJSONErrorCodes as Code } from 'discord-api-types/v10';

export type DiscordErrorKind = 'permanent' | 'invalid' | 'retryable';

/** Discord error codes that mean "this channel cannot take posts until a moderator acts". */
export const CHANNEL_GONE: Readonly<Record<number, string>> = {
  [Code.UnknownChannel]: 'the channel was deleted (Unknown Channel)',
  [Code.MissingAccess]: 'the bot cannot see the channel (Missing Access)',
  [Code.MissingPermissions]: 'the bot lacks permission to post there (Missing Permissions)',
  [Code.TagRequiredToCreateAForumPostInThisChannel]: 'the forum requires a tag and none of its tags names the story\'s places',
};

/** The codes by name, for code that explains a pause to people (/why). */
export const DiscordCode = {
  unknownChannel: Code.UnknownChannel,
  missingAccess: Code.MissingAccess,
  missingPermissions: Code.MissingPermissions,
} as const;

export const isChannelGone = (code: number | null): code is number => code !== null && CHANNEL_GONE[code] !== undefined;

/**
 * How a refused request should be treated: `invalid` for a body Discord would not take
 * (50035 Invalid Form Body, 50006 empty message) so a smaller rendering may pass; other 4xx
 * except 408/429 are `permanent`; everything else (5xx, 429, network) is worth retrying.
 */
export function discordErrorKind(code: number | null, status: number | null): DiscordErrorKind {
  if (isChannelGone(code)) return 'permanent';
  if (code === Code.InvalidFormBodyOrContentType || code === Code.CannotSendAnEmptyMessage) return 'invalid';
  if (status !== null && status >= 400 && status < 500 && status !== 429 && status !== 408) return 'permanent';
  return 'retryable';
}

/**
 * Answers to an edit that mean the bot can no longer edit that post (deleted by a moderator,
 * its thread deleted, archived or locked, the channel out of reach): it is left as it is.
 */
const NOT_EDITABLE = new Set<number>([
  Code.UnknownMessage,
  Code.UnknownChannel,
  Code.MissingAccess,
  Code.MissingPermissions,
  Code.CannotEditMessageAuthoredByAnotherUser,
  Code.InvalidActionOnArchivedThread,
  Code.ThreadLocked,
]);

export const isNotEditable = (code: number | null): boolean => code !== null && NOT_EDITABLE.has(code);
