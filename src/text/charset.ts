// Turning bytes into text. Declarations lie (UTF-8 pages that claim gb2312, GBK feeds with
// no prolog), so a strict UTF-8 attempt comes before any declaration, and a declared
// charset is only believed when the bytes decode cleanly under it.

export interface Decoded {
  readonly text: string;
  readonly charset: string; // WHATWG name actually used
  readonly source: 'bom' | 'utf-8' | 'header' | 'declaration' | 'guess';
}

const GB_LABELS = new Set(['gb2312', 'gbk', 'x-gbk', 'gb_2312-80', 'gb_2312', 'csgb2312', 'cp936', 'gb18030', 'chinese', 'euc-cn', 'iso-ir-58']);
const BIG5_LABELS = new Set(['big5', 'big5-hkscs', 'cn-big5', 'csbig5', 'x-x-big5']);

/** Maps a declared label to the decoder we trust for it, or null if unknown. */
export function canonicalCharset(label: string): string | null {
  const l = label.trim().toLowerCase().replace(/^["']|["']$/g, '');
  if (GB_LABELS.has(l)) return 'gb18030'; // GB2312 and GBK are subsets: read them all as GB18030
  if (BIG5_LABELS.has(l)) return 'big5';
  if (l === 'utf8') return 'utf-8';
  try {
    return new TextDecoder(l).encoding;
  } catch {
    return null;
  }
}

function tryDecode(bytes: Uint8Array, charset: string, fatal: boolean): string | null {
  try {
    return new TextDecoder(charset, { fatal, ignoreBOM: false }).decode(bytes);
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
  const head = Buffer.from(bytes.subarray(0, 16384)).toString('latin1');
  const prolog = /^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([\w.:-]+)["']/i.exec(head);
  if (prolog) return prolog[1]!;
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

/**
 * Decodes a document: BOM, then strict UTF-8, then the HTTP header, then the in-document
 * declaration, then GB18030. When a declaration and GB18030 both decode cleanly, the one
 * that reads as ordinary Chinese wins, so a lying declaration cannot produce mojibake.
 */
export function decodeBytes(bytes: Uint8Array, contentType?: string | null): Decoded {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: new TextDecoder('utf-8').decode(bytes), charset: 'utf-8', source: 'bom' };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes), charset: 'utf-16le', source: 'bom' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes), charset: 'utf-16be', source: 'bom' };

  const utf8 = tryDecode(bytes, 'utf-8', true);
  if (utf8 !== null) return { text: utf8, charset: 'utf-8', source: 'utf-8' };

  const candidates: Array<{ charset: string; source: Decoded['source'] }> = [];
  const fromHeader = charsetFromContentType(contentType);
  const fromDoc = declaredCharset(bytes);
  for (const [label, source] of [[fromHeader, 'header'], [fromDoc, 'declaration']] as const) {
    const cs = label ? canonicalCharset(label) : null;
    if (cs && cs !== 'utf-8' && !candidates.some((c) => c.charset === cs)) candidates.push({ charset: cs, source });
  }
  if (!candidates.some((c) => c.charset === 'gb18030')) candidates.push({ charset: 'gb18030', source: 'guess' });
  if (!candidates.some((c) => c.charset === 'big5')) candidates.push({ charset: 'big5', source: 'guess' });

  let best: (Decoded & { score: number }) | null = null;
  for (const [i, c] of candidates.entries()) {
    const strict = tryDecode(bytes, c.charset, true);
    // Real pages contain a few cut double-byte characters: allow them, but prefer clean text.
    const text = strict ?? tryDecode(bytes, c.charset, false);
    if (text === null) continue;
    const score = commonShare(text) - (strict === null ? 0.05 : 0) - i * 0.01;
    if (!best || score > best.score) best = { text, charset: c.charset, source: c.source, score };
  }
  if (best) return { text: best.text, charset: best.charset, source: best.source };
  return { text: new TextDecoder('utf-8').decode(bytes), charset: 'utf-8', source: 'guess' };
}
