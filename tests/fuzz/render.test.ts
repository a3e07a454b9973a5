// Fuzzing delivery with stories as ingest would make them from hostile feeds and pages:
// parseFeed's items (or an extracted page) through the real enricher (regions, summary) into
// StoryViews, then renderStory/renderDigest. tests/unit/presentation/render.test.ts already
// fuzzes StoryViews field by field; here the fields carry what the pipeline lets through
// together (a title from CDATA, a date at the edge of the range, a summary of tag soup).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadRegionsFile } from '../../src/app/services.js';
import { validateMessage } from '../../src/presentation/message.js';
import { renderDigest, renderStory, type RenderOptions } from '../../src/presentation/render.js';
import { SCRIPTS, type FeedSource, type Script } from '../../src/domain/types.js';
import { parseFeed } from '../../src/feeds/parse.js';
import { canonicalUrl } from '../../src/feeds/url.js';
import { createEnricher } from '../../src/ingest/enrich.js';
import type { StoryView } from '../../src/store/articles-repo.js';
import { extractArticle } from '../../src/text/extract.js';
import { createGazetteer } from '../../src/text/gazetteer.js';
import { codePointLength } from '../../src/text/length.js';
import { detectScript } from '../../src/text/script.js';
import { createExtractiveSummarizer, DEFAULT_SUMMARY_BUDGET } from '../../src/text/summary.js';
import { feedDocument, hasLoneSurrogate, hostileHtml, hostileXml, richText, runs, testTimeout, withinTime } from './fuzz-config.js';

const NOW = Date.UTC(2026, 10, 28, 4, 0, 0);
const gazetteer = createGazetteer(loadRegionsFile());
const enricher = createEnricher({ fetcher: null, gazetteer, summarizer: createExtractiveSummarizer(), timeZone: 'Asia/Shanghai' });

const feedSource = fc.record({
  id: fc.oneof(fc.constantFrom('jiaxing-daily', 'x'), fc.string({ maxLength: 12 })),
  name: fc.oneof(fc.constantFrom('嘉兴日报', '浙江在線', ''), richText({ maxUnits: 12, lone: true })),
  url: fc.constantFrom('https://news.example.cn/rss.xml', 'http://例子.中国/feed'),
  region: fc.constantFrom('330400', '330481', '810000', '710000', '999999'),
  intervalMinutes: fc.constant(null),
  fullText: fc.constant<FeedSource['fullText']>('never'),
});

const renderOptions = fc.record({
  script: fc.constantFrom<Script>(...SCRIPTS),
  timeZone: fc.constantFrom('Asia/Shanghai', 'America/St_Johns', 'UTC', 'bogus/zone'),
  guildLocale: fc.constantFrom(null, 'zh-CN', 'zh-TW', 'en-US', 'xx'),
  summaryBudget: fc.oneof(fc.constant(undefined), fc.integer({ min: -5, max: 5000 }), fc.constant(DEFAULT_SUMMARY_BUDGET)),
  compact: fc.boolean(),
});

type Partial = Omit<StoryView, 'alsoReportedBy'>;

/** Stories of one feed poll: parse, then enrich each item as the ingest would, each step under the time bound. */
async function storiesFromFeed(xml: string, feed: FeedSource): Promise<Partial[]> {
  let items;
  try {
    items = await withinTime(async () => (await parseFeed(xml, { timeZone: 'Asia/Shanghai', now: NOW, baseUrl: feed.url })).items);
  } catch (e) {
    if ((e as Error).message.includes('hang guard')) throw e;
    return []; // parseFeed's own fuzz covers failures
  }
  const out: Partial[] = [];
  for (const [i, item] of items.slice(0, 6).entries()) {
    const e = await withinTime(() => enricher.enrich({ ...item, canonicalUrl: item.link ? canonicalUrl(item.link, feed.url) : null }, feed));
    if (e.summary !== null) {
      expect(codePointLength(e.summary)).toBeLessThanOrEqual(DEFAULT_SUMMARY_BUDGET);
      if (!hasLoneSurrogate(e.text)) expect(hasLoneSurrogate(e.summary)).toBe(false);
    }
    out.push({
      storyId: i + 1,
      articleId: i + 1,
      feedId: feed.id,
      feedName: feed.name,
      title: item.title,
      url: item.link,
      summary: e.summary,
      text: e.text,
      body: e.body,
      author: e.author,
      sourceOutlet: e.sourceOutlet,
      publishedAt: e.publishedAt,
      firstSeenAt: NOW,
      script: detectScript(`${item.title}${e.text.slice(0, 300)}`),
      postable: true,
      holdReason: null,
      regions: e.regions,
    });
  }
  return out;
}

/** A story made from an extracted page, its date unchecked as the page wrote it. */
function storyFromPage(html: string, feed: FeedSource): Partial | null {
  const a = extractArticle(html);
  if (!a) return null;
  return {
    storyId: 99,
    articleId: 99,
    feedId: feed.id,
    feedName: feed.name,
    title: a.title,
    url: 'https://news.example.cn/a/1.html',
    summary: null,
    text: a.text,
    body: a.text,
    author: a.author,
    sourceOutlet: a.source,
    publishedAt: a.publishedAt,
    firstSeenAt: NOW,
    script: a.script,
    postable: true,
    holdReason: null,
    regions: [{ code: feed.region, confidence: 1, source: 'feed' }],
  };
}

/** Every other story of the batch as "also reported by", as story matching would list them. */
const withOthers = (stories: readonly Partial[]): StoryView[] =>
  stories.map((s) => ({ ...s, alsoReportedBy: stories.filter((o) => o !== s).map((o) => ({ feedId: `${o.feedId}-${o.storyId}`, feedName: o.feedName, url: o.url })) }));

async function renderAll(stories: readonly StoryView[], opts: Omit<RenderOptions, 'gazetteer'>): Promise<void> {
  for (const s of stories) {
    const m = await withinTime(() => renderStory(s, { ...opts, gazetteer }));
    expect(validateMessage(m)).toEqual([]);
    expect(m.allowed_mentions).toEqual({ parse: [] });
  }
  if (stories.length === 0) return;
  for (const kind of ['burst', 'scheduled'] as const) {
    const msgs = await withinTime(() => renderDigest(stories, { ...opts, gazetteer, kind, since: NOW - 86_400_000 }));
    expect(msgs.length).toBeGreaterThan(0);
    for (const m of msgs) expect(validateMessage(m)).toEqual([]);
  }
}

describe('fuzz: rendering stories from hostile feeds and pages', () => {
  it(
    'feed items through enrichment render to valid messages, summaries within budget',
    async () => {
      const xml = fc.oneof(feedDocument.map((d) => d.xml), hostileXml);
      await fc.assert(
        fc.asyncProperty(xml, feedSource, renderOptions, async (doc, feed, opts) => {
          const stories = await storiesFromFeed(doc, feed);
          await renderAll(withOthers(stories), opts);
        }),
        runs(60),
      );
    },
    testTimeout(),
  );

  it(
    'extracted pages render to valid messages',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(hostileHtml, { minLength: 1, maxLength: 3 }), feedSource, renderOptions, async (pages, feed, opts) => {
          const stories = pages.map((p) => storyFromPage(p, feed)).filter((s): s is Partial => s !== null);
          await renderAll(withOthers(stories), opts);
        }),
        runs(40),
      );
    },
    testTimeout(),
  );
});
