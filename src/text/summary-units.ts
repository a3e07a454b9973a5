// The pieces a summary is made of, read the way a news page is built: paragraphs, sentences
// that end on 。！？ (a ； only joins clauses, and a paragraph that ends on ；，： continues in
// the next one, as a list does), and the lines that are not sentences — headlines and decks
// without final punctuation, bylines and datelines, photo captions, footers.
import { codePointLength } from './length.js';
import { t2s } from './script.js';
import { sentenceSpans } from './sentences.js';

export type UnitKind = 'sentence' | 'heading' | 'skip';

export interface Unit {
  readonly text: string; // original script, dateline and heading prefixes removed
  readonly norm: string; // folded (Simplified, lower-case, half-width ASCII), same length
  readonly paragraph: number;
  readonly first: boolean; // first sentence of its paragraph
  readonly kind: UnitKind;
  readonly length: number; // code points
}

/** Longest line without final punctuation that is read as a heading, deck or byline. */
export const HEADING_MAX = 40;
const MAX_UNITS = 200;

// Matched on folded text: full-width ASCII is half-width here ((): , ; ! ?), 。、 stay.
const BOILERPLATE_START =
  /^[\s([【〔]*(?:来源|稿源|责编|责任编辑|编辑|审核|撰稿|作者|摄影|原文标题|原标题|新闻原标题|新闻热线|热线|投稿|新闻投稿|版权|转载|声明|免责|推荐阅读|延伸阅读|相关阅读|相关报道|相关新闻)/;
// A byline names people ("记者 张三 李四"); "记者昨天从…获悉，…" is the lead of the story.
const BYLINE = /^[\s([【〔]*(?:本报|本台|本刊|本网)?(?:见习|实习)?(?:记者|通讯员|实习生)[\s:]*(?:[\p{Script=Han}·]{2,4}(?:[\s、,|｜/)]+|[。.]?$))+$/u;
// The same roles on a line of their own without separators ("本报见习记者王五本报记者赵六").
const BYLINE_LINE = /^[\s([【〔]*(?:本报|本台|本刊|本网)?(?:特约|见习|实习)?(?:记者|通讯员|实习生)/;
// Page metadata on a line of its own: a clock time, a numeric date, fields split by bars.
const STAMP_LINE = /\d{1,2}:\d{2}|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|[|｜]|发布时间|发表时间|更新时间/;
// Calls to action ("点击…", "扫码关注…") are short; a sentence that merely starts with 关注 is prose.
const CALL_TO_ACTION = /^[\s([【〔]*(?:点击|扫码|扫描|关注|长按)/;
const BOILERPLATE_ANYWHERE = /版权所有|转载请|未经授权|禁止转载|不得转载|新闻热线|投稿邮箱|责任编辑|原文标题|原标题:|来源:|本文来自/;
const CAPTION = /^[\s([【]*(?:图|图为|图片|上图|下图|左图|右图|题图|组图|图注|配图|视频)[:为\s\d]|(?<!拍)摄[)\]】]?[。.]?$|\([^)]{0,30}摄\)/;
// A paragraph that ends on a photo credit is a caption, whatever its first sentence says:
// "…。张三摄", "…。记者 张三 摄", "…。图/记者 张三", "…(图片来源：…)". Spaces are bounded:
// this runs unanchored over whole paragraphs, and \s* after \s would be quadratic.
const CREDIT_END =
  /(?:[。.!?\s)]|^)[^。.!?\s]{0,12}?\s{0,3}(?<!拍)摄影?\)?$|[。.!?\s](?:[^\s。]{0,8})?(?:图|摄影|图片)\s{0,3}[/／:]\s{0,3}[^,。;]{2,24}$|\((?:图片来源|图源|资料图)[^)]{0,30}\)$/;
const DATE_LINE = /^(?:发布时间|发表时间|发表于|更新时间|发布日期|时间|日期)[:]|^\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?[。.]?$/;
// Bounded local part, as in sentences.ts: unbounded it is quadratic in a long run of letters.
const LINKS = /https?:\/\/|www\.|[a-z0-9._%+-]{1,64}@[a-z0-9-]+\.[a-z]/;
// Datelines open a lead: "本报讯（记者 …）", "新华社北京5月6日电（记者 …）", "某某网消息（栏目）：",
// "（某网 记者 5月6日某地报道）". They are dropped and the lead kept.
const DATELINE = new RegExp(
  [
    // "…讯" is followed by a space, a bracket, a colon or the date, never by a word ("资讯周三").
    /^[【[]?(?!据)[^\s,。;:!?()【】[\]]{0,24}(?:讯(?=[\s(【】[\]:\d])|日电|社电|网电|台电)[】\]]?(?:\s*\([^()]{0,60}\))?\s*:?\s*/.source,
    /^[^\s,。;:!?()]{1,24}消息\s*(?:\([^()]{0,60}\)\s*:?|:)\s*/.source,
    /^[^\s,。;:!?()]{1,24}(?:电|新闻)\s*\((?:[^()]{0,30}(?:记者|通讯员|实习生))[^()]{0,40}\)\s*:?\s*/.source,
    /^\([^()]{0,40}(?:记者|通讯员|报道|日电)[^()]{0,40}\)\s*/.source,
  ].join('|'),
);
// Words and gaps: a run of ideographic spaces, 2+ spaces, or one space between Han.
const GAP = /\u3000+|\s{2,}|(?<=\p{Script=Han})\s(?=\p{Script=Han})/u;
const FINAL = /[。.!?…][」』”’)】》"']*$/;
const CLAUSE_END = /[,、;:][」』”’)】》"']*$/;
const CLAUSE_MARK = /[,、;:]/;
// "（三）", "一、", "3、", "2.", "①" opening a line: a heading when only a short phrase follows.
const ENUMERATOR = /^(?:\([一二三四五六七八九十\d]{1,3}\)|[一二三四五六七八九十]{1,3}[、.]|\d{1,2}[、.](?!\d)|[①-⑳])\s*/;
// Chapters and parts ("第三章 总则", "第二部分") head sections too.
const SECTION = /^第[一二三四五六七八九十百零\d]{1,4}[章节条部篇编卷]/;

/** A section heading ("（三）…", "一、…", "第二章…"): structure, never the story's deck. */
export const isSectionHeading = (norm: string): boolean => ENUMERATOR.test(norm) || SECTION.test(norm);

// Han unit → Simplified unit, learnt one character at a time. Converting whole articles
// through OpenCC costs a third of the summary; character-level folding is enough for
// matching, and it keeps offsets (one unit in, one unit out).
const folded = new Map<number, number>();

export function foldForMatch(text: string): string {
  const codes = new Uint16Array(text.length);
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    else if (c >= 0xff01 && c <= 0xff5e) c = String.fromCharCode(c - 0xfee0).toLowerCase().charCodeAt(0);
    else if (c >= 0x3400 && (c < 0xd800 || c > 0xdfff)) {
      let f = folded.get(c);
      if (f === undefined) {
        const s = t2s(String.fromCharCode(c));
        f = s.length === 1 ? s.charCodeAt(0) : c;
        folded.set(c, f);
      }
      c = f;
    }
    codes[i] = c;
  }
  let out = '';
  for (let i = 0; i < codes.length; i += 4096) out += String.fromCharCode(...codes.subarray(i, i + 4096));
  return out;
}

const CONTENT = /[\p{Script=Han}a-z0-9]/gu;

/** Are there at least `n` Han, letter or digit characters? Stops counting there. */
function hasContent(norm: string, n: number): boolean {
  CONTENT.lastIndex = 0;
  for (let seen = 0; seen < n; seen++) if (!CONTENT.exec(norm)) return false;
  return true;
}

function skipped(norm: string): boolean {
  return (
    BOILERPLATE_START.test(norm) ||
    BYLINE.test(norm) ||
    (CALL_TO_ACTION.test(norm) && norm.length < 40) ||
    BOILERPLATE_ANYWHERE.test(norm) ||
    CAPTION.test(norm) ||
    DATE_LINE.test(norm) ||
    LINKS.test(norm) ||
    /:[」』”’)"']*$/.test(norm) || // introduces what follows; nothing follows
    !hasContent(norm, 6)
  );
}

/** A line without final punctuation and without a clause mark at its end. */
function isHeadingLike(norm: string, length: number): boolean {
  return length <= HEADING_MAX && !FINAL.test(norm) && !CLAUSE_END.test(norm);
}

const PAIRS: Record<string, string> = { '《': '》', '“': '”', '「': '」', '(': ')', '【': '】', '[': ']' };
const CLOSING = new Set(Object.values(PAIRS));

/** No bracket or quote left open: a space inside 《…》 or “…” is not a gap after a heading. */
function balanced(text: string): boolean {
  const stack: string[] = [];
  for (const ch of text) {
    if (PAIRS[ch]) stack.push(PAIRS[ch]);
    else if (CLOSING.has(ch) && stack.pop() !== ch) return false;
  }
  return stack.length === 0;
}

/**
 * Offsets to drop at the start of a paragraph's first sentence: a dateline, then heading or
 * byline segments set apart by spaces ("副题 记者 张三 正文…", with ideographic spaces), then a fused
 * enumerated heading ("（三）加强领导 各地要…").
 */
function prefixLength(norm: string): number {
  let at = 0;
  const dateline = DATELINE.exec(norm);
  if (dateline && dateline[0].length < norm.length) at = dateline[0].length;
  for (let guard = 0; guard < 8; guard++) {
    const rest = norm.slice(at);
    const gap = GAP.exec(rest);
    if (!gap || gap.index === 0) {
      const lead = /^\s+/.exec(rest);
      if (lead && lead[0].length < rest.length) {
        at += lead[0].length;
        continue;
      }
      break;
    }
    const head = rest.slice(0, gap.index);
    const after = rest.slice(gap.index + gap[0].length);
    if (/[,。;:!?…、]/.test(head) || !balanced(head) || codePointLength(head) > HEADING_MAX || !hasContent(after, 6)) break;
    at += gap.index + gap[0].length;
  }
  return at;
}

/** Is this sentence an enumerated heading with nothing else in it ("（三）加强组织领导。")? */
function enumeratedHeading(norm: string): boolean {
  const m = ENUMERATOR.exec(norm);
  if (!m) return false;
  const rest = norm.slice(m[0].length).replace(/[。!]$/, '');
  return codePointLength(rest) <= 20 && !CLAUSE_MARK.test(rest);
}

interface Block {
  readonly text: string;
  readonly norm: string;
}

/** Paragraphs, with a paragraph that ends on a clause mark joined to the next (lists). */
function blocks(body: string, norm: string): Block[] {
  const lines: Block[] = [];
  for (const m of body.matchAll(/[^\n\r\u2028\u2029]+/g)) {
    const t = m[0].trim();
    if (!t) continue;
    const start = m.index + m[0].indexOf(t);
    lines.push({ text: t, norm: norm.slice(start, start + t.length) });
    if (lines.length >= MAX_UNITS) break;
  }
  const out: Block[] = [];
  let text = '';
  let fold = '';
  lines.forEach((line, i) => {
    text += line.text;
    fold += line.norm;
    // A line ending on a clause mark continues in the next one, unless that is a heading.
    const next = lines[i + 1];
    if (next && CLAUSE_END.test(fold) && !CREDIT_END.test(fold) && !isHeadingLike(next.norm, codePointLength(next.text))) return;
    out.push({ text, norm: fold });
    text = '';
    fold = '';
  });
  return out;
}

export function summaryUnits(body: string): Unit[] {
  const units: Unit[] = [];
  const paragraphs = blocks(body, foldForMatch(body));
  paragraphs.forEach((block, paragraph) => {
    const caption = CREDIT_END.test(block.norm.replace(/[。.]$/, '')) && /[。.!?\s]/.test(block.norm.replace(/[。.]$/, ''));
    const spans = sentenceSpans(block.text, { semicolons: false });
    spans.forEach(([s, e], i) => {
      if (units.length >= MAX_UNITS) return;
      let norm = block.norm.slice(s, e);
      let text = block.text.slice(s, e);
      // A line that is a heading as a whole (a deck, "副题 另一半" with a wide space) is kept whole: its spaces
      // part phrases of one heading, not a heading from a sentence.
      const wholeLine = spans.length === 1 && isHeadingLike(norm, codePointLength(text));
      if (i === 0 && !wholeLine) {
        const cut = prefixLength(norm);
        norm = norm.slice(cut);
        text = text.slice(cut);
      }
      const length = codePointLength(text);
      let kind: UnitKind = 'sentence';
      if (caption || skipped(norm)) kind = 'skip';
      else if (isHeadingLike(norm, length) && (BYLINE_LINE.test(norm) || STAMP_LINE.test(norm))) kind = 'skip';
      // A line without final punctuation is a heading, a deck or a byline; so is an
      // unpunctuated phrase after the last sentence of a paragraph ("“…！” 副题").
      else if (isHeadingLike(norm, length) && (spans.length === 1 || !CLAUSE_MARK.test(norm))) kind = 'heading';
      else if (enumeratedHeading(norm)) kind = 'heading';
      units.push({ text, norm, paragraph, first: i === 0, kind, length });
    });
  });
  return units;
}

/** Headings that read as clauses, for a text that writes no sentence with final punctuation. */
export function clauseHeadings(units: readonly Unit[]): Unit[] {
  return units.filter((u) => u.kind === 'heading' && CLAUSE_MARK.test(u.norm));
}
