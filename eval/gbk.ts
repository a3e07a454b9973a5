// A GBK encoder for test fixtures, made by inverting the platform's GBK decoder over every
// two-byte sequence, so no encoding package is needed. Not for production use: characters
// outside GBK become '?'.
//
//   npx tsx eval/gbk.ts <utf8-input> <gbk-output>   writes the GBK bytes of a UTF-8 file

import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

let table: Map<string, number> | null = null;

function buildTable(): Map<string, number> {
  const decoder = new TextDecoder('gbk');
  const map = new Map<string, number>();
  const pair = new Uint8Array(2);
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      pair[0] = lead;
      pair[1] = trail;
      const ch = decoder.decode(pair);
      // One character that is not the replacement mark: a real mapping. The first byte
      // pair seen for a character is GBK's canonical one.
      if ([...ch].length === 1 && ch !== '\ufffd' && !map.has(ch)) map.set(ch, (lead << 8) | trail);
    }
  }
  return map;
}

/** The GBK bytes of `text`; ASCII passes through, unmapped characters become '?'. */
export function encodeGbk(text: string): Uint8Array {
  table ??= buildTable();
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) {
      out.push(c);
      continue;
    }
    const code = table.get(ch);
    if (code === undefined) out.push(0x3f);
    else out.push(code >> 8, code & 0xff);
  }
  return Uint8Array.from(out);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [input, output] = process.argv.slice(2);
  if (!input || !output) {
    console.error('usage: tsx eval/gbk.ts <utf8-input> <gbk-output>');
    process.exit(2);
  }
  writeFileSync(output, encodeGbk(readFileSync(input, 'utf8')));
}
