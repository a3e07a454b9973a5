// OpenCC conversion over opencc-js's own dictionaries, built without one object per entry.
// opencc-js turns each packed dictionary ("key value|key value|…", sorted by key) into a trie
// of Maps, one Map per character of every phrase: ~150,000 Maps and ~190 ms for
// Simplified→Traditional alone. Here a dictionary group stays the packed text it ships as,
// plus typed arrays of offsets into it, in key order: the longest-match walk narrows a sorted
// range one UTF-16 unit at a time, which finds the same entry the trie does. Building is an
// indexOf scan and a merge of the group's (already sorted) dictionaries.
// The conversion rules (which dictionaries, in which order and priority, how text is cut into
// phrases first, what is skipped unmatched) mirror opencc-js's ConverterBuilder;
// tests/unit/text/script-opencc.test.ts compares the output with opencc-js's on every
// dictionary entry, on overlapping entries and on random text.
import type { DictLike } from 'opencc-js/core';
import * as preset from 'opencc-js/preset';

/** One dictionary group (the first dictionary wins for a key several define), sorted by key. */
interface Table {
  text: string;
  keyStart: Int32Array;
  keyLength: Int32Array; // the value starts after the key and a space
  valueEnd: Int32Array;
  // Entries whose key starts with UTF-16 unit c are ranges[at] ≤ k < ranges[at + 1], where
  // at = pages[c >> 8] + 2 * (c & 0xff) (pages[…] is -1 for a block of 256 units no key starts
  // with). Two levels because a flat table for 65,536 units takes 512 KB per dictionary group,
  // and zeroing that much costs more than reading the smaller dictionaries.
  pages: Int32Array;
  ranges: Int32Array;
}

const PAGE = 512; // two numbers for each of 256 units

/** Where the range of entries whose key starts with c sits in t.ranges, or -1. */
function rootRange(t: Table, c: number): number {
  const page = t.pages[c >> 8]!;
  return page < 0 ? -1 : page + 2 * (c & 0xff);
}

/** Entries of packed dictionaries joined into one text, in dictionary order. */
interface Entries {
  text: string;
  start: Int32Array;
  keyLength: Int32Array;
  valueEnd: Int32Array;
}

/** Splits packed dictionaries into entries; each dictionary's entries are one run of indices. */
function scan(dicts: readonly string[]): { e: Entries; runs: Int32Array[] } {
  const text = dicts.join('|');
  // Locals rather than e.start[…]: this loop runs before the JIT has optimised anything.
  // Entries average ~20 units; the arrays grow when they are shorter.
  let start = new Int32Array((text.length >> 4) + 16);
  let keyLength = new Int32Array(start.length);
  let valueEnd = new Int32Array(start.length);
  const runs: Int32Array[] = [];
  let n = 0;
  let pos = 0;
  let space = text.indexOf(' ');
  for (const dict of dicts) {
    const first = n;
    const stop = pos + dict.length;
    while (pos <= stop) {
      const bar = text.indexOf('|', pos);
      const end = bar < 0 || bar > stop ? stop : bar;
      if (space < 0 || space >= end) throw new TypeError(`Invalid OpenCC dictionary entry at ${pos}`);
      // opencc-js reads an entry as line.split(' ')[0..1]: a second space would end the value.
      // Without one, the next space found is the next entry's.
      let next = text.indexOf(' ', space + 1);
      if (n === start.length) {
        start = grown(start);
        keyLength = grown(keyLength);
        valueEnd = grown(valueEnd);
      }
      start[n] = pos;
      keyLength[n] = space - pos;
      valueEnd[n++] = next >= 0 && next < end ? next : end;
      if (next >= 0 && next < end) next = text.indexOf(' ', end + 1);
      space = next;
      pos = end + 1;
    }
    const run = new Int32Array(n - first);
    for (let i = 0; i < run.length; i++) run[i] = first + i;
    runs.push(run);
  }
  return { e: { text, start, keyLength, valueEnd }, runs };
}

function grown(a: Int32Array) {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/** Compares the keys of entries a and b in UTF-16 order (the order JavaScript's < uses). */
function compareKeys(e: Entries, a: number, b: number): number {
  const { text } = e;
  const sa = e.start[a]!;
  const sb = e.start[b]!;
  const first = text.charCodeAt(sa) - text.charCodeAt(sb);
  if (first !== 0) return first; // most pairs differ there
  const la = e.keyLength[a]!;
  const lb = e.keyLength[b]!;
  for (let i = 0, n = Math.min(la, lb); i < n; i++) {
    const d = text.charCodeAt(sa + i) - text.charCodeAt(sb + i);
    if (d !== 0) return d;
  }
  return la - lb;
}

/**
 * One dictionary's entries in key order, one per key. The packed dictionaries come sorted,
 * so this is a check; an unsorted one (the compatibility-ideograph table) is sorted, and for a
 * key it repeats the later entry wins, as it does when opencc-js adds words one by one.
 */
function sortedRun(e: Entries, run: Int32Array): Int32Array {
  let sorted = true;
  for (let i = 1; i < run.length && sorted; i++) sorted = compareKeys(e, run[i - 1]!, run[i]!) < 0;
  if (sorted) return run;
  const byKey = [...run].sort((a, b) => compareKeys(e, a, b) || b - a);
  return Int32Array.from(byKey.filter((k, i) => i === 0 || compareKeys(e, byKey[i - 1]!, k) !== 0));
}

/** Merges two key-ordered runs; for a key in both, the entry of `first` is kept. */
function merge(e: Entries, first: Int32Array, second: Int32Array): Int32Array {
  const out = new Int32Array(first.length + second.length);
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < first.length && j < second.length) {
    const d = compareKeys(e, first[i]!, second[j]!);
    out[n++] = d <= 0 ? first[i++]! : second[j++]!;
    if (d === 0) j++;
  }
  while (i < first.length) out[n++] = first[i++]!;
  while (j < second.length) out[n++] = second[j++]!;
  return out.subarray(0, n);
}

function buildTable(dicts: readonly string[]): Table {
  const { e, runs } = scan(dicts);
  // Merging from the last (smallest) dictionary up keeps each step short; the earlier run
  // of a merge wins ties, so the group's priority is kept.
  const order = runs.map((r) => sortedRun(e, r)).reduceRight((later, r) => merge(e, r, later));
  const n = order.length;
  const { text, start, keyLength, valueEnd } = e;
  const t: Table = {
    text,
    keyStart: new Int32Array(n),
    keyLength: new Int32Array(n),
    valueEnd: new Int32Array(n),
    pages: new Int32Array(256).fill(-1),
    ranges: new Int32Array(0),
  };
  const { keyStart: ks, keyLength: kl, valueEnd: ve, pages } = t;
  // Count the pages first, so the ranges are allocated once.
  let used = 0;
  for (let k = 0; k < n; k++) {
    const c = text.charCodeAt(start[order[k]!]!);
    if (pages[c >> 8]! < 0) {
      pages[c >> 8] = used;
      used += PAGE;
    }
  }
  const ranges = (t.ranges = new Int32Array(used));
  for (let k = 0; k < n; k++) {
    const id = order[k]!;
    const at = start[id]!;
    ks[k] = at;
    kl[k] = keyLength[id]!;
    ve[k] = valueEnd[id]!;
    const c = text.charCodeAt(at);
    const r = pages[c >> 8]! + 2 * (c & 0xff);
    if (ranges[r + 1] === 0) ranges[r] = k;
    ranges[r + 1] = k + 1;
  }
  return t;
}

/** First entry in [lo, hi) whose unit at depth d is ≥ c (every key there is longer than d). */
function lowerBound(t: Table, lo: number, hi: number, d: number, c: number): number {
  const { text, keyStart } = t;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (text.charCodeAt(keyStart[mid]! + d) < c) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The entry with the longest key that s continues at i, or -1. */
function longestMatch(t: Table, s: string, i: number): number {
  const at = rootRange(t, s.charCodeAt(i));
  if (at < 0) return -1;
  let hi = t.ranges[at + 1]!;
  if (hi === 0) return -1;
  let lo = t.ranges[at]!;
  let found = -1;
  // Invariant: every key in [lo, hi) starts with s[i, i + d). Shorter keys sort first, so
  // a key equal to that prefix can only be at lo.
  for (let d = 1; ; d++) {
    if (t.keyLength[lo] === d) found = lo++;
    if (lo === hi || i + d >= s.length) return found;
    const c = s.charCodeAt(i + d);
    lo = lowerBound(t, lo, hi, d, c);
    if (lo === hi || t.text.charCodeAt(t.keyStart[lo]! + d) !== c) return found;
    hi = lowerBound(t, lo + 1, hi, d, c + 1);
  }
}

// Unmatched text moves on by a code point, or by a whole ideographic description sequence
// (⿰言十) so its components are left as written — opencc-js's rule, arities included.
function idcArity(cp: number): number {
  if (cp === 0x2ff2 || cp === 0x2ff3) return 3;
  return cp >= 0x2ff0 && cp <= 0x2fff ? 2 : 0;
}

function codePointLength(s: string, i: number): number {
  return s.codePointAt(i)! > 0xffff ? 2 : 1;
}

/** End of the description sequence starting at i, or 0 when none (or it is cut short). */
function idsEnd(s: string, i: number): number {
  const arity = idcArity(s.codePointAt(i)!);
  if (arity === 0) return 0;
  let end = i + codePointLength(s, i);
  for (let k = 0; k < arity; k++) {
    if (end >= s.length) return 0;
    end = idsEnd(s, end) || end + codePointLength(s, end);
  }
  return end;
}

function unmatchedLength(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c < 0x2ff0 || (c > 0x2fff && (c < 0xd800 || c > 0xdbff))) return 1; // the common case, fast
  const end = idsEnd(s, i);
  return end > i ? end - i : codePointLength(s, i);
}

/** Replaces, left to right, the longest key found at each position by its value. */
function convertWith(t: Table, s: string): string {
  let out = '';
  let copied = 0; // s[copied, i) is unmatched text still to copy
  for (let i = 0; i < s.length; ) {
    const k = longestMatch(t, s, i);
    if (k < 0) {
      i += unmatchedLength(s, i);
      continue;
    }
    const valueStart = t.keyStart[k]! + t.keyLength[k]! + 1;
    out += s.slice(copied, i) + t.text.slice(valueStart, t.valueEnd[k]!);
    i += t.keyLength[k]!;
    copied = i;
  }
  return copied === 0 ? s : out + s.slice(copied);
}

/** Cuts s into matched phrases and the unmatched runs between them. */
function segment(t: Table, s: string): string[] {
  const parts: string[] = [];
  let copied = 0;
  for (let i = 0; i < s.length; ) {
    const k = longestMatch(t, s, i);
    if (k < 0) {
      i += unmatchedLength(s, i);
      continue;
    }
    if (copied < i) parts.push(s.slice(copied, i));
    parts.push(s.slice(i, i + t.keyLength[k]!));
    i += t.keyLength[k]!;
    copied = i;
  }
  if (copied < s.length) parts.push(s.slice(copied));
  return parts;
}

// One table per dictionary group, shared by every converter that uses it (the
// compatibility-ideograph table normalises five of them). Dictionaries are keyed by content.
const dictIds = new Map<string, number>();
const tables = new Map<string, Table>();

type DictGroup = readonly DictLike[] | DictLike;

function strings(group: unknown): string[] {
  const list = typeof group === 'string' ? [group] : group;
  if (!Array.isArray(list) || !list.every((d) => typeof d === 'string')) {
    throw new TypeError('Only packed-string OpenCC dictionaries are supported');
  }
  return list as string[];
}

function table(group: DictGroup): Table {
  const dicts = strings(group);
  const key = dicts
    .map((d) => {
      if (!dictIds.has(d)) dictIds.set(d, dictIds.size);
      return dictIds.get(d);
    })
    .join(',');
  let t = tables.get(key);
  if (!t) {
    t = buildTable(dicts);
    tables.set(key, t);
  }
  return t;
}

export type Convert = (s: string) => string;

interface Config {
  segmentation?: DictGroup;
  conversionChain: readonly DictGroup[];
  normalizationChain?: readonly DictGroup[];
}

/** Applies each group in turn, as opencc-js's ConverterFactory does. */
function chain(groups: readonly DictGroup[]): Convert {
  const ts = groups.map(table);
  return (s) => ts.reduce((x, t) => convertWith(t, x), s);
}

// opencc-js names its prepared configurations this way (Converter({from, to}) looks them up).
function configName(from: string, to: string): string {
  if (from === 'cn') return `s2${to}`;
  if (to === 'cn') return from === 'hkp' ? 'hk2sp' : from === 'twp' ? 'tw2sp' : `${from}2s`;
  return `${from}2${to}`;
}

/**
 * The converter opencc-js's Converter({ from, to }) would build, over the same dictionaries:
 * a prepared configuration when there is one (normalise compatibility ideographs, cut into
 * phrases, then the conversion chain per phrase), else the `from` groups then the `to` groups.
 */
export function openccConverter(from: string, to: string): Convert {
  const config = (preset.configs as Record<string, Config | undefined>)[configName(from, to)];
  if (!config) {
    const groups = (side: Record<string, readonly DictGroup[]>, locale: string): readonly DictGroup[] => {
      if (locale === 't') return [];
      const g = side[locale];
      if (!g) throw new Error(`Unknown OpenCC locale: ${locale}`);
      return Array.isArray(g[0]) ? g : [g as DictGroup];
    };
    return chain([...groups(preset.from, from), ...groups(preset.to, to)]);
  }
  const steps = config.conversionChain.map(table);
  const seg = config.segmentation ? table(config.segmentation) : undefined;
  const normalize = config.normalizationChain ? chain(config.normalizationChain) : (s: string) => s;
  return (input) => {
    const s = normalize(input);
    const parts = seg ? segment(seg, s) : [s];
    return parts.map((p) => steps.reduce((x, t) => convertWith(t, x), p)).join('');
  };
}
