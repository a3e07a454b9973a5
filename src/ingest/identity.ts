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

export interface IdentityInput {
  readonly guid: string | null;
  readonly canonicalUrl: string | null;
  readonly title: string;
  readonly dateRaw: string | null;
  /** Read only for items whose title and date collide: may be a lazy getter. */
  readonly text?: string;
}

const hashed = (prefix: string, parts: readonly string[]): string => `${prefix}#${sha1(parts.join('\u0000'))}`;

/**
 * Keys for every item of one feed document. Each item keeps itemKey() — the key stored items
 * already carry, so nothing is posted again after an upgrade — unless other items in the
 * same document share that key while being different items. Then the shared key is
 * narrowed: a guid by link when the links differ (a podcast feed that reuses one enclosure
 * URL as every guid), else by title; a link by title (every item pointing at the home page);
 * title + date by the item's text. Items alike in all of these are one item repeated.
 * Nothing depends on the items' order.
 */
export function itemKeys(items: readonly IdentityInput[]): string[] {
  return narrowedKeys(items, items.map(itemKey));
}

/** itemKeys with each item's itemKey() already made (`plain`, read only). */
export function narrowedKeys(items: readonly IdentityInput[], plain: readonly string[]): string[] {
  const keys = plain.slice();
  // Only keys that repeat get a group: a feed of 100k items builds no array per item.
  const first = new Map<string, number>();
  const groups = new Map<string, number[]>();
  for (let i = 0; i < plain.length; i++) {
    const k = plain[i]!;
    const at = first.get(k);
    if (at === undefined) first.set(k, i);
    else {
      const members = groups.get(k);
      if (members) members.push(i);
      else groups.set(k, [at, i]);
    }
  }
  for (const [key, members] of groups) {
    const of = (i: number) => items[i]!;
    const distinct = (f: (i: number) => string): boolean => new Set(members.map(f)).size > 1;
    const link = (i: number): string => of(i).canonicalUrl ?? '';
    const title = (i: number): string => titleKey(of(i).title);
    let narrow: ((i: number) => string) | null = null;
    if (key.startsWith('g')) {
      const guid = (i: number): string => of(i).guid!.trim();
      if (distinct(link)) narrow = (i) => hashed('g', [guid(i), `u:${link(i)}`]);
      else if (distinct(title)) narrow = (i) => hashed('g', [guid(i), `t:${title(i)}`]);
    } else if (key.startsWith('u')) {
      if (distinct(title)) narrow = (i) => hashed('u', [link(i), `t:${title(i)}`]);
    } else {
      const text = (i: number): string => (of(i).text ?? '').replace(/\s+/g, ' ').trim();
      if (distinct(text)) narrow = (i) => hashed('t', [title(i), of(i).dateRaw ?? '', `x:${text(i)}`]);
    }
    if (narrow) for (const i of members) keys[i] = narrow(i);
  }
  return keys;
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
