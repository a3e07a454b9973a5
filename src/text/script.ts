// Script conversion and detection. Each direction is built once, on first use (or by
// warmConverters at start-up), and shared. The converters apply opencc-js's dictionaries and
// rules through script-table.ts, which builds them in a fraction of opencc-js's time.
import type { DetectedScript, Script } from '../domain/types.js';
import { openccConverter } from './script-table.js';

type Convert = (s: string) => string;
type Direction = 't2s' | 'toT' | 'cn' | 'tw' | 'twp' | 'hk';
type Locale = 't' | 'cn' | 'tw' | 'twp' | 'hk';

const built = new Map<Direction, Convert>();
// Every Traditional target shares one Simplified→Traditional step (cn→t, the largest
// dictionary) followed by a small regional one (t→tw, t→twp, t→hk).
const OPTIONS: Record<Direction, { from: Locale; to: Locale }> = {
  // From OpenCC-standard Traditional: converts characters only, so the length is kept.
  t2s: { from: 't', to: 'cn' },
  // Simplified characters become Traditional; Traditional input passes through, so a Taiwan
  // original keeps its own words (軟體 stays 軟體 for a tw reader).
  toT: { from: 'cn', to: 't' },
  // Rendering for a mainland reader of Taiwan-style text also rewrites vocabulary
  // (軟體→软件, 晶片→芯片, 網路→网络).
  cn: { from: 'twp', to: 'cn' },
  tw: { from: 't', to: 'tw' },
  twp: { from: 't', to: 'twp' },
  hk: { from: 't', to: 'hk' },
};

function converter(direction: Direction): Convert {
  let fn = built.get(direction);
  if (!fn) {
    const { from, to } = OPTIONS[direction];
    fn = openccConverter(from, to);
    built.set(direction, fn);
  }
  return fn;
}

/** Builds converters ahead of time (the bot does this at start-up, off the hot path). */
export function warmConverters(targets: readonly Direction[] = ['t2s', 'toT', 'cn', 'tw', 'twp', 'hk']): void {
  for (const t of targets) converter(t);
}

const HAN = /\p{Script=Han}/u;

/**
 * Traditional → Simplified that keeps the UTF-16 length, so offsets found in the
 * converted text point at the same characters in the original.
 */
export function t2s(text: string): string {
  if (!HAN.test(text)) return text;
  const out = converter('t2s')(text);
  if (out.length === text.length) return out;
  // A phrase rule changed the length: fall back to character-by-character conversion.
  const conv = converter('t2s');
  let result = '';
  for (const ch of text) {
    const c = conv(ch);
    result += c.length === ch.length ? c : ch;
  }
  return result;
}

/** Renders text for a reader. Simplified/Traditional input may be mixed; ASCII passes unchanged. */
export function convert(text: string, target: Script): string {
  if (target === 'original' || !HAN.test(text)) return text;
  if (target === 'cn') {
    // Taiwan→mainland vocabulary (新增 → 添加…) is for Taiwan text: Simplified text is already
    // in mainland words, and text that is mostly Simplified only gets its characters folded.
    const folded = t2s(text);
    if (folded === text) return text;
    return detectFolded(text, folded) === 'traditional' ? converter('cn')(text) : folded;
  }
  return converter(target)(converter('toT')(text));
}

/**
 * NFKC per character, only where it yields one UTF-16 unit for one unit
 * (full-width ＡＢＣ１２３ → ABC123, 〸 …), so the result keeps the input's offsets.
 */
function nfkcSameLength(text: string): string {
  // eslint-disable-next-line no-control-regex
  if (/^[\u0000-\u007f]*$/.test(text)) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const code = ch.charCodeAt(0);
    if (code < 0x80 || (code >= 0xd800 && code <= 0xdfff)) {
      out += ch;
      continue;
    }
    const n = ch.normalize('NFKC');
    out += n.length === 1 ? n : ch;
  }
  return out;
}

/**
 * The form every comparison uses: NFKC, Traditional → Simplified, lower case.
 * Length-preserving, so positions map back to the original text. NFKC comes first because
 * it can produce Traditional characters (compatibility ideographs: 類 U+F9D0 → 類, ㊜ → 適),
 * which must then be simplified like any other; the other order left them Traditional.
 */
export function normalizeForMatch(text: string): string {
  const folded = t2s(nfkcSameLength(text));
  const s = folded.toLowerCase();
  // toLowerCase can change length for a few letters (İ): keep the original there.
  return s.length === text.length ? s : sameLengthLower(folded);
}

function sameLengthLower(text: string): string {
  let out = '';
  for (const ch of text) {
    const l = ch.toLowerCase();
    out += l.length === ch.length ? l : ch;
  }
  return out;
}

/**
 * Detects the script by counting characters that differ between the two forms.
 * Characters shared by both scripts (most of them) do not vote.
 */
export function detectScript(text: string): DetectedScript {
  if (!HAN.test(text)) return 'none';
  return detectFolded(text, t2s(text));
}

/** detectScript with the text's t2s form already made. */
function detectFolded(text: string, simplified: string): DetectedScript {
  let traditional = 0;
  let total = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x3400) continue;
    total++;
    if (text[i] !== simplified[i]) traditional++;
  }
  if (traditional === 0) return total > 0 ? 'simplified' : 'none';
  const s2t = converter('toT')(simplified);
  let simplifiedOnly = 0;
  for (let i = 0; i < text.length && i < s2t.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x3400 && text[i] === simplified[i] && s2t[i] !== simplified[i]) simplifiedOnly++;
  }
  if (simplifiedOnly === 0) return 'traditional';
  const share = traditional / (traditional + simplifiedOnly);
  if (share > 0.9) return 'traditional';
  if (share < 0.1) return 'simplified';
  return 'mixed';
}
