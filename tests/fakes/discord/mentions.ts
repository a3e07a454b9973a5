// Who a message notifies, decided as Discord decides it: mentions are read from `content`
// only (never from embeds), `allowed_mentions` narrows them, @everyone/@here need Mention
// Everyone, and a role nobody may mention is pinged only by someone holding Mention Everyone.
import { Permission } from './ids.js';
import { isObject, type GuildSeed, type JsonObject, type Pings } from './types.js';

const ROLE = /<@&(\d{17,20})>/g;
const USER = /<@!?(\d{17,20})>/g;
const EVERYONE = /@(everyone|here)\b/;

const ids = (content: string, re: RegExp): string[] => [...new Set([...content.matchAll(re)].map((m) => m[1] as string))];
const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/**
 * `allowed_mentions` that Discord refuses: `parse` naming a type whose ids are also listed
 * (`parse:["roles"]` with `roles:[…]`). Answered as a 50035 tree by validate.ts.
 */
export function exclusiveMentionErrors(allowed: unknown): string[] {
  if (!isObject(allowed)) return [];
  const parse = list(allowed.parse);
  return (['users', 'roles'] as const).filter((k) => parse.includes(k) && list(allowed[k]).length > 0);
}

/**
 * The pings a message with `body` makes in a channel of `guild`, for a sender with `perms`
 * there. Without `allowed_mentions` everything in the content is parsed, as Discord does.
 */
export function pingsFor(body: JsonObject, guild: GuildSeed | undefined, perms: bigint): Pings {
  const content = typeof body.content === 'string' ? body.content : '';
  const allowed = isObject(body.allowed_mentions) ? body.allowed_mentions : undefined;
  const parse = allowed ? list(allowed.parse) : ['everyone', 'roles', 'users'];
  const mayEveryone = (perms & Permission.MentionEveryone) !== 0n;
  const roleAllowed = (id: string): boolean => parse.includes('roles') || list(allowed?.roles).includes(id);
  const userAllowed = (id: string): boolean => parse.includes('users') || list(allowed?.users).includes(id);
  const roles = ids(content, ROLE).filter((id) => {
    const role = guild?.roles.find((r) => r.id === id);
    // <@&guild id> is not a mention of @everyone; an unknown role pings no one.
    if (!role || role.id === guild?.id || !roleAllowed(id)) return false;
    return role.mentionable === true || mayEveryone;
  });
  const users = ids(content, USER).filter((id) => userAllowed(id) && (guild ? guild.members.some((m) => m.user.id === id) : true));
  const everyone = EVERYONE.test(content) && parse.includes('everyone') && mayEveryone;
  return { everyone, roles, users };
}

/** The message fields Discord fills from the pings. */
export const mentionFields = (pings: Pings, guild: GuildSeed | undefined, userPayload: (u: NonNullable<GuildSeed['members'][number]['user']>) => JsonObject): JsonObject => ({
  mention_everyone: pings.everyone,
  mention_roles: pings.roles,
  mentions: pings.users.flatMap((id) => {
    const m = guild?.members.find((x) => x.user.id === id);
    return m ? [userPayload(m.user)] : [];
  }),
});
