// DOM subtree → text lines, the way a reader sees them: block elements and <br> end a
// line, inline text runs together. Old Chinese pages hard-wrap prose with <br> every
// 35–40 characters (a fixed byte width), so such wrapped lines are joined back into
// paragraphs; a paragraph there starts with an indent (&nbsp;&nbsp; or two U+3000) or a blank line.
import { BLOCK_TAGS, type DElement, type DNode, isElement, isHidden, TEXT_NODE } from './extract-dom.js';

export { BLOCK_TAGS };

export interface Line {
  readonly text: string;
  /** Characters inside links (whitespace not counted). */
  readonly linkChars: number;
}

interface RawLine {
  text: string;
  linkChars: number;
  byBr: boolean; // ended by <br> rather than by a block boundary
}

export const SKIP_TAGS = new Set(
  'script style noscript template head title select textarea iframe svg math object button input option'.split(' '),
);

const SPACE_RUN = /[ \t\n\r\f]+/g;
/** UTF-16 units that are not whitespace; a plain loop, as this runs on every text node. */
export function visibleLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x20 && c !== 0xa0 && c !== 0x3000 && c !== 0x200b && c !== 0xfeff && !(c >= 0x2000 && c <= 0x200a)) n++;
  }
  return n;
}

/** Walks `root` without recursion and returns its lines, before wrap-joining. */
function rawLines(root: DElement, skip?: (el: DElement) => boolean): RawLine[] {
  const lines: RawLine[] = [];
  let cur = '';
  let curLinks = 0;
  const flush = (byBr: boolean): void => {
    if (cur.trim() !== '' || byBr) lines.push({ text: cur, linkChars: curLinks, byBr });
    cur = '';
    curLinks = 0;
  };
  let linkDepth = 0;
  let preDepth = 0;
  let node: DNode | null = root.firstChild;
  const leave = (n: DNode): void => {
    if (!isElement(n)) return;
    const tag = n.localName;
    if (tag === 'a') linkDepth--;
    if (tag === 'pre') preDepth--;
    if (BLOCK_TAGS.has(tag)) flush(false);
  };
  while (node && node !== root) {
    let enter = false;
    if (isElement(node)) {
      const tag = node.localName;
      if (tag === 'br') flush(true);
      else if (!SKIP_TAGS.has(tag) && !isHidden(node) && !(skip && skip(node))) {
        if (BLOCK_TAGS.has(tag)) flush(false);
        if (tag === 'a') linkDepth++;
        if (tag === 'pre') preDepth++;
        enter = true;
      }
    } else if (node.nodeType === TEXT_NODE) {
      const data = node.textContent ?? '';
      if (preDepth > 0 && data.includes('\n')) {
        const parts = data.split('\n');
        parts.forEach((p, i) => {
          if (i > 0) flush(true);
          cur += p;
        });
      } else cur += data.replace(SPACE_RUN, ' ');
      if (linkDepth > 0) curLinks += visibleLength(data);
    }
    if (enter && node.firstChild) {
      node = node.firstChild;
      continue;
    }
    if (enter) leave(node);
    while (node && node !== root && !node.nextSibling) {
      node = node.parentNode;
      if (node && node !== root) leave(node);
    }
    if (!node || node === root) break;
    node = node.nextSibling;
  }
  flush(false);
  return lines;
}

const INDENT = /^[ \u00a0\u3000]{2,}|^\u3000/;
// The lookbehind lets the trailing match start only where a blank run starts: without it a
// long blank run inside a line is rescanned from each of its positions (quadratic).
const TRIM = /^[\s\u00a0\u3000\u200b\ufeff]+|(?<![\s\u00a0\u3000\u200b\ufeff])[\s\u00a0\u3000\u200b\ufeff]+$/g;
const WRAP_MIN_WIDTH = 16;

/**
 * Joins hard-wrapped lines. Within a run of <br>-separated lines, a line as long as the
 * run's usual width was cut by the wrap, so it continues on the next line unless that
 * line is indented (a new paragraph).
 */
function joinWrapped(raw: RawLine[]): Line[] {
  const out: Line[] = [];
  let i = 0;
  while (i < raw.length) {
    let j = i;
    while (j < raw.length - 1 && raw[j]!.byBr && raw[j]!.text.trim() !== '') j++;
    const run = raw.slice(i, j + 1);
    const lengths = run.map((l) => l.text.replace(TRIM, '').length).filter((n) => n > 0);
    const sorted = [...lengths].sort((a, b) => a - b);
    const width = sorted[Math.floor(sorted.length * 0.8)] ?? 0;
    const wrapped = run.length >= 4 && width >= WRAP_MIN_WIDTH && sorted.filter((n) => n >= width * 0.8).length >= run.length * 0.4;
    let text = '';
    let links = 0;
    for (let k = 0; k < run.length; k++) {
      const line = run[k]!;
      const t = line.text.replace(TRIM, '');
      const startsPara = text === '' || INDENT.test(line.text);
      if (!startsPara && wrapped) {
        text += /[A-Za-z0-9]$/.test(text) && /^[A-Za-z0-9]/.test(t) ? ` ${t}` : t;
      } else {
        if (text) out.push({ text, linkChars: links });
        text = t;
        links = 0;
      }
      links += line.linkChars;
      const full = t.length >= width * 0.8;
      if (!wrapped || !full) {
        if (text) out.push({ text, linkChars: links });
        text = '';
        links = 0;
      }
    }
    if (text) out.push({ text, linkChars: links });
    i = j + 1;
  }
  return out;
}

/** The visible lines of `root` (minus `skip` subtrees), trimmed, hard wraps joined, empty lines dropped. */
export function linesOf(root: DElement, skip?: (el: DElement) => boolean): Line[] {
  // Padding runs inside a line (bylines are laid out with &nbsp;) become one space.
  return joinWrapped(rawLines(root, skip)).map((l) => ({ text: l.text.replace(/[ \u00a0]{2,}/g, ' '), linkChars: l.linkChars }));
}
