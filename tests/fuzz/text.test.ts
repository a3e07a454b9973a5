// Fuzzing the text toolkit: dates, summaries, sentence spans, region tagging and script
// conversion, on text with astral characters, emoji sequences, combining marks, controls and
// half surrogate pairs. Each property is a promise some caller builds on (offsets that map
// back, budgets that Discord enforces, dates that toISOString accepts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SCRIPTS, type RegionTag } from '../../src/domain/types.js';
import { loadRegionsFile } from '../../src/app/services.js';
import { parseDate, plausibleDate } from '../../src/text/dates.js';
import { createGazetteer } from '../../src/text/gazetteer.js';
import { codePointLength } from '../../src/text/length.js';
import { homePlaces } from '../../src/text/references.js';
import { tagRegions, withAncestors } from '../../src/text/regions.js';
import { convert, detectScript, normalizeForMatch, t2s } from '../../src/text/script.js';
import { sentenceSpans } from '../../src/text/sentences.js';
import { DEFAULT_SUMMARY_BUDGET, extractiveSummary } from '../../src/text/summary.js';
import {
  TIME_ZONES,
  articleBody,
  dateString,
  hasLoneSurrogate,
  localDateFormats,
  offsetDateFormats,
  richText,
  runs,
  testTimeout,
  wallClock,
  withinTime,
} from './fuzz-config.js';

const gazetteer = createGazetteer(loadRegionsFile());
const zone = fc.constantFrom(...TIME_ZONES);
const MAX_DATE_MS = 8.64e15;

describe('fuzz: dates', () => {
  it(
    'parseDate never throws and yields null or a time Date can represent',
    async () => {
      const raw = fc.oneof(dateString, richText({ maxUnits: 20, lone: true }), fc.string({ unit: 'binary', maxLength: 40 }));
      await fc.assert(
        fc.asyncProperty(raw, zone, fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) }), async (s, tz, now) => {
          const t = await withinTime(() => parseDate(s, tz));
          if (t === null) return;
          expect(Number.isSafeInteger(t)).toBe(true);
          expect(Math.abs(t)).toBeLessThanOrEqual(MAX_DATE_MS);
          expect(() => new Date(t).toISOString()).not.toThrow();
          const p = plausibleDate(t, now);
          if (p !== null) {
            expect(p).toBe(t);
            expect(p).toBeGreaterThanOrEqual(Date.UTC(2000, 0, 1));
            expect(p).toBeLessThanOrEqual(now + 86_400_000);
          }
        }),
        runs(400),
      );
    },
    testTimeout(),
  );

  it(
    'reads real formats exactly: zone-less ones in the feed zone, offset ones anywhere',
    async () => {
      // Zones without daylight saving over the generated years (China's ended in 1991).
      const fixed: Record<string, number> = { 'Asia/Shanghai': 8, 'Asia/Taipei': 8, UTC: 0 };
      const recent = wallClock.filter((t) => t.y >= 1992);
      await fc.assert(
        fc.asyncProperty(recent, fc.constantFrom(...Object.keys(fixed)), zone, async (t, tz, anyZone) => {
          const wall = Date.UTC(t.y, t.mo - 1, t.d, t.h, t.mi, t.s);
          for (const s of localDateFormats(t)) {
            expect(await withinTime(() => parseDate(s, tz)), `${s} in ${tz}`).toBe(wall - fixed[tz]! * 3_600_000);
          }
          for (const s of offsetDateFormats(t)) {
            const want = wall - 8 * 3_600_000 + (s.includes('.250') ? 250 : 0);
            expect(parseDate(s, anyZone), `${s} in ${anyZone}`).toBe(want);
          }
        }),
        runs(150),
      );
    },
    testTimeout(),
  );
});

describe('fuzz: extractiveSummary', () => {
  const budget = fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: -5, max: 400 }) },
    { weight: 1, arbitrary: fc.constantFrom(0.5, 1.9, 2.5, 159.99, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, undefined) },
  );
  // Publication times as ingest can store them: a feed's plausible date, a page's (anything
  // parseDate accepts, unchecked), or none.
  const publishedAt = fc.oneof(
    fc.constant(null),
    fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2030, 0, 1) }),
    fc.integer({ min: -MAX_DATE_MS, max: MAX_DATE_MS }),
  );
  // Openings the summariser rewrites or strips, and one sentence longer than most budgets.
  const leads = fc.constantFrom('', '今天，', '昨天上午，', '前天', '我市', '本报讯（记者 张三）', '新华社北京5月6日电（记者 李四）', `${'嘉兴市举行项目观摩活动开展实地观摩并听取各地汇报'.repeat(8)}。`);
  const body = fc.tuple(fc.array(fc.tuple(leads, articleBody({ lone: true })), { maxLength: 4 })).map(([parts]) => parts.map(([l, b]) => l + b).join('\n'));
  const regions = fc.array(
    fc.record({ code: fc.constantFrom('330400', '330481', '310000', '110101', '810000', '710000', '999999'), confidence: fc.constant(1), source: fc.constantFrom<RegionTag['source']>('feed', 'breadcrumb', 'body') }),
    { maxLength: 3 },
  );

  it(
    'fits the budget in code points, splits no surrogate pair, is deterministic and quick',
    async () => {
      await fc.assert(
        fc.asyncProperty(richText({ maxUnits: 30 }), body, budget, fc.option(fc.tuple(publishedAt, zone, regions, fc.boolean()), { nil: undefined }), async (title, text, b, ctx) => {
          const context = ctx ? { publishedAt: ctx[0], timeZone: ctx[1], places: homePlaces(gazetteer, ctx[2], ctx[3]) } : undefined;
          const input = { title, body: text, budget: b, context };
          const out = await withinTime(() => extractiveSummary(input));
          // No budget, or one that is not a number, means the default; Infinity means none.
          const limit = b === undefined || Number.isNaN(b) ? DEFAULT_SUMMARY_BUDGET : Math.max(1, Math.floor(b));
          expect(codePointLength(out)).toBeLessThanOrEqual(limit);
          if (!hasLoneSurrogate(text)) expect(hasLoneSurrogate(out)).toBe(false);
          expect(extractiveSummary(input)).toBe(out);
        }),
        runs(200),
      );
    },
    testTimeout(),
  );
});

// Units the sentence splitter treats as blank between sentences (see isSpace there).
const BLANK = /^[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]*$/;

describe('fuzz: sentenceSpans', () => {
  it(
    'gives ordered, non-empty, trimmed spans that leave out only blanks and split no pair',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.oneof(articleBody({ lone: true }), richText({ maxUnits: 150, lone: true })), async (text) => {
          const spans = await withinTime(() => sentenceSpans(text));
          let prev = 0;
          for (const [s, e] of spans) {
            expect(s).toBeGreaterThanOrEqual(prev);
            expect(e).toBeGreaterThan(s);
            expect(e).toBeLessThanOrEqual(text.length);
            expect(BLANK.test(text.slice(prev, s)), `gap ${JSON.stringify(text.slice(prev, s))}`).toBe(true);
            expect(BLANK.test(text[s]!)).toBe(false);
            expect(BLANK.test(text[e - 1]!)).toBe(false);
            // A boundary between the halves of a surrogate pair would cut a character.
            for (const at of [s, e]) {
              const hi = text.charCodeAt(at - 1);
              const lo = text.charCodeAt(at);
              expect(hi >= 0xd800 && hi <= 0xdbff && lo >= 0xdc00 && lo <= 0xdfff, `cut at ${at}`).toBe(false);
            }
            prev = e;
          }
          expect(BLANK.test(text.slice(prev))).toBe(true);
        }),
        runs(250),
      );
    },
    testTimeout(),
  );
});

describe('fuzz: region tagging', () => {
  const names = fc.constantFrom('嘉兴', '嘉興市', '海宁', '南湖区', '浙江省嘉兴市', '上海', '北京', '城区', '鼓楼区', '香港', '臺北', '台中', '朝阳', '吉林', '长治久安', '我市', '杭州湾');
  const mixed = fc.array(fc.oneof(names, richText({ maxUnits: 6, lone: true })), { maxLength: 40 }).map((p) => p.join(''));
  const feedRegion = fc.constantFrom(null, undefined, '330400', '330481', '810000', '999999', '', 'x');

  it(
    'tags only real regions, once each, sorted by confidence, the feed region first when valid',
    async () => {
      await fc.assert(
        fc.asyncProperty(mixed, fc.oneof(mixed, articleBody({ lone: true })), fc.array(mixed, { maxLength: 4 }), feedRegion, async (title, body, breadcrumb, feed) => {
          const tags = await withinTime(() => tagRegions(gazetteer, { title, body, breadcrumb, feedRegion: feed }));
          const codes = tags.map((t) => t.code);
          expect(new Set(codes).size).toBe(codes.length);
          for (const t of tags) {
            expect(gazetteer.get(t.code)).toBeDefined();
            expect(t.confidence).toBeGreaterThan(0);
            expect(t.confidence).toBeLessThanOrEqual(1);
          }
          for (let i = 1; i < tags.length; i++) expect(tags[i - 1]!.confidence).toBeGreaterThanOrEqual(tags[i]!.confidence);
          const valid = !!feed && gazetteer.get(feed) !== undefined;
          expect(tags[0]?.source === 'feed' && tags[0].code === feed).toBe(valid);
          const all = withAncestors(gazetteer, tags);
          expect(new Set(all.map((t) => t.code)).size).toBe(all.length);
          for (const t of tags) for (const a of gazetteer.ancestors(t.code)) expect(all.some((x) => x.code === a.code)).toBe(true);
        }),
        runs(200),
      );
    },
    testTimeout(),
  );

  it(
    'resolveName never throws and returns gazetteer regions',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.oneof(mixed, fc.stringMatching(/^\d{6}$/)), async (q) => {
          for (const r of await withinTime(() => gazetteer.resolveName(q))) expect(gazetteer.get(r.code)).toBe(r);
        }),
        runs(200),
      );
    },
    testTimeout(),
  );
});

describe('fuzz: script conversion', () => {
  it(
    'normalizeForMatch keeps the length and is idempotent; t2s keeps the length; convert is total',
    async () => {
      const extra = fc.constantFrom('İ', 'ß', 'ǅ', 'ẞ', 'Σ', 'ﬃ', 'Å', '㍿', '〸', 'ｶ', '𝐀', '𐐀', '\u0130\u0307', '發財', '乾隆', '頭髮', '後天', '著作');
      const text = fc.array(fc.oneof(richText({ maxUnits: 10, lone: true }), extra), { maxLength: 30 }).map((p) => p.join(''));
      await fc.assert(
        fc.asyncProperty(text, fc.constantFrom(...SCRIPTS), async (s, script) => {
          const n = await withinTime(() => normalizeForMatch(s));
          expect(n.length).toBe(s.length);
          expect(normalizeForMatch(n)).toBe(n);
          expect(t2s(s).length).toBe(s.length);
          expect(typeof convert(s, script)).toBe('string');
          expect(convert(s, 'original')).toBe(s);
          expect(['traditional', 'simplified', 'mixed', 'none']).toContain(detectScript(s));
        }),
        runs(250),
      );
    },
    testTimeout(),
  );
});
