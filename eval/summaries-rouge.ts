// Character ROUGE as shared/eval/summaries/INDEX.md defines it (the holdout scores the same
// way): every code point is a token except punctuation, separators and whitespace; Latin is
// lower-cased; ROUGE-1/2 are clipped n-gram overlaps, ROUGE-L the longest common subsequence.
// Also the Lead baselines' sentence splitter, which is NOT the summariser's: it ends only on
// 。！？!?… (plus closing quotes) and at newlines, so the baselines stay as published.

export interface Prf {
  readonly p: number;
  readonly r: number;
  readonly f: number;
}

export interface RougeScore {
  readonly r1: Prf;
  readonly r2: Prf;
  readonly rl: Prf;
}

const DROP = /[\p{P}\p{Z}\s]/u;

export function rougeTokens(text: string): string[] {
  const out: string[] = [];
  for (const ch of text) if (!DROP.test(ch)) out.push(ch.toLowerCase());
  return out;
}

function prf(hit: number, sys: number, ref: number): Prf {
  const p = sys > 0 ? hit / sys : 0;
  const r = ref > 0 ? hit / ref : 0;
  return { p, r, f: p + r > 0 ? (2 * p * r) / (p + r) : 0 };
}

function ngramOverlap(sys: readonly string[], ref: readonly string[], n: number): Prf {
  const bag = (t: readonly string[]): Map<string, number> => {
    const m = new Map<string, number>();
    for (let i = 0; i + n <= t.length; i++) {
      const k = t.slice(i, i + n).join('\u0001');
      m.set(k, (m.get(k) ?? 0) + 1);
    }
    return m;
  };
  const a = bag(sys);
  const b = bag(ref);
  let hit = 0;
  for (const [k, c] of a) hit += Math.min(c, b.get(k) ?? 0);
  return prf(hit, Math.max(0, sys.length - n + 1), Math.max(0, ref.length - n + 1));
}

function lcs(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  let prev = new Uint16Array(b.length + 1);
  let cur = new Uint16Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) cur[j] = a[i - 1] === b[j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, cur[j - 1]!);
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}

export function rouge(system: string, reference: string): RougeScore {
  const s = rougeTokens(system);
  const r = rougeTokens(reference);
  return { r1: ngramOverlap(s, r, 1), r2: ngramOverlap(s, r, 2), rl: prf(lcs(s, r), s.length, r.length) };
}

const LEAD_ENDERS = new Set([...'。！？!?…']);
const LEAD_CLOSERS = new Set([...'”’」』）)》"\'】']);

/** The baselines' sentences: after 。！？!?… plus closing marks, and at every newline. */
export function leadSentences(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  const push = (): void => {
    const t = cur.trim();
    if (t) out.push(t);
    cur = '';
  };
  const chars = [...text];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === '\n') {
      push();
      continue;
    }
    cur += ch;
    if (LEAD_ENDERS.has(ch)) {
      while (i + 1 < chars.length && (LEAD_ENDERS.has(chars[i + 1]!) || LEAD_CLOSERS.has(chars[i + 1]!))) cur += chars[++i]!;
      push();
    }
  }
  push();
  return out;
}

export const codePoints = (s: string): number => [...s].length;

/** Whole lead sentences while they fit in `budget` code points, else the first one cut. */
export function leadToBudget(text: string, budget: number): string {
  const sents = leadSentences(text);
  let out = '';
  for (const s of sents) {
    if (codePoints(out + s) > budget) break;
    out += s;
  }
  if (out === '' && sents.length > 0) out = [...sents[0]!].slice(0, budget).join('');
  return out;
}

export const leadN = (text: string, n: number): string => leadSentences(text).slice(0, n).join('');
