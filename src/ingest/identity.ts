// How items are recognised: within a feed (item key) and across feeds and scripts (title key).
import { createHash } from 'node:crypto';
import { normalizeForMatch } from '../text/script.js';

const sha1 = (s: string): string => createHash('sha1').update(s).digest('hex');

/** Title compared across scripts: Simplified, NFKC, lower case, no punctuation or spaces. */
export function titleKey(title: string): string {
  return normalizeForMatch(title).replace(/[^\p{L}\p{N}]/gu, '');
}

/**
 * Identity of an item within its feed: guid, else canonical link, else title + date.
 * Never the item's position, so a feed that reorders does not create new items.
 */
export function itemKey(item: { guid: string | null; canonicalUrl: string | null; title: string; dateRaw: string | null }): string {
  const guid = item.guid?.trim();
  if (guid) return guid.length <= 200 ? `g:${guid}` : `g#${sha1(guid)}`;
  if (item.canonicalUrl) return item.canonicalUrl.length <= 200 ? `u:${item.canonicalUrl}` : `u#${sha1(item.canonicalUrl)}`;
  return `t#${sha1(`${titleKey(item.title)}\u0000${item.dateRaw ?? ''}`)}`;
}

/** Character bigrams of a title key (single characters for one-character keys). */
export function bigrams(key: string): Set<string> {
  const chars = [...key];
  const out = new Set<string>();
  if (chars.length === 1) out.add(chars[0]!);
  for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i]! + chars[i + 1]!);
  return out;
}

/** Dice coefficient of two bigram sets: tolerant of the odd vocabulary difference (晶片/芯片). */
export function dice(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const g of small) if (large.has(g)) shared++;
  return (2 * shared) / (a.size + b.size);
}
