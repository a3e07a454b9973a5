// Fuzzing article extraction and byte decoding. extractArticle promises never to throw, and
// keeps that promise with a catch-all; a catch-all also hides bugs (a stack overflow on deep
// nesting would quietly cost every such page its article), so the stages under it are run
// here without it as well.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBytes } from '../../src/text/charset.js';
import { assemble, type ExtractedArticle } from '../../src/text/extract-assemble.js';
import { chooseBody } from '../../src/text/extract-choose.js';
import { normalizeHtml, parseDocument } from '../../src/text/extract-dom.js';
import { linesOf } from '../../src/text/extract-lines.js';
import { readMetaTags } from '../../src/text/extract-meta.js';
import { DEFAULT_TIME_ZONE, extractArticle, extractArticleFromBytes, extractFromText } from '../../src/text/extract.js';
import {
  TIME_ZONES,
  articleBody,
  declaredBytes,
  encodeText,
  gbkText,
  hasLoneSurrogate,
  hostileHtml,
  randomBytes,
  richText,
  runs,
  testTimeout,
  withinTime,
} from './fuzz-config.js';

const SCRIPTS = ['traditional', 'simplified', 'mixed', 'none'];

/** What every extracted article looks like, however bad the page. */
function checkArticle(a: ExtractedArticle | null): void {
  if (a === null) return;
  expect(typeof a.title).toBe('string');
  expect(a.title).toBe(a.title.trim());
  expect(a.paragraphs.length).toBeGreaterThan(0);
  for (const p of a.paragraphs) {
    expect(p).not.toBe('');
    expect(p).not.toContain('\n');
    expect(p).toBe(p.trim());
  }
  expect(a.text).toBe(a.paragraphs.join('\n'));
  if (a.publishedAt !== null) expect(Number.isSafeInteger(a.publishedAt)).toBe(true);
  expect(a.publishedAt === null).toBe(a.publishedRaw === null);
  expect(SCRIPTS).toContain(a.script);
  expect(Array.isArray(a.breadcrumb)).toBe(true);
  expect(a.author === null || typeof a.author === 'string').toBe(true);
}

/**
 * extractArticle's steps with no try/catch around them: the same calls in the same order
 * (see extractHtml in src/text/extract.ts), so an exception the wrapper would turn into
 * null fails the property instead.
 */
function unguardedExtract(html: string, timeZone: string): ExtractedArticle | null {
  if (html.trim() === '') return null;
  const doc = parseDocument(normalizeHtml(html));
  const tags = readMetaTags(doc);
  const page = linesOf(doc.body).map((l) => l.text);
  const choice = chooseBody(doc);
  if (!choice) return null;
  return assemble({ page, body: choice.lines, method: choice.method, byline: choice.byline, fallbackTitle: choice.title }, tags, timeZone);
}

const zone = fc.constantFrom(...TIME_ZONES);

describe('fuzz: extractArticle', () => {
  it(
    'tag soup: no exception even under the catch-all, a well-formed article or null, within the time bound',
    async () => {
      await fc.assert(
        fc.asyncProperty(hostileHtml, zone, async (html, tz) => {
          const guarded = await withinTime(() => extractArticle(html, { timeZone: tz }));
          checkArticle(guarded);
          const bare = await withinTime(() => unguardedExtract(html, tz));
          expect(bare).toEqual(guarded);
        }),
        runs(120),
      );
    },
    testTimeout(),
  );

  it(
    'bytes under any charset declaration: never throws, within the time bound',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.oneof(declaredBytes, randomBytes), async ({ bytes, contentType }) => {
          checkArticle(await withinTime(() => extractArticleFromBytes(bytes, contentType)));
        }),
        runs(120),
      );
    },
    testTimeout(),
  );

  it(
    'text-only pages: a well-formed article or null',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.oneof(articleBody({ lone: true }), richText({ maxUnits: 200, lone: true })), async (text) => {
          checkArticle(await withinTime(() => extractFromText(text, { timeZone: DEFAULT_TIME_ZONE })));
        }),
        runs(150),
      );
    },
    testTimeout(),
  );
});

describe('fuzz: decodeBytes', () => {
  it(
    'never throws and always names a charset the platform can decode',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.oneof(declaredBytes, randomBytes), async ({ bytes, contentType }) => {
          const d = await withinTime(() => decodeBytes(bytes, contentType));
          expect(typeof d.text).toBe('string');
          expect(() => new TextDecoder(d.charset)).not.toThrow();
          expect(['bom', 'utf-8', 'header', 'declaration', 'guess']).toContain(d.source);
        }),
        runs(200),
      );
    },
    testTimeout(),
  );

  it(
    'reads UTF-8 (with or without BOM) and BOM-marked UTF-16 exactly, whatever is declared',
    async () => {
      const exact = declaredBytes.filter((d) => {
        if (hasLoneSurrogate(d.text)) return false; // not representable in UTF-8 or UTF-16 bytes
        if (d.encoding === 'utf-8') return true;
        return (d.encoding === 'utf-16le' && d.bytes[0] === 0xff) || (d.encoding === 'utf-16be' && d.bytes[0] === 0xfe);
      });
      await fc.assert(
        fc.asyncProperty(exact, async ({ bytes, contentType, text }) => {
          expect((await withinTime(() => decodeBytes(bytes, contentType))).text).toBe(text.replace(/^\ufeff/, ''));
        }),
        runs(150),
      );
    },
    testTimeout(),
  );

  it(
    'reads correctly declared GBK Chinese exactly',
    async () => {
      const label = fc.constantFrom('gbk', 'GB2312', 'gb18030', 'GB_2312-80', 'csgb2312', 'x-gbk', 'chinese');
      const where = fc.constantFrom('header', 'meta', 'prolog');
      await fc.assert(
        fc.asyncProperty(gbkText(20), label, where, async (body, l, w) => {
          const text = w === 'meta' ? `<html><head><meta charset="${l}"></head><body>${body}` : w === 'prolog' ? `<?xml version="1.0" encoding="${l}"?><rss>${body}` : body;
          const bytes = encodeText(text, 'gbk');
          const decoded = await withinTime(() => decodeBytes(bytes, w === 'header' ? `text/html; charset=${l}` : null));
          expect(decoded.text).toBe(text);
        }),
        runs(100),
      );
    },
    testTimeout(),
  );
});
