// Fuzzing search on a small real database (FTS5 and all). A slash command hands the user's
// text and options straight to search(), so every request must come back as a result or as
// one of the documented errors: an exception here is an "interaction failed" in Discord.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCRIPTS } from '../../src/domain/types.js';
import { createSearch, MAX_LIMIT, type SearchRequest, type SearchResponse } from '../../src/store/sqlite-search/query.js';
import { normalizeForMatch } from '../../src/text/script.js';
import { createTestStore, T0, type TestStore } from '../helpers/articles.js';
import { FUZZ, articleBody, hasLoneSurrogate, richText, runs, searchQuery, testTimeout, withinTime } from './fuzz-config.js';

const DAY = 86_400_000;
const ERRORS = ['empty-query', 'too-long', 'no-terms', 'too-many-terms', 'too-broad', 'bad-region', 'bad-feed', 'bad-range', 'bad-script', 'bad-cursor'];
const FEEDS = ['jiaxing-daily', 'hangzhou', '嘉興新聞', 'x"y\'z'];
const REGIONS = ['330400', '330411', '330481', '330100', '310000', '810000'];

let store: TestStore;
let search: (q: SearchRequest) => SearchResponse;
const corpus: { id: number; title: string; body: string }[] = [];

const FIXED = [
  ['嘉兴市举行2022年度第一次“互学互比互赛”', '立夏一过，万物自此走向繁茂。秀洲区天鹅湖畔的长三角智慧产业园一期南区项目，是此次活动的第一站。'],
  ['嘉興市舉行項目觀摩活動', '秀洲區天鵝湖畔的浙江（嘉興）長三角智慧産業園，是此次活動的第一站。'],
  ['海宁市召开经济工作会议', '海宁市部署全年工作，iPhone 15 产业链项目签约，投资2022万元。'],
  ['Operators', 'NEAR(x) "OR" a:b ^c title:body AND NOT * - "" ““ 」'],
  ['', ''],
  ['😀👨‍👩‍👧𠀀𪚥', '\u0000\u0007\u200b\ufeff e\u0301 ﷐ 𠀀嘉'],
];

beforeAll(() => {
  store = createTestStore();
  for (const f of FEEDS) store.addFeed(f, `${f} 日报`);
  const add = (title: string, body: string, i: number) => {
    const { articleId } = store.add({
      title,
      body,
      feedId: FEEDS[i % FEEDS.length],
      regions: [REGIONS[i % REGIONS.length]!],
      publishedAt: i % 7 === 0 ? null : T0 - (i % 11) * DAY,
    });
    corpus.push({ id: articleId, title, body });
  };
  FIXED.forEach(([t, b], i) => add(t!, b!, i));
  // Generated articles, the same ones on every run of a seed, lone surrogates included.
  const generated = fc.sample(fc.tuple(richText({ maxUnits: 20, lone: true }), articleBody({ lone: true })), { numRuns: 40, seed: FUZZ.seed });
  generated.forEach(([t, b], i) => add(t, b, FIXED.length + i));
  search = createSearch(store.db, { now: () => T0 + DAY, knownRegion: (c) => c !== '999999' }).search;
});
afterAll(() => store.close());

const time = fc.oneof(
  fc.integer({ min: T0 - 30 * DAY, max: T0 + DAY }),
  fc.double(),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MAX_SAFE_INTEGER, -0, 0, 8.64e15, -8.64e15),
);
const cursorText = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.base64String({ maxLength: 40 }),
  fc
    .record({
      k: fc.constantFrom('n', 'r', 'x', 1, null),
      d: fc.oneof(fc.integer(), fc.double(), fc.constant(Number.MAX_SAFE_INTEGER + 2), fc.string()),
      s: fc.oneof(fc.double(), fc.string()),
      t: fc.oneof(fc.double(), fc.integer({ min: -8.64e15, max: 8.64e15 })),
    }, { requiredKeys: [] })
    .map((c) => Buffer.from(JSON.stringify(c), 'utf8').toString('base64url')),
  fc.constantFrom('', 'null', '{}', 'eyJrIjoibiJ9', 'eyJrIjoibiIsImQiOjF9', '%%%'),
);

/** Mostly `typical`, now and then `hostile`: most requests must get past validation to the SQL. */
const mostly = <T, U>(typical: fc.Arbitrary<T>, hostile: fc.Arbitrary<U>): fc.Arbitrary<T | U | undefined> =>
  fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 4, arbitrary: typical }, { weight: 1, arbitrary: hostile });

/** What a slash command could pass on: any values, not only the typed ones. */
const request = fc
  .record({
    query: searchQuery,
    regions: mostly(
      fc.array(fc.constantFrom(...REGIONS, '330000'), { maxLength: 3 }),
      fc.array(fc.oneof(fc.constantFrom(...REGIONS, '999999'), fc.stringMatching(/^\d{6}$/), fc.string({ maxLength: 8 })), { maxLength: 60 }),
    ),
    feedIds: mostly(fc.array(fc.constantFrom(...FEEDS), { maxLength: 2 }), fc.array(fc.oneof(fc.constantFrom(...FEEDS, 'nope'), fc.string({ maxLength: 8 })), { maxLength: 55 })),
    since: mostly(fc.integer({ min: T0 - 30 * DAY, max: T0 + DAY }), time),
    until: mostly(fc.integer({ min: T0 - 10 * DAY, max: T0 + 2 * DAY }), time),
    sort: mostly(fc.constantFrom('newest', 'relevance'), fc.constantFrom('bogus', '')),
    script: mostly(fc.constantFrom(...SCRIPTS), fc.constantFrom('bogus', '', 'CN')),
    limit: mostly(fc.integer({ min: 1, max: 25 }), fc.oneof(fc.integer({ min: -5, max: 100 }), fc.double(), fc.constant(Number.NaN))),
    cursor: mostly(fc.constant(null), cursorText),
  })
  .map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as unknown as SearchRequest);

const effectiveLimit = (limit: unknown): number => Math.min(MAX_LIMIT, Math.max(1, Math.floor(typeof limit === 'number' && Number.isFinite(limit) ? limit : 5)));

function checkResponse(res: SearchResponse, q: SearchRequest): void {
  if (!res.ok) {
    expect(ERRORS).toContain(res.error);
    expect(res.message.length).toBeGreaterThan(0);
    return;
  }
  expect(res.items.length).toBeLessThanOrEqual(effectiveLimit(q.limit));
  expect(res.nextCursor === null || typeof res.nextCursor === 'string').toBe(true);
  for (const hit of res.items) {
    const source = corpus.find((c) => c.id === hit.articleId);
    expect(source).toBeDefined();
    expect(typeof hit.title).toBe('string');
    expect(typeof hit.snippet).toBe('string');
    if (!hasLoneSurrogate(source!.body)) expect(hasLoneSurrogate(hit.snippet), hit.snippet).toBe(false);
    expect(Array.isArray(hit.regions)).toBe(true);
  }
}

describe('fuzz: search', () => {
  it(
    'answers every request with results or a documented error, within the time bound',
    async () => {
      await fc.assert(
        fc.asyncProperty(request, async (q) => {
          checkResponse(await withinTime(() => search(q)), q);
        }),
        runs(300),
      );
    },
    testTimeout(),
  );

  it(
    'accepts every cursor it hands out, and the next page repeats nothing',
    async () => {
      const paging = fc.record({
        query: fc.oneof(searchQuery, fc.constantFrom('嘉兴', '市', 'SKU', '秀洲 -海宁', '"嘉兴市"', '嘉 兴', 'a')),
        sort: fc.constantFrom<'newest' | 'relevance'>('newest', 'relevance'),
        limit: fc.integer({ min: 1, max: 4 }),
        script: fc.constantFrom(...SCRIPTS),
      });
      await fc.assert(
        fc.asyncProperty(paging, async (q) => {
          const seen = new Set<number>();
          let cursor: string | null = null;
          for (let page = 0; page < 30; page++) {
            const res = await withinTime(() => search({ ...q, cursor }));
            checkResponse(res, q);
            if (!res.ok) {
              expect(page === 0, `page ${page}: ${res.error}`).toBe(true);
              return;
            }
            for (const hit of res.items) {
              expect(seen.has(hit.articleId), `article ${hit.articleId} again on page ${page}`).toBe(false);
              seen.add(hit.articleId);
            }
            if (!res.nextCursor) return;
            cursor = res.nextCursor;
          }
        }),
        runs(100),
      );
    },
    testTimeout(),
  );

  it(
    'finds a run of Chinese characters in the article it was taken from, and only where it occurs',
    async () => {
      // Format characters are skipped by the tokenizer, so they cannot separate a match.
      const plain = (s: string): string => normalizeForMatch(s).replace(/\p{Cf}/gu, '');
      const pick = fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 2, max: 4 }), fc.boolean());
      await fc.assert(
        fc.asyncProperty(pick, async ([a, at, n, inTitle]) => {
          const source = corpus[a % corpus.length]!;
          const runs = plain(inTitle ? source.title : source.body).match(/\p{Script=Han}{2,}/gu) ?? [];
          if (runs.length === 0) return;
          const chars = [...runs[at % runs.length]!];
          const start = at % Math.max(1, chars.length - n + 1);
          const q = chars.slice(start, start + n).join('');
          if ([...q].length < 2) return;
          const found = new Set<number>();
          let cursor: string | null = null;
          do {
            const res = await withinTime(() => search({ query: q, limit: MAX_LIMIT, cursor }));
            expect(res.ok, JSON.stringify(res)).toBe(true);
            if (!res.ok) return;
            for (const hit of res.items) {
              const doc = corpus.find((c) => c.id === hit.articleId)!;
              expect(plain(doc.title).includes(q) || plain(doc.body).includes(q), `${q} in article ${doc.id}`).toBe(true);
              found.add(hit.articleId);
            }
            cursor = res.nextCursor;
          } while (cursor);
          expect(found.has(source.id), `${q} from article ${source.id}`).toBe(true);
        }),
        runs(150),
      );
    },
    testTimeout(),
  );
});
