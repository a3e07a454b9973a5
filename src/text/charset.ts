// Turning bytes into text, for feeds and article pages alike. A declaration is believed when
// the bytes bear it out: valid UTF-8 is UTF-8 whatever the page claims (legacy bytes almost
// never form valid multi-byte sequences by chance), a declared charset that decodes with few
// errors is that charset, and UTF-8 with a handful of bad sequences (a CMS that cut a
// character when it truncated a description) stays UTF-8 with U+FFFD in their place. Only
// documents that declare nothing usable are sniffed. Every judgement that changed the text
// (a lying declaration, replaced bytes, a guess) comes back as a warning.
import { bomOf, decodeAs, detectCharset, replacements, utf8Evidence, wideWithoutBom } from './charset-decoders.js';

export interface Decoded {
  readonly text: string;
  readonly charset: string; // WHATWG name actually used (utf-32le/be beside them)
  readonly source: 'bom' | 'utf-8' | 'header' | 'declaration' | 'guess';
  /** What an admin should know: a declaration the bytes contradict, bad bytes replaced. */
  readonly warnings: readonly string[];
}

const GB_LABELS = new Set(['gb2312', 'gbk', 'x-gbk', 'gb_2312-80', 'gb_2312', 'csgb2312', 'cp936', 'gb18030', 'chinese', 'euc-cn', 'iso-ir-58']);
const BIG5_LABELS = new Set(['big5', 'big5-hkscs', 'cn-big5', 'csbig5', 'x-x-big5']);

/** Maps a declared label to the decoder we trust for it, or null if unknown. */
export function canonicalCharset(label: string): string | null {
  const l = label.trim().toLowerCase().replace(/^["']|["']$/g, '');
  if (GB_LABELS.has(l)) return 'gb18030'; // GB2312 and GBK are subsets: read them all as GB18030
  if (BIG5_LABELS.has(l)) return 'big5';
  if (l === 'utf8') return 'utf-8';
  // UTF-32 is outside WHATWG; an unmarked "utf-32" means big-endian unless the bytes say otherwise.
  if (/^(?:utf-?32|ucs-?4|iso-10646-ucs-4)(?:be)?$/.test(l)) return 'utf-32be';
  if (/^(?:utf-?32|ucs-?4)le$/.test(l)) return 'utf-32le';
  try {
    return new TextDecoder(l).encoding;
  } catch {
    return null;
  }
}

/** The charset parameter of a Content-Type header. */
export function charsetFromContentType(contentType: string | null | undefined): string | null {
  const m = contentType ? /charset\s*=\s*["']?([\w.:-]+)/i.exec(contentType) : null;
  return m ? m[1]! : null;
}

/**
 * A charset declared inside the document: the XML prolog, or a <meta> in the head.
 * `charset=` inside scripts or text is ignored on purpose.
 */
export function declaredCharset(bytes: Uint8Array): string | null {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 16384));
  const prolog = /^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([\w.:-]+)["']/i.exec(buf.toString('latin1', 0, 256));
  if (prolog) return prolog[1]!;
  const head = buf.toString('latin1');
  if (!/<meta\b/i.test(head)) return null;
  const endOfHead = head.search(/<\/head\s*>|<body[\s>]/i);
  const scope = endOfHead >= 0 ? head.slice(0, endOfHead) : head;
  const withoutScripts = scope.replace(/<script\b[\s\S]*?(<\/script\s*>|$)/gi, '');
  for (const meta of withoutScripts.matchAll(/<meta\b[^>]*>/gi)) {
    const m = /charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(meta[0]);
    if (m) return m[1]!;
  }
  return null;
}

// Very common characters in both scripts: decodings of the wrong double-byte charset
// produce rare characters instead, so the share of these tells two clean decodings apart.
const COMMON = new Set(
  [...'的一是不了在人有我他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持取设始版双历越史商千片容研像找友孩站广改议形委早房音火际则首单据导影失拿网香似斯专石若兵弟谁校读志飞观争究包组造落视济喜离虽坏兴切米尔伤县乡镇省这們說來個國為時會對學過還發開動將現從點兩後經實種話問進數無長當與頭見說門學車東馬機電體關聯區縣鄉鎮報記華陽灣'],
);

function commonShare(text: string): number {
  let han = 0;
  let common = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c === 0xfffd) han += 2;
    if (c < 0x3400 || (c >= 0xe000 && c < 0xf900)) continue;
    han++;
    if (COMMON.has(ch)) common++;
  }
  return han === 0 ? 0 : common / han;
}

const plural = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;
const replacedWarning = (n: number, charset: string): string =>
  `${plural(n, 'invalid byte sequence')} for ${charset} replaced with U+FFFD; the rest of the text is intact`;

// "A handful" of bad sequences: a cut character or two, never a systematic misreading.
const FEW_BAD = 3;
// Valid multi-byte sequences per bad one above which the bytes are UTF-8 whatever the label:
// legacy CJK text read as UTF-8 yields roughly one valid sequence per four bad ones.
const UTF8_STRONG_RATIO = 4;

const SINGLE_BYTE = /^(?:windows-125\d|iso-8859-\d+|koi8-[ru]|ibm866|macintosh|x-mac-cyrillic|windows-874)$/;

function readsAsChinese(bytes: Uint8Array, charset: string | null): boolean {
  if (charset !== 'gb18030' && charset !== 'big5') return false;
  const text = decodeAs(bytes, charset)!;
  return replacements(text, bytes, charset) === 0 && commonShare(text) >= 0.3;
}

function nonAsciiCount(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) n++;
  return n;
}

/** A declared charset that decodes with few errors, or null. */
function tryDeclared(bytes: Uint8Array, charset: string): { text: string; bad: number } | null {
  const text = decodeAs(bytes, charset);
  if (text === null) return null;
  const bad = replacements(text, bytes, charset);
  if (bad === 0) return { text, bad };
  return bad <= FEW_BAD || bad * 50 <= nonAsciiCount(text) ? { text, bad } : null;
}

/**
 * No usable declaration: ask the statistical detector, and check its answer against what
 * Chinese text looks like, since Chinese is what this bot mostly reads. Evidence decides:
 * a Korean or Japanese page is not forced into GB18030, and a lone high byte among ASCII
 * (a Windows quote mark) is windows-1252, not the half of a rare Chinese character.
 */
function sniff(bytes: Uint8Array): { text: string; charset: string } {
  const detected = detectCharset(bytes);
  const chinese: Array<{ text: string; charset: string; share: number }> = [];
  for (const charset of ['gb18030', 'big5']) {
    const text = decodeAs(bytes, charset)!;
    // A cut double-byte character or two (a CMS truncating, a bad copy) does not make Chinese
    // text anything else: few bad sequences among many characters still count as Chinese.
    const bad = replacements(text, bytes, charset);
    if (bad === 0 || bad <= FEW_BAD || bad * 50 <= nonAsciiCount(text)) chinese.push({ text, charset, share: commonShare(text) });
  }
  chinese.sort((a, b) => b.share - a.share);
  const bestChinese = chinese[0] && chinese[0].share >= 0.3 ? chinese[0] : null;
  if (detected && detected.label !== 'utf-8') {
    const cs = canonicalCharset(detected.label);
    const text = cs ? decodeAs(bytes, cs) : null;
    const isChinese = cs === 'gb18030' || cs === 'big5';
    if (cs && text !== null && (detected.confidence >= 0.2 || isChinese) && replacements(text, bytes, cs) <= FEW_BAD) {
      // The detector's Chinese answers are weak on short text: our own count of common characters settles GB vs Big5.
      if (isChinese && bestChinese) return bestChinese;
      // A single-byte guess explains high bytes as accented letters; text that reads as common
      // Chinese characters under a Chinese charset is stronger evidence than that.
      if (!bestChinese || (detected.confidence >= 0.5 && !SINGLE_BYTE.test(cs))) return { text, charset: cs };
    }
  }
  if (bestChinese) return bestChinese;
  const utf8 = utf8Evidence(bytes);
  if (utf8.good > utf8.bad) return { text: utf8.text, charset: 'utf-8' };
  return { text: decodeAs(bytes, 'windows-1252')!, charset: 'windows-1252' };
}

/**
 * Decodes a document: BOM; UTF-16/32 laid out without one; valid UTF-8; UTF-8 that is
 * overwhelmingly valid; the header's charset, then the document's, when it decodes with
 * few errors; UTF-8 with a handful of bad sequences when that is what was declared; then
 * sniffing. The declaration is never dropped merely because one strict decoder threw.
 */
export function decodeBytes(bytes: Uint8Array, contentType?: string | null): Decoded {
  const bom = bomOf(bytes);
  if (bom) {
    const text = decodeAs(bytes.subarray(bom.length), bom.charset)!;
    const bad = replacements(text, bytes, bom.charset);
    return { text, charset: bom.charset, source: 'bom', warnings: bad ? [replacedWarning(bad, bom.charset)] : [] };
  }
  const fromHeader = charsetFromContentType(contentType);
  const headerCs = fromHeader ? canonicalCharset(fromHeader) : null;
  const wide = wideWithoutBom(bytes);
  if (wide) {
    const text = decodeAs(bytes, wide)!;
    const bad = replacements(text, bytes, wide);
    return { text, charset: wide, source: headerCs === wide ? 'header' : 'declaration', warnings: bad ? [replacedWarning(bad, wide)] : [] };
  }

  // The common case first and cheapest: valid UTF-8. Declarations are read only when needed.
  let strict: string | null = null;
  try {
    strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    // not clean UTF-8: weigh the evidence below
  }
  // Pure ASCII reads the same under any ASCII-compatible label: nothing to check or warn about.
  const nonAscii = strict === null || /[\u0080-\uffff]/.test(strict);
  const fromDoc = nonAscii ? declaredCharset(bytes) : null;
  const declared: Array<{ label: string; charset: string | null; source: 'header' | 'declaration' }> = [];
  if (fromHeader) declared.push({ label: fromHeader, charset: headerCs, source: 'header' });
  if (fromDoc) declared.push({ label: fromDoc, charset: canonicalCharset(fromDoc), source: 'declaration' });
  const legacy = declared.filter((d) => d.charset !== null && d.charset !== 'utf-8' && !d.charset.startsWith('utf-'));
  const lie = (d: { label: string }, actual: string): string => `the document declares charset "${d.label.slice(0, 30)}" but its bytes are ${actual}; read as ${actual}`;
  if (strict !== null) return { text: strict, charset: 'utf-8', source: 'utf-8', warnings: nonAscii && legacy.length > 0 ? [lie(legacy[0]!, 'utf-8')] : [] };

  const utf8 = utf8Evidence(bytes);
  const utf8Warnings = (): string[] => [...(legacy.length ? [lie(legacy[0]!, 'utf-8')] : []), replacedWarning(utf8.bad, 'utf-8')];
  if (utf8.good >= UTF8_STRONG_RATIO * utf8.bad) return { text: utf8.text, charset: 'utf-8', source: 'utf-8', warnings: utf8Warnings() };

  for (const d of declared) {
    if (!d.charset) continue;
    if (d.charset === 'utf-8') {
      if (utf8.bad <= FEW_BAD || utf8.good >= utf8.bad) {
        return { text: utf8.text, charset: 'utf-8', source: d.source, warnings: [replacedWarning(utf8.bad, 'utf-8')] };
      }
      continue;
    }
    if (d.charset.startsWith('utf-')) continue; // UTF-16/32 without the zero-byte layout: the label is wrong
    // A server's default single-byte label (Latin-1 from an untouched config) loses to the
    // document's own Chinese declaration when the bytes read cleanly as Chinese under it.
    if (SINGLE_BYTE.test(d.charset) && declared.some((o) => o !== d && readsAsChinese(bytes, o.charset))) continue;
    const ok = tryDeclared(bytes, d.charset);
    if (ok) return { text: ok.text, charset: d.charset, source: d.source, warnings: ok.bad ? [replacedWarning(ok.bad, d.charset)] : [] };
  }

  const guess = sniff(bytes);
  const usable = declared.filter((d) => d.charset !== null);
  const warnings = usable.length ? [lie(usable[0]!, guess.charset)] : [];
  const bad = replacements(guess.text, bytes, guess.charset);
  if (bad) warnings.push(replacedWarning(bad, guess.charset));
  return { text: guess.text, charset: guess.charset, source: 'guess', warnings };
}
