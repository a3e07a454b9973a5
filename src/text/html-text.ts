// Feed HTML to plain text. This runs on every item of every poll, on markup we do not
// control, so it is a single forward scan with no backtracking regex and no DOM: every
// position is looked at a bounded number of times, whatever the nesting or truncation.

// Names for U+00A0..U+00FF in code-point order (HTML 4 Latin-1 set).
const LATIN1 =
  'nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml';
const GREEK = 'Alpha Beta Gamma Delta Epsilon Zeta Eta Theta Iota Kappa Lambda Mu Nu Xi Omicron Pi Rho _ Sigma Tau Upsilon Phi Chi Psi Omega';
const OTHER: Record<string, number> = {
  amp: 38, lt: 60, gt: 62, quot: 34, apos: 39,
  ensp: 0x2002, emsp: 0x2003, thinsp: 0x2009, zwnj: 0x200c, zwj: 0x200d, lrm: 0x200e, rlm: 0x200f,
  ndash: 0x2013, mdash: 0x2014, horbar: 0x2015, lsquo: 0x2018, rsquo: 0x2019, sbquo: 0x201a,
  ldquo: 0x201c, rdquo: 0x201d, bdquo: 0x201e, dagger: 0x2020, Dagger: 0x2021, bull: 0x2022,
  hellip: 0x2026, permil: 0x2030, prime: 0x2032, Prime: 0x2033, lsaquo: 0x2039, rsaquo: 0x203a,
  oline: 0x203e, frasl: 0x2044, euro: 0x20ac, trade: 0x2122, larr: 0x2190, uarr: 0x2191,
  rarr: 0x2192, darr: 0x2193, harr: 0x2194, minus: 0x2212, lowast: 0x2217, radic: 0x221a,
  infin: 0x221e, asymp: 0x2248, ne: 0x2260, equiv: 0x2261, le: 0x2264, ge: 0x2265,
  loz: 0x25ca, spades: 0x2660, clubs: 0x2663, hearts: 0x2665, diams: 0x2666, circ: 0x2c6,
  tilde: 0x2dc, OElig: 0x152, oelig: 0x153, Scaron: 0x160, scaron: 0x161, Yuml: 0x178,
  fnof: 0x192, sigmaf: 0x3c2, middot: 0xb7, nbsp: 0xa0, emsp13: 0x2004, emsp14: 0x2005,
  numsp: 0x2007, puncsp: 0x2008, hairsp: 0x200a, ZeroWidthSpace: 0x200b, NewLine: 10, Tab: 9,
};

const NAMED = new Map<string, string>();
LATIN1.split(' ').forEach((n, i) => NAMED.set(n, String.fromCharCode(0xa0 + i)));
GREEK.split(' ').forEach((n, i) => {
  if (n === '_') return;
  NAMED.set(n, String.fromCharCode(0x391 + i));
  NAMED.set(n.toLowerCase(), String.fromCharCode(0x3b1 + i));
});
for (const [n, c] of Object.entries(OTHER)) NAMED.set(n, String.fromCharCode(c));

// Browsers read these without the semicolon; old CMS templates rely on it.
const LEGACY = new Set(['amp', 'lt', 'gt', 'quot', 'nbsp', 'copy', 'reg']);
// Numeric references to C1 controls mean Windows-1252, as in browsers (&#150; is a dash).
const CP1252 = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

function fromCodePoint(cp: number): string {
  if (cp >= 0x80 && cp <= 0x9f) return CP1252[cp - 0x80]!;
  if (cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return '\ufffd';
  return String.fromCodePoint(cp);
}

// Sticky: tried only where an "&" was found, which keeps the common no-entity case a plain
// indexOf scan and avoids a replace callback per reference.
const REFERENCE = /#(\d{1,8});?|#[xX]([0-9a-fA-F]{1,7});?|([A-Za-z][A-Za-z0-9]{1,31})(;?)/y;

/** Decodes HTML character references (named, decimal, hex); unknown names stay as written. */
export function decodeEntities(s: string): string {
  let amp = s.indexOf('&');
  if (amp < 0) return s;
  let out = '';
  let from = 0;
  while (amp >= 0) {
    REFERENCE.lastIndex = amp + 1;
    const m = REFERENCE.exec(s);
    let ch: string | undefined;
    if (m?.[1] !== undefined) ch = fromCodePoint(Number.parseInt(m[1], 10));
    else if (m?.[2] !== undefined) ch = fromCodePoint(Number.parseInt(m[2], 16));
    else if (m?.[3] !== undefined && (m[4] || LEGACY.has(m[3]))) ch = NAMED.get(m[3]);
    if (ch === undefined) {
      amp = s.indexOf('&', amp + 1);
      continue;
    }
    out += s.slice(from, amp) + ch;
    from = REFERENCE.lastIndex;
    amp = s.indexOf('&', from);
  }
  return out + s.slice(from);
}

const BLOCK = new Set(
  'br p div li ul ol dl dt dd h1 h2 h3 h4 h5 h6 tr table thead tbody tfoot blockquote pre hr section article header footer aside nav figure figcaption address main details summary form fieldset legend caption center'.split(
    ' ',
  ),
);
const CELL = new Set(['td', 'th']);
// Whole element content is not text for a reader.
const RAW_SKIP = new Set(['script', 'style', 'noscript', 'template', 'iframe', 'object', 'svg', 'math', 'select', 'textarea']);

const closers = new Map<string, RegExp>();
const closerOf = (name: string): RegExp => {
  let re = closers.get(name);
  if (!re) closers.set(name, (re = new RegExp(`</${name}`, 'gi')));
  return re;
};

const isNameStart = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isNameChar = (c: number): boolean => isNameStart(c) || (c >= 48 && c <= 57) || c === 45 || c === 58;

/** Strips tags and comments, keeping block boundaries as line breaks. Entities are left. */
function stripTags(html: string): string {
  const out: string[] = [];
  const n = html.length;
  let quotesTrusted = true; // after one unterminated quote, stop honouring quotes (keeps it linear)
  let i = 0;
  while (i < n) {
    const lt = html.indexOf('<', i);
    if (lt < 0) {
      out.push(html.slice(i));
      break;
    }
    if (lt > i) out.push(html.slice(i, lt));
    const c1 = html.charCodeAt(lt + 1);
    if (c1 === 33 /* ! */) {
      if (html.startsWith('<!--', lt)) {
        const end = html.indexOf('-->', lt + 4);
        if (end < 0) break;
        i = end + 3;
      } else if (html.startsWith('<![CDATA[', lt)) {
        i = lt + 9; // keep the section's content; its closing marker is dropped later
      } else {
        const end = html.indexOf('>', lt + 2);
        if (end < 0) break;
        i = end + 1;
      }
      continue;
    }
    if (c1 === 63 /* ? */) {
      const end = html.indexOf('>', lt + 2);
      if (end < 0) break;
      i = end + 1;
      continue;
    }
    const closing = c1 === 47; /* / */
    const nameStart = closing ? lt + 2 : lt + 1;
    if (!isNameStart(html.charCodeAt(nameStart))) {
      out.push('<'); // a bare "<" in text, such as "a < b"
      i = lt + 1;
      continue;
    }
    let j = nameStart + 1;
    while (j < n && isNameChar(html.charCodeAt(j))) j++;
    const name = html.slice(nameStart, j).toLowerCase();

    let end = -1;
    if (quotesTrusted) {
      let quote = 0;
      for (let k = j; k < n; k++) {
        const c = html.charCodeAt(k);
        if (quote) {
          if (c === quote) quote = 0;
        } else if (c === 34 || c === 39) {
          // Quotes only open an attribute value right after "=" (optionally spaced).
          let b = k - 1;
          while (b > j && (html.charCodeAt(b) === 32 || html.charCodeAt(b) === 9 || html.charCodeAt(b) === 10)) b--;
          if (html.charCodeAt(b) === 61) quote = c;
        } else if (c === 62) {
          end = k;
          break;
        }
      }
      if (end < 0) quotesTrusted = false;
    }
    if (end < 0) end = html.indexOf('>', j);
    if (end < 0) break; // an unterminated tag swallows the rest, as in browsers

    i = end + 1;
    if (!closing && RAW_SKIP.has(name) && html.charCodeAt(end - 1) !== 47) {
      const closer = closerOf(name);
      closer.lastIndex = i;
      const close = closer.exec(html)?.index ?? -1;
      if (close < 0) break;
      const closeEnd = html.indexOf('>', close);
      if (closeEnd < 0) break;
      i = closeEnd + 1;
      continue;
    }
    if (BLOCK.has(name)) out.push('\n');
    else if (CELL.has(name)) out.push(' ');
  }
  return out.join('');
}

// Horizontal white space (all of \s except line breaks), including NBSP and the ideographic space used as paragraph indent.
// Matching only runs that actually change keeps the common single " " out of the replace.
const SPACE_RUNS = /[ \t\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]{2,}|[\t\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]/g;
const INVISIBLE = /[\u200b\u2060\ufeff\u00ad]/g;
// Any run of spaces and line breaks that holds at least one break: one newline, which also
// trims every line and drops empty ones in a single pass.
const LINE_GAPS = / ?(?:(?:\r\n?|\n|\u2028|\u2029) ?)+/g;

/**
 * Plain text of an HTML fragment: tags, comments, scripts and styles removed, entities
 * decoded, one line per block, spaces collapsed inside lines, blank lines dropped.
 */
export function htmlToText(html: string): string {
  if (!html) return '';
  let text = stripTags(html);
  if (text.includes(']]>')) text = text.replaceAll(']]>', '');
  return decodeEntities(text).replace(INVISIBLE, '').replace(SPACE_RUNS, ' ').replace(LINE_GAPS, '\n').trim();
}
