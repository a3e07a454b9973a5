// Summaries. The port lets an LLM summarizer replace the extractive one later. The extractive
// one follows how news is written: the news comes first, so the summary is the lead — its
// first sentences, in order, within a code-point budget — and leaves the lead only for a
// reason found in the text's structure: lines that are not sentences (section headings,
// bylines, datelines, photo captions, footers; see summary-units.ts), a scene-setting or
// anecdotal opening before the dated news paragraph, and an opening question when the
// budget has room only for the sentence that answers it. A deck above the lead states the
// story and opens the summary, unless the title the post shows already says it.
import { codePointLength, truncateCodePoints } from './length.js';
import { resolveReferences, type ReferenceContext } from './references.js';
import { clauseHeadings, foldForMatch, isSectionHeading, summaryUnits, type Unit } from './summary-units.js';

export interface SummaryInput {
  /** The headline the post shows: a deck line that repeats it is not repeated in the
   * summary. The lead carries the news, so sentences are not ranked by the headline. */
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
/** Even with room for more, a summary is a lead paragraph: a few sentences, not the article. */
const MAX_SENTENCES = 4;
/** How many paragraphs after an opening without news the dated news paragraph may be. */
const OPENING_REACH = 2;
/** How many sentences an opening without news may have. */
const OPENING_SENTENCES = 4;
const SIMILAR = 0.5; // bigram Jaccard above which a sentence repeats one already taken
/**
 * Share of the budget after which the summary ends with its paragraph: a next paragraph
 * would be cut short to a sentence, and the lead paragraph already says the news.
 */
const PARAGRAPH_SHARE = 2 / 3;

// On folded text (see foldForMatch): the day something happened, and what news does.
const DAY_ANCHOR = /今天|今日|昨天|昨日|前天|前日|日前|近日|近期|本周|上周|当天|当日|\d{1,2}月\d{1,2}日|\d{1,2}日|周[一二三四五六日末]|星期[一二三四五六日天]/;
// Periods, plans and amounts date a statement as news too ("今年以来…", "将…", "涨3%").
const NEWS_TIME = /今年|去年|明年|上半年|下半年|年初|年底|以来|未来|今后|将|拟|\d\s*(?:%|万|亿|元|美元|个基点)/;
const NEWS_VERB =
  /获悉|了解到|报道|表示|宣布|发布|公布|印发|出台|提出|召开|举行|举办|启动|开幕|闭幕|落成|签署|会见|出席|透露|通报|指出|发生|成立|开通|上线|推出|批准|审议|当选|任命|宣判|判决|逮捕|立案|起诉|同比|环比|增长|下降|上涨|下跌/;
// An institution as the subject ("发改委连续两天…", "市政府…") reports, it does not set a scene.
const INSTITUTION = /^[\p{Script=Han}]{0,8}?(?:委|部|局|署|厅|办|政府|公司|集团|银行|协会|基金会|法院|检察院)/u;
// A sentence that only tags the quotation before it ("…在会上表示。") belongs with it.
const SPEECH_TAG = /(?:表示|说|指出|称|强调|坦言|介绍|透露)[。!]$/;
const ANAPHOR = /^(?:这|此|该|其|他|她|它|对此)/;
const QUESTION = /[?？][」』”’)）】》"']*$/;
/** A cut at a clause mark must keep this share of the budget; else a hard cut. */
const CLAUSE_SHARE = 0.6;
const CLAUSE_MARKS = new Set([...'，、；：,;:']);
const OPENERS = /[\s“‘「『（(【《〈"']+$/;

/** The longest clause-bounded prefix that fits with an ellipsis, or a hard cut. */
function cutToBudget(text: string, budget: number): string {
  if (codePointLength(text) <= budget) return text;
  const room = budget - 1;
  // A ； ends a clause or a list item: cut there rather than at a comma inside an item.
  let best = -1;
  let strong = -1;
  let count = 0;
  for (let i = 0; i < text.length && count <= room; i++) {
    const c = text.charCodeAt(i);
    // The second half of a pair is the same code point; a lone half counts, as in codePointLength.
    if (c >= 0xdc00 && c <= 0xdfff && i > 0 && text.charCodeAt(i - 1) >= 0xd800 && text.charCodeAt(i - 1) <= 0xdbff) continue;
    count++;
    if (CLAUSE_MARKS.has(text[i]!) && count >= budget * CLAUSE_SHARE) {
      best = i;
      if (text[i] === '；' || text[i] === ';') strong = i;
    }
  }
  if (strong > 0) best = strong;
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

function bigrams(norm: string): Set<string> {
  const out = new Set<string>();
  const chars = norm.match(/[\p{Script=Han}a-z0-9]/gu) ?? [];
  for (let i = 1; i < chars.length; i++) out.add(chars[i - 1]! + chars[i]!);
  return out;
}

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let inter = 0;
  for (const t of a) if (b.has(t)) inter++;
  return inter / Math.max(1, a.size + b.size - inter);
}

const firstClause = (norm: string): string => norm.slice(0, Math.max(8, norm.search(/[,;:。]/)));
// A sentence that is only a quotation ("“…！”") sets a scene, whatever it says.
const quotation = (norm: string): boolean => /^[“「『"]/.test(norm) && /[”」』"][。!?]?$/.test(norm);
const saysNews = (u: Unit): boolean => DAY_ANCHOR.test(u.norm) || INSTITUTION.test(u.norm) || NEWS_TIME.test(u.norm) || NEWS_VERB.test(u.norm);

/**
 * Where the news starts. Opening sentences that set a scene — quotations, or sentences that
 * neither date anything nor report an act (scenery, an anecdote, a general remark) — yield
 * to the sentence close after them that opens on the day of the event ("昨天，…举行…",
 * "17日，…"). Only with that evidence: otherwise the lead is the news.
 */
function newsStart(sents: readonly Unit[]): number {
  const first = sents[0]!.paragraph;
  // An opening that gives a figure ("…5批次…", "300多亩") reports a fact; scenes and general
  // remarks do not count things. Quotations are set apart whatever they say.
  if (/\d/.test(sents[0]!.norm) && !quotation(sents[0]!.norm)) return 0;
  let quotes = true;
  for (let i = 1; i < Math.min(sents.length, OPENING_SENTENCES + 1); i++) {
    const prev = sents[i - 1]!;
    const s = sents[i]!;
    quotes &&= quotation(prev.norm);
    if (s.paragraph > first + OPENING_REACH || (!quotes && saysNews(prev))) return 0;
    if (!DAY_ANCHOR.test(firstClause(s.norm)) || ANAPHOR.test(s.norm) || SPEECH_TAG.test(s.norm)) continue;
    if (quotes || NEWS_VERB.test(s.norm)) return i;
  }
  return 0;
}

/**
 * An opening question is kept with its answer when both fit; when only one fits, the
 * answer — the next sentence in the same or the next paragraph — says more.
 */
function pastQuestion(sents: readonly Unit[], start: number, budget: number, textOf: (u: Unit) => string): number {
  let j = start;
  while (j < sents.length - 1 && j - start < 3 && QUESTION.test(sents[j]!.norm)) j++;
  const answer = sents[j]!;
  if (j === start || QUESTION.test(answer.norm) || answer.paragraph > sents[j - 1]!.paragraph + 1) return start;
  return codePointLength(join(sents.slice(start, j + 1).map(textOf))) <= budget ? start : j;
}

/** How many lines before the lead may hold the deck (headline, deck, byline, dateline). */
const DECK_REACH = 4;
/** A headline with its kicker or sub-headline: two lines; more stacked lines are captions. */
const MAX_DECK_LINES = 2;
/** Share of a deck's character pairs found in the title above which it repeats the title. */
const REPEATS_TITLE = 0.5;

function containment(part: ReadonlySet<string>, whole: ReadonlySet<string>): number {
  let inter = 0;
  for (const t of part) if (whole.has(t)) inter++;
  return inter / Math.max(1, part.size);
}

/**
 * The deck: lines without final punctuation above the lead (a sub-headline, or the headline
 * itself when the text comes without one) state the story, so they open the summary. Not
 * when the given title already says it (the post shows the title), nor a section heading, a
 * byline or a caption (those are skipped units), nor a stack of more lines than a headline
 * has (a run of captions). With a title that it does not repeat, a line above the lead may be
 * a kicker or a slogan ("注重谋划，…"): it is taken only when it reports something, as a lead does.
 */
function leadingDeck(units: readonly Unit[], first: Unit, lead: Unit, title: string): Unit[] {
  const lines: Unit[] = [];
  for (const u of units.slice(0, DECK_REACH)) {
    if (u === first || u.paragraph > first.paragraph) break;
    if (u.kind === 'skip') continue;
    if (u.kind !== 'heading' || isSectionHeading(u.norm)) return [];
    lines.push(u);
  }
  if (lines.length === 0 || lines.length > MAX_DECK_LINES) return [];
  const leadGrams = bigrams(lead.norm);
  const titleGrams = bigrams(foldForMatch(title.trim()));
  return lines.filter((u) => {
    const grams = bigrams(u.norm);
    if (grams.size === 0 || jaccard(grams, leadGrams) > SIMILAR) return false;
    return titleGrams.size === 0 || (containment(grams, titleGrams) < REPEATS_TITLE && saysNews(u));
  });
}

/** A deck line as a sentence: the gaps between its phrases become commas, and it ends on 。. */
function deckSentence(text: string): string {
  const t = text.replace(/(?<=\S)(?:\u3000+|\s{2,}|(?<=\p{Script=Han})\s(?=\p{Script=Han}))(?=\S)/gu, '，').trim();
  return /[。.!?！？…]$/.test(t) ? t : `${t}。`;
}

/** Synchronous core: deterministic, pure, at most `budget` code points. */
export function extractiveSummary(input: SummaryInput): string {
  const requested = Math.floor(input.budget ?? DEFAULT_SUMMARY_BUDGET);
  // NaN would pass every "longer than the budget?" test as false and so cap nothing.
  const budget = Number.isNaN(requested) ? DEFAULT_SUMMARY_BUDGET : Math.max(1, requested);
  const units = summaryUnits(input.body);
  let sents = units.filter((u) => u.kind === 'sentence');
  // A text that writes no sentence with final punctuation (clauses ending on ；, a list):
  // its clause-bearing lines are its sentences.
  if (sents.length === 0) sents = clauseHeadings(units);
  if (sents.length === 0) return '';
  const ctx = input.context;
  const resolved = new Map<Unit, string>();
  const textOf = (u: Unit): string => {
    let t = resolved.get(u);
    if (t === undefined) resolved.set(u, (t = ctx ? resolveReferences(u.text, ctx) : u.text));
    return t;
  };
  const start = pastQuestion(sents, newsStart(sents), budget, textOf);
  const lead = sents[start]!;
  const deck = leadingDeck(units, sents[0]!, lead, input.title);
  const opening = fill('', [], deck, 0, budget, (u) => deckSentence(textOf(u)));
  if (opening) return fill(opening, deck.map((u) => bigrams(u.norm)), sents, start, budget, textOf);
  const first = textOf(lead);
  if (codePointLength(first) > budget) return cutToBudget(first, budget);
  return fill(first, [bigrams(lead.norm)], sents, start + 1, budget, textOf);
}

/** Sentences from `from` on, in order, while they fit, skipping repeats of what is taken. */
function fill(head: string, taken: Set<string>[], sents: readonly Unit[], from: number, budget: number, textOf: (u: Unit) => string): string {
  let out = head;
  for (let j = from; j < sents.length && taken.length < MAX_SENTENCES; j++) {
    const s = sents[j]!;
    // The lead paragraph is the news; the next paragraph elaborates and is taken only while
    // the summary is still short of half its room.
    if (j > from && s.paragraph !== sents[j - 1]!.paragraph && codePointLength(out) >= budget * PARAGRAPH_SHARE) break;
    const grams = bigrams(s.norm);
    if (taken.some((t) => jaccard(t, grams) > SIMILAR)) continue;
    const next = join([out, textOf(s)]);
    if (codePointLength(next) > budget) break;
    out = next;
    taken.push(grams);
  }
  return out;
}

export function createExtractiveSummarizer(): Summarizer {
  return { summarize: async (input) => extractiveSummary(input) };
}
