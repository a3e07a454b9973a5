// Reading the facts out of credit lines before they are thrown away:
//   嘉興日報 · 記者 裘建鋒 | 發佈時間2022-05-07 09:23:18
//   來源:嘉興日報    | 撰稿:記者 裘建鋒    | 責編:陸姍姍    審核:張淵
//   作者:zboygirl 阅读(1660) 评论(5) 编辑 发表于:2005-07-31 12:30
// Matching runs on the Simplified form; values are sliced from the original line (t2s keeps
// offsets), so a Traditional page keeps its own spelling of names and outlets.
import { foldDigits } from './dates.js';
import { t2s } from './script.js';

export interface Credits {
  author: string | null;
  source: string | null;
  dateRaw: string | null;
  originalTitle: string | null;
  /** The line is made of credits, counters and dates only: safe to drop from the body. */
  isCredit: boolean;
}

type Role = 'author' | 'editor' | 'source' | 'date' | 'title' | 'contact' | 'counter';

const MONTHS = 'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';
const TIME = '(?:\\s*(?:上午|下午|晚上|凌晨|早上|中午)?\\s*\\d{1,2}\\s*[:：时]\\s*\\d{1,2}(?:\\s*[:：分]\\s*\\d{1,2})?(?:\\s*[ap]\\.?m\\.?)?)?';
/** A date as pages write it: Chinese/numeric, US month/day/year, or English month names. */
export const DATE_PATTERN = new RegExp(
  `\\d{4}\\s*[-/.年]\\s*\\d{1,2}\\s*[-/.月]\\s*\\d{1,2}\\s*[日号]?${TIME}|\\b\\d{1,2}/\\d{1,2}/\\d{4}${TIME}|\\b(?:${MONTHS})\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4}(?:\\s*(?:at\\s*)?\\d{1,2}:\\d{2}(?::\\d{2})?\\s*(?:[ap]\\.?m\\.?)?)?`,
  'i',
);

const LABELS: ReadonlyArray<readonly [Role, string]> = [
  ['title', '原文标题|原标题|原题'],
  ['author', '(?:本报|本台|本刊|本网|特约|见习|首席)?(?:实习生|(?:实习)?记者|通讯员)|作者|撰稿人?|撰文|执笔人?|口述|摄影|by|文(?=\\s*[:：/／])'],
  ['editor', '责任编辑|责编|编辑|主编|审核|审校|审稿|校对|监制|编审|终审'],
  ['source', '文章来源|本文来源|新闻来源|信息来源|来源|稿源|出处|来自|转自|转载自'],
  ['date', '发布时间|发表时间|发布日期|发表日期|更新时间|发稿时间|时间|日期|发布于|发表于|发布|发表|更新|posted(?:\\s+on)?'],
  ['contact', '新闻投稿|投稿邮箱|投稿|新闻热线|热线电话|热线|报料|联系电话|电话|邮箱|e-?mail'],
  ['counter', '阅读|点击|浏览|评论|人气|回复'],
];
// A label counts at a boundary and when followed by a colon, a slash, a space or (for
// reporters and dates) directly by the value: 记者裘建锋, 发布时间2022-05-07.
const LABEL_RE = new RegExp(
  `(?<=^|[\\s|｜·,，;；(（【\\[〓])(?:${LABELS.map(([, p]) => `(${p})`).join('|')})\\s*(?:[:：/／]\\s*)?`,
  'gi',
);
const OUTLET = /^[\p{Script=Han}A-Za-z0-9]{2,14}(?:日报|晚报|早报|时报|商报|晨报|都市报|报|新闻网|网|电视台|广播电台|电台|杂志|周刊|通讯社|在线|客户端|频道|新闻)$/u;
// The shape of a publisher's name: what it ends in (…日报, …新闻网, …电视台, …社, …台), or an
// English masthead word. A person's name never ends so.
const OUTLET_SHAPE =
  /^(?:[\p{Script=Han}A-Za-z0-9·&.\- ]{1,20}(?:报|网|社|台|频道|在线|客户端|杂志|周刊|新闻|传媒|媒体|资讯|视频|财经|日刊|月刊|快讯|头条|号)|[\p{Script=Han}]{0,12}[A-Za-z][\w.&\- ]{0,30}(?:news|daily|times|post|tv|online|press|media|\.com|\.cn|\.net))$/iu;

/** A publisher or site name (自由時報, 某某新闻网, 央视新闻客户端), not a person. */
export function isOutletName(name: string): boolean {
  const s = t2s(name.replace(/[\s\u00a0\u3000]+/g, ' ').trim());
  if (s === '') return false;
  return OUTLET_SHAPE.test(s) && !(/^\p{Script=Han}{2}$/u.test(s) && looksLikeName(s));
}
const STOP_WORDS = /^(?:阅读|评论|编辑|发表|时间|来源|点击|浏览|更新|发布|字号|打印|收藏|分享|推荐|报道|摄|发自|综合|整理|出自|摘自|选自|来自|转自|图片|图文|专题)/;
// A live clock, a profile's dates, or a forum footer's server clock (GMT+8, 2023-5-20 14:02).
const NOT_PUBLISHED = /GMT\s*[+-]\s*\d{1,2}\s*[,，]|今天|今日|现在是|整理于|搜集|收录于|当前时间|京港台时间|建立于|创建于|注册于?|加入于?|开通于|成立于|最后登录|上次登录|登录时间|注册时间/;
/** A line that is only a month: "2003年5月". */
const MONTH_ONLY = /^\d{4}\s*年\s*\d{1,2}\s*月$/;

// Common surnames, to tell a bare author line under a headline (胡平) from a menu word (推荐).
const SURNAMES = new Set(
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝',
);
const COMPOUND_SURNAMES = /^(?:欧阳|司马|上官|诸葛|东方|皇甫|尉迟|公孙|慕容|令狐|夏侯|端木|司徒|长孙)/;
const COMMON_WORDS = /^(?:关闭|关于|关注|时间|时事|文章|文化|文摘|安全|高清|黄金|金融|周刊|方法|常见|华人|龙头|明星|和平|江南|向上|温馨|宁静|史料|成都|成语|明日|全文|全部|应用|司法|商业|车型|房产|时尚|游戏|路况|房价|金价|万家|钱包|查看|查询)$/;

/** A bare personal name: two or three Han characters starting with a common surname. */
export function looksLikeName(simplified: string): boolean {
  const s = simplified.trim();
  if (!/^\p{Script=Han}{2,4}$/u.test(s) || COMMON_WORDS.test(s)) return false;
  if (COMPOUND_SURNAMES.test(s)) return true;
  return s.length <= 3 && SURNAMES.has(s[0]!);
}

/** Collapses whitespace the same way in the original and the Simplified copy. */
function prepare(line: string): string {
  return line
    .replace(/[\s\u00a0\u3000]{2,}|[｜]/g, ' | ')
    .replace(/[\s\u00a0\u3000]+/g, ' ')
    .trim();
}

/**
 * A person's name (or several) from a credit value: reporter titles and trailing words
 * (发自北京, 报道, 摄) are dropped; stops at counters and dates. `simple` is t2s(value)
 * when the caller has it already.
 */
export function cleanName(value: string, simple: string = t2s(value)): string | null {
  const lead = /^[\s:：/／|·]+/.exec(value)?.[0].length ?? 0;
  let v = value.slice(lead);
  let s = simple.slice(lead);
  // Reporter titles with any outlet in front: 本报记者, 新华社记者, 信报记者, 驻京记者.
  const prefix = /^(?:\p{Script=Han}{0,8}?(?:实习生|记者|通讯员)\s*)+/u.exec(s);
  if (prefix) {
    v = v.slice(prefix[0].length);
    s = s.slice(prefix[0].length);
  }
  const cut = s.search(/[／/]\s*\S{0,6}报[道导]|发自|报道|报导|摄影|摄$|摄\s|讯|电\s|综合|整理|编译|出自|摘自|选自|\d{4}[-/.年]|[|【\][]/);
  if (cut >= 0) {
    v = v.slice(0, cut);
    s = s.slice(0, cut);
  }
  let end = 0;
  let taken = 0;
  for (const m of s.matchAll(/\([A-Za-z][A-Za-z .'-]*\)|[^\s、，,；;()（）/／]+/g)) {
    const tok = m[0];
    // Han names, Latin names, and forum handles mixing both (放飞&心情, mi来mi去).
    const name =
      /^[\p{Script=Han}·•]{2,6}$/u.test(tok) ||
      /^[A-Za-z][\w.&'-]*$/.test(tok) ||
      /^\([A-Za-z][A-Za-z .'-]*\)$/.test(tok) ||
      (taken === 0 && /^[\p{Script=Han}A-Za-z0-9_&.·-]{2,20}$/u.test(tok) && /[\p{Script=Han}A-Za-z]/u.test(tok));
    if (!name || STOP_WORDS.test(tok) || /\d{3,}/.test(tok) || taken >= 6) break;
    end = m.index + tok.length;
    taken++;
  }
  const out = v.slice(0, end).trim();
  return out && out.length <= 40 ? out : null;
}

function firstToken(value: string): string | null {
  const v = value.replace(/^[\s:：|]+/, '').replace(/^[[【［]\s*([^\]】］]{1,30}?)\s*[\]】］]/, '$1');
  const tok = /^[^\s|｜]+/.exec(v)?.[0] ?? '';
  const clean = tok.replace(/[。，,;；)）】\]]+$/, '');
  return clean && clean.length <= 30 ? clean : null;
}

/** Credits found in one line (`simplified` = t2s(line), if the caller has it), and whether the line is nothing but credits. */
export function parseCredits(line: string, simplified?: string): Credits {
  const orig = prepare(line);
  const out: Credits = { author: null, source: null, dateRaw: null, originalTitle: null, isCredit: false };
  if (orig === '' || orig.length > 200) return out;
  // t2s keeps offsets and leaves whitespace alone, so a caller's t2s(line) prepares the same way.
  const s = foldDigits(simplified !== undefined && simplified.length === line.length ? prepare(simplified) : t2s(orig));

  // "Powered by …" names the forum or blog software.
  if (/\bpowered\s+by\b/i.test(s)) return out;
  const hits: Array<{ role: Role; start: number; valueStart: number }> = [];
  for (const m of s.matchAll(LABEL_RE)) {
    const idx = m.slice(1).findIndex((g) => g !== undefined);
    const role = LABELS[idx]?.[0];
    if (role) hits.push({ role, start: m.index, valueStart: m.index + m[0].length });
  }
  hits.forEach((h, i) => {
    const next = hits[i + 1]?.start ?? s.length;
    const bar = s.indexOf('|', h.valueStart);
    const end = bar >= 0 && bar < next ? bar : next;
    const value = orig.slice(h.valueStart, end);
    if (h.role === 'author') {
      // Several roles in one byline (记者 甲 通讯员 乙 丙) credit several people.
      const names = cleanName(value, s.slice(h.valueStart, end));
      const fresh = names?.split(/\s+/).filter((n) => !out.author?.split(/\s+/).includes(n));
      if (fresh && fresh.length > 0) out.author = out.author ? `${out.author} ${fresh.join(' ')}` : fresh.join(' ');
    }
    else if (h.role === 'source' && !out.source) out.source = firstToken(value);
    else if (h.role === 'title' && !out.originalTitle) out.originalTitle = value.replace(/[)）]\s*$/, '').trim() || null;
  });

  // A header's live clock or a profile's sign-up date is not the article's date.
  const date = NOT_PUBLISHED.test(s) ? null : (DATE_PATTERN.exec(s) ?? MONTH_ONLY.exec(s));
  if (date) out.dateRaw = orig.slice(date.index, date.index + date[0].length).trim();

  // Forum and blog stamps: "本贴由 大卫 于2005年8月12日…发表", "ggjjzhzz 发表于 2005-9-15".
  const postedBy = /(?:^|\s|本贴|本帖|帖子)由\s*(\S{1,20}?)\s*于\s*\d{4}/.exec(s) ?? /^(\S{2,20}?)\s+发表于/.exec(s);
  if (!out.author && postedBy?.[1]) {
    const at = postedBy.index + postedBy[0].indexOf(postedBy[1]);
    out.author = cleanName(orig.slice(at, at + postedBy[1].length), postedBy[1]);
  }

  // Unlabelled segments next to other credits: an outlet (嘉興日報) or a bracketed name.
  const segments = orig.split(/\s*[|｜]\s*|\s+[·•]\s+|\s+/);
  if (!out.source && (out.author || out.dateRaw)) {
    const unbracket = (x: string): string => x.replace(/^[[【［(（]\s*|\s*[\]】］)）]$/g, '');
    const outlet = segments.find((seg) => OUTLET.test(t2s(unbracket(seg))));
    if (outlet) out.source = unbracket(outlet);
  }
  // 搜狐-style "2004年7月16日08:19 [ 黄宇 ] 来源：[ 国际金融报 ]": a bracketed name among credits.
  if (!out.author && (out.source || out.dateRaw)) {
    for (const m of s.matchAll(/(?<![:：]\s*)[[【［]\s*([\p{Script=Han}·]{2,4})\s*[\]】］]/gu)) {
      if (OUTLET.test(m[1]!) || STOP_WORDS.test(m[1]!)) continue;
      const at = m.index + m[0].indexOf(m[1]!);
      out.author = orig.slice(at, at + m[1]!.length);
      break;
    }
  }

  // A line that is only an outlet's name (新华社, 某某日报, 某某台-财经) credits the source.
  if (hits.length === 0 && !out.dateRaw && !out.source && orig.length <= 24 && isOutletName(orig)) {
    out.source = orig;
    out.isCredit = true;
    return out;
  }
  // 作者：某某日报 names the outlet, not a person.
  if (out.author && isOutletName(out.author)) {
    out.source ??= out.author;
    out.author = null;
  }
  if (hits.length > 0 || out.dateRaw || out.source) {
    const residue = s
      .replace(LABEL_RE, '')
      .replace(new RegExp(DATE_PATTERN.source, 'gi'), '')
      .replace(/https?:\/\/\S+|\b[\w-]+(?:\.[\w-]+)+\b/g, '')
      .replace(/[\s|｜·•:：,，;；()（）[\]【】〓\-—_/]+/g, '');
    out.isCredit = !/[。！？]/.test(residue) && orig.length <= 120 && residue.length <= 24;
  }
  return out;
}
