// /news search shows stories, not articles: the index holds one entry per article, so a
// story carried by several feeds would otherwise fill several rows. A page is filled with
// the first hit of each story not shown on an earlier page of the same search, and each row
// names the story's other sources.
import type { Script } from '../src/domain/types.js';
import { fitEscaped } from '../src/presentation/message.js';
import type { SearchHit, SearchResponse } from '../src/domain/search.js';
import { convert } from '../src/text/script.js';
import type { CommandDeps } from './deps.js';

export type Found = Extract<SearchResponse, { ok: true }>;

// A page of duplicates asks the index again for the next hits; a few rounds bound the work.
const MAX_ROUNDS = 4;
// Earlier pages whose stories are skipped: enough for anyone paging by hand.
const MAX_EARLIER_RESULTS = 200;
const SOURCES_SHOWN = 3;
const NAME_MAX = 60;

/**
 * One page of `perPage` stories from `cursor` on. `first` is the search of the first round
 * (it may throw the user's error); later rounds that fail end the page with what it has, and
 * the cursor stays where that round began, so the next page tries again.
 */
export async function storyPage(
  first: (limit: number) => Promise<Found>,
  more: (cursor: string, limit: number) => Promise<SearchResponse>,
  perPage: number,
  shown: ReadonlySet<number>,
): Promise<Found> {
  const seen = new Set(shown);
  const items: SearchHit[] = [];
  let found = await first(perPage);
  for (let round = 1; ; round++) {
    for (const h of found.items) {
      if (seen.has(h.storyId)) continue;
      seen.add(h.storyId);
      items.push(h);
    }
    // Asking for no more hits than rows still free keeps every fetched hit on this page, so
    // the cursor of the last round is exactly where the next page begins.
    if (items.length >= perPage || found.nextCursor === null || found.partial || round >= MAX_ROUNDS) break;
    const next = await more(found.nextCursor, perPage - items.length);
    if (!next.ok) break;
    found = next;
  }
  return { ok: true, items, nextCursor: found.nextCursor, ...(found.partial ? { partial: found.partial } : {}) };
}

/** Stories shown on the pages before `page` of a stored search. */
export async function earlierStories(deps: CommandDeps, key: string, page: number, perPage: number): Promise<Set<number>> {
  const ids = new Set<number>();
  const last = page * perPage;
  for (let n = Math.max(1, last - MAX_EARLIER_RESULTS + 1); n <= last; n++) {
    const r = await deps.searches.result(key, n);
    if (r) ids.add(r.storyId);
  }
  return ids;
}

const fold = (s: string): string => s.replace(/\s+/gu, '').toLowerCase();

/** The story's sources other than the hit's own feed, in the reader's glyphs, or '' for none. */
export async function otherSources(deps: CommandDeps, hit: SearchHit, script: Script, separator: string): Promise<string> {
  const story = await deps.articles.story(hit.storyId);
  if (!story) return '';
  const feeds = [{ feedId: story.feedId, feedName: story.feedName }, ...story.alsoReportedBy];
  const names: string[] = [];
  const taken = new Set([hit.feedId]);
  const folded = new Set([fold(hit.feedName)]);
  for (const f of feeds) {
    if (taken.has(f.feedId) || folded.has(fold(f.feedName)) || !f.feedName.trim()) continue;
    taken.add(f.feedId);
    folded.add(fold(f.feedName));
    names.push(fitEscaped(convert(f.feedName.replace(/\s+/gu, ' ').trim(), script === 'twp' ? 'tw' : script), NAME_MAX));
  }
  if (names.length === 0) return '';
  const rest = names.length - SOURCES_SHOWN;
  return names.slice(0, SOURCES_SHOWN).join(separator) + (rest > 0 ? ` +${rest}` : '');
}
