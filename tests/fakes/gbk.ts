// Test-only GBK and Big5 encoders. Node ships decoders for both but no encoders, so the
// reverse maps are built once by decoding every two-byte sequence with TextDecoder.

type Table = Map<string, number>;

function buildTable(label: string, leads: number[], trails: number[]): Table {
  const decoder = new TextDecoder(label, { fatal: true });
  const table: Table = new Map();
  const pair = new Uint8Array(2);
  for (const lead of leads) {
    for (const trail of trails) {
      pair[0] = lead;
      pair[1] = trail;
      let ch: string;
      try {
        ch = decoder.decode(pair);
      } catch {
        continue; // unassigned sequence
      }
      // One code point only (Big5-HKSCS has a few pairs that decode to two), first wins.
      if ([...ch].length === 1 && ch.codePointAt(0)! >= 0x80 && !table.has(ch)) table.set(ch, (lead << 8) | trail);
    }
  }
  return table;
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

let gbk: Table | null = null;
let big5: Table | null = null;

function encodeWith(table: Table, text: string, name: string): Buffer {
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) {
      out.push(c);
      continue;
    }
    const code = table.get(ch);
    if (code === undefined) throw new Error(`${name} cannot encode U+${c.toString(16).toUpperCase()}`);
    out.push(code >> 8, code & 0xff);
  }
  return Buffer.from(out);
}

/** GBK bytes (the two-byte part of GB18030) of `text`; throws on characters outside GBK. */
export function encodeGb18030(text: string): Buffer {
  gbk ??= buildTable('gbk', range(0x81, 0xfe), range(0x40, 0xfe).filter((b) => b !== 0x7f));
  return encodeWith(gbk, text, 'GBK');
}

/** Big5 bytes of `text`; standard Big5 (lead 0xA1+) is preferred over HKSCS for duplicates. */
export function encodeBig5(text: string): Buffer {
  big5 ??= buildTable('big5', [...range(0xa1, 0xfe), ...range(0x81, 0xa0)], [...range(0x40, 0x7e), ...range(0xa1, 0xfe)]);
  return encodeWith(big5, text, 'Big5');
}
