// Enrichment of a new story: full text when the feed carries a teaser, then summary and regions.
import type { FeedItem, FeedSource, RegionTag } from '../domain/types.js';
import type { Fetcher } from '../feeds/fetch.js';
import { cleanBody } from '../text/boilerplate.js';
import { type ExtractedArticle, extractArticle } from '../text/extract.js';
import type { Gazetteer } from '../text/gazetteer.js';
import { pickLeadImage } from '../text/lead-image.js';
import { codePointLength } from '../text/length.js';
import { homePlaces } from '../text/references.js';
import { routable, tagRegions, withAncestors } from '../text/regions.js';
import { detectScript } from '../text/script.js';
import type { Summarizer } from '../text/summary.js';
import { warmWords } from '../text/words.js';
import type { Enricher, Enrichment } from './ports.js';

/** Below this many characters an item is a teaser (fullText: auto). */
export const TEASER_CHARS = 200;

export interface EnricherDeps {
  readonly fetcher: Fetcher | null; // null: never fetch pages (dry runs, offline tools)
  readonly gazetteer: Gazetteer;
  readonly summarizer: Summarizer;
  readonly timeZone: string;
}

export function wantsFullText(feed: Pick<FeedSource, 'fullText'>, itemText: string): boolean {
  if (feed.fullText === 'never') return false;
  return feed.fullText === 'always' || codePointLength(itemText) < TEASER_CHARS;
}

// Item HTML is scanned for a picture only when it holds one: the scan parses the whole HTML.
const HAS_IMG = /<img[\s/>]/i;

/**
 * The article's picture. The fetched page (when it held the article) is read with the
 * extracted body, which tells its content images from the page around them; else the item's
 * own HTML and media, against its link. Nothing to look at, or no link to say whose site it
 * is: no picture, and no scan (a page scan costs ~6–15 ms on a large page).
 */
function leadImage(item: FeedItem, link: string | null, fetched: { url: string; html: string; article: ExtractedArticle } | null): string | null {
  const itemHtml = HAS_IMG.test(item.html) ? item.html : null;
  const feedMedia = item.media?.length ? item.media : null;
  if (fetched) {
    return pickLeadImage({ pageUrl: fetched.url, pageHtml: fetched.html, bodyParagraphs: fetched.article.paragraphs, title: fetched.article.title || item.title, itemHtml, feedMedia })?.url ?? null;
  }
  if (!link || (!itemHtml && !feedMedia)) return null;
  return pickLeadImage({ pageUrl: link, itemHtml, feedMedia })?.url ?? null;
}

export function createEnricher(deps: EnricherDeps): Enricher {
  // The word segmenter behind region tagging loads its dictionary once: at start-up, not
  // inside the first story's time.
  warmWords();
  return {
    async enrich(item, feed): Promise<Enrichment> {
      const warnings: string[] = [];
      let page: ExtractedArticle | null = null;
      let fetched: { url: string; html: string; article: ExtractedArticle } | null = null;
      const link = item.canonicalUrl ?? item.link;
      if (deps.fetcher && link && wantsFullText(feed, item.text)) {
        try {
          const res = await deps.fetcher.fetch({ url: link, accept: 'html' });
          if (res.kind === 'fetched') {
            // Decoded once (the fetcher's own decoding): the same text feeds extraction and the picture.
            const html = res.text;
            page = extractArticle(html, { url: res.finalUrl, timeZone: deps.timeZone });
            if (page) fetched = { url: res.finalUrl, html, article: page };
            else warnings.push(`no article found at ${link}`);
          }
        } catch (e) {
          warnings.push(`article page ${link}: ${(e as Error).message}`);
        }
      }
      const cleaned = cleanBody(item.text.split('\n'));
      const body = page && page.text.length > 0 ? page.text : null;
      const text = body ?? cleaned.paragraphs.join('\n');
      const breadcrumb = page?.breadcrumb.length ? page.breadcrumb : cleaned.meta.breadcrumb;
      // Only tags sure enough for their level decide where the story goes: a county named
      // once, bare, in the body is not enough; the feed's region and the breadcrumb are.
      const tags: RegionTag[] = routable(deps.gazetteer, tagRegions(deps.gazetteer, { title: item.title, body: text, breadcrumb, feedRegion: feed.region }));
      const publishedAt = item.publishedAt ?? page?.publishedAt ?? null;
      // The summary's context (its home places) is worked out only when there is a text to
      // summarize: a title-only item (a flood of them, issue #11) skips it.
      let summary: string | null = null;
      if (text.trim()) {
        const places = homePlaces(deps.gazetteer, tags, detectScript(`${item.title}${text.slice(0, 300)}`) === 'traditional');
        summary = await deps.summarizer.summarize({ title: item.title, body: text, context: { publishedAt, timeZone: deps.timeZone, places } });
      }
      return {
        body,
        text,
        author: item.author ?? page?.author ?? cleaned.meta.author,
        sourceOutlet: page?.source ?? cleaned.meta.source,
        breadcrumb,
        publishedAt,
        summary: summary || null,
        regions: withAncestors(deps.gazetteer, tags),
        // The item's own link resolves its HTML's relative addresses (the canonical form may differ).
        image: leadImage(item, item.link ?? link, fetched),
        warnings,
      };
    },
  };
}
