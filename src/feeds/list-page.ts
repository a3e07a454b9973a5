// Recognising a list page (a column such as 要闻 or 本地新闻 on a site without a feed) and
// reading its items. A list page is built as one repeated block: the same element, again and
// again under one parent, each holding a link with a headline to an article's address and often
// a date. Navigation repeats too, but its links are short words to sections; a home page repeats
// many small lists, none of which holds most of the page's article links; an article page has
// a long run of prose outside any list. Pure: HTML and the page's address in, a verdict out.
import { parseDocument } from '../text/extract-dom.js';
import { collapse, dateFromUrl, findDate, isArticleLink, scoreLink, type LinkInfo } from './list-page-links.js';

export interface ListItem {
  readonly url: string;
  readonly title: string;
  readonly publishedAt: number | null;
  readonly dateRaw: string | null;
}

export type ListVerdict =
  | { readonly kind: 'list'; readonly title: string | null; readonly items: readonly ListItem[]; readonly confidence: number }
  | { readonly kind: 'not-a-list'; readonly reason: 'article' | 'home' | 'no-list'; readonly confidence: number };

export interface ListPageOptions {
  /** The page's own address: resolves relative links and tells this site's links from others. */
  readonly url: string;
  readonly timeZone: string;
  readonly now: number;
}

interface El {
  readonly localName: string;
  readonly children: ArrayLike<El>;
  readonly parentElement: El | null;
  readonly textContent: string | null;
  readonly nextElementSibling: El | null;
  readonly childNodes: ArrayLike<{ nodeType: number; textContent: string | null }>;
  getAttribute(name: string): string | null;
  querySelectorAll(selector: string): ArrayLike<El>;
  querySelector(selector: string): El | null;
}

interface Item {
  readonly link: LinkInfo | null;
  readonly date: { at: number; raw: string } | null;
}

interface Block {
  readonly containers: El[];
  readonly items: Item[];
  /** The repeated shape (tag and classes) of the block's members. */
  readonly sig: string;
  score: number;
}

/** Fewer repeated items than this is a related-links box, not a column. */
const MIN_ITEMS = 4;
/** Prose outside the list beyond this many characters makes the page an article… */
const ARTICLE_PROSE = 400;
/** …and so do this many paragraphs of sentence length, as a short article has. */
const ARTICLE_PARAGRAPHS = 3;
const PARAGRAPH = 40;
/** The best list must hold at least this share of the page's article links. */
const MIN_DOMINANCE = 0.4;
const MIN_CONFIDENCE = 0.35;
const SKIP = new Set(['script', 'style', 'noscript', 'template', 'select', 'option', 'head']);
const SEMANTIC_SIDE = new Set(['nav', 'aside', 'footer', 'header']);

const signature = (e: El): string => {
  const cls = (e.getAttribute('class') ?? '').split(/\s+/).map((c) => c.replace(/\d+/g, '')).filter(Boolean).sort().join('.');
  return `${e.localName}${cls ? `.${cls}` : ''}`;
};

/** The headline of a link: a heading inside a card-sized link, the full title when the text was cut. */
function linkText(a: El): string {
  let text = collapse(a.textContent ?? '');
  if ([...text].length > 60) {
    const heading = a.querySelector('h1, h2, h3, h4, h5, h6, strong, b');
    if (heading) text = collapse(heading.textContent ?? '');
  }
  const title = collapse(a.getAttribute('title') ?? '');
  const cut = /(?:…|\.\.\.?|。。。)$/.test(text);
  if (title.length > 0 && (text.length === 0 || (cut && title.length >= text.replace(/[….。]+$/, '').length))) return title;
  return text;
}

function within(e: El, tags: ReadonlySet<string>): boolean {
  for (let p: El | null = e; p; p = p.parentElement) if (tags.has(p.localName)) return true;
  return false;
}

/** Beyond this the page is cut: a column's items come early, and it bounds the parse time. */
const MAX_HTML_CHARS = 1_500_000;
const INVISIBLE = /<!--[\s\S]*?(?:-->|$)|<(script|style|template|noscript)\b[^>]{0,300}>[\s\S]*?(?:<\/\1\s*>|$)/gi;

/**
 * linkedom takes the first element as the root, so the page is rebuilt as html/head/body from
 * what came before and after <body> (attributes kept: links and classes are what we read).
 */
function parsePage(html: string): { body: El; querySelector(s: string): El | null } {
  // A '<' that cannot open a tag is text, as browsers read it; written as a full-width sign, since
  // linkedom slows to a crawl on long runs of either the character or its entity.
  const clean = html.slice(0, MAX_HTML_CHARS).replace(INVISIBLE, ' ').replace(/<(?![a-zA-Z/!?])/g, '\uff1c');
  const open = /<body\b[^<>]{0,1000}>/i.exec(clean);
  const title = /<title\b[^<>]{0,1000}>([^<]{0,2000})<\/title\s*>/i.exec(clean)?.[1] ?? '';
  let body = open ? clean.slice(open.index + open[0].length) : clean.replace(/^[\s\S]*?<\/head\s*>/i, '');
  body = body.replace(/<\/?(?:html|head|body|!doctype)\b[^<>]{0,1000}>/gi, ' ').replace(/<title\b[^<>]{0,1000}>[^<]{0,2000}<\/title\s*>/gi, ' ');
  // parseDocument flattens a pathologically deep page (attributes kept) before anything walks it.
  return parseDocument(`<!DOCTYPE html><html><head><title>${title}</title></head><body>${body}</body></html>`) as unknown as { body: El; querySelector(s: string): El | null };
}

export function recognizeListPage(html: string, opts: ListPageOptions): ListVerdict {
  const doc = parsePage(html);
  const page = new URL(opts.url);
  const links = new Map<El, LinkInfo>();
  for (const a of Array.from(doc.body.querySelectorAll('a[href]'))) {
    const info = scoreLink(a.getAttribute('href') ?? '', linkText(a), page);
    if (info) links.set(a, info);
  }
  const pageArticles = new Set([...links.values()].filter(isArticleLink).map((l) => l.url));

  const blocks = mergeBlocks(candidateGroups(doc.body, links, opts));
  for (const b of blocks) b.score = scoreBlock(b);
  blocks.sort((x, y) => y.score - x.score);
  const best = blocks[0];
  const { prose, paragraphs } = proseOutside(doc.body, best?.containers ?? []);
  const noList = (reason: 'article' | 'home' | 'no-list', confidence = 0) => ({ kind: 'not-a-list' as const, reason, confidence });

  const items = best ? uniqueItems(best, opts) : [];
  const article = prose >= ARTICLE_PROSE || (paragraphs >= ARTICLE_PARAGRAPHS && prose >= ARTICLE_PARAGRAPHS * PARAGRAPH);
  if (items.length < MIN_ITEMS) return noList(article ? 'article' : 'no-list');
  const headlineChars = items.reduce((n, i) => n + [...i.title].length, 0);
  // Several paragraphs of prose outside the list are an article, however long its related-news box.
  if (article && (prose > headlineChars / 2 || paragraphs >= ARTICLE_PARAGRAPHS * 2)) return noList('article');
  const dominance = items.length / Math.max(items.length, pageArticles.size);
  const members = best!.items.length;
  const quality = best!.items.reduce((q, i) => q + (i.link && isArticleLink(i.link) ? 0.55 + (i.date ? 0.25 : 0) + 0.2 * i.link.urlScore : 0), 0) / members;
  const size = Math.min(1, items.length / 8);
  const confidence = Math.round(quality * (0.5 + 0.5 * size) * (0.4 + 0.6 * Math.min(1, dominance / 0.8)) * 100) / 100;
  if (dominance < MIN_DOMINANCE) return noList('home', confidence);
  if (confidence < MIN_CONFIDENCE) return noList('no-list', confidence);
  const title = collapse(doc.querySelector('title')?.textContent ?? '') || collapse(doc.querySelector('h1')?.textContent ?? '') || null;
  return { kind: 'list', title, items, confidence };
}

/** Every element whose children repeat one shape at least three times, with one item per repetition. */
function candidateGroups(body: El, links: ReadonlyMap<El, LinkInfo>, opts: ListPageOptions): Block[] {
  const out: Block[] = [];
  const parents = [body, ...Array.from(body.querySelectorAll('*'))];
  for (const parent of parents) {
    if (SKIP.has(parent.localName) || parent.children.length < 3) continue;
    const children = Array.from(parent.children);
    const bySig = new Map<string, El[]>();
    const add = (sig: string, c: El) => {
      const list = bySig.get(sig) ?? [];
      list.push(c);
      bySig.set(sig, list);
    };
    for (const c of children) {
      add(signature(c), c);
      // Items of one list may differ in a class (with or without a picture): the tag alone groups them too.
      if (signature(c) !== c.localName) add(c.localName, c);
    }
    for (const [sig, members] of bySig) {
      if (members.length < 3 || ['br', 'hr', 'img', 'script', 'style', 'input'].includes(sig.split('.')[0]!)) continue;
      const items = members.map((m) => readItem(m, sig, links, opts));
      if (items.filter((i) => i.link).length < 2) continue;
      out.push({ containers: [parent], items, sig, score: 0 });
    }
  }
  return out;
}

/** One repetition and the siblings after it, up to the next repetition (dt + dd, a + span + br). */
function readItem(member: El, sig: string, links: ReadonlyMap<El, LinkInfo>, opts: ListPageOptions): Item {
  const record: El[] = [member];
  const same = (e: El) => (sig.includes('.') ? signature(e) : e.localName) === sig;
  for (let s = member.nextElementSibling; s && !same(s); s = s.nextElementSibling) record.push(s);
  const anchors: El[] = [];
  for (const e of record) {
    if (e.localName === 'a') anchors.push(e);
    anchors.push(...Array.from(e.querySelectorAll('a[href]')));
  }
  let best: LinkInfo | null = null;
  for (const a of anchors) {
    const l = links.get(a);
    if (!l || !l.titleLike || l.sectionLike) continue;
    if (!best || l.urlScore > best.urlScore || (l.urlScore === best.urlScore && l.text.length > best.text.length)) best = l;
  }
  let text = record.map((e) => e.textContent ?? '').join(' ');
  for (const a of anchors) text = text.replace(a.textContent ?? '', ' ');
  return { link: best, date: findDate(collapse(text), opts.timeZone, opts.now) };
}

/**
 * One column is sometimes several lists in a row (groups of five under one parent, one list
 * per day under its date heading): blocks of the same shape are joined. Boxes that each carry
 * their own section link (a home page's 要闻, 体育, 更多) are separate lists and stay apart.
 */
function mergeBlocks(blocks: Block[]): Block[] {
  const merged = new Map<string, Block>();
  const ids = new WeakMap<El, number>();
  let next = 0;
  const id = (e: El | null) => (e ? (ids.get(e) ?? (ids.set(e, ++next), next)) : 0);
  const out: Block[] = [];
  for (const b of blocks) {
    const c = b.containers[0]!;
    const wrapper = c.parentElement;
    const ownLinksOnly = wrapper !== null && Array.from(wrapper.querySelectorAll('a[href]')).every((a) => isInside(a, c));
    const key = ownLinksOnly && wrapper!.parentElement
      ? `g${id(wrapper!.parentElement)}|${signature(wrapper!)}|${signature(c)}|${b.sig}`
      : `p${id(wrapper)}|${signature(c)}|${b.sig}`;
    const into = merged.get(key);
    if (into && !into.containers.some((x) => isInside(c, x) || isInside(x, c))) {
      into.containers.push(c);
      into.items.push(...b.items);
    } else if (!into) {
      merged.set(key, b);
      out.push(b);
    } else out.push(b);
  }
  return out;
}

function isInside(e: El, container: El): boolean {
  for (let p: El | null = e; p; p = p.parentElement) if (p === container) return true;
  return false;
}

function scoreBlock(b: Block): number {
  const articles = b.items.filter((i) => i.link && isArticleLink(i.link));
  if (articles.length === 0) return 0;
  const share = articles.length / b.items.length;
  const dated = articles.filter((i) => i.date).length / articles.length;
  const url = articles.reduce((s, i) => s + i.link!.urlScore, 0) / articles.length;
  const side = b.containers.every((c) => within(c, SEMANTIC_SIDE)) ? 0.5 : 1;
  return new Set(articles.map((i) => i.link!.url)).size * share * (0.6 + 0.2 * dated + 0.2 * url) * side;
}

function uniqueItems(b: Block, opts: ListPageOptions): ListItem[] {
  const seen = new Set<string>();
  const out: ListItem[] = [];
  for (const i of b.items) {
    if (!i.link || seen.has(i.link.url)) continue;
    // Inside the column every headline counts, even one at an address without a date or id.
    if (!i.link.titleLike || i.link.sectionLike || (!i.link.sameSite && !isArticleLink(i.link))) continue;
    seen.add(i.link.url);
    out.push({ url: i.link.url, title: i.link.text, publishedAt: i.date?.at ?? dateFromUrl(i.link.url, opts.timeZone, opts.now), dateRaw: i.date?.raw ?? null });
  }
  return out;
}

/** Characters of sentence-length text outside links and outside the list: an article's body. */
function proseOutside(body: El, containers: readonly El[]): { prose: number; paragraphs: number } {
  let total = 0;
  let paragraphs = 0;
  // A stack, not recursion: a page may nest thousands of levels deep.
  const stack: El[] = [body];
  for (let e = stack.pop(); e; e = stack.pop()) {
    if (SKIP.has(e.localName) || e.localName === 'a' || containers.includes(e)) continue;
    // A paragraph counts whole, however its text is split among spans and fonts.
    if (e.localName === 'p' && !containers.some((c) => isInside(c, e))) {
      const links = Array.from(e.querySelectorAll('a')).reduce((n, a) => n + [...collapse(a.textContent ?? '')].length, 0);
      const length = [...collapse(e.textContent ?? '')].length - links;
      if (length >= PARAGRAPH) {
        total += length;
        paragraphs++;
        continue;
      }
    }
    for (const n of Array.from(e.childNodes)) {
      if (n.nodeType === 3) {
        const t = collapse(n.textContent ?? '');
        const length = [...t].length;
        if (length >= 20) total += length;
        if (length >= PARAGRAPH) paragraphs++;
      } else if (n.nodeType === 1) stack.push(n as unknown as El);
    }
  }
  return { prose: total, paragraphs };
}
