// Region tagging: which divisions a story is about, with how sure we are and why.
// Names are found where they stand as places (region-mentions.ts), then each mention is
// resolved against what else the story says, and its confidence reflects both.
import type { Region, RegionTag } from '../domain/types.js';
import type { Gazetteer, NameHit } from './gazetteer.js';
import { type Evidence, findMentions, type Mention } from './region-mentions.js';

export interface TagInput {
  readonly title: string;
  readonly body: string;
  readonly breadcrumb?: readonly string[];
  readonly feedRegion?: string | null;
}

/** 3: the region itself is known; 2: its parent is; 1: some ancestor is; 0: nothing. */
function support(gaz: Gazetteer, code: string, known: ReadonlySet<string>): number {
  if (known.has(code)) return 3;
  const up = gaz.ancestors(code);
  if (up[0] && known.has(up[0].code)) return 2;
  return up.some((a) => known.has(a.code)) ? 1 : 0;
}

interface Resolution {
  readonly code: string;
  readonly weak: boolean; // a risky name, accepted only thanks to its context
  readonly ambiguous: boolean; // the name has other senses
}

/**
 * Picks the sense of one mention given what is known. Weak senses (risky short names) need
 * a known parent or sibling; among the rest the best-supported wins, strong before weak;
 * a tie that remains is left unresolved rather than guessed.
 */
function resolve(gaz: Gazetteer, hits: readonly NameHit[], known: ReadonlySet<string>): Resolution | null {
  let best: { hit: NameHit; s: number }[] = [];
  let bestS = -1;
  for (const hit of hits) {
    const s = support(gaz, hit.region.code, known);
    if (hit.weak && s < 2) continue;
    if (s > bestS) {
      best = [{ hit, s }];
      bestS = s;
    } else if (s === bestS) best.push({ hit, s });
  }
  if (best.length > 1) {
    const strong = best.filter((b) => !b.hit.weak);
    if (strong.length > 0) best = strong;
  }
  if (best.length !== 1) return null;
  const { hit } = best[0]!;
  return { code: hit.region.code, weak: hit.weak, ambiguous: hits.length > 1 };
}

const ZONE_BASE = { breadcrumb: 0.95, title: 0.9, body: 0.55 } as const;
const SOURCE_ORDER: Record<RegionTag['source'], number> = { feed: 0, breadcrumb: 1, title: 2, body: 3, ancestor: 4 };

function addKnown(gaz: Gazetteer, known: Set<string>, code: string): void {
  known.add(code);
  for (const a of gaz.ancestors(code)) known.add(a.code);
}

// How much a bare name (at a word boundary, nothing more) is worth beside one named with
// its suffix or in place-like context. A county name is short and often also an ordinary
// word or a given name, so bare it is worth least; a relative named beside it restores it.
const BARE = { province: 0.95, prefecture: 0.9, county: 0.6 } as const;
const BARE_BACKED = 0.9;
const EVIDENCE_RANK: Record<Evidence, number> = { named: 2, context: 1, bare: 0 };

/**
 * Regions a story is about: the feed's own region always, then each region named in the
 * breadcrumb, title or body, once, as the most specific division the name denotes
 * (嘉兴市南湖区 gives 嘉兴市 and 南湖区, never an unnamed 浙江). Ancestors are implied,
 * not listed: callers expand them with withAncestors. Sorted by confidence, which weighs
 * where the name was (breadcrumb, title, body), how it stood (with its suffix, in context,
 * bare), whether it has other senses and whether a relative backs it: see `routable`.
 */
interface Found {
  zone: Mention['zone'];
  count: number;
  weak: boolean;
  ambiguous: boolean;
  evidence: Evidence;
}

// Module functions rather than closures inside tagRegions: under tsx every named closure is
// wrapped (__name) each time it is made, which cost more than tagging a short title.
function record(found: Map<string, Found[]>, zone: Mention['zone'], r: Resolution, evidence: Evidence): void {
  const list = found.get(r.code) ?? [];
  const same = list.find((e) => e.zone === zone);
  if (!same) list.push({ zone, count: 1, weak: r.weak, ambiguous: r.ambiguous, evidence });
  else {
    same.count++;
    same.weak &&= r.weak;
    same.ambiguous &&= r.ambiguous;
    if (EVIDENCE_RANK[evidence] > EVIDENCE_RANK[same.evidence]) same.evidence = evidence;
  }
  found.set(r.code, list);
}

/** A found region with a found relative: more than one found region at or below it or its parent. */
function isBackedBy(gaz: Gazetteer, below: ReadonlyMap<string, number>, code: string): boolean {
  const parent = gaz.ancestors(code)[0];
  return (below.get(code) ?? 0) > 1 || (parent !== undefined && (below.get(parent.code) ?? 0) > 1);
}

export function tagRegions(gaz: Gazetteer, input: TagInput): RegionTag[] {
  const known = new Set<string>();
  const feed = input.feedRegion && gaz.get(input.feedRegion) ? input.feedRegion : null;
  if (feed) addKnown(gaz, known, feed);

  const found = new Map<string, Found[]>();

  // The breadcrumb reads outermost first, so each segment can lean on the ones before it.
  // A breadcrumb names places by layout, so every name there counts as named.
  for (const segment of input.breadcrumb ?? []) {
    const ms: Mention[] = [];
    findMentions(gaz, segment, 'breadcrumb', ms);
    for (const mention of ms) {
      const r = resolve(gaz, mention.hits, known);
      if (!r) continue;
      record(found, 'breadcrumb', r, 'named');
      addKnown(gaz, known, r.code);
    }
  }

  const mentions: Mention[] = [];
  findMentions(gaz, input.title, 'title', mentions);
  findMentions(gaz, input.body, 'body', mentions);
  // Two rounds: mentions that are clear on their own first, then the rest against them.
  let pending = mentions;
  for (let round = 0; round < 2 && pending.length > 0; round++) {
    const resolved: Resolution[] = [];
    const later: Mention[] = [];
    for (const mention of pending) {
      const r = resolve(gaz, mention.hits, known);
      if (r) {
        record(found, mention.zone, r, mention.evidence);
        resolved.push(r);
      } else later.push(mention);
    }
    for (const r of resolved) addKnown(gaz, known, r.code);
    pending = later;
  }

  // How many found regions sit at or below each code: a mention backed by a relative
  // (parent, child, sibling, the feed) is surer than one that stands alone.
  const below = new Map<string, number>();
  for (const code of feed ? [...found.keys(), feed] : found.keys()) {
    for (const c of [code, ...gaz.ancestors(code).map((a) => a.code)]) below.set(c, (below.get(c) ?? 0) + 1);
  }

  const tags: RegionTag[] = [];
  if (feed) tags.push({ code: feed, confidence: 1, source: 'feed' });
  for (const [code, evidence] of found) {
    if (code === feed) continue;
    const kind = gaz.get(code)?.kind ?? 'county';
    const isBacked = isBackedBy(gaz, below, code);
    let best = 0;
    let source: RegionTag['source'] = 'body';
    for (const e of evidence) {
      const stood = e.evidence === 'bare' ? (isBacked ? Math.max(BARE_BACKED, BARE[kind]) : BARE[kind]) : 1;
      const quality = (e.weak ? 0.8 : isBacked ? 1 : 0.85) * (e.ambiguous ? 0.9 : 1) * stood;
      // Repeated body mentions add up to a point; one title mention is worth more.
      const c = ZONE_BASE[e.zone] * quality + (e.zone === 'body' ? 0.08 * Math.min(e.count - 1, 4) : 0);
      if (c > best + 1e-9 || (Math.abs(c - best) < 1e-9 && SOURCE_ORDER[e.zone] < SOURCE_ORDER[source])) {
        best = c;
        source = e.zone;
      }
    }
    if (evidence.length > 1) best += 0.05;
    tags.push({ code, confidence: round2(Math.min(best, 0.99)), source });
  }
  return sortTags(tags);
}

/**
 * The least confidence a tag needs, by level, to decide where a story is posted. A county
 * takes the most: named with its suffix, in place-like context, backed by a relative or
 * the feed, or repeated; a lone bare county name in the body (0.33) does not route.
 */
export const ROUTE_MIN: Readonly<Record<Region['kind'], number>> = { province: 0.3, prefecture: 0.4, county: 0.45 };

/** The tags sure enough to route by (the feed's own region always is). */
export function routable(gaz: Gazetteer, tags: readonly RegionTag[]): RegionTag[] {
  return tags.filter((t) => t.source === 'feed' || t.confidence >= ROUTE_MIN[gaz.get(t.code)?.kind ?? 'county'] - 1e-9);
}

function sortTags(tags: RegionTag[]): RegionTag[] {
  return tags.sort(
    (a, b) => b.confidence - a.confidence || SOURCE_ORDER[a.source] - SOURCE_ORDER[b.source] || a.code.localeCompare(b.code),
  );
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

/**
 * Adds every ancestor of the tagged regions (source 'ancestor'), as sure as its surest
 * descendant, so a subscription to 嘉兴 or 浙江 sees a story tagged 海宁.
 */
export function withAncestors(gaz: Gazetteer, tags: readonly RegionTag[]): RegionTag[] {
  const have = new Set(tags.map((t) => t.code));
  const implied = new Map<string, number>();
  for (const t of tags) {
    for (const a of gaz.ancestors(t.code)) {
      if (have.has(a.code)) continue;
      implied.set(a.code, Math.max(implied.get(a.code) ?? 0, t.confidence));
    }
  }
  const extra: RegionTag[] = [...implied].map(([code, confidence]) => ({ code, confidence, source: 'ancestor' }));
  // Equally sure ancestors read nearest first: 嘉兴 before 浙江.
  extra.sort((a, b) => b.confidence - a.confidence || gaz.ancestors(b.code).length - gaz.ancestors(a.code).length || a.code.localeCompare(b.code));
  return [...tags, ...extra];
}
