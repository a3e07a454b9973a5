// Turning page HTML into a DOM that linkedom and Readability can both live with.
// linkedom is not an HTML5 tree builder: it takes the first element as the root, so junk
// before <html> (a corpus wrapper line, a stray tag) or a page without <html>/<body> gives
// a document whose body is detached, and Readability then crashes. Readability also
// recurses per DOM level, so a 10k-deep page overflows the stack. Both are fixed here.
import { parseHTML } from 'linkedom';

/** The small part of the DOM we use; linkedom's own types need the DOM lib. */
export interface DNode {
  readonly nodeType: number;
  readonly nodeName: string;
  readonly parentNode: DNode | null;
  readonly firstChild: DNode | null;
  readonly nextSibling: DNode | null;
  readonly textContent: string | null;
}
export interface DElement extends DNode {
  readonly tagName: string;
  readonly localName: string;
  readonly attributes: ArrayLike<{ readonly name: string; readonly value: string }>;
  getAttribute(name: string): string | null;
  getAttributeNode(name: string): { readonly value: string } | null;
  querySelector(selector: string): DElement | null;
  querySelectorAll(selector: string): ArrayLike<DElement>;
}
export interface DDocument {
  readonly documentElement: DElement;
  readonly head: DElement;
  readonly body: DElement;
  querySelector(selector: string): DElement | null;
  querySelectorAll(selector: string): ArrayLike<DElement>;
}

export const ELEMENT_NODE = 1;
export const TEXT_NODE = 3;

/** Elements that start and end a line of text. */
export const BLOCK_TAGS = new Set(
  'address article aside blockquote caption center dd details dialog dir div dl dt fieldset figcaption figure footer form frameset h1 h2 h3 h4 h5 h6 header hgroup hr legend li main marquee menu nav ol p pre section summary table tbody td tfoot th thead tr ul'.split(
    ' ',
  ),
);

export const isElement = (n: DNode): n is DElement => n.nodeType === ELEMENT_NODE;

/** Marked hidden by slimTags (hidden attribute, display:none, visibility:hidden). */
export const isHidden = (el: DElement): boolean => el.getAttribute('hidden') !== null;

/**
 * What getAttribute('class') returns (its tokens, deduplicated, one space apart; '' when
 * absent) without it: linkedom answers that by building a DOMTokenList on every element
 * asked, garbage the scorer made for each of a page's thousand-odd elements.
 */
export function classOf(el: DElement): string {
  const value = el.getAttributeNode('class')?.value;
  if (!value) return '';
  if (!/\s/.test(value)) return value;
  return [...new Set(value.split(/\s+/).filter((t) => t !== ''))].join(' ');
}

/** Input beyond this is ignored before anything else runs (a 10 MB page is mostly scripts). */
export const MAX_INPUT_CHARS = 8_000_000;
/**
 * Visible markup beyond this is cut. Real articles sit well inside it, and it bounds the
 * DOM at a size linkedom parses in well under a second.
 */
export const MAX_HTML_CHARS = 600_000;
/** Deeper elements are unwrapped (their content kept) before anything recursive runs. */
export const MAX_DEPTH = 256;

// Removed before parsing: never visible text, and they dominate the size of modern pages.
// JSON-LD is kept for its dates and authors. An unclosed comment, script or style runs to
// the end of the page in browsers too. Every repetition is bounded ({0,N}): with an
// unbounded [^>]* a page of 50,000 "<script" without ">" takes quadratic time.
const INVISIBLE =
  /<!--[\s\S]*?(?:-->|$)|<script\b(?![^>]{0,300}application\/ld\+json)[^>]{0,300}>[\s\S]*?(?:<\/script\s*>|$)|<(style|template|textarea)\b[^>]{0,300}>[\s\S]*?(?:<\/\1\s*>|$)/gi;
const STRUCTURE_TAGS = /<\/?(?:html|head|body|!doctype)\b[^<>]{0,1000}>/gi;
const HEAD_TAGS =
  /<(?:title\b[^<>]{0,1000}>[^<]{0,2000}<\/title\s*>|meta\b[^<>]{0,2000}>|link\b[^<>]{0,2000}>|base\b[^<>]{0,1000}>|script\b[^<>]{0,1000}>[\s\S]{0,200000}?<\/script\s*>)/gi;

/**
 * Rebuilds the page as `<html><head>…</head><body>…</body></html>` from whatever it was:
 * the head is whatever came before <body> (or </head>), and only its metadata tags are kept.
 */
export function normalizeHtml(input: string): string {
  let html = input.length > MAX_INPUT_CHARS ? input.slice(0, MAX_INPUT_CHARS) : input;
  // A '<' that cannot open a tag is text, as browsers read it (linkedom's tokenizer slows
  // to a crawl on long runs of them).
  html = html.replace(INVISIBLE, ' ').replace(/<(?![a-zA-Z/!?])/g, '&lt;');
  if (html.length > MAX_HTML_CHARS) html = html.slice(0, MAX_HTML_CHARS);
  const lower = html.toLowerCase();
  const bodyOpen = /<body\b[^<>]{0,1000}>/i.exec(html);
  let head: string;
  let body: string;
  if (bodyOpen) {
    head = html.slice(0, bodyOpen.index);
    const start = bodyOpen.index + bodyOpen[0].length;
    const close = lower.lastIndexOf('</body');
    body = html.slice(start, close > start ? close : html.length);
  } else {
    const headClose = lower.indexOf('</head');
    head = headClose >= 0 ? html.slice(0, headClose) : '';
    body = headClose >= 0 ? html.slice(html.indexOf('>', headClose) + 1 || html.length) : html;
  }
  // Only metadata survives in the head; a wrapper line or text before <html> goes.
  const headTags = head.match(HEAD_TAGS) ?? [];
  const bodyTitle = headTags.some((t) => /^<title/i.test(t)) ? [] : (body.match(/<title\b[^<>]{0,1000}>[^<]{0,2000}<\/title\s*>/i) ?? []);
  const slim = decodeSafeEntities(slimTags(body.replace(STRUCTURE_TAGS, ' ')))
    .replace(SPACE_BEFORE_BLOCK, '$1')
    .replace(SPACE_AFTER_BLOCK, '$1');
  return `<!DOCTYPE html><html><head>${[...headTags, ...bodyTitle].join('')}</head><body>${slim}</body></html>`;
}

// HTML whitespace next to a block boundary is never rendered, and each run would become a
// text node, which linkedom makes expensive (a WeakMap entry and a Map per node). Only ASCII
// whitespace: a U+3000 indent after <br> marks a paragraph and must stay.
const BLOCKISH = 'address|article|aside|blockquote|caption|center|dd|div|dl|dt|fieldset|figure|footer|form|h[1-6]|header|hr|li|main|nav|ol|p|section|table|tbody|td|tfoot|th|thead|tr|ul|br';
// The lookbehind starts a match only where a whitespace run starts: otherwise a long run
// that is not followed by a block tag is rescanned from each of its positions (quadratic).
const SPACE_BEFORE_BLOCK = new RegExp(`(?<![ \\t\\n\\r\\f])[ \\t\\n\\r\\f]+(<\\/?(?:${BLOCKISH})\\b)`, 'gi');
const SPACE_AFTER_BLOCK = new RegExp(`(<\\/?(?:${BLOCKISH})\\b[^<>]{0,2000}>)[ \\t\\n\\r\\f]+`, 'gi');

const ENTITY = /&(?:nbsp|#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6}));/g;

/**
 * Decodes &nbsp; and numeric references, except those for markup characters (< > & " ').
 * Old pages indent with runs of &nbsp;, and linkedom's tokenizer is slow on entities: a page
 * of them can take longer to parse than everything else together.
 */
export function decodeSafeEntities(html: string): string {
  return html.replace(ENTITY, (whole, dec: string | undefined, hex: string | undefined) => {
    if (dec === undefined && hex === undefined) return '\u00a0';
    const code = dec !== undefined ? Number(dec) : parseInt(hex!, 16);
    const markup = code === 0x3c || code === 0x3e || code === 0x26 || code === 0x22 || code === 0x27;
    if (markup || code < 0x20 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return whole;
    return String.fromCodePoint(code);
  });
}

// A start tag, with quoted attribute values that may contain '>'.
const START_TAG = /<([a-zA-Z][\w:-]{0,40})((?:[^<>"']|"[^"<]{0,2000}"|'[^'<]{0,2000}'){0,4000})>/g;
const ATTRIBUTE = /([\w:-]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?/g;
/** Every attribute slimTags keeps or reads has one of these in its name. */
const KEPT_NAMES = /id|class|hidden|style/i;
const HIDDEN_STYLE = /display\s*:\s*none|visibility\s*:\s*hidden/i;

/**
 * Drops every body attribute but id and class (what the scorers read) and marks hidden
 * elements. Attributes are most of what linkedom allocates, and the garbage they leave is
 * what makes a parse take 5 ms instead of 1.5.
 */
export function slimTags(body: string): string {
  return body.replace(START_TAG, (whole, tag: string, attrs: string) => {
    if (attrs.trim() === '' || /^meta$/i.test(tag)) return whole;
    // Most tags (links, images) carry none of the attributes kept: skip reading them one by one.
    if (!KEPT_NAMES.test(attrs)) return `<${tag}${/\/\s*$/.test(attrs) ? ' /' : ''}>`;
    let kept = '';
    for (const a of attrs.matchAll(ATTRIBUTE)) {
      const name = a[1]!.toLowerCase();
      const value = a[2] ?? '';
      if (name === 'id' || name === 'class') kept += ` ${name}=${value || '""'}`;
      else if (name === 'hidden' || (name === 'style' && HIDDEN_STYLE.test(value))) kept += ' hidden';
    }
    return `<${tag}${kept}${/\/\s*$/.test(attrs) ? ' /' : ''}>`;
  });
}

function escapeText(s: string): string {
  return s.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}
const escapeAttr = (s: string): string => escapeText(s).replace(/"/g, '&quot;');
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

/** Depth of the deepest element, walking without recursion. */
export function maxDepth(root: DNode): number {
  let max = 0;
  let depth = 0;
  let node: DNode | null = root;
  while (node) {
    if (node.firstChild) {
      node = node.firstChild;
      if (++depth > max) max = depth;
      continue;
    }
    while (node && node !== root && !node.nextSibling) {
      node = node.parentNode;
      depth--;
    }
    if (!node || node === root) break;
    node = node.nextSibling;
  }
  return max;
}

/** Serialises `root`'s content, leaving out the tags (not the text) of elements below `cap`. */
export function serializeFlattened(root: DElement, cap: number): string {
  const out: string[] = [];
  const stack: Array<{ node: DNode; depth: number; close: string }> = [];
  let node: DNode | null = root.firstChild;
  let depth = 1;
  while (node) {
    let descend = false;
    if (isElement(node)) {
      const tag = node.localName;
      const keepTag = depth <= cap;
      // An unwrapped block still ends a line, so paragraphs stay apart.
      const lineBreak = BLOCK_TAGS.has(tag) || tag === 'br' ? '<br>' : '';
      if (keepTag) {
        let open = `<${tag}`;
        for (const a of Array.from(node.attributes)) if (/^[\w:-]+$/.test(a.name)) open += ` ${a.name}="${escapeAttr(a.value)}"`;
        out.push(`${open}>`);
      } else out.push(lineBreak);
      if (!VOID.has(tag) && node.firstChild) {
        stack.push({ node, depth, close: keepTag ? `</${tag}>` : lineBreak });
        node = node.firstChild;
        depth++;
        descend = true;
      } else if (keepTag && !VOID.has(tag)) out.push(`</${tag}>`);
    } else if (node.nodeType === TEXT_NODE) out.push(escapeText(node.textContent ?? ''));
    if (descend) continue;
    while (node && !node.nextSibling) {
      const top = stack.pop();
      if (!top) return out.join('');
      out.push(top.close);
      node = top.node;
      depth = top.depth;
    }
    node = node ? node.nextSibling : null;
  }
  return out.join('');
}

/** Parses normalised HTML; a pathologically deep body is flattened and parsed again. */
export function parseDocument(html: string, parse: (html: string) => DDocument | null = () => null): DDocument {
  const read = (h: string): DDocument => parse(h) ?? (parseHTML(h).document as unknown as DDocument);
  const doc = read(html);
  if (maxDepth(doc.body) <= MAX_DEPTH) return doc;
  const head = serializeFlattened(doc.head, MAX_DEPTH);
  const body = serializeFlattened(doc.body, MAX_DEPTH);
  return read(`<!DOCTYPE html><html><head>${head}</head><body>${body}</body></html>`);
}
