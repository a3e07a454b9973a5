// The fetcher polling uses, aware of where a feed came from. Ingest asks for every feed URL as
// the operator's own (trusted first hop); a URL a server added is untrusted like any link from
// a feed, so it meets the network guard on every hop. A list page is fetched as HTML and read
// by the list-page recogniser into an RSS document, so ingest stores and dedupes its links like
// any feed's items: a new link on the page is a new item.
import { FeedError } from './errors.js';
import type { FetchOutcome, Fetcher } from './fetch.js';
import { recognizeListPage, type ListItem } from './list-page.js';
import { escapeXml as xml } from './opml.js';

export interface UrlFacts {
  readonly trusted: boolean;
  readonly listPage: boolean;
}

export interface SourceFetcherOptions {
  /** Asked of the store, which may be across the network (Postgres). */
  readonly facts: (url: string) => UrlFacts | Promise<UrlFacts>;
  readonly timeZone: string;
  readonly now: () => number;
}

/** The items of a list page as an RSS 2.0 document (what ingest parses). */
export function listItemsToRss(title: string | null, pageUrl: string, items: readonly ListItem[]): string {
  const entries = items.map((i) => {
    const date = i.publishedAt === null ? '' : `<pubDate>${new Date(i.publishedAt).toUTCString()}</pubDate>`;
    return `<item><title>${xml(i.title)}</title><link>${xml(i.url)}</link><guid isPermaLink="true">${xml(i.url)}</guid>${date}</item>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>${xml(title ?? pageUrl)}</title><link>${xml(pageUrl)}</link><description></description>${entries.join('')}</channel></rss>`;
}

export function createSourceFetcher(inner: Fetcher, opts: SourceFetcherOptions): Fetcher {
  return {
    async fetch(req) {
      const facts = await opts.facts(req.url);
      const trusted = (req.trusted ?? false) && facts.trusted;
      if (!facts.listPage) return inner.fetch({ ...req, trusted });
      const res: FetchOutcome = await inner.fetch({ ...req, trusted, accept: 'html' });
      if (res.kind !== 'fetched') return res;
      const verdict = recognizeListPage(res.text, { url: res.finalUrl, timeZone: opts.timeZone, now: opts.now() });
      if (verdict.kind !== 'list') throw new FeedError('not-a-feed', 'the page no longer looks like a list of articles');
      return { ...res, text: listItemsToRss(verdict.title, res.finalUrl, verdict.items) };
    },
  };
}
