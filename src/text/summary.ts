// Summaries. The port lets an LLM summarizer replace the extractive one later; the
// extractive one ranks sentences with a personalised TextRank (graph of character-bigram
// overlap, teleporting towards lead sentences and sentences that share words with the
// title) and returns the best ones, in article order, within a code-point budget.
import { codePointLength, truncateCodePoints } from './length.js';
import { t2s } from './script.js';
import { resolveReferences, type ReferenceContext } from './references.js';
import { sentenceSpans } from './sentences.js';

export interface SummaryInput {
  readonly title: string;
  readonly body: string; // paragraphs separated by \n
  readonly budget?: number; // code points, default 160
  /** Publication time and home places, so 昨天/我市 can be made explicit. */
  readonly context?: ReferenceContext;
}

export interface Summarizer {
  summarize(input: SummaryInput): Promise<string>;
}

export const DEFAULT_SUMMARY_BUDGET = 160;
const MAX_SENTENCES = 120;
const MAX_PICKS = 3;
const FOLLOW_UP = 0.6; // further sentences must score this share of the best one
const DAMPING = 0.85;
const ITERATIONS = 30;

// Matched on the normalised (Simplified, lower-case) text.
const BOILERPLATE_START =
  /^[\s([（【〔]*(?:来源|稿源|责编|责任编辑|编辑|审核|撰稿|作者|摄影|原文标题|新闻热线|热线|投稿|新闻投稿|版权|转载|声明|免责|推荐阅读|延伸阅读|相关阅读|相关报道)/;
// A byline names people ("记者 张三 李四"); "记者昨天从…获悉，…" is the lead of the story.
const BYLINE = /^[\s([（【〔]*(?:本报|本台|本刊|本网)?(?:记者|通讯员|实习生)[\s:：]*(?:[\p{Script=Han}·]{2,4}(?:[\s、，,|｜/)）]+|$))+$/u;
// Calls to action ("点击…", "扫码关注…") are short; a sentence that merely starts with 关注 is prose.
const CALL_TO_ACTION = /^[\s([（【〔]*(?:点击|扫码|扫描|关注|长按)/;
const BOILERPLATE_ANYWHERE = /版权所有|转载请|未经授权|禁止转载|不得转载|新闻热线|投稿邮箱|责任编辑|原文标题|来源[:：]|本文来自/;
const CAPTION = /^[\s([（【]*(?:图|图为|图片|上图|下图|左图|右图|题图|组图|图注|配图|视频)[:：为\s\d]|摄[)）\]】]?[。.]?$|[(（][^)）]{0,30}摄[)）]/;
const DATE_LINE = /^(?:发布时间|发表时间|发表于|更新时间|发布日期|时间|日期)[:：]|^\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?[。.]?$/;
// Bounded local part, as in sentences.ts: unbounded it is quadratic in a long run of letters.
const LINKS = /https?:\/\/|www\.|[a-z0-9._%+-]{1,64}@[a-z0-9-]+\.[a-z]/;
// "本报讯（记者 …）" and "新华社北京5月6日电（记者 …）" open a lead; drop them, keep the lead.
const DATELINE = /^(?:(?:本报|本台|本刊|本网|本站)讯\s*(?:[(（][^)）]{0,40}[)）])?|[^，。,；;！？!?]{2,30}电\s*[(（](?:记者|通讯员|实习生)[^)）]{0,40}[)）])\s*[:：]?\s*/;
const COMPLETE = /[。！？!?….][」』”’）)】》"']*$/;
const CLAUSE_MARKS = new Set([...'，、；：,;:']);
const OPENERS = /[\s“‘「『（(【《〈"']+$/;

interface Sentence {
  readonly index: number; // order in the article
  readonly paragraph: number;
  readonly first: boolean; // first sentence of its paragraph
  readonly text: string; // original script, dateline removed
  readonly tokens: ReadonlySet<number>;
  readonly length: number; // code points
}

// Han unit → Simplified unit, learnt one character at a time. Converting whole articles
// through OpenCC costs a third of the summary; character-level folding is enough for
// bigrams and keyword tests, and it keeps offsets (one unit in, one unit out).
const folded = new Map<number, number>();

function foldForMatch(text: string): string {
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

const isHanCode = (cp: number): boolean =>
  (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x20000 && cp <= 0x3ffff);
const isWordCode = (cp: number): boolean => (cp >= 0x61 && cp <= 0x7a) || (cp >= 0x30 && cp <= 0x39);

/** Character bigrams of Han runs plus whole Latin/number words, as numbers. */
function tokenize(norm: string, words: Map<string, number>): Set<number> {
  const out = new Set<number>();
  let prev = -1;
  let wordStart = -1;
  for (let i = 0; i <= norm.length; i++) {
    const cp = i < norm.length ? norm.codePointAt(i)! : -1;
    if (cp >= 0 && isWordCode(cp)) {
      if (wordStart < 0) wordStart = i;
      prev = -1;
      continue;
    }
    if (wordStart >= 0) {
      const word = norm.slice(wordStart, i);
      let id = words.get(word);
      if (id === undefined) words.set(word, (id = -1 - words.size));
      out.add(id);
      wordStart = -1;
    }
    if (cp >= 0 && isHanCode(cp)) {
      if (prev >= 0) out.add(prev * 0x110000 + cp);
      prev = cp;
    } else prev = -1;
    if (cp > 0xffff) i++;
  }
  return out;
}

function rejected(norm: string, text: string): boolean {
  return (
    !COMPLETE.test(text) ||
    /[；;][」』”’）)】》"']*$/.test(text) ||
    BOILERPLATE_START.test(norm) ||
    BYLINE.test(norm) ||
    (CALL_TO_ACTION.test(norm) && norm.length < 40) ||
    BOILERPLATE_ANYWHERE.test(norm) ||
    CAPTION.test(norm) ||
    DATE_LINE.test(norm) ||
    LINKS.test(norm) ||
    (norm.match(/[\p{Script=Han}a-z0-9]/gu)?.length ?? 0) < 6
  );
}

function candidates(body: string, words: Map<string, number>): Sentence[] {
  const norm = foldForMatch(body); // same length as body, so spans apply to both
  const out: Sentence[] = [];
  let paragraph = 0;
  let lastBreak = 0;
  let lastParagraph = -1;
  for (const [start, end] of sentenceSpans(body).slice(0, MAX_SENTENCES)) {
    for (let i = body.indexOf('\n', lastBreak); i !== -1 && i < start; i = body.indexOf('\n', i + 1)) {
      paragraph++;
      lastBreak = i + 1;
    }
    let n = norm.slice(start, end);
    let text = body.slice(start, end);
    const dateline = DATELINE.exec(n);
    if (dateline && dateline[0].length < n.length) {
      n = n.slice(dateline[0].length);
      text = text.slice(dateline[0].length);
    }
    const first = paragraph !== lastParagraph;
    lastParagraph = paragraph;
    if (rejected(n, text)) continue;
    out.push({ index: out.length, paragraph, first, text, tokens: tokenize(n, words), length: codePointLength(text) });
  }
  return out;
}

/** Overlap weights between sentences via token postings, skipping very common tokens. */
function similarity(sents: readonly Sentence[]): Float64Array {
  const n = sents.length;
  const w = new Float64Array(n * n);
  const postings = new Map<number, number[]>();
  sents.forEach((s, i) => {
    for (const t of s.tokens) {
      const list = postings.get(t);
      if (list) list.push(i);
      else postings.set(t, [i]);
    }
  });
  const common = Math.max(8, n / 2);
  for (const list of postings.values()) {
    if (list.length < 2 || list.length > common) continue;
    for (let a = 0; a < list.length; a++) for (let b = a + 1; b < list.length; b++) w[list[a]! * n + list[b]!]! += 1;
  }
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      const o = w[a * n + b]!;
      if (o === 0) continue;
      const v = o / (Math.log(1 + sents[a]!.tokens.size) + Math.log(1 + sents[b]!.tokens.size));
      w[a * n + b] = v;
      w[b * n + a] = v;
    }
  }
  return w;
}

/** Personalised PageRank: the random surfer restarts at lead and title-like sentences. */
function rank(sents: readonly Sentence[], titleTokens: ReadonlySet<number>): number[] {
  const n = sents.length;
  const w = similarity(sents);
  const paragraphs = [...new Set(sents.map((s) => s.paragraph))];
  const prior = sents.map((s) => {
    const position = 1 / (1 + 0.35 * paragraphs.indexOf(s.paragraph)) + (s.first ? 0.3 : 0);
    let shared = 0;
    for (const t of titleTokens) if (s.tokens.has(t)) shared++;
    const title = titleTokens.size > 0 ? shared / titleTokens.size : 0;
    return 0.1 + position + 2 * title;
  });
  const total = prior.reduce((a, b) => a + b, 0);
  const p = prior.map((x) => x / total);
  // Sparse rows, each already divided by its sentence's total out-weight.
  const edges: { to: Int32Array; weight: Float64Array }[] = [];
  for (let j = 0; j < n; j++) {
    const to: number[] = [];
    const weight: number[] = [];
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const x = w[j * n + i]!;
      if (x === 0) continue;
      to.push(i);
      weight.push(x);
      sum += x;
    }
    edges.push({ to: Int32Array.from(to), weight: Float64Array.from(weight, (x) => x / (sum || 1)) });
  }
  let r = Float64Array.from(p);
  for (let it = 0; it < ITERATIONS; it++) {
    const next = Float64Array.from(p, (x) => (1 - DAMPING) * x);
    let dangling = 0;
    for (let j = 0; j < n; j++) {
      const { to, weight } = edges[j]!;
      if (to.length === 0) dangling += r[j]!;
      for (let k = 0; k < to.length; k++) next[to[k]!]! += DAMPING * r[j]! * weight[k]!;
    }
    let delta = 0;
    for (let i = 0; i < n; i++) {
      next[i]! += DAMPING * dangling * p[i]!;
      delta += Math.abs(next[i]! - r[i]!);
    }
    r = next;
    if (delta < 1e-6) break;
  }
  // Centrality alone is flat on long articles (every paragraph mentions 项目); blending the
  // prior back in keeps the lead and the title's own words ahead. A fragment of a few
  // characters rarely says what happened, so short sentences are discounted.
  const topRank = Math.max(...r);
  const topPrior = Math.max(...prior);
  return Array.from(r, (x, i) => (0.5 * x / topRank + 0.5 * prior[i]! / topPrior) * Math.min(1, sents[i]!.length / 20));
}

/** The longest clause-bounded prefix that fits with an ellipsis, or a hard cut. */
function cutToBudget(text: string, budget: number): string {
  if (codePointLength(text) <= budget) return text;
  const room = budget - 1;
  let best = -1;
  let count = 0;
  for (let i = 0; i < text.length && count < room; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff) continue; // second half of a pair: same code point
    count++;
    if (CLAUSE_MARKS.has(text[i]!) && count >= budget * 0.3) best = i;
  }
  if (best > 0) {
    const head = text.slice(0, best).replace(OPENERS, '');
    if (head.length > 0) return `${head}…`;
  }
  // Lookbehind: a long run of dots inside the sentence must not be rescanned from each dot.
  return truncateCodePoints(text.replace(/(?<![。！？!?.…])[。！？!?.…]+$/, ''), budget, '…');
}

function join(parts: readonly string[]): string {
  let out = '';
  for (const p of parts) out += out && /[\x21-\x7e]$/.test(out) && /^[A-Za-z0-9]/.test(p) ? ` ${p}` : p;
  return out;
}

function jaccard(a: ReadonlySet<number>, b: ReadonlySet<number>): number {
  let inter = 0;
  for (const t of a) if (b.has(t)) inter++;
  return inter / Math.max(1, a.size + b.size - inter);
}

/** Synchronous core: deterministic, pure, at most `budget` code points. */
export function extractiveSummary(input: SummaryInput): string {
  const requested = Math.floor(input.budget ?? DEFAULT_SUMMARY_BUDGET);
  // NaN would pass every "longer than the budget?" test as false and so cap nothing.
  const budget = Number.isNaN(requested) ? DEFAULT_SUMMARY_BUDGET : Math.max(1, requested);
  const words = new Map<string, number>();
  const found = candidates(input.body, words);
  const ctx = input.context;
  const sents = ctx ? found.map((s) => withText(s, resolveReferences(s.text, ctx))) : found;
  if (sents.length === 0) return '';
  // A short piece: its lead says it best.
  if (sents.length < 4) return cutToBudget(sents[0]!.text, budget);
  const scores = rank(sents, tokenize(foldForMatch(input.title), words));
  const order = sents.map((s) => s.index).sort((a, b) => scores[b]! - scores[a]! || a - b);
  const best = sents[order[0]!]!;
  if (best.length > budget) return cutToBudget(best.text, budget);
  const picked: Sentence[] = [];
  for (const i of order) {
    const s = sents[i]!;
    if (scores[i]! < scores[best.index]! * FOLLOW_UP) break;
    const next = join([...picked, s].sort((a, b) => a.index - b.index).map((x) => x.text));
    if (codePointLength(next) > budget) continue;
    if (picked.some((p) => jaccard(p.tokens, s.tokens) > 0.5)) continue;
    picked.push(s);
    if (picked.length >= MAX_PICKS) break;
  }
  return join(picked.sort((a, b) => a.index - b.index).map((s) => s.text));
}

function withText(s: Sentence, text: string): Sentence {
  return text === s.text ? s : { ...s, text, length: codePointLength(text) };
}

export function createExtractiveSummarizer(): Summarizer {
  return { summarize: async (input) => extractiveSummary(input) };
}
