// What /news result buttons point to. A custom id holds at most 100 characters and is sent
// back by the client, so it carries only the owner, a short key of a stored search and a
// page or story number; the query itself, the page cursors and the real owner are in the
// database, which is what keeps buttons working after a restart and unforgeable.
import { SCRIPTS, type Script } from '../src/domain/types.js';
import { COMPONENT_LIMITS } from '../src/presentation/discord-api.js';
import type { SearchesPort } from '../src/store/ports.js';
import { UserError } from './errors.js';
import { COMMON } from './i18n.js';

/** How long result buttons keep working. */
export const SEARCH_TTL_MS = 24 * 3_600_000;
export const MAX_CUSTOM_ID = COMPONENT_LIMITS.customId;
/** The largest page number a custom id can carry (four digits). */
export const MAX_PAGE = 9999;

export type SortOrder = 'newest' | 'relevance';

/** A search as the user asked for it; `since` is fixed when asked, so every page agrees. */
export interface SavedSearch {
  readonly kind: 'search';
  /** The server it was made in (null in DMs): its results may be posted only there. */
  readonly guild: string | null;
  readonly query: string;
  readonly region: string | null;
  /** As typed, for display; `since` is what is searched. */
  readonly days: number | null;
  readonly since: number | null;
  readonly sort: SortOrder;
  readonly script: Script;
}

/** /news latest stores only who asked, for its post buttons. */
export interface SavedLatest {
  readonly kind: 'latest';
  readonly guild: string | null;
  readonly region: string;
}

export type Saved = SavedSearch | SavedLatest;

export type ButtonRef =
  | { readonly kind: 'page'; readonly owner: string; readonly key: string; readonly page: number }
  | { readonly kind: 'post'; readonly owner: string; readonly key: string; readonly n: number; readonly storyId: number };

export const pageId = (owner: string, key: string, page: number): string => `news:p:${owner}:${key}:${page}`;
/** `n` (the result's number on screen) keeps ids unique when two hits are one story. */
export const postId = (owner: string, key: string, n: number, storyId: number): string => `news:s:${owner}:${key}:${n}:${storyId}`;

const PAGE = /^news:p:(\d{1,20}):([\w-]{6,32}):(\d{1,4})$/;
const POST = /^news:s:(\d{1,20}):([\w-]{6,32}):(\d{1,4}):(\d{1,15})$/;

/** The reference a custom id encodes; null for anything this version did not write. */
export function parseButton(customId: string): ButtonRef | null {
  const p = PAGE.exec(customId);
  if (p) return { kind: 'page', owner: p[1]!, key: p[2]!, page: Number(p[3]) };
  const s = POST.exec(customId);
  if (s) return { kind: 'post', owner: s[1]!, key: s[2]!, n: Number(s[3]), storyId: Number(s[4]) };
  return null;
}

const str = (v: unknown): v is string => typeof v === 'string';
const int = (v: unknown): v is number => Number.isSafeInteger(v);

/** Reads a stored request back; null when the row was written by another version or damaged. */
export function decodeSaved(json: string): Saved | null {
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) return null;
  // Rows from before `guild` was stored cannot say where they may be posted: they expire.
  if (!(v.guild === null || str(v.guild))) return null;
  if (v.kind === 'latest') return str(v.region) ? { kind: 'latest', guild: v.guild, region: v.region } : null;
  if (v.kind !== 'search' || !str(v.query) || !(v.region === null || str(v.region)) || !(v.days === null || int(v.days))) return null;
  if (!(v.since === null || int(v.since))) return null;
  if ((v.sort !== 'newest' && v.sort !== 'relevance') || !str(v.script) || !SCRIPTS.includes(v.script as Script)) return null;
  return { kind: 'search', guild: v.guild, query: v.query, region: v.region, days: v.days, since: v.since, sort: v.sort, script: v.script as Script };
}

/** Stores a search (pruning expired ones first) and returns its key. */
export async function saveSearch(repo: SearchesPort, userId: string, saved: Saved, next: string | null, now: number): Promise<string> {
  await repo.prune(now - SEARCH_TTL_MS);
  return repo.create(userId, JSON.stringify(saved), next, now);
}

export interface Opened {
  readonly key: string;
  readonly saved: Saved;
  readonly pages: readonly (string | null)[];
}

/**
 * The stored search a button refers to, for the user who pressed it. Someone else's
 * buttons are refused by the owner in the id and, should an id be made up, by the owner
 * stored with the search; a search that is gone, too old or unreadable has expired.
 */
export async function openButton(repo: SearchesPort, ref: ButtonRef, userId: string, now: number): Promise<Opened> {
  if (ref.owner !== userId) throw new UserError(COMMON.notYours);
  const row = await repo.get(ref.key);
  if (!row) throw new UserError(COMMON.expired);
  if (row.userId !== userId) throw new UserError(COMMON.notYours);
  const saved = decodeSaved(row.request);
  if (!saved || now - row.createdAt > SEARCH_TTL_MS || row.createdAt > now + SEARCH_TTL_MS) throw new UserError(COMMON.expired);
  return { key: row.key, saved, pages: row.pages };
}
