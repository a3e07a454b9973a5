// Article extraction for Chinese news pages. The page is normalised for linkedom, a text-
// and-punctuation density scorer reads it two ways, and @mozilla/readability is consulted
// when those readings disagree or find too little (see extract-choose.ts for why it is not
// run on every page); then hard-wrap-aware lines, and the boilerplate pass that turns
// bylines, breadcrumbs and footers into metadata.
// Pure: no I/O, no clock; never throws on bad input (returns null instead).
import { decodeBytes } from './charset.js';
import { chooseBody, type BodyChoice } from './extract-choose.js';
import { normalizeHtml, parseDocument } from './extract-dom.js';
import { linesOf } from './extract-lines.js';
import { parseTree } from './extract-tree.js';
import { type MetaTags, readMetaTags } from './extract-meta.js';
import { assemble, type ExtractedArticle, type Located } from './extract-assemble.js';

export type { ExtractedArticle } from './extract-assemble.js';

export interface ExtractOptions {
  /** The page's address. Accepted for callers' convenience; text extraction does not need it. */
  readonly url?: string;
  /** Zone for dates written without an offset. Default Asia/Shanghai. */
  readonly timeZone?: string;
}

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

function extractHtml(html: string, opts: ExtractOptions): ExtractedArticle | null {
  if (html.trim() === '') return null;
  const doc = parseDocument(normalizeHtml(html), parseTree);
  const tags: MetaTags = readMetaTags(doc);
  const pageLines = linesOf(doc.body);
  const page = pageLines.map((l) => l.text);
  const choice: BodyChoice | null = chooseBody(doc, pageLines, tags.title);
  if (!choice) return null;
  const located: Located = { page, body: choice.lines, method: choice.method, byline: choice.byline, fallbackTitle: choice.title, pageLines };
  return assemble(located, tags, opts.timeZone ?? DEFAULT_TIME_ZONE);
}

/** Extracts the article of an HTML page; null when the page has no article. */
export function extractArticle(html: string, opts: ExtractOptions = {}): ExtractedArticle | null {
  try {
    return typeof html === 'string' ? extractHtml(html, opts) : null;
  } catch {
    // Malformed input must cost one article, not the ingest loop.
    return null;
  }
}

/** Decodes page bytes (BOM, strict UTF-8, declared charset, GB18030) and extracts. */
export function extractArticleFromBytes(bytes: Uint8Array, contentType?: string | null, opts: ExtractOptions = {}): ExtractedArticle | null {
  try {
    return extractArticle(decodeBytes(bytes, contentType).text, opts);
  } catch {
    return null;
  }
}

/**
 * The same clean-up on a text-only page (one paragraph per line): the headline is the
 * line just above the byline, or else the first line that is not navigation.
 */
export function extractFromText(text: string, opts: ExtractOptions = {}): ExtractedArticle | null {
  try {
    if (typeof text !== 'string' || text.trim() === '') return null;
    // The lookbehind keeps the trailing match linear on a long blank run inside a line.
    const lines = text.split(/\r?\n/).map((l) => l.replace(/^[\s\u00a0\u3000]+|(?<![\s\u00a0\u3000])[\s\u00a0\u3000]+$/g, ''));
    const tags: MetaTags = { title: null, h1: [], author: null, published: null };
    const nonEmpty = lines.filter((l) => l !== '');
    const located: Located = { page: nonEmpty, body: nonEmpty, method: 'text', byline: null, fallbackTitle: null };
    return assemble(located, tags, opts.timeZone ?? DEFAULT_TIME_ZONE);
  } catch {
    return null;
  }
}
