import { createHash } from 'node:crypto';

// A fast look at a feed's item identities without parsing it. Most polls of a changed body
// (a new lastBuildDate, a reshuffle) bring no new items; when every guid is already stored,
// the full XML parse can be skipped. Anything unusual returns null and the caller parses.

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
// What parseFeed deletes from the document before parsing; deleted here too, so both read
// the same guid.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const STRIPPED = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufdd0\ufdd1\ufffe\uffff]/g;

/**
 * A character XML lets a reference produce. Others make the full parse fail (&#1;) or, for
 * the placeholders parseFeed uses internally, read differently: either way, give up.
 */
const xmlChar = (cp: number): boolean =>
  cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfdd0 && cp !== 0xfdd1) || (cp >= 0x10000 && cp <= 0x10ffff);

function decodeXmlText(raw: string): string | null {
  // Plain text (the usual guid): nothing to decode.
  if (!raw.includes('&') && !raw.includes('<')) return raw.trim();
  const cdata = /^\s*<!\[CDATA\[([\s\S]*?)\]\]>\s*$/.exec(raw);
  if (cdata) return cdata[1]!.trim();
  if (raw.includes('<')) return null;
  let ok = true;
  const out = raw.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);|&/gi, (all, ref: string | undefined) => {
    if (!ref) return (ok = false), all;
    if (ref[0] === '#') {
      const cp = ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1));
      return xmlChar(cp) ? String.fromCodePoint(cp) : ((ok = false), all);
    }
    return XML_ENTITIES[ref.toLowerCase()] ?? ((ok = false), all);
  });
  return ok ? out.trim() : null;
}

/**
 * A digest of the items' own XML, from the first item's start to the last item's end: the
 * channel's metadata (a new build date) does not change it, any change inside an item does.
 * Null when the document has no items the quick scan recognises.
 */
export function itemsDigest(xml: string): string | null {
  const rss = xml.search(/<item[\s>]/);
  const close = rss >= 0 ? '</item>' : '</entry>';
  const from = rss >= 0 ? rss : xml.search(/<entry[\s>]/);
  const to = xml.lastIndexOf(close);
  if (from < 0 || to < from) return null;
  return createHash('sha1').update(xml.slice(from, to + close.length)).digest('base64');
}

/**
 * The guid (RSS) or id (Atom) of every item, in order; null unless every item has exactly
 * one, no two items share it, the item tags balance, and each value decodes simply.
 */
export function quickGuids(xml: string): string[] | null {
  // Counted and searched by regular expressions, not indexOf: over a two-byte (Han) document
  // a regular expression scans several times faster, and a count builds no list of matches.
  const rss = count(xml, /<item[\s>]/g);
  const atom = count(xml, /<entry[\s>]/g);
  if ((rss === 0) === (atom === 0)) return null;
  const [open, close, idTag] = rss > 0 ? ['<item', '</item>', 'guid'] : ['<entry', '</entry>', 'id'];
  if (count(xml, new RegExp(close.replace('/', '\\/'), 'g')) !== Math.max(rss, atom)) return null;
  const out: string[] = [];
  // One pass over the document: each item's id is looked for from the item's start, and a
  // second id tag before the item's end gives up.
  const idRe = new RegExp(`<${idTag}(?:\\s[^>]*)?>([\\s\\S]*?)</${idTag}>`, 'g');
  const idTagRe = new RegExp(`<${idTag}[\\s>]`, 'g');
  let from = xml.indexOf(open);
  while (from >= 0) {
    const end = xml.indexOf(close, from);
    if (end < 0) return null;
    idRe.lastIndex = from;
    const id = idRe.exec(xml);
    if (!id || idRe.lastIndex > end) return null;
    idTagRe.lastIndex = idRe.lastIndex;
    const again = idTagRe.exec(xml);
    if (again && again.index < end) return null;
    const value = decodeXmlText(id[1]!.replace(STRIPPED, ''));
    if (!value) return null;
    out.push(value);
    from = xml.indexOf(open, end);
  }
  // A repeated guid may stand for different items, told apart only by link or title: parse.
  if (new Set(out).size !== out.length) return null;
  return out.length === Math.max(rss, atom) ? out : null;
}

/** How many times `re` (global) matches, counted without building a list of the matches. */
function count(xml: string, re: RegExp): number {
  let n = 0;
  re.lastIndex = 0;
  while (re.test(xml)) n++;
  return n;
}
