// Builds data/regions.json from @vant/area-data: `npx tsx scripts/build-regions.ts`.
// The output is committed; re-run after upgrading the package and review the diff.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { areaList } from '@vant/area-data';
import type { Region, RegionKind } from '../src/domain/types.js';
import { validateRegionsFile } from '../src/text/regions-schema.js';
import { convert } from '../src/text/script.js';

const OUT = new URL('../data/regions.json', import.meta.url);
const words = (s: string): string[] => s.split(/\s+/).filter(Boolean);

// vant names the middle layer of municipalities after the city, and groups
// province-run county-level units under a row of their own; neither is a division.
const PLACEHOLDER_NAMES = new Set(words('市辖区 县 省直辖县 省直辖县级行政区划 自治区直辖县级行政区划'));

// Rows vant carries that are not GB/T 2260 divisions (zones, a national park) or are
// typos of a row that exists beside them.
const NOT_DIVISIONS = new Set(words('320112 321150 712688 710203 712484'));

// Longest first: the first one that leaves two or more characters wins.
const SUFFIXES = words('特别行政区 自治区 自治州 自治县 自治旗 地区 新区 特区 省 市 区 县 盟 旗 乡 镇');
const SHORT_OVERRIDES: Record<string, string> = { '429021': '神农架' };

// Ethnic names that follow the place name in autonomous units (黔东南苗族侗族自治州).
// One-character names only count with 族, otherwise 西藏 would lose its 藏.
const ETHNIC = words(`蒙古 维吾尔 哈萨克 柯尔克孜 达斡尔 鄂温克 鄂伦春 土家 布依 朝鲜 哈尼 傈僳 拉祜 东乡
  纳西 景颇 仫佬 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 乌孜别克 俄罗斯 德昂 保安 裕固 塔塔尔 独龙 赫哲
  门巴 珞巴 基诺 高山 各`);
const ETHNIC_ONE = [...'回藏苗彝壮满侗瑶白黎佤畲水土羌怒京傣'];

// Short names that are everyday words, landmarks, or mean something else in most news
// text. They only count next to their suffix or a co-mentioned parent or sibling.
const RISKY_WORDS = new Set(
  words(`平湖 江山 天台 普陀 江北 鼓楼 南湖 长兴 开化 永嘉 象山 龙港 三门 龙泉 西湖 新华 市中 城关 文成 和平
  城区 郊区 矿区 东区 西区 南区 北区 中区 离岛 九龙 大堂 海盐 嘉禾 滨海 港口 平安 长寿 大方 乐业 富民 新兴 光明
  红旗 东风 向阳 前进 友好 中方 通道 方正 南岸 青山 江南 南山 城中 城东 城西 城北 河东 河西 城厢 安宁 东方 永和
  新城 长安 白云 高新 开发 太平 民权 宁安 清河 东山 西山 北山 大同 中山 和顺 吉安 太和 安定 安居 安远 宁远
  临江 东港 西安 新民 永安 兴安 新乡 新建 建设 城步 景洪 合作 共和 金川 铁山 石门 平山 阳山 桥东 桥西 新市
  东昌 文山 阿里 红河 怒江 大理 玉树 邯山 峰峰 双桥 海港 海城 复兴 梅河 新都 新会 海南 贵德 中原 吉利 大名
  广宁 武功 黄山 泰山 华山 武当 庐山 衡山 恒山 峨眉 井冈山 五台 雁塔 三亚 白山 珠山 钟山 金山 宝山 南京
  上城 下城 花山 马山 龙山 凤山 象州 永定 永新 永福 兴业 兴宁 宁国 昌平 丰台 富平 大安 大兴 新安 古城 思明
  沙市 灵山 小店 尖山 兰山 岚山 福山 福田 新城 罗湖 龙华 龙湖 涟水 金门 昭阳 集美 海沧 西乡 东乡 平原 东源`),
);

interface Row {
  code: string;
  name: string;
  level: 0 | 1 | 2;
  parent: string | null;
}

const KIND: Record<Row['level'], RegionKind> = { 0: 'province', 1: 'prefecture', 2: 'county' };
const isTaiwan = (code: string): boolean => code.startsWith('71');
const twoDigits = (code: string): number => Number(code.slice(4));

function stripEthnic(stem: string): string {
  for (;;) {
    let cut = stem;
    for (const e of ETHNIC) {
      for (const form of [`${e}族`, e]) if (stem.endsWith(form)) cut = stem.slice(0, -form.length);
      if (cut !== stem) break;
    }
    if (cut === stem) for (const e of ETHNIC_ONE) if (stem.endsWith(`${e}族`)) cut = stem.slice(0, -2);
    if (cut === stem || [...cut].length < 2) return stem;
    stem = cut;
  }
}

function shortName(code: string, name: string): string | null {
  if (SHORT_OVERRIDES[code]) return SHORT_OVERRIDES[code];
  for (const suffix of SUFFIXES) {
    if (!name.endsWith(suffix)) continue;
    let stem = name.slice(0, -suffix.length);
    if (suffix.startsWith('自治') || suffix === '特别行政区') stem = stripEthnic(stem);
    if ([...stem].length >= 2) return stem;
  }
  return null;
}

/** Province, prefecture and county rows, with vant's placeholder layers folded away. */
function readRows(): Row[] {
  const rows: Row[] = [];
  const provinces = areaList.province_list;
  const placeholder = new Set<string>();
  for (const [code, name] of Object.entries(provinces)) rows.push({ code, name, level: 0, parent: null });
  for (const [code, name] of Object.entries(areaList.city_list)) {
    const province = `${code.slice(0, 2)}0000`;
    if (PLACEHOLDER_NAMES.has(name) || name === provinces[province]) placeholder.add(code);
    else rows.push({ code, name, level: 1, parent: province });
  }
  for (const [code, name] of Object.entries(areaList.county_list)) {
    if (NOT_DIVISIONS.has(code) || name === '其它区') continue;
    // Codes ending 71–79 and 90–99 are statistical zones (开发区, 高新区); vant also lists
    // towns for the prefectures that have no counties (东莞, 中山, 儋州, 嘉峪关).
    const n = twoDigits(code);
    if (!isTaiwan(code) && ((n >= 71 && n <= 79) || n >= 90 || !/[区县市旗]$/.test(name))) continue;
    const city = `${code.slice(0, 4)}00`;
    rows.push({ code, name, level: 2, parent: placeholder.has(city) ? `${code.slice(0, 2)}0000` : city });
  }
  return dropStaleDuplicates(rows);
}

/**
 * vant keeps Taiwan's pre-reform rows (中坜市 next to 中坜区, 员林镇 next to 员林市). Within one
 * parent, a repeated short name keeps the lowest code, which is the current row.
 */
function dropStaleDuplicates(rows: Row[]): Row[] {
  const seen = new Set<string>();
  return [...rows]
    .sort((a, b) => a.code.localeCompare(b.code))
    .filter((r) => {
      if (!isTaiwan(r.code) || r.level !== 2) return true;
      const key = `${r.parent}|${shortName(r.code, r.name) ?? r.name}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

function aliasesFor(row: Row, short: string | null, taken: Set<string>): string[] {
  const out: string[] = [];
  if (row.code === '150000') out.push('内蒙');
  // News writes 恩施州, 石柱县, 莫旗-free forms like 鄂伦春旗 for autonomous units.
  const m = /自治([州县旗])$/.exec(row.name);
  if (m && short && !taken.has(short + m[1])) out.push(short + m[1]);
  return out;
}

function build(): Region[] {
  const rows = readRows();
  const shorts = new Map(rows.map((r) => [r.code, shortName(r.code, r.name)]));
  const names = new Set(rows.map((r) => r.name));
  // Which forms each surface string can stand for, to find collisions nationally.
  const users = new Map<string, Row[]>();
  const use = (form: string, row: Row): void => {
    const list = users.get(form) ?? [];
    if (!list.includes(row)) list.push(row);
    users.set(form, list);
  };
  for (const r of rows) {
    // Taiwan's townships use vant's own codes and are always matched with care, so they
    // must not make a mainland name risky (永康市 vs 台南 永康区).
    if (isTaiwan(r.code) && r.level === 2) continue;
    use(r.name, r);
    const s = shorts.get(r.code);
    if (s) use(s, r);
  }
  const risky = (r: Row, s: string | null): boolean => {
    if (isTaiwan(r.code) && r.level === 2) return true;
    const surface = s ?? r.name;
    if (RISKY_WORDS.has(surface)) return true;
    if (!s) return false;
    // A shared short name belongs to the most senior division (长沙 → 长沙市, not 长沙县);
    // at equal rank nobody owns it (普陀区 in 舟山 and 上海).
    const others = (users.get(s) ?? []).filter((o) => o !== r);
    return others.some((o) => o.level <= r.level);
  };
  return rows.map((r) => {
    const s = shorts.get(r.code) ?? null;
    return {
      code: r.code,
      name: r.name,
      nameTw: convert(r.name, 'tw'),
      short: s,
      parent: r.parent,
      kind: KIND[r.level],
      risky: risky(r, s),
      aliases: aliasesFor(r, s, names),
    };
  });
}

function main(): void {
  const pkg = createRequire(import.meta.url)('@vant/area-data/package.json') as { version: string };
  const regions = build();
  const file = validateRegionsFile({
    vintage:
      `@vant/area-data ${pkg.version} (MIT; vant-ui/vant, NBS/MCA codes as republished by vant); ` +
      'placeholder layers folded into provinces, statistical zones and towns dropped; ' +
      'Taiwan below province level uses vant codes, not GB/T 2260',
    regions,
  });
  // One region per line keeps diffs reviewable when the package is upgraded.
  const lines = file.regions.map((r) => JSON.stringify(r));
  const text = `{"vintage":${JSON.stringify(file.vintage)},"regions":[\n${lines.join(',\n')}\n]}\n`;
  writeFileSync(OUT, text);
  const risky = regions.filter((r) => r.risky).length;
  console.log(`wrote ${regions.length} regions (${risky} risky), ${Buffer.byteLength(text)} bytes`);
}

main();
