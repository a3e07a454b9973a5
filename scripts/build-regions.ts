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

// Short names that are everyday words, landmarks, or usually mean something else in news
// text (公安 police, 资源 resources, 南海 South China Sea, 太湖 the lake). They only count
// next to their suffix or a co-mentioned parent or sibling. Reviewed by hand against every
// short name in the data; collisions between divisions are computed, not listed here.
const RISKY_WORDS = new Set(
  words(`平湖 江山 天台 普陀 江北 鼓楼 南湖 长兴 开化 永嘉 象山 龙港 三门 龙泉 西湖 新华 市中 城关 文成 和平
  城区 郊区 矿区 东区 西区 南区 北区 中区 离岛 九龙 大堂 西贡 海盐 嘉禾 滨海 港口 平安 长寿 大方 乐业 富民 新兴
  光明 红旗 东风 向阳 前进 友好 中方 通道 方正 南岸 青山 江南 南山 城中 城东 城西 城北 河东 河西 东方 安宁 朝阳
  中山 连江 桃园 新北 白银 北海 中卫 海西 安康 来宾 日照 大兴安岭 路南 路北 运河 大城 故城 长子 盐湖 交口 回民
  玉泉 东河 红山 松山 大东 千山 元宝 振兴 古塔 黑山 站前 西市 白塔 宏伟 灯塔 双塔 龙城 南关 二道 绿园 榆树 龙潭
  丰满 磐石 江源 龙井 南岗 平房 双城 木兰 延寿 五常 建华 铁锋 龙江 泰来 富裕 鸡冠 工农 友谊 龙凤 阳明 爱民 海伦
  六合 滨湖 钟楼 东海 滨江 路桥 临海 无为 大观 太湖 天长 马尾 三元 清流 大田 云霄 平和 光泽 东湖 莲花 湖口 月湖
  铜鼓 樟树 万年 天桥 市南 市北 山亭 高密 惠民 牡丹 二七 金水 上街 老城 北关 山城 解放 马村 博爱 台前 湖滨 卢氏
  卧龙 商城 江岸 江汉 大悟 公安 黄梅 咸丰 芙蓉 天心 荷塘 天元 石鼓 洞口 北湖 会同 双峰 凤凰 桃源 津市 新田 天河
  曲江 南海 三水 高明 江海 龙门 紫金 阳春 清新 三江 七星 资源 凌云 海棠 天涯 金牛 三台 朝天 大英 南部 东坡 前锋
  名山 石棉 黑水 白玉 金沙 万山 江口 沿河 麒麟 大关 威信 南华 弥勒 祥云 吉隆 比如 尼玛 太白 白水 宝塔 延长 甘泉
  黄龙 石泉 平川 清水 民乐 高台 康乐 互助 同仁 同德 乌兰 西夏 惠农 同心 天山 温泉 和硕 新星 白杨 金凤 无极 花都
  太平 民权 清河 东山 西山 和顺 太和 安定 安居 临江 东港 新民 新建 合作 共和 石门 桥东 桥西 新市 阿里 红河
  怒江 玉树 双桥 海港 复兴 新都 中原 大名 武功 钟山 金山 兴业 新安 古城 小店 龙湖 平原`),
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
    // 鄂温克族自治旗: the people's name is the place name, so only 族 goes.
    if ([...cut].length < 2) return stem.endsWith('族') && [...stem].length > 2 ? stem.slice(0, -1) : stem;
    if (cut === stem) return stem;
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
    if (NOT_DIVISIONS.has(code) || PLACEHOLDER_NAMES.has(name) || name === '其它区') continue;
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
  // News shortens autonomous units to place + unit (恩施州, 石柱县, 鄂伦春旗) more often than
  // it writes the full name; these forms carry a suffix, so they are safe to match.
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
  // Defaults are left out (the validator restores them) to keep the file commit-sized.
  const lines = file.regions.map(({ kind, risky, aliases, ...rest }) =>
    JSON.stringify({
      ...rest,
      ...(kind !== 'county' ? { kind } : {}),
      ...(risky ? { risky } : {}),
      ...(aliases.length ? { aliases } : {}),
    }),
  );
  const text = `{"vintage":${JSON.stringify(file.vintage)},"regions":[\n${lines.join(',\n')}\n]}\n`;
  // What is written must load: parse it back through the validator before keeping it.
  if (validateRegionsFile(JSON.parse(text)).regions.length !== regions.length) throw new Error('round trip lost rows');
  writeFileSync(OUT, text);
  const risky = regions.filter((r) => r.risky).length;
  console.log(`wrote ${regions.length} regions (${risky} risky), ${Buffer.byteLength(text)} bytes`);
}

main();
