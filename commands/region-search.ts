// Finding a region from what a moderator types: Simplified or Traditional, full or short
// name (海宁 → 海宁市), six-digit code, or pinyin initials (jx → 嘉兴). Built once per gazetteer.
import { pinyin } from 'pinyin-pro';
import type { Region } from '../src/domain/types.js';
import { escapeMarkdown } from '../src/presentation/message.js';
import type { Gazetteer } from '../src/text/gazetteer.js';
import { convert, normalizeForMatch } from '../src/text/script.js';
import { UserError } from './errors.js';
import { COMMON } from './i18n.js';
import type { Choice, UiLanguage } from './types.js';

interface Entry {
  readonly region: Region;
  readonly keys: readonly string[]; // normalized names
  readonly initials: readonly string[]; // pinyin initials of the names
  readonly depth: number;
}

const KIND_BONUS = { province: 12, prefecture: 8, county: 0 } as const;
const indexes = new WeakMap<Gazetteer, Entry[]>();

function allRegions(gaz: Gazetteer): Region[] {
  const out: Region[] = [];
  const walk = (r: Region) => {
    out.push(r);
    for (const c of gaz.children(r.code)) walk(c);
  };
  for (const p of gaz.provinces()) walk(p);
  return out;
}

function index(gaz: Gazetteer): Entry[] {
  let entries = indexes.get(gaz);
  if (!entries) {
    entries = allRegions(gaz).map((region) => {
      const names = [region.name, region.short, ...region.aliases].filter((n): n is string => !!n);
      return {
        region,
        keys: [...new Set(names.map(normalizeForMatch))],
        initials: [...new Set(names.map((n) => pinyin(n, { pattern: 'first', toneType: 'none', type: 'array' }).join('').toLowerCase()))],
        depth: gaz.path(region.code).length,
      };
    });
    indexes.set(gaz, entries);
  }
  return entries;
}

function score(e: Entry, q: string): number {
  if (/^\d{2,6}$/.test(q)) return e.region.code === q ? 100 : e.region.code.startsWith(q) ? 40 - e.depth : 0;
  let best = 0;
  for (const k of e.keys) {
    if (k === q) best = Math.max(best, 100);
    else if (k.startsWith(q)) best = Math.max(best, 80 - (k.length - q.length));
    else if (q.length >= 2 && k.includes(q)) best = Math.max(best, 50);
  }
  if (/^[a-z]{2,}$/.test(q)) for (const i of e.initials) if (i.startsWith(q)) best = Math.max(best, i === q ? 70 : 60);
  return best === 0 ? 0 : best + KIND_BONUS[e.region.kind];
}

/** Builds the name and pinyin index now (~100 ms), so the first autocomplete is fast too. */
export function warmRegionSearch(gaz: Gazetteer): void {
  index(gaz);
}

/** Regions for a query, best first. Ties go to bigger divisions, then code order. */
export function searchRegions(gaz: Gazetteer, text: string, limit = 25): Region[] {
  const q = normalizeForMatch(text.trim()).replace(/\s+/g, '');
  if (!q) return gaz.provinces().slice(0, limit);
  return index(gaz)
    .map((e) => ({ e, s: score(e, q) }))
    .filter((x) => x.s > 0)
    .sort((a, b) => b.s - a.s || a.e.depth - b.e.depth || a.e.region.code.localeCompare(b.e.region.code))
    .slice(0, limit)
    .map((x) => x.e.region);
}

/** A region's name in the reader's language: Traditional names for zh-Hant. */
export function regionName(region: Region, lang: UiLanguage): string {
  return lang === 'zh-Hant' ? region.nameTw : region.name;
}

/** 浙江省 › 嘉兴市 › 海宁市 */
export function regionPath(gaz: Gazetteer, code: string, lang: UiLanguage): string {
  return gaz
    .path(code)
    .map((r) => regionName(r, lang))
    .join(' › ');
}

export function regionChoices(gaz: Gazetteer, text: string, lang: UiLanguage): Choice[] {
  return searchRegions(gaz, text).map((r) => ({ name: regionPath(gaz, r.code, lang).slice(0, 100), value: r.code }));
}

/**
 * The region a typed value means: an autocomplete choice arrives as its code; free text is
 * resolved by name when unambiguous, else the user is shown the candidates.
 */
export function resolveRegion(gaz: Gazetteer, text: string, lang: UiLanguage): Region {
  const raw = text.trim();
  const byCode = /^\d{6}$/.test(raw) ? gaz.get(raw) : undefined;
  if (byCode) return byCode;
  const q = normalizeForMatch(raw).replace(/\s+/g, '');
  const exact = index(gaz).filter((e) => e.keys.includes(q));
  if (exact.length === 1) return exact[0]!.region;
  const candidates = exact.length > 1 ? exact.map((e) => e.region) : searchRegions(gaz, raw, 5);
  if (candidates.length === 1 && exact.length === 0 && score(index(gaz).find((e) => e.region === candidates[0])!, q) >= 80) return candidates[0]!;
  // Echoed to the member: cut, on one line, and inert as markdown (a typed link stays text).
  const shown = escapeMarkdown((raw.length > 40 ? `${[...raw].slice(0, 40).join('')}…` : raw).replace(/\s+/gu, ' '));
  if (candidates.length === 0) throw new UserError(COMMON.unknownRegion, { text: shown });
  const list = candidates.slice(0, 5).map((r) => `${regionPath(gaz, r.code, lang)} (${r.code})`);
  throw new UserError(COMMON.ambiguousRegion, { text: shown, candidates: lang === 'en' ? list.join('; ') : convert(list.join('；'), lang === 'zh-Hant' ? 'tw' : 'original') });
}
