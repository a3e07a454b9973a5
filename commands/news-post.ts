// A /news result's Post button: the one way a member makes the bot speak publicly, so every
// part of the request is checked against what the bot stored, not what the button id says.
// The result must be one the search showed (stored with it), pressed in the server the
// search was made in, by a member who may write in this channel, and it is posted once.
import { Permission } from '../src/presentation/discord-api.js';
import { UserError } from './errors.js';
import { t, uiLanguage } from './i18n.js';
import type { Opened } from './news-state.js';
import { M } from './news-text.js';
import type { CommandDeps } from './deps.js';
import type { ButtonInput, ButtonReply } from './types.js';
import { storyEmbed } from './view.js';

// The member's permission bits, for this channel, as the interaction carries them.
const { Administrator: ADMINISTRATOR, ViewChannel: VIEW_CHANNEL, SendMessages: SEND_MESSAGES, SendMessagesInThreads: SEND_MESSAGES_IN_THREADS } = Permission;

/** Whether the member could write this post themselves. */
export function maySend(perms: bigint | null, inThread: boolean): boolean {
  if (perms === null) return false;
  if ((perms & ADMINISTRATOR) !== 0n) return true;
  const send = inThread ? SEND_MESSAGES_IN_THREADS : SEND_MESSAGES;
  return (perms & VIEW_CHANNEL) !== 0n && (perms & send) !== 0n;
}

export async function postResult(input: ButtonInput, deps: CommandDeps, opened: Opened, n: number, claimedStory: number): Promise<ButtonReply> {
  // A search made in a DM has no server; one made in a server posts only there.
  if (opened.saved.guild !== input.guildId) throw new UserError(M.otherServer);
  const result = await deps.searches.result(opened.key, n);
  // The id's story number must be the stored one: a made-up id cannot post an arbitrary story.
  if (!result || result.storyId !== claimedStory) throw new UserError(M.notAResult);
  if (input.guildId !== null && !maySend(input.memberPermissions, input.inThread ?? false)) throw new UserError(M.cannotPostHere);
  if (result.postedAt !== null) throw new UserError(M.alreadyPosted);

  // The post is for the whole channel: in the server's language and script, like its feed posts.
  const settings = input.guildId ? await deps.settings.settings(input.guildId) : null;
  const audience = settings ? uiLanguage(settings.locale ?? input.locale) : uiLanguage(input.locale);
  const embed = await storyEmbed(deps, result.storyId, input.guildId, audience);
  if (!embed) throw new UserError(M.storyGone);
  const at = deps.now();
  // Claimed before sending, so two quick presses cannot both post; released if the post fails.
  if (!(await deps.searches.claimPost(opened.key, n, at))) throw new UserError(M.alreadyPosted);
  return {
    followUp: { ephemeral: false, content: t(M.shared, audience, { user: `<@${input.userId}>` }), embeds: [embed] },
    // The release is best effort: should it fail, the result stays claimed, and a second
    // press is refused as already posted rather than risking a post twice.
    onFailed: () => deps.searches.releasePost(opened.key, n, at),
  };
}
