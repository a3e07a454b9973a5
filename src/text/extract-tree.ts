// A plain-object DOM for the extraction passes. linkedom builds the same tree but pays, per
// node, a WeakMap entry and a Map (its event target), attribute nodes and a DOMTokenList
// for every class, and answers firstChild/nextSibling by walking a linked list: on a 60 KB
// portal page that was a third of the extraction time, most of it garbage collection.
// The tree here is fed by the same htmlparser2 callbacks, with the same options, that
// linkedom's parser follows, so it has the same shape node for node; Readability, which
// needs a full DOM, gets linkedom's parse of the same markup (see linkedomOf).
import { Parser } from 'htmlparser2';
import { parseHTML } from 'linkedom';
import { type DDocument, type DElement, type DNode, ELEMENT_NODE, TEXT_NODE } from './extract-dom.js';

const COMMENT_NODE = 8;
const CDATA_NODE = 4;

interface Attr {
  readonly name: string;
  readonly value: string;
}

class TNode implements DNode {
  parentNode: TElement | TDoc | null = null;
  firstChild: TNode | null = null;
  lastChild: TNode | null = null;
  nextSibling: TNode | null = null;
  constructor(
    readonly nodeType: number,
    readonly nodeName: string,
    private readonly data: string,
  ) {}
  get textContent(): string | null {
    return this.data;
  }
}

/** Visits every node below `root` in document order, without recursion (pages nest deeply). */
function eachBelow(root: TNode, visit: (node: TNode) => void): void {
  let node: TNode | null = root.firstChild;
  while (node) {
    visit(node);
    if (node.firstChild) {
      node = node.firstChild;
      continue;
    }
    while (node && node !== root && !node.nextSibling) node = node.parentNode as TNode | null;
    if (!node || node === root) break;
    node = node.nextSibling;
  }
}

/** Text and CDATA below `root`, in document order (comments are not text). */
function textBelow(root: TNode): string {
  const out: string[] = [];
  eachBelow(root, (node) => {
    if (node.nodeType === TEXT_NODE || node.nodeType === CDATA_NODE) out.push(node.textContent ?? '');
  });
  return out.join('');
}

/** Elements below `root` whose name is in `names`, in document order. */
function elementsBelow(root: TNode, names: ReadonlySet<string>): TElement[] {
  const out: TElement[] = [];
  eachBelow(root, (node) => {
    if (node instanceof TElement && names.has(node.localName)) out.push(node);
  });
  return out;
}

/** Only plain comma-separated tag names are needed (and supported). */
function namesOf(selector: string): Set<string> {
  const names = selector.split(',').map((s) => s.trim().toLowerCase());
  if (names.some((n) => !/^[a-z][a-z0-9-]*$/.test(n))) throw new Error(`unsupported selector: ${selector}`);
  return new Set(names);
}

class TElement extends TNode implements DElement {
  readonly tagName: string;
  readonly attributes: Attr[] = [];
  constructor(readonly localName: string) {
    const upper = localName.toUpperCase();
    super(ELEMENT_NODE, upper, '');
    this.tagName = upper;
  }
  override get textContent(): string {
    return textBelow(this);
  }
  getAttributeNode(name: string): Attr | null {
    // Exact, case-sensitive names, as linkedom matches them.
    for (const a of this.attributes) if (a.name === name) return a;
    return null;
  }
  getAttribute(name: string): string | null {
    const a = this.getAttributeNode(name);
    return a ? a.value : name === 'class' ? '' : null;
  }
  querySelector(selector: string): DElement | null {
    return elementsBelow(this, namesOf(selector))[0] ?? null;
  }
  querySelectorAll(selector: string): DElement[] {
    return elementsBelow(this, namesOf(selector));
  }
}

class TDoc extends TNode implements DDocument {
  documentElement!: TElement;
  head!: TElement;
  body!: TElement;
  constructor(readonly source: string) {
    super(9, '#document', '');
  }
  querySelector(selector: string): DElement | null {
    return elementsBelow(this, namesOf(selector))[0] ?? null;
  }
  querySelectorAll(selector: string): DElement[] {
    return elementsBelow(this, namesOf(selector));
  }
}

function append(parent: TElement | TDoc, node: TNode): void {
  node.parentNode = parent;
  if (parent.lastChild) parent.lastChild.nextSibling = node;
  else parent.firstChild = node;
  parent.lastChild = node;
}

/** linkedom rewrites a class attribute as its token list: deduplicated, one space apart. */
const tokens = (value: string): string => [...new Set(value.split(/\s+/).filter((t) => t !== ''))].join(' ');

const firstElement = (n: TNode | null): TElement | null => {
  while (n && !(n instanceof TElement)) n = n.nextSibling;
  return n;
};

/**
 * The tree of `html`, or null when it lacks the html > head + body frame that
 * normalizeHtml writes (linkedom would then invent the missing parts: let it).
 */
export function parseTree(html: string): DDocument | null {
  const doc = new TDoc(html);
  let node: TElement | TDoc = doc;
  let cdata = false;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        const el = new TElement(name);
        append(node, el);
        node = el;
        for (const key of Object.keys(attributes)) el.attributes.push({ name: key, value: key === 'class' ? tokens(attributes[key]!) : attributes[key]! });
      },
      oncomment(data) {
        append(node, new TNode(COMMENT_NODE, '#comment', data));
      },
      ontext(text) {
        append(node, cdata ? new TNode(CDATA_NODE, '#cdata-section', text) : new TNode(TEXT_NODE, '#text', text));
      },
      oncdatastart() {
        cdata = true;
      },
      oncdataend() {
        cdata = false;
      },
      onclosetag() {
        node = node.parentNode ?? doc;
      },
    },
    { lowerCaseAttributeNames: false, decodeEntities: true, xmlMode: false },
  );
  parser.write(html);
  parser.end();
  const root = firstElement(doc.firstChild);
  const head = root ? firstElement(root.firstChild) : null;
  const body = head ? firstElement(head.nextSibling) : null;
  if (!root || head?.localName !== 'head' || body?.localName !== 'body') return null;
  doc.documentElement = root;
  doc.head = head;
  doc.body = body;
  return doc;
}

/** A full DOM of the same page, for Readability (which rewrites what it is given). */
export function linkedomOf(doc: DDocument): DDocument {
  return doc instanceof TDoc ? (parseHTML(doc.source).document as unknown as DDocument) : doc;
}
