// OPML 2.0 in and out (feedsmith reads and writes it). A feed's region code travels in a
// `region` attribute of its outline, its name as `text`. An OPML file comes from a user: its
// size and outline count are bounded before it is parsed, and folders are flattened.
import { generateOpml, parseOpml } from 'feedsmith';

export interface OpmlFeed {
  readonly url: string;
  readonly name: string;
  readonly region: string | null;
  /** A list page read by the list-page recogniser (xiangxun's own type attribute). */
  readonly listPage?: boolean;
}

export type OpmlProblem = 'too-large' | 'too-many' | 'malformed';

export class OpmlError extends Error {
  constructor(
    readonly problem: OpmlProblem,
    message: string,
  ) {
    super(message);
    this.name = 'OpmlError';
  }
}

/** Far above any one server's feeds (MAX_FEEDS_PER_GUILD), far below what slows a parse. */
export const MAX_OPML_OUTLINES = 1000;
export const MAX_OPML_CHARS = 1_000_000;
const EXTRA = ['region'] as const;
const LIST_PAGE_TYPE = 'x-list-page';

type Outline = { text?: string; title?: string; type?: string; xmlUrl?: string; htmlUrl?: string; region?: string; outlines?: Outline[] };

export function readOpml(text: string): OpmlFeed[] {
  if (text.length > MAX_OPML_CHARS) throw new OpmlError('too-large', `larger than ${MAX_OPML_CHARS} characters`);
  // Counted before parsing: a file of 10,000 outlines is refused without building them.
  const outlines = text.match(/<outline\b/gi)?.length ?? 0;
  if (outlines > MAX_OPML_OUTLINES) throw new OpmlError('too-many', `${outlines} outlines (at most ${MAX_OPML_OUTLINES})`);
  let doc: { body?: { outlines?: Outline[] } };
  try {
    doc = parseOpml(text.replace(/^\ufeff/, ''), { extraOutlineAttributes: EXTRA }) as typeof doc;
  } catch (e) {
    throw new OpmlError('malformed', `not an OPML document (${(e as Error).message})`);
  }
  const out: OpmlFeed[] = [];
  const stack: Outline[] = [...(doc.body?.outlines ?? [])].reverse();
  for (let o = stack.pop(); o; o = stack.pop()) {
    if (o.outlines?.length) stack.push(...[...o.outlines].reverse());
    const url = (o.xmlUrl ?? '').trim();
    if (!url) continue;
    const name = (o.text ?? o.title ?? '').trim();
    const region = (o.region ?? '').trim() || null;
    out.push({ url, name, region, ...(o.type === LIST_PAGE_TYPE ? { listPage: true } : {}) });
  }
  return out;
}

/** Text safe inside XML character data and double-quoted attributes. */
export const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function writeOpml(title: string, feeds: readonly OpmlFeed[], now: Date): string {
  // feedsmith refuses a document without outlines; an empty export is still a valid file.
  if (feeds.length === 0) {
    return `<?xml version="1.0" encoding="utf-8"?>\n<opml version="2.0">\n  <head>\n    <title>${escapeXml(title)}</title>\n    <dateCreated>${now.toUTCString()}</dateCreated>\n  </head>\n  <body/>\n</opml>\n`;
  }
  const outlines = feeds.map((f) => ({
    text: f.name,
    title: f.name,
    type: f.listPage ? LIST_PAGE_TYPE : 'rss',
    xmlUrl: f.url,
    ...(f.listPage ? { htmlUrl: f.url } : {}),
    ...(f.region ? { region: f.region } : {}),
  }));
  return generateOpml({ head: { title, dateCreated: now }, body: { outlines } } as never, { extraOutlineAttributes: EXTRA });
}
