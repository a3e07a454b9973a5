// The region tree and its name index, built once from a validated regions file. Every
// lookup afterwards is a Map access or a walk of at most three parents.
import type { Region, RegionsFile } from '../domain/types.js';
import { normalizeForMatch } from './script.js';

/** One thing a surface string (normalised, Simplified, lower case) can stand for. */
export interface NameHit {
  readonly region: Region;
  readonly form: 'full' | 'short' | 'alias';
  /** Only trustworthy next to a co-mentioned parent or sibling (risky short names, 城区). */
  readonly weak: boolean;
  /** The short name with another suffix than today's (renamed since, or a variant). */
  readonly variant?: boolean;
}

export interface Gazetteer {
  readonly vintage: string;
  readonly size: number;
  get(code: string): Region | undefined;
  children(code: string): readonly Region[];
  /** Nearest first: county → prefecture → province. Empty for a province or unknown code. */
  ancestors(code: string): readonly Region[];
  /** Province first, ending with the region itself. Empty for an unknown code. */
  path(code: string): readonly Region[];
  /** True when `code` is `ancestorCode` or lies below it (a subscription's reach). */
  isWithin(code: string, ancestorCode: string): boolean;
  provinces(): readonly Region[];
  /**
   * Regions a user-typed name or code can mean: full, short, alias, Traditional, or a
   * six-digit code; a run of names (浙江省嘉兴市) resolves to its most specific region.
   * Unambiguous senses come first.
   */
  resolveName(text: string): readonly Region[];
  /** Normalised surface form → its senses. Read-only; for matchers built on top. */
  names(): ReadonlyMap<string, readonly NameHit[]>;
}

const CODE = /^\d{6}$/;
const KIND_RANK = { province: 0, prefecture: 1, county: 2 } as const;

function weakness(region: Region, form: NameHit['form']): boolean {
  if (!region.risky) return false;
  if (form === 'short') return true;
  // A name with no suffix to strip (城区, 离岛, 九龙) is its own bare form.
  return form === 'full' && region.short === null;
}

export function createGazetteer(file: RegionsFile): Gazetteer {
  // The committed file leaves defaults out and validateRegionsFile restores them; a caller
  // that parsed the JSON by hand gets the same rows.
  const regions: Region[] = file.regions.map((r) => ({
    ...r,
    kind: r.kind ?? 'county',
    risky: r.risky ?? false,
    aliases: r.aliases ?? [],
  }));
  const byCode = new Map<string, Region>();
  const kids = new Map<string, Region[]>();
  for (const r of regions) byCode.set(r.code, r);
  for (const r of regions) {
    if (r.parent === null) continue;
    const list = kids.get(r.parent) ?? [];
    list.push(r);
    kids.set(r.parent, list);
  }
  const ancestorsOf = new Map<string, readonly Region[]>();
  for (const r of regions) {
    const chain: Region[] = [];
    let p = r.parent ? byCode.get(r.parent) : undefined;
    while (p && chain.length < 4) {
      chain.push(p);
      p = p.parent ? byCode.get(p.parent) : undefined;
    }
    ancestorsOf.set(r.code, chain);
  }

  const index = new Map<string, NameHit[]>();
  const add = (surface: string, region: Region, form: NameHit['form']): void => {
    const key = normalizeForMatch(surface.trim());
    if (key.length < 2) return;
    const list = index.get(key) ?? [];
    if (list.some((h) => h.region === region)) return;
    list.push({ region, form, weak: weakness(region, form) });
    index.set(key, list);
  };
  for (const r of regions) {
    add(r.name, r, 'full');
    add(r.nameTw, r, 'full');
    if (r.short) add(r.short, r, 'short');
    for (const a of r.aliases) add(a, r, 'alias');
  }
  // A division renamed since (青浦县 → 青浦区, 萧山市 → 萧山区, 丽水地区 → 丽水市) or written
  // with a variant suffix (香港特区) is still that division, wherever no real name says otherwise.
  const variants: [string, Region, boolean][] = [];
  for (const r of regions) {
    if (!r.short) continue;
    const suffixes = r.kind === 'county' ? ['县', '市', '区'] : r.kind === 'prefecture' ? ['地区', '市'] : r.name.endsWith('特别行政区') ? ['特区'] : ['省'];
    for (const s of suffixes) variants.push([r.short + s, r, r.risky]);
  }
  for (const [surface, region, weak] of variants) {
    const key = normalizeForMatch(surface);
    const list = index.get(key);
    if (list && list.some((h) => h.form !== 'alias' || !h.variant)) continue;
    const next = list ?? [];
    if (!next.some((h) => h.region === region)) next.push({ region, form: 'alias', weak, variant: true });
    index.set(key, next);
  }
  const rank = (h: NameHit): number => (h.weak ? 10 : 0) + KIND_RANK[h.region.kind];
  for (const list of index.values()) list.sort((a, b) => rank(a) - rank(b) || a.region.code.localeCompare(b.region.code));
  const provinces = regions.filter((r) => r.parent === null);
  const maxKey = Math.max(...[...index.keys()].map((k) => k.length));

  const isWithin = (code: string, ancestorCode: string): boolean =>
    code === ancestorCode || (ancestorsOf.get(code) ?? []).some((a) => a.code === ancestorCode);

  /** 浙江省嘉兴市 → 嘉兴市: split greedily into names, each inside the one before. */
  function resolveRun(q: string): readonly Region[] {
    let current: Region[] | null = null;
    let i = 0;
    while (i < q.length) {
      let found: NameHit[] | undefined;
      let end = 0;
      for (let j = Math.min(q.length, i + maxKey); j > i + 1 && !found; j--) {
        found = index.get(q.slice(i, j));
        end = j;
      }
      if (!found) return [];
      const prev: Region[] | null = current;
      const next: Region[] = found.map((h) => h.region).filter((r) => !prev || prev.some((p) => isWithin(r.code, p.code)));
      if (next.length === 0) return [];
      current = next;
      i = end;
    }
    return current ?? [];
  }

  return {
    vintage: file.vintage,
    size: byCode.size,
    get: (code) => byCode.get(code),
    children: (code) => kids.get(code) ?? [],
    ancestors: (code) => ancestorsOf.get(code) ?? [],
    path(code) {
      const r = byCode.get(code);
      return r ? [...(ancestorsOf.get(code) ?? [])].reverse().concat(r) : [];
    },
    isWithin,
    provinces: () => provinces,
    resolveName(text) {
      const t = text.trim();
      if (CODE.test(t)) {
        const r = byCode.get(t);
        return r ? [r] : [];
      }
      const q = normalizeForMatch(t).replace(/[\s\u00a0\u3000·•>›/|,，、-]+/g, '');
      if (q.length < 2) return [];
      const exact = index.get(q);
      return exact ? exact.map((h) => h.region) : resolveRun(q);
    },
    names: () => index,
  };
}
