// Makes an extracted sentence stand on its own: "昨天,我市舉行…" means nothing in a Discord
// channel days later, so relative days become dates and 我市/本市 becomes the city's name.
// Only unambiguous forms are rewritten: a day word opening the sentence, and 我/本 + 省市县区.
import type { Region, RegionTag } from '../domain/types.js';
import type { Gazetteer } from './gazetteer.js';
import { zoneOffsetMs } from './dates.js';

export interface HomePlaces {
  readonly province?: string;
  readonly city?: string;
  readonly county?: string;
  readonly district?: string;
}

export interface ReferenceContext {
  readonly publishedAt?: number | null;
  readonly timeZone?: string;
  readonly places?: HomePlaces;
}

const DAY_OFFSETS: Record<string, number> = { 今天: 0, 今日: 0, 昨天: -1, 昨日: -1, 前天: -2, 前日: -2 };
const DAY_WORD = /^(今天|今日|昨天|昨日|前天|前日)(?=[\s,，、上下中晚早凌傍夜]|[\p{Script=Han}])/u;
const PLACE_WORD = /[我本](省|市|县|縣|区|區)(?![长長委])/gu;

// Pages can claim any date Date.parse accepts, up to the edge of what Date can hold; a day
// or two earlier (昨天, 前天) or the zone offset must not step outside it.
const LAST_SAFE_MS = 8.64e15 - 3 * 86_400_000;

function dayOf(publishedAt: number, offsetDays: number, timeZone: string): string | null {
  const at = publishedAt + offsetDays * 86_400_000;
  if (!(Math.abs(at) <= LAST_SAFE_MS)) return null;
  const local = new Date(at + zoneOffsetMs(at, timeZone));
  return `${local.getUTCMonth() + 1}月${local.getUTCDate()}日`;
}

export function resolveReferences(sentence: string, ctx: ReferenceContext): string {
  let out = sentence;
  if (ctx.publishedAt != null) {
    const day = DAY_WORD.exec(out);
    const date = day ? dayOf(ctx.publishedAt, DAY_OFFSETS[day[1]!]!, ctx.timeZone ?? 'Asia/Shanghai') : null;
    if (date) out = date + out.slice(day![1]!.length);
  }
  const p = ctx.places;
  if (p) {
    out = out.replace(PLACE_WORD, (all, kind: string) => {
      const name = kind === '省' ? p.province : kind === '市' ? p.city : kind === '县' || kind === '縣' ? p.county : p.district;
      return name ?? all;
    });
  }
  return out;
}

/**
 * The publisher's home places, from the strongest local evidence (the feed's region, else
 * the breadcrumb), named in the article's script.
 */
export function homePlaces(gaz: Gazetteer, tags: readonly RegionTag[], traditional: boolean): HomePlaces {
  const local = tags.filter((t) => t.source === 'feed' || t.source === 'breadcrumb');
  const deepest = local
    .map((t) => gaz.get(t.code))
    .filter((r): r is Region => r != null)
    .sort((a, b) => gaz.path(b.code).length - gaz.path(a.code).length)[0];
  if (!deepest) return {};
  const name = (r: Region) => (traditional ? r.nameTw : r.name);
  const places: { province?: string; city?: string; county?: string; district?: string } = {};
  for (const r of gaz.path(deepest.code)) {
    if (r.kind === 'province') places.province = name(r);
    else if (r.kind === 'prefecture') places.city = name(r);
    else if (/[市]$/.test(r.name)) places.city = name(r); // a county-level city says 我市 too
    else if (/[县旗]$/.test(r.name)) places.county = name(r);
    else if (/区$/.test(r.name)) places.district = name(r);
  }
  // 上海市, 北京市 …: the province-level city is "我市".
  if (!places.city && places.province?.endsWith('市')) places.city = places.province;
  return places;
}
