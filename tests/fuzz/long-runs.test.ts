// The hang guard on long runs of one piece. Most hostile-input hangs are not loops but
// quadratic scans: a backtracking regex restarted at every position of a long run, or a
// search from each position to a far end. Inputs of tens of thousands of units make such
// code take seconds while linear code stays in milliseconds, so every text entry point of
// the pipeline is run here on them under the per-input time bound.
import fc from 'fast-check';
import { beforeAll, describe, it } from 'vitest';
import { loadRegionsFile } from '../../src/app/services.js';
import { parseFeed } from '../../src/feeds/parse.js';
import { quickGuids } from '../../src/feeds/quick-keys.js';
import { canonicalUrl } from '../../src/feeds/url.js';
import { itemKey, titleKey } from '../../src/ingest/identity.js';
import { compileQuery } from '../../src/search/query-syntax.js';
import { makeSnippet } from '../../src/search/snippet.js';
import { documentTokens } from '../../src/search/tokens.js';
import { cleanBody } from '../../src/text/boilerplate.js';
import { decodeBytes } from '../../src/text/charset.js';
import { parseDate } from '../../src/text/dates.js';
import { extractArticle, extractFromText } from '../../src/text/extract.js';
import { createGazetteer, type Gazetteer } from '../../src/text/gazetteer.js';
import { htmlToText } from '../../src/text/html-text.js';
import { tagRegions } from '../../src/text/regions.js';
import { convert, detectScript, normalizeForMatch } from '../../src/text/script.js';
import { sentenceSpans } from '../../src/text/sentences.js';
import { extractiveSummary } from '../../src/text/summary.js';
import { longRuns, runs, testTimeout, withinTime } from './fuzz-config.js';

let gazetteer: Gazetteer;
beforeAll(() => {
  gazetteer = createGazetteer(loadRegionsFile());
  // First calls build converters and load modules; that cost is not the input's.
  extractArticle('<p>嘉兴市举行活动，开展实地观摩。</p>');
  convert('嘉兴', 'hk');
});

const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Each entry point, named for the failure message. */
const ENTRY_POINTS: ReadonlyArray<[string, (s: string) => unknown]> = [
  ['sentenceSpans', (s) => sentenceSpans(s)],
  ['extractiveSummary', (s) => extractiveSummary({ title: s.slice(0, 200), body: s, context: { publishedAt: Date.UTC(2025, 0, 1), places: { city: '嘉兴市' } } })],
  ['cleanBody', (s) => cleanBody(s.split('\n'))],
  ['tagRegions', (s) => tagRegions(gazetteer, { title: s.slice(0, 300), body: s, breadcrumb: [s.slice(0, 500)] })],
  ['htmlToText', (s) => htmlToText(s)],
  ['extractArticle', (s) => extractArticle(`<html><head><title>${s.slice(0, 2000)}</title></head><body><div class="article"><p>${s}</p></div></body></html>`)],
  ['extractFromText', (s) => extractFromText(s)],
  ['parseDate', (s) => parseDate(s.slice(0, 5000), 'Asia/Shanghai')],
  ['normalizeForMatch', (s) => normalizeForMatch(s)],
  ['convert', (s) => convert(s, 'twp')],
  ['detectScript', (s) => detectScript(s)],
  ['titleKey/itemKey', (s) => itemKey({ guid: null, canonicalUrl: null, title: titleKey(s), dateRaw: s })],
  ['documentTokens', (s) => documentTokens(s)],
  ['compileQuery', (s) => compileQuery(s.slice(0, 200))],
  ['makeSnippet', (s) => makeSnippet(s, [{ text: '嘉兴', word: false }, { text: 'x', word: true }], 'tw')],
  ['canonicalUrl', (s) => canonicalUrl(`https://e.cn/${s.slice(0, 8000)}`)],
  ['decodeBytes', (s) => decodeBytes(Buffer.from(s, 'latin1'), 'text/html; charset=gbk')],
  ['quickGuids', (s) => quickGuids(`<rss><channel><item><guid>${s}</guid></item></channel></rss>`)],
  ['parseFeed', (s) => parseFeed(`<rss><channel><item><title>${escapeXml(s.slice(0, 3000))}</title><description>${escapeXml(s)}</description><pubDate>${escapeXml(s.slice(0, 100))}</pubDate></item></channel></rss>`, { timeZone: 'Asia/Shanghai', now: Date.UTC(2026, 0, 1) }).catch(() => null)],
];

describe('fuzz: long runs', () => {
  it(
    'every text entry point stays within the time bound on long runs of one piece',
    async () => {
      await fc.assert(
        fc.asyncProperty(longRuns, async (s) => {
          for (const [name, fn] of ENTRY_POINTS) {
            try {
              await withinTime(() => fn(s));
            } catch (e) {
              throw new Error(`${name}: ${(e as Error).message}`, { cause: e });
            }
          }
        }),
        runs(12),
      );
    },
    testTimeout(),
  );
});
