// Forum and media channels (issue #15): each story is a post whose title is the headline and
// whose tags are the forum's own tags that name one of the story's places. Tags are never
// created: moderators choose them, and a tag written 海宁, 海寧, 海宁市 or 海寧市 names the same
// county, so names are compared folded to Simplified, with and without the division suffix.
import type { Region } from '../domain/types.js';
import { normalizeForMatch } from '../text/script.js';

export interface ForumTag {
  readonly id: string;
  readonly name: string;
  /** Only moderators may apply it: a bot without Manage Threads cannot. */
  readonly moderated?: boolean;
}

/** Discord's limits for a forum post. */
export const FORUM_LIMITS = { threadName: 100, appliedTags: 5 } as const;

/** Every folded spelling of the places, most specific first (a county before its city and province). */
export function placeKeys(regions: readonly Pick<Region, 'name' | 'nameTw' | 'short' | 'aliases' | 'kind'>[]): string[][] {
  const depth = { county: 0, prefecture: 1, province: 2 } as const;
  return [...regions]
    .sort((a, b) => depth[a.kind] - depth[b.kind])
    .map((r) => [...new Set([r.name, r.nameTw, r.short ?? '', ...r.aliases].filter((n) => n.length > 0).map(foldName))]);
}

const foldName = (name: string): string => normalizeForMatch(name.replace(/\s+/g, ''));

/**
 * The ids of the forum's tags naming the story's places, most specific place first, at most
 * five. `places` comes from placeKeys. A moderated tag is left out unless the bot may apply it.
 */
export function matchForumTags(tags: readonly ForumTag[], places: readonly (readonly string[])[], canApplyModerated = false): string[] {
  const usable = tags.filter((t) => canApplyModerated || !t.moderated).map((t) => ({ id: t.id, key: foldName(t.name) }));
  const out: string[] = [];
  for (const keys of places) {
    for (const tag of usable) {
      if (out.length >= FORUM_LIMITS.appliedTags) return out;
      if (!out.includes(tag.id) && keys.includes(tag.key)) out.push(tag.id);
    }
  }
  return out;
}

/** A post title within Discord's limit, cut on a character boundary (never half a surrogate pair). */
export function threadName(headline: string, fallback: string): string {
  const clean = headline.replace(/\s+/g, ' ').trim() || fallback;
  if (clean.length <= FORUM_LIMITS.threadName) return clean;
  let out = '';
  for (const ch of clean) {
    if (out.length + ch.length > FORUM_LIMITS.threadName - 1) break;
    out += ch;
  }
  return `${out}…`;
}
