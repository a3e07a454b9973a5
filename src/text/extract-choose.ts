// Choosing the body. The density scorer (extract-density.ts) reads the page twice: `loose`
// unites an article split by adverts, `tight` drops short replies under a forum post. When
// both readings agree — most pages — that block is the body and Readability is not run: on
// linkedom it costs 5–20 ms a page, several times everything else together, and on Chinese
// pages it is no better than the density block (it fails on a short post inside a large
// forum page, or a blog post followed by its comments). When the readings disagree, Readability referees; when the
// density readings find too little prose, Readability's article is used unless it is
// mostly links.
import { Readability } from '@mozilla/readability';
import { parseCredits } from './boilerplate-fields.js';
import { anchoredLines, isStampLine } from './extract-anchor.js';
import { isProse } from './boilerplate-patterns.js';
import { type DensityCandidate, densityCandidates, isFurniture } from './extract-density.js';
import { type DDocument, type DElement, type DNode, maxDepth } from './extract-dom.js';
import { type Line, linesOf, visibleLength } from './extract-lines.js';
import { linkedomOf } from './extract-tree.js';

export interface Candidate {
  readonly lines: string[];
  readonly chars: number;
  /** Characters in lines that read as sentences. */
  readonly prose: number;
  readonly linkChars: number;
}

export interface BodyChoice {
  readonly lines: string[];
  readonly method: string;
  readonly byline: string | null;
  readonly title: string | null;
}

/** Drops link lists (related stories, adverts) from a candidate's lines. */
export function toCandidate(lines: readonly Line[]): Candidate {
  const kept: string[] = [];
  let chars = 0;
  let prose = 0;
  let linkChars = 0;
  for (const l of lines) {
    const n = visibleLength(l.text);
    if (n === 0) continue;
    const proseLine = isProse(l.text);
    // A byline whose name is a link (ggjjzhzz 发表于 …) stays for the boilerplate pass to read.
    const linky = l.linkChars >= n * 0.5 && !(proseLine && l.linkChars < n * 0.9);
    if (linky && !(n <= 120 && parseCredits(l.text).isCredit)) continue;
    if (/^[·•●◆■□▪\-–—|｜]+$/.test(l.text.trim())) continue;
    kept.push(l.text);
    chars += n;
    linkChars += l.linkChars;
    if (proseLine) prose += n;
  }
  return { lines: kept, chars, prose, linkChars };
}

export interface ReadabilityResult {
  readonly candidate: Candidate;
  readonly byline: string | null;
  readonly title: string | null;
}

/** Readability's cost grows with the page; above this many elements it is not consulted. */
const MAX_ELEMENTS = 8000;
/**
 * Readability also grows with depth² × text: for each element it re-reads the text of every
 * nested block below it. 250 nested divs around 100 KB of text took 4 s (26 s when the text
 * opened with a long run of U+3000). The deepest-and-longest real page measured (depth 41,
 * 23 K characters) scores 40 M; above this bound Readability is not consulted.
 */
const MAX_DEPTH_SQUARED_TEXT = 150_000_000;

function readabilityAffordable(doc: DDocument, elements: number): boolean {
  if (elements > MAX_ELEMENTS) return false;
  const depth = maxDepth(doc.body);
  return depth * depth * (doc.body.textContent?.length ?? 0) <= MAX_DEPTH_SQUARED_TEXT;
}

/** Readability keeps its parse state on the document, which it also rewrites: run it last. */
function runReadability(doc: DDocument): ReadabilityResult | null {
  try {
    // Chinese carries more per character than Readability's English-tuned 500.
    const reader = new Readability<DElement>(linkedomOf(doc) as never, { serializer: (n) => n as unknown as DElement, charThreshold: 200 });
    const r = reader.parse();
    if (!r?.content) return null;
    return { candidate: toCandidate(linesOf(r.content)), byline: r.byline ?? null, title: r.title ?? null };
  } catch {
    return null;
  }
}

const norm = (s: string): string => s.replace(/[\s\u00a0\u3000]+/g, '');

/** Characters of `a`'s lines that also occur in `b`'s text. */
function shared(a: Candidate, b: Candidate): number {
  const text = b.lines.map(norm).join('\n');
  let n = 0;
  for (const l of a.lines) if (text.includes(norm(l))) n += visibleLength(l);
  return n;
}

/** Overlap of two candidates relative to their union (1 = same lines). */
export function similarity(a: Candidate, b: Candidate): number {
  const both = (shared(a, b) + shared(b, a)) / 2;
  const union = a.chars + b.chars - both;
  return union <= 0 ? 0 : both / union;
}

export interface DensityReading {
  readonly loose: Candidate | null;
  readonly tight: Candidate | null;
  readonly same: boolean;
  /** Characters the loose block has beyond the tight one, when it contains it; else null. */
  readonly surplus: number | null;
  readonly tightChars: number;
  readonly elements: number;
}

function isAncestor(outer: DNode, inner: DNode): boolean {
  for (let n: DNode | null = inner; n; n = n.parentNode) if (n === outer) return true;
  return false;
}

/** Lines of the density blocks, leaving out comment lists and sidebars nested inside them. */
export function densityReading(doc: DDocument): DensityReading {
  const { loose, tight, elements } = densityCandidates(doc.body);
  const lines = (c: DensityCandidate | null): Candidate | null => {
    if (!c) return null;
    const skip = (el: DElement): boolean => isFurniture(el) && visibleLength(el.textContent ?? '') < c.chars * 0.5;
    const cand = toCandidate(linesOf(c.element, skip));
    // The scorer's prose counts captions between pictures, which read as labels line by line.
    return { ...cand, prose: Math.max(cand.prose, Math.min(c.prose, cand.chars)) };
  };
  const same = loose?.element === tight?.element;
  const l = lines(loose);
  const surplus = loose && tight && isAncestor(loose.element, tight.element) ? loose.chars - tight.chars : null;
  return { loose: l, tight: same ? l : lines(tight), same, surplus, tightChars: tight?.chars ?? 0, elements };
}

/** Below this much prose the density reading is too thin to trust on its own. */
const MIN_PROSE = 60;

/** The two density readings agree, or differ only by a few lines: no second opinion needed. */
function settled(d: DensityReading): Candidate | null {
  const { loose, tight } = d;
  if (!loose || loose.prose < MIN_PROSE) return null;
  if (d.same || !tight) return loose;
  return d.surplus !== null && d.surplus <= Math.max(120, d.tightChars * 0.05) ? loose : null;
}

/**
 * The body of the page. `page` (every line) and `title` (the <title> or og:title) let the
 * story under the headline overrule a winner that lies wholly outside it.
 */
export function chooseBody(doc: DDocument, page?: readonly Line[], title?: string | null): BodyChoice | null {
  const choice = chooseBlock(doc);
  if (!page) return choice;
  const anchored = anchoredLines(page, title ?? null, choice?.lines ?? []);
  if (!anchored) return choice;
  if (anchored.length > 0 && typeof anchored[0] === 'string') return { ...choice!, lines: anchored as string[], method: `${choice!.method}+cut` };
  return { lines: toCandidate(anchored as Line[]).lines, method: 'anchor', byline: null, title: null };
}

function chooseBlock(doc: DDocument): BodyChoice | null {
  const dens = densityReading(doc);
  const sure = settled(dens);
  if (sure) return { lines: sure.lines, method: dens.same ? 'density' : 'density:loose', byline: null, title: null };
  const picked = referee(dens);
  if (picked) return { lines: picked.candidate.lines, method: picked.method, byline: null, title: null };
  // Too little prose for the density readings: Readability's article, unless mostly links.
  // It rewrites the document, so it runs last; on a huge page it would take seconds (and
  // linkedom defeats its own size guard), so it is skipped there.
  const read = readabilityAffordable(doc, dens.elements) ? runReadability(doc) : null;
  const fallback = decide(read?.candidate ?? null, dens);
  if (!fallback) return null;
  return { lines: fallback.candidate.lines, method: fallback.method, byline: read?.byline ?? null, title: read?.title ?? null };
}

/** Dated stamp lines (a post's date or a reply's time) among `lines`. */
function stamps(lines: readonly string[]): number {
  let n = 0;
  for (const l of lines) if (isStampLine(l) || (visibleLength(l) <= 60 && parseCredits(l).dateRaw !== null)) n++;
  return n;
}

/**
 * When the two density readings disagree, structure decides. The loose block holding the
 * tight one plus a run of dated entries is a thread or a comment list around its opening
 * post: the tight block. Otherwise the loose block, which unites an article split by
 * adverts or sections.
 */
export function referee(d: DensityReading): { candidate: Candidate; method: string } | null {
  const loose = d.loose && d.loose.prose >= MIN_PROSE ? d.loose : null;
  const tight = d.tight && d.tight.prose >= MIN_PROSE ? d.tight : null;
  if (!loose || !tight) return loose ? { candidate: loose, method: 'density:loose' } : tight ? { candidate: tight, method: 'density:tight' } : null;
  if (d.surplus !== null) {
    const inTight = new Set(tight.lines.map(norm));
    const extra = loose.lines.filter((l) => !inTight.has(norm(l)));
    // An opening post comes first: sections of one article have prose before them.
    const firstTight = loose.lines.findIndex((l) => inTight.has(norm(l)));
    const proseBefore = loose.lines.slice(0, Math.max(0, firstTight)).reduce((n, l) => n + (isProse(l) ? visibleLength(l) : 0), 0);
    if (stamps(extra) >= 2 && proseBefore <= tight.prose * 0.5) return { candidate: tight, method: 'density:tight' };
  }
  return { candidate: loose, method: 'density:loose' };
}

/**
 * Readability as referee: when the two density readings disagree, the one closer to
 * Readability's article wins; when density found too little, Readability's article is
 * used unless it is mostly links.
 */
export function decide(read: Candidate | null, d: DensityReading): { candidate: Candidate; method: string } | null {
  const options = [d.loose, d.tight].filter((c): c is Candidate => !!c && c.prose >= MIN_PROSE);
  const readOk = !!read && read.chars > 0 && read.linkChars < read.chars * 0.5;
  if (options.length === 0) {
    if (readOk) return { candidate: read, method: 'readability' };
    const weak = d.loose ?? d.tight;
    return weak && weak.chars > 0 ? { candidate: weak, method: 'density:weak' } : null;
  }
  if (!readOk) return { candidate: options[0]!, method: 'density:loose' };
  const scored = options.map((c) => ({ c, sim: similarity(c, read) }));
  scored.sort((a, b) => b.sim - a.sim);
  const best = scored[0]!;
  return { candidate: best.c, method: `density:${best.c === d.loose ? 'loose' : 'tight'}+readability` };
}
