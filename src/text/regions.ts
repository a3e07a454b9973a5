// Region tagging: which divisions a story is about, with how sure we are and why.
// Names are found by a leftmost-longest scan over the whole country (上海宁波 → 上海|宁波,
// never 海宁), then each mention is resolved against what else the story says.
import type { RegionTag } from '../domain/types.js';
import type { Gazetteer, NameHit } from './gazetteer.js';
import { t2s } from './script.js';

export interface TagInput {
  readonly title: string;
  readonly body: string;
  readonly breadcrumb?: readonly string[];
  readonly feedRegion?: string | null;
}

// Phrases that contain a place name but are about something else. Matching them as a
// whole (longest wins) swallows the place name inside.
const BLOCKERS = [
  '平湖秋月', '杭州湾', '市中心', '北京时间', '大城市', '哈密瓜', '长治久安', '四平八稳', '吉隆坡', '乌兰巴托',
  '兰州拉面', '沙县小吃', '北京烤鸭', '扬州炒饭', '桂林米粉', '我市', '本市',
];

interface Matcher {
  readonly next: Map<number, number>[];
  readonly hits: (readonly NameHit[] | null)[];
  /** UTF-16 unit → its Simplified form, filled as characters are first seen. */
  readonly fold: Map<number, number>;
}

interface Mention {
  readonly zone: 'breadcrumb' | 'title' | 'body';
  readonly hits: readonly NameHit[];
}

const matchers = new WeakMap<Gazetteer, Matcher>();

/**
 * Traditional → Simplified one character at a time. Converting a whole article through
 * OpenCC costs more than the rest of tagging together; place names need no phrase rules,
 * and each distinct character is converted once per gazetteer.
 */
function foldUnit(m: Matcher, c: number): number {
  if (c < 0x3400 || (c >= 0xd800 && c <= 0xdfff)) return c;
  let f = m.fold.get(c);
  if (f === undefined) {
    const s = t2s(String.fromCharCode(c).normalize('NFKC'));
    f = s.length === 1 ? s.charCodeAt(0) : c;
    m.fold.set(c, f);
  }
  return f;
}

function matcherFor(gaz: Gazetteer): Matcher {
  const cached = matchers.get(gaz);
  if (cached) return cached;
  const m: Matcher = { next: [new Map()], hits: [null], fold: new Map() };
  const insert = (key: string, hits: readonly NameHit[]): void => {
    let node = 0;
    for (let i = 0; i < key.length; i++) {
      const c = foldUnit(m, key.charCodeAt(i));
      let child = m.next[node]!.get(c);
      if (child === undefined) {
        child = m.next.length;
        m.next.push(new Map());
        m.hits.push(null);
        m.next[node]!.set(c, child);
      }
      node = child;
    }
    // Two keys can fold together (a Traditional form and its Simplified one): merge.
    const prev = m.hits[node];
    m.hits[node] = prev && prev.length > 0 ? [...prev, ...hits.filter((h) => !prev.some((p) => p.region === h.region))] : hits;
  };
  for (const [key, hits] of gaz.names()) insert(key, hits);
  for (const b of BLOCKERS) if (!gaz.names().has(b)) insert(b, []);
  matchers.set(gaz, m);
  return m;
}

/** Leftmost-longest: at each position take the longest name, then continue after it. */
function scan(m: Matcher, raw: string, zone: Mention['zone'], out: Mention[]): void {
  const n = raw.length;
  const text = new Uint16Array(n);
  for (let i = 0; i < n; i++) text[i] = foldUnit(m, raw.charCodeAt(i));
  const root = m.next[0]!;
  let i = 0;
  while (i < n) {
    let node = root.get(text[i]!);
    if (node === undefined) {
      i++;
      continue;
    }
    let end = -1;
    let found: readonly NameHit[] | null = null;
    for (let j = i + 1; ; j++) {
      const h = m.hits[node]!;
      if (h) {
        end = j;
        found = h;
      }
      if (j >= n) break;
      const child: number | undefined = m.next[node]!.get(text[j]!);
      if (child === undefined) break;
      node = child;
    }
    if (end < 0 || !found) {
      i++;
      continue;
    }
    if (found.length > 0) out.push({ zone, hits: found });
    i = end;
  }
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

/**
 * Regions a story is about: the feed's own region always, then each region named in the
 * breadcrumb, title or body, once, as the most specific division the name denotes
 * (嘉兴市南湖区 gives 嘉兴市 and 南湖区, never an unnamed 浙江). Ancestors are implied,
 * not listed: callers expand them with withAncestors. Sorted by confidence.
 */
export function tagRegions(gaz: Gazetteer, input: TagInput): RegionTag[] {
  const matcher = matcherFor(gaz);
  const known = new Set<string>();
  const feed = input.feedRegion && gaz.get(input.feedRegion) ? input.feedRegion : null;
  if (feed) addKnown(gaz, known, feed);

  interface Evidence {
    zone: Mention['zone'];
    count: number;
    weak: boolean;
    ambiguous: boolean;
  }
  const found = new Map<string, Evidence[]>();
  const record = (zone: Mention['zone'], r: Resolution): void => {
    const list = found.get(r.code) ?? [];
    const same = list.find((e) => e.zone === zone);
    if (!same) list.push({ zone, count: 1, weak: r.weak, ambiguous: r.ambiguous });
    else {
      same.count++;
      same.weak &&= r.weak;
      same.ambiguous &&= r.ambiguous;
    }
    found.set(r.code, list);
  };

  // The breadcrumb reads outermost first, so each segment can lean on the ones before it.
  for (const segment of input.breadcrumb ?? []) {
    const ms: Mention[] = [];
    scan(matcher, segment, 'breadcrumb', ms);
    for (const mention of ms) {
      const r = resolve(gaz, mention.hits, known);
      if (!r) continue;
      record('breadcrumb', r);
      addKnown(gaz, known, r.code);
    }
  }

  const mentions: Mention[] = [];
  scan(matcher, input.title, 'title', mentions);
  scan(matcher, input.body, 'body', mentions);
  // Two rounds: mentions that are clear on their own first, then the rest against them.
  let pending = mentions;
  for (let round = 0; round < 2 && pending.length > 0; round++) {
    const resolved: Resolution[] = [];
    const later: Mention[] = [];
    for (const mention of pending) {
      const r = resolve(gaz, mention.hits, known);
      if (r) {
        record(mention.zone, r);
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
  const backed = (code: string): boolean => {
    const parent = gaz.ancestors(code)[0];
    return (below.get(code) ?? 0) > 1 || (parent !== undefined && (below.get(parent.code) ?? 0) > 1);
  };

  const tags: RegionTag[] = [];
  if (feed) tags.push({ code: feed, confidence: 1, source: 'feed' });
  for (const [code, evidence] of found) {
    if (code === feed) continue;
    let best = 0;
    let source: RegionTag['source'] = 'body';
    const alone = backed(code) ? 1 : 0.85;
    for (const e of evidence) {
      const quality = (e.weak ? 0.8 : alone) * (e.ambiguous ? 0.9 : 1);
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
  const depth = (code: string): number => gaz.ancestors(code).length;
  extra.sort((a, b) => b.confidence - a.confidence || depth(b.code) - depth(a.code) || a.code.localeCompare(b.code));
  return [...tags, ...extra];
}
