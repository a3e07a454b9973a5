// The decoders and measurements charset.ts decides with. Node's TextDecoder covers most
// WHATWG encodings, with two gaps that real feeds hit: windows-1252 maps 0x80–0x9F to C1
// controls (Latin-1) on Node 20 instead of the punctuation the standard assigns, and UTF-32
// is not supported at all.
import { createRequire } from 'node:module';

/** WHATWG index-windows-1252 for 0x80–0x9F; the five unassigned bytes stay C1 controls. */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
].map((cp) => String.fromCharCode(cp));

/**
 * C1 controls in decoded text stand for windows-1252 punctuation that was once read as
 * Latin-1 (or written as &#146;): no feed means a C1 control. Mapped the way HTML maps
 * numeric references in that range.
 */
export function fixC1(text: string): string {
  return /[\x80-\x9f]/.test(text) ? text.replace(/[\x80-\x9f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]!) : text;
}

function decodeWindows1252(bytes: Uint8Array): string {
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return latin1.replace(/[\x80-\x9f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]!);
}

function decodeUtf32(bytes: Uint8Array, littleEndian: boolean): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts: string[] = [];
  let chunk: number[] = [];
  for (let i = 0; i + 4 <= bytes.length; i += 4) {
    const cp = view.getUint32(i, littleEndian);
    chunk.push(cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff) ? cp : 0xfffd);
    if (chunk.length >= 8192) {
      parts.push(String.fromCodePoint(...chunk));
      chunk = [];
    }
  }
  if (bytes.length % 4 !== 0) chunk.push(0xfffd); // a truncated last unit
  parts.push(String.fromCodePoint(...chunk));
  return parts.join('');
}

/** Decodes with replacement characters for bad sequences; null for a charset we cannot read. */
export function decodeAs(bytes: Uint8Array, charset: string): string | null {
  if (charset === 'windows-1252') return decodeWindows1252(bytes);
  if (charset === 'utf-32le' || charset === 'utf-32be') return decodeUtf32(bytes, charset === 'utf-32le');
  try {
    return new TextDecoder(charset, { ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** Byte order marks, longest first (the UTF-32LE mark begins with the UTF-16LE one). */
const BOMS: Array<[number[], string]> = [
  [[0xef, 0xbb, 0xbf], 'utf-8'],
  [[0xff, 0xfe, 0x00, 0x00], 'utf-32le'],
  [[0x00, 0x00, 0xfe, 0xff], 'utf-32be'],
  [[0xff, 0xfe], 'utf-16le'],
  [[0xfe, 0xff], 'utf-16be'],
];

export function bomOf(bytes: Uint8Array): { charset: string; length: number } | null {
  for (const [mark, charset] of BOMS) {
    if (mark.every((b, i) => bytes[i] === b)) return { charset, length: mark.length };
  }
  return null;
}

/**
 * UTF-16 and UTF-32 without a BOM, recognised by how "<" is laid out in the first four bytes
 * (XML 1.0 appendix F). A document in one of these is full of zero bytes and can pass for
 * valid UTF-8, so this comes before any UTF-8 attempt.
 */
export function wideWithoutBom(bytes: Uint8Array): string | null {
  const [a, b, c, d] = bytes;
  if (a === 0 && b === 0 && c === 0 && d === 0x3c) return 'utf-32be';
  if (a === 0x3c && b === 0 && c === 0 && d === 0) return 'utf-32le';
  if (a === 0 && b === 0x3c && c === 0 && d !== 0) return 'utf-16be';
  if (a === 0x3c && b === 0 && c !== 0 && d === 0) return 'utf-16le';
  return null;
}

const LITERAL_FFFD: Record<string, Buffer> = {
  'utf-8': Buffer.from([0xef, 0xbf, 0xbd]),
  'utf-16le': Buffer.from([0xfd, 0xff]),
  'utf-16be': Buffer.from([0xff, 0xfd]),
};

/** Replacement characters in `text` that were not already in the bytes as U+FFFD itself. */
export function replacements(text: string, bytes: Uint8Array, charset: string): number {
  let n = 0;
  for (let i = text.indexOf('\ufffd'); i >= 0; i = text.indexOf('\ufffd', i + 1)) n++;
  const literal = LITERAL_FFFD[charset];
  if (n === 0 || !literal) return n;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = buf.indexOf(literal); i >= 0 && n > 0; i = buf.indexOf(literal, i + literal.length)) n--;
  return n;
}

export interface Utf8Evidence {
  readonly text: string;
  /** Invalid sequences, each replaced by U+FFFD. */
  readonly bad: number;
  /** Valid multi-byte sequences: characters outside ASCII that decoded. */
  readonly good: number;
}

/** Decodes as UTF-8 with replacement and counts what supports or contradicts it. */
export function utf8Evidence(bytes: Uint8Array): Utf8Evidence {
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  let nonAscii = 0;
  let fffd = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80 || (c >= 0xdc00 && c <= 0xdfff)) continue; // low surrogates: counted with their pair
    if (c === 0xfffd) fffd++;
    else nonAscii++;
  }
  // U+FFFD already in the bytes (EF BF BD) is a character, not a bad sequence.
  let literal = 0;
  if (fffd > 0) {
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = buf.indexOf(LITERAL_FFFD['utf-8']!); i >= 0; i = buf.indexOf(LITERAL_FFFD['utf-8']!, i + 3)) literal++;
  }
  return { text, bad: fffd - literal, good: nonAscii + literal };
}

// Python-style names from the detector that are not WHATWG labels.
const DETECTOR_NAMES: Record<string, string> = {
  ascii: 'windows-1252',
  cp932: 'shift_jis',
  'shift-jis-2004': 'shift_jis',
  'euc-jis-2004': 'euc-jp',
  cp949: 'euc-kr',
  'big5hkscs': 'big5',
  cp874: 'windows-874',
  'tis-620': 'windows-874',
  'mac-roman': 'macintosh',
  'mac-cyrillic': 'x-mac-cyrillic',
};

export interface Detection {
  readonly label: string;
  readonly confidence: number;
  readonly language: string | null;
}

type Detector = { chardet: { detect(b: Uint8Array, o: { compatNames: boolean; maxBytes: number; encodingEra: number }): { encoding: string | null; confidence: number; language: string | null } } };
let detector: Detector | null = null;

/**
 * Statistical detection for documents that declare nothing usable. The detector (a port of
 * the Mozilla/chardet universal detector) is loaded on first use: most documents never get
 * here, and its models cost ~50 ms to load.
 */
export function detectCharset(bytes: Uint8Array): Detection | null {
  detector ??= createRequire(import.meta.url)('jschardet') as Detector;
  // Encodings of the modern web only (EncodingEra.MODERN_WEB): ten times faster than all eras,
  // and the old mainframe and DOS code pages are not what a feed is written in.
  const r = detector.chardet.detect(bytes, { compatNames: false, maxBytes: 65536, encodingEra: 1 });
  if (!r.encoding) return null;
  const name = r.encoding.toLowerCase().replace(/_/g, '-');
  const label = DETECTOR_NAMES[name] ?? name.replace(/^iso8859-/, 'iso-8859-').replace(/^cp(125\d)$/, 'windows-$1');
  return { label, confidence: r.confidence, language: r.language };
}
