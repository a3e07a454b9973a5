// Finding place names in text: a leftmost-longest scan over the whole country's names
// (上海宁波 → 上海|宁波, never 海宁), where a name counts only where it stands as a place.
// Each accepted mention says how it stands: named with its suffix (东阳市), in place-like
// context (在东阳, 东阳人, 本报东阳电), or bare (东阳 at a word boundary and nothing more).
import type { Gazetteer, NameHit } from './gazetteer.js';
import { t2s } from './script.js';
import { isBreak, type Token, type Words, wordsAround } from './words.js';

export type Evidence = 'named' | 'context' | 'bare';

export interface Mention {
  readonly zone: 'breadcrumb' | 'title' | 'body';
  readonly hits: readonly NameHit[];
  readonly evidence: Evidence;
}

// Phrases that contain a place name but are about something else. Matching them as a
// whole (longest wins) swallows the place name inside.
const BLOCKERS = [
  '平湖秋月', '杭州湾', '市中心', '北京时间', '大城市', '哈密瓜', '长治久安', '四平八稳', '吉隆坡', '乌兰巴托',
  '兰州拉面', '沙县小吃', '北京烤鸭', '扬州炒饭', '桂林米粉', '我市', '本市',
];

// Suffixes that make a bare short name a division's own name (东阳 + 市).
const ADMIN_SUFFIX = /(?:省|市|县|区|州|盟|旗|自治区|自治州|自治县|自治旗|特别行政区|地区|新区|林区|特区)$/;

// Words beside a name that say it is a place. Before: arriving, being, coming from, a
// dateline (本报东阳5月3日电). After: its people, its area, its government.
const PLACE_BEFORE = new Set(
  '在 赴 到 来自 位于 地处 前往 抵达 途经 从 至 往 去 来到 回到 返回 离开 走进 走访 考察 视察 落户 遍及 发自 本报 新华社 中新社 电 讯 援建 驰援 籍 祖籍 原籍 老家 家乡 故乡'.split(' '),
);
const PLACE_AFTER = new Set(
  '人 籍 一带 境内 地区 等地 两地 三地 各地 全境 城区 县城 市区 城乡 老乡 方言 当地 本地 境 县委 市委 区委 州委 省委 县长 市长 区长 州长 省长 县政府 市政府 区政府 州政府 省政府 人民政府 人大 政协 电 讯 籍贯 人民 群众 农民 乡亲 干部'.split(
    ' ',
  ),
);
// Right after a name, these make it the name of something else: a landmark, a road, a
// smaller place (东阳山, 东阳路, 东阳镇), a shop or brand (永和豆浆, 东阳饭店).
const NOT_A_PLACE_AFTER = new Set(
  ('山 湖 殿 寺 庙 宫 塔 楼 阁 桥 路 街 巷 河 江 峰 岭 洞 泉 湾 岛 池 潭 溪 峡 坝 渠 亭 园 镇 乡 村 屯 里 庄 ' +
    '大街 大道 大桥 公园 广场 大厦 饭店 酒店 宾馆 商场 商厦 超市 餐厅 酒楼 小吃 豆浆 烧饼 火锅 面馆 牌 品牌 商标 ' +
    '体育馆 体育场 植物园 动物园 风景区 景区 胜景 古镇 老街 号 路口 站 火车站 机场 港 码头').split(' '),
);
const ROAD_OR_HILL = new Set([...'山湖殿寺庙宫塔楼阁桥路街巷']);
// Characters that spell out foreign names (普里马科夫, 奥格朗). A word made only of them,
// run into a name (奥格朗|德州, 哈|洛宁), means the name is a piece of a foreign one.
const FOREIGN = new Set([...'阿埃艾奥欧乌伊亚娅尔斯克夫娃娜姆兹茨基利罗拉维格朗洛哈普里米尼卡科塞索托瓦威沃德杜鲁吕芬蒂迪瑟'].filter((c) => c.length === 1));
const isForeign = (word: string): boolean => [...word].every((c) => FOREIGN.has(c));
// Roles and titles followed by a person's name: 记者王东阳, 书记东阳 is a person.
const PERSON_BEFORE = new Set('记者 通讯员 实习生 摄影 撰稿 作者 编辑 主持人 书记 主任 教授 老师 先生 女士 同志 选手 队员 棋手 演员 导演 画家 作家 诗人'.split(' '));
// Common surnames. A single one of them left on its own right before a name (王|东阳,
// 许|银川) means the name is a given name. Characters that are mostly words of their own
// before a place (和, 于, 向, 经, 全, 以, 连 …) are left out.
const SURNAMES = new Set(
  [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾萧肖田董潘袁蔡蒋余杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付傅方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔常汤康易乔赖文施洪辛柯庄葛鲁温殷齐邢倪季牛包耿聂祝欧阎颜樊兰柴单冉焦申甘左梅牟章庞'],
);

/** A place word made of names only: 云南昆明 (两 names), 中国台北 (the country, then a name). */
function isPlaceRun(t: Token, start: number, end: number, isName: (s: string) => boolean): boolean {
  const before = t.word.slice(0, start - t.start);
  const after = t.word.slice(end - t.start);
  const ok = (part: string): boolean => part === '' || part === '中国' || isName(part);
  // 北仑|河口: a name run into a landmark word (河, 山, 湖 …) is the landmark's name.
  return ok(before) && ok(after) && !(after && NOT_A_PLACE_AFTER.has(after[0]!));
}

// Named with its suffix (海宁市, 范县), not a short name that happens to end like one (德州).
const isSuffixed = (key: string, hits: readonly NameHit[]): boolean => ADMIN_SUFFIX.test(key) && hits.some((h) => h.form !== 'short');
const isEdge = (text: string, i: number): boolean => i < 0 || i >= text.length || isBreak(text, i);

/**
 * Whether the words around a name matter. Not for three characters or more with the
 * suffix: whatever word it begins (嘉兴市民), the shorter name inside means the same
 * division. Nor for a city or province name of three or more (乌鲁木齐, 石家庄): those are
 * not inside ordinary words. Not between clause breaks: there it is a word of its own.
 */
function needsWords(text: string, start: number, end: number, hits: readonly NameHit[]): boolean {
  // A variant (阳山区 for 阳山县) is no one's real name, so it may well be a chance run of
  // characters (东阳|山区): its words always matter.
  if (hits.some((h) => h.variant)) return true;
  if (end - start >= 3 && (isSuffixed(text.slice(start, end), hits) || hits.every((h) => h.region.kind !== 'county'))) return false;
  return !(isEdge(text, start - 1) && isEdge(text, end));
}

/** Index of the token that holds position `pos` (tokens are in order and contiguous), or -1. */
function tokenAt(tokens: readonly Token[], pos: number): number {
  let lo = 0;
  let hi = tokens.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const t = tokens[mid]!;
    if (pos < t.start) hi = mid - 1;
    else if (pos >= t.end) lo = mid + 1;
    else return mid;
  }
  return -1;
}

/**
 * How a name found at [start, end) of `text` stands there, or null where it is not a place:
 * inside a longer word, a person's name, a landmark, a shop or brand.
 */
function judge(text: string, start: number, end: number, hits: readonly NameHit[], isName: (s: string) => boolean, words: Words | null): Evidence | null {
  const key = text.slice(start, end);
  const suffixed = isSuffixed(key, hits);
  if (!words || !needsWords(text, start, end, hits)) return suffixed ? 'named' : 'bare';
  const tokens = words.around(start, end);
  const at = tokenAt(tokens, start);
  const first = tokens[at]?.start === start ? at : -1;
  if (first < 0) {
    // A longer word ends inside the name (示范县, 黄河源, 许银川), unless the segmenter
    // took a run of places as one word (云南昆明, 中国台北).
    const host = tokens[at];
    return host && host.start < start && host.end >= end && isPlaceRun(host, start, end, isName) ? 'context' : null;
  }
  let last = first;
  while (last < tokens.length && tokens[last]!.end < end) last++;
  const tok = tokens[last];
  if (!tok) return null;
  let context = false;
  if (tok.end > end && isPlaceRun(tok, start, end, isName)) context = true;
  else if (tok.end > end) {
    // The name begins a longer word: fine only when the rest is about the place (东阳人).
    const rest = tok.word.slice(end - tok.start);
    if (tok.start !== start || !PLACE_AFTER.has(rest)) return null;
    context = true;
  } else if (last > first && !ADMIN_SUFFIX.test(tok.word)) return null; // 中|江 in 创作中江宏伟: not one word
  const prev = tokens[first - 1];
  const next = tokens[last + 1];
  if (!suffixed) {
    if (next && !context && NOT_A_PLACE_AFTER.has(next.word)) return null;
    // 东阳|路上, 东阳|山顶: a county name that opens a short word of a road or a mountain
    // names that road or mountain. (北京|街头 is Beijing: cities are named for more.)
    if (next && !context && next.word.length <= 2 && ROAD_OR_HILL.has(next.word[0]!) && hits.every((h) => h.region.kind === 'county')) return null;
    // A surname left alone before the name (王|东阳): the name is a given name.
    if (prev && prev.word.length === 1 && SURNAMES.has(prev.word)) return null;
    if (prev && PERSON_BEFORE.has(prev.word) && key.length <= 3) return null;
    if (prev && key.length === 2 && isForeign(prev.word)) return null;
  }
  if (suffixed) return 'named';
  if (context || (prev && PLACE_BEFORE.has(prev.word)) || (next && PLACE_AFTER.has(next.word))) return 'context';
  return 'bare';
}

interface Matcher {
  readonly next: Map<number, number>[];
  readonly hits: (readonly NameHit[] | null)[];
  /** UTF-16 unit → its Simplified form, filled as characters are first seen. */
  readonly fold: Map<number, number>;
  /** Whether a string is a place name: made once, not per text (a closure per call costs). */
  readonly isName: (s: string) => boolean;
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
  const names = gaz.names();
  const m: Matcher = { next: [new Map()], hits: [null], fold: new Map(), isName: (s) => (names.get(s)?.length ?? 0) > 0 };
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

const MAX_SEGMENTED = 2000;
const utf16 = new TextDecoder('utf-16le');
// Same length as the codes: a lone surrogate becomes U+FFFD, one unit for one.
const toText = (codes: Uint16Array): string => utf16.decode(codes);

/**
 * Leftmost-longest over names that stand as places: at each position the longest name
 * that passes `judge` wins (上海市民 → 上海, not 上海市), then the scan continues after it.
 * A blocker phrase swallows its span.
 */
/** Fills ends/found (shortest first) with the names starting at i of codes[0, n); returns how many. */
function namesAt(m: Matcher, codes: Uint16Array, n: number, i: number, ends: number[], found: (readonly NameHit[])[]): number {
  let node = m.next[0]!.get(codes[i]!);
  let count = 0;
  for (let j = i + 1; node !== undefined; j++) {
    const h = m.hits[node];
    if (h) {
      ends[count] = j;
      found[count++] = h;
    }
    if (j >= n) break;
    node = m.next[node]!.get(codes[j]!);
  }
  return count;
}

export function findMentions(gaz: Gazetteer, raw: string, zone: Mention['zone'], out: Mention[]): void {
  const n = raw.length;
  if (n === 0) return;
  const m = matcherFor(gaz);
  const codes = new Uint16Array(n);
  for (let i = 0; i < n; i++) codes[i] = foldUnit(m, raw.charCodeAt(i));
  // Names are walked twice, without keeping them: once to learn which need their words
  // (all segmented in one call), once to judge them. Keeping every candidate of a long
  // text costs more in garbage than the second walk.
  const ends: number[] = [];
  const found: (readonly NameHit[])[] = [];
  let text: string | null = null;
  const spans: [number, number][] = [];
  let segmentedUpTo = n;
  for (let i = 0; i < n; i++) {
    // One window per start covers its shorter names too.
    for (let k = namesAt(m, codes, n, i, ends, found) - 1; k >= 0; k--) {
      text ??= toText(codes);
      if (found[k]!.length === 0 || !needsWords(text, i, ends[k]!, found[k]!)) continue;
      // A bound on segmenting: past it (a pathological text of hundreds of thousands of
      // characters of names), a name that needs its words is not taken.
      if (spans.length === MAX_SEGMENTED) segmentedUpTo = Math.min(segmentedUpTo, i);
      else spans.push([i, ends[k]!]);
      break;
    }
  }
  if (text === null) return;
  const words = spans.length > 0 ? wordsAround(text, spans) : null;
  const isName = m.isName;
  for (let i = 0; i < n; ) {
    let next = i + 1;
    for (let k = namesAt(m, codes, n, i, ends, found) - 1; k >= 0; k--) {
      const hits = found[k]!;
      const end = ends[k]!;
      if (hits.length === 0) {
        next = end; // a blocker
        break;
      }
      const evidence = i < segmentedUpTo ? judge(text, i, end, hits, isName, words) : needsWords(text, i, end, hits) ? null : judge(text, i, end, hits, isName, null);
      if (evidence) {
        out.push({ zone, hits, evidence });
        next = end;
        break;
      }
    }
    i = next;
  }
}
