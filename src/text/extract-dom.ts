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

export const isElement = (n: DNode): n is DElement => n.nodeType === ELEMENT_NODE;

/** Above this the page is cut: real articles sit well inside the first few megabytes. */
export const MAX_HTML_CHARS = 3_000_000;
/** Deeper elements are unwrapped (their content kept) before anything recursive runs. */
export const MAX_DEPTH = 256;

// Removed before parsing: never visible text, and they dominate the size of modern pages.
// JSON-LD is kept for its dates and authors.
// An unclosed comment, script or style runs to the end of the page in browsers too.
const INVISIBLE =
  /<!--[\s\S]*?(?:-->|$)|<script\b(?![^>]*application\/ld\+json)[^>]*>[\s\S]*?(?:<\/script\s*>|$)|<(style|template|textarea)\b[^>]*>[\s\S]*?(?:<\/\1\s*>|$)|<(svg|math|object|select)\b[^>]*>[\s\S]*?<\/\2\s*>/gi;
const STRUCTURE_TAGS = /<\/?(?:html|head|body|!doctype)\b[^>]*>/gi;

/**
 * Rebuilds the page as `<html><head>…</head><body>…</body></html>` from whatever it was:
 * head content is whatever came before <body> (or before the first visible tag).
 */
export function normalizeHtml(input: string): string {
  let html = input.length > MAX_HTML_CHARS ? input.slice(0, MAX_HTML_CHARS) : input;
  html = html.replace(INVISIBLE, ' ');
  const bodyOpen = /<body\b[^>]*>/i.exec(html);
  let head: string;
  let body: string;
  if (bodyOpen) {
    head = html.slice(0, bodyOpen.index);
    const rest = html.slice(bodyOpen.index + bodyOpen[0].length);
    const close = rest.search(/<\/body\s*>(?![\s\S]*<\/body\s*>)/i);
    body = close >= 0 ? rest.slice(0, close) : rest;
  } else {
    const headClose = /<\/head\s*>/i.exec(html);
    head = headClose ? html.slice(0, headClose.index) : '';
    body = headClose ? html.slice(headClose.index + headClose[0].length) : html;
  }
  // Only metadata survives in the head; a wrapper line or text before <html> goes.
  const headTags = head.match(/<(?:title\b[^>]*>[\s\S]*?<\/title\s*>|meta\b[^>]*>|link\b[^>]*>|base\b[^>]*>|script\b[^>]*>[\s\S]*?<\/script\s*>)/gi) ?? [];
  const bodyTitle = headTags.some((t) => /^<title/i.test(t)) ? [] : (body.match(/<title\b[^>]*>[\s\S]*?<\/title\s*>/i) ?? []);
  return `<!DOCTYPE html><html><head>${[...headTags, ...bodyTitle].join('')}</head><body>${body.replace(STRUCTURE_TAGS, ' ')}</body></html>`;
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
      if (keepTag) {
        let open = `<${tag}`;
        for (const a of Array.from(node.attributes)) if (/^[\w:-]+$/.test(a.name)) open += ` ${a.name}="${escapeAttr(a.value)}"`;
        out.push(`${open}>`);
      }
      if (!VOID.has(tag) && node.firstChild) {
        stack.push({ node, depth, close: keepTag ? `</${tag}>` : '' });
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
export function parseDocument(html: string): DDocument {
  const doc = parseHTML(html).document as unknown as DDocument;
  if (maxDepth(doc.body) <= MAX_DEPTH) return doc;
  const head = serializeFlattened(doc.head, MAX_DEPTH);
  const body = serializeFlattened(doc.body, MAX_DEPTH);
  return parseHTML(`<!DOCTYPE html><html><head>${head}</head><body>${body}</body></html>`).document as unknown as DDocument;
}
