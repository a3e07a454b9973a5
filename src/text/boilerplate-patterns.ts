// Line classifiers for the furniture around Chinese articles. Every pattern is written in
// Simplified and applied to t2s(line) — which keeps the length, so a match can be sliced
// out of the original Traditional line — because extractors with Simplified-only patterns
// miss 記者 / 責編 / 來源 on Taiwan, Hong Kong and overseas pages.
import { t2s } from './script.js';

/** Sentence punctuation: prose has it, navigation rows and labels do not. */
export const SENTENCE_PUNCT = /[，。；！？,;!?]/;
const STRONG_PUNCT = /[。！？]/;

const COLON = '[:：]';
const OPEN = '[（(【\\[［〔「]';

/** Whitespace collapsed and trimmed; enough for the tests that only look at punctuation. */
export function squash(line: string): string {
  return line.replace(/[\s\u00a0\u3000\u200b\ufeff]+/g, ' ').trim();
}

/** Beyond this length a line is prose: only its opening words can still be a label. */
export const LONG_LINE = 120;

/**
 * Simplified, whitespace-trimmed form used by the classifiers that match words. A long
 * line only has its start converted — no word pattern looks further — which saves most of
 * the conversion cost on long articles.
 */
export function simplify(line: string): string {
  return squash(toSimplified(line));
}

/** t2s(line) with offsets kept; a long line only has its opening converted. */
export function toSimplified(line: string): string {
  return line.length <= LONG_LINE ? t2s(line) : t2s(line.slice(0, 32)) + line.slice(32);
}

// "Where you are" labels, and link trails such as 首页 > 浙江 > 嘉兴.
const BREADCRUMB_LABEL = /^(?:您的位置|你的位置|当前位置|您现在的位置|你现在的位置|您当前的位置|您所在的位置|所在位置)\s*[:：]?/;
const CRUMB_SEPARATOR = /\s*(?:->|>>|[>›»＞→])\s*/;
const HOME = /^(?:首页|主页|网站首页|返回首页|home\b)/i;

export function isBreadcrumb(line: string, s = simplify(line)): boolean {
  if (s.length > 120) return false;
  if (BREADCRUMB_LABEL.test(s)) return true;
  return HOME.test(s) && s.split(CRUMB_SEPARATOR).length >= 2 && !STRONG_PUNCT.test(s);
}

/** The crumbs of a breadcrumb line, in the line's own script (首頁 stays 首頁). */
export function breadcrumbParts(line: string): string[] {
  const original = line.replace(/[\s\u00a0\u3000]+/g, ' ').trim();
  const s = t2s(original);
  const label = BREADCRUMB_LABEL.exec(s);
  const rest = original.slice(label ? label[0].length : 0).trim();
  const parts = rest.split(CRUMB_SEPARATOR).map((p) => p.trim()).filter(Boolean);
  // The last crumb often trails a page label ("要聞 新聞詳情", "正文"): keep its first word.
  const last = parts[parts.length - 1];
  if (last !== undefined) {
    const words = last.split(' ');
    const trailing = /^(?:正文|新闻详情|详情|内容|文章|阅读文章|详细内容)$/;
    if (trailing.test(t2s(last))) parts.pop();
    else if (words.length > 1 && trailing.test(t2s(words.slice(1).join('')))) parts[parts.length - 1] = words[0]!;
  }
  return parts.filter((p) => p.length <= 20);
}

// Footer starts: from here on the page is credits, contacts and legal text.
const FOOTER_START = new RegExp(
  `^${OPEN}?\\s*(?:原文标题|原标题|原题)|^${OPEN}?\\s*(?:来源|稿源|文章来源|本文来源|新闻来源|信息来源|出处|撰稿|撰文|责编|责任编辑|编辑|主编|审核|审校|审稿|终审|校对|监制|编审|新闻投稿|投稿邮箱|投稿|新闻热线|热线电话|热线|报料|爆料|联系电话|联系邮箱)\\s*(?:${COLON}|\\s)|^(?:版权所有|版权声明|©|copyright\\b|\\(c\\)\\s*\\d|禁止转载|未经授权|未经许可|本文为.{0,12}原创|免责声明|相关新闻|相关阅读|推荐阅读|相关报道|相关链接|相关文章|相关专题|延伸阅读|更多阅读|热点推荐|猜你喜欢|上一篇|下一篇|网友评论|发表评论|我要评论|查看评论)`,
  'i',
);

export function isFooterStart(line: string, s = simplify(line)): boolean {
  return FOOTER_START.test(s);
}

// Page tools and share widgets: dropped wherever they appear.
const TOOL_PHRASE =
  /^[【[［]?\s*(?:分享到|分享至|扫一扫|扫描二维码|微信扫一扫|打印本页|打印本文|打印此文|关闭窗口|关闭本页|返回顶部|返回页首|收藏本文|收藏本页|发送给朋友|推荐给朋友|复制链接|复制地址|复制网址|字号|字体|点击查看大图|点击图片查看|我要纠错|手机看新闻|下载客户端)/;
const TOOL_WORDS = /分享|打印|关闭|收藏|举报|纠错|评论|返回|顶部|字号|默认|放大|缩小|复制|推荐|大|中|小|[|｜/·•\]】[【［］()（）\s]/g;

export function isToolLine(line: string, s = simplify(line)): boolean {
  if (s === '' || s.length > 60 || STRONG_PUNCT.test(s)) return false;
  if (TOOL_PHRASE.test(s)) return true;
  // A row made only of tool words: 【字号 大 中 小】【打印】【关闭】
  return s.replace(TOOL_WORDS, '') === '' && /分享|打印|关闭|收藏|字号|举报|纠错|复制/.test(s);
}

/**
 * A navigation row: short, no sentence punctuation, and made of many short words
 * separated by spaces (推荐 / 最新原创 专题 新经济 …) or separators.
 */
export function isNavRow(line: string, s = squash(line)): boolean {
  if (s.length > 160 || SENTENCE_PUNCT.test(s)) return false;
  const tokens = s.split(/\s*[\s|｜·•/]\s*/).filter(Boolean);
  if (tokens.length < 4) return false;
  const short = tokens.filter((t) => [...t].length <= 6).length;
  return short >= tokens.length * 0.75;
}

const CAPTION_START = /^(?:图为|图\s*[:：]|图片\s*[:：]|图片来源|资料图|配图|组图|上图|下图|左图|右图|题图|视频截图|截图|（图|\(图)/;
// The credit form only ("张三 摄", "/摄"), so a sentence ending in 拍摄 is not a caption.
const CAPTION_END = /(?:[\s/／]摄|[\s/／]摄影|摄影[:：]\s*\S{2,4}|供图|\/图|／图|图\s*[)）]|资料图|资料图片|视觉中国|图虫创意)\s*[)）]?$/;

/** A photo caption or credit: "图为…", "…/摄", "新华社记者 张三 摄". */
export function isPhotoCaption(line: string, s = simplify(line)): boolean {
  if (s.length > 80) return false;
  if (CAPTION_START.test(s)) return true;
  return CAPTION_END.test(s) && !STRONG_PUNCT.test(s.slice(0, -2));
}

/** Prose: a sentence, not a label. Used to find where the body starts. */
export function isProse(line: string, s = squash(line)): boolean {
  const marks = s.match(/[，。；！？,;!?、]/g)?.length ?? 0;
  // A headline may end in ？ or ！, but rarely in 。 or with two clauses.
  return (s.length >= 10 && /。[”」』"'）)]?$/.test(s)) || (marks >= 2 && s.length >= 16) || (marks >= 1 && s.length >= 40);
}

/** A lone menu word above the headline (推荐, 正文): at most four letters, no punctuation. */
export function isMenuWord(line: string, s = squash(line)): boolean {
  return s !== '' && [...s].length <= 4 && !/[\p{P}\d]/u.test(s);
}
