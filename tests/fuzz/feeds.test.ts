// Fuzzing the feed side: parseFeed on damaged RSS/Atom/RDF, the same documents as bytes
// under lying charsets, quickGuids against the full parse, URL canonicalisation and item
// identity. parseFeed's contract is narrow on purpose (resolve, or reject with FeedError),
// because the poll loop turns anything else into an unhandled failure of the whole run.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FeedError } from '../../src/feeds/errors.js';
import { parseFeed, type ParsedFeed } from '../../src/feeds/parse.js';
import { quickGuids } from '../../src/feeds/quick-keys.js';
import { canonicalUrl } from '../../src/feeds/url.js';
import { bigrams, dice, itemKey, titleKey } from '../../src/ingest/identity.js';
import { decodeBytes } from '../../src/text/charset.js';
import { CHARSET_LABELS, TIME_ZONES, feedDocument, gbkText, hostileXml, richText, runs, testTimeout, withinTime } from './fuzz-config.js';

const NOW = Date.UTC(2026, 10, 28, 4, 0, 0);
const EARLIEST = Date.UTC(2000, 0, 1);
const zone = fc.constantFrom(...TIME_ZONES);
const baseUrl = fc.constantFrom(undefined, 'https://news.example.cn/rss/local.xml', 'http://例子.中国/feed', 'https://e.cn/a/b/?x=1#y');

type Outcome = { ok: true; feed: ParsedFeed } | { ok: false; error: unknown };

async function parseOutcome(xml: string, timeZone: string, base?: string): Promise<Outcome> {
  return withinTime(async () => {
    try {
      return { ok: true as const, feed: await parseFeed(xml, { timeZone, now: NOW, baseUrl: base }) };
    } catch (error) {
      return { ok: false as const, error };
    }
  });
}

/** Everything parseFeed promises about a result or a failure. */
function checkOutcome(out: Outcome): void {
  if (!out.ok) {
    expect(out.error).toBeInstanceOf(FeedError);
    const e = out.error as FeedError;
    expect(['malformed', 'not-a-feed']).toContain(e.kind);
    // Shown to server admins: short, one line, no echo of the document.
    expect(e.message.length).toBeGreaterThan(0);
    expect(e.message.length).toBeLessThanOrEqual(200);
    expect(e.message).not.toMatch(/[\n\r]/);
    return;
  }
  const { feed } = out;
  expect(['rss', 'atom', 'rdf']).toContain(feed.format);
  expect(feed.title === null || (typeof feed.title === 'string' && feed.title.length > 0)).toBe(true);
  expect(feed.warnings.length).toBeLessThanOrEqual(21);
  for (const w of feed.warnings) expect(typeof w).toBe('string');
  for (const item of feed.items) {
    expect(typeof item.title).toBe('string');
    expect(typeof item.html).toBe('string');
    expect(typeof item.text).toBe('string');
    if (item.guid !== null) expect(item.guid).toBe(item.guid.trim());
    if (item.guid !== null) expect(item.guid.length).toBeGreaterThan(0);
    if (item.link !== null) expect(new URL(item.link).protocol).toMatch(/^https?:$/);
    if (item.publishedAt !== null) {
      expect(Number.isSafeInteger(item.publishedAt)).toBe(true);
      expect(item.publishedAt).toBeGreaterThanOrEqual(EARLIEST);
      expect(item.publishedAt).toBeLessThanOrEqual(NOW + 86_400_000);
    }
    expect(item.dateRaw === null || typeof item.dateRaw === 'string').toBe(true);
    expect(item.author === null || item.author.length > 0).toBe(true);
  }
}

/** `sub` appears in `seq` in order (items parseFeed drops may leave gaps). */
function isSubsequence(sub: readonly (string | null)[], seq: readonly string[]): boolean {
  let j = 0;
  for (const x of sub) {
    while (j < seq.length && seq[j] !== x) j++;
    if (j === seq.length) return false;
    j++;
  }
  return true;
}

describe('fuzz: parseFeed', () => {
  it(
    'resolves or rejects with a FeedError, within the time bound, on damaged feeds',
    async () => {
      await fc.assert(
        fc.asyncProperty(hostileXml, zone, baseUrl, async (xml, tz, base) => checkOutcome(await parseOutcome(xml, tz, base))),
        runs(250),
      );
    },
    testTimeout(),
  );

  it(
    'reads every clean document (what a careful CMS writes) without an error',
    async () => {
      const clean = feedDocument.filter((d) => !d.messy);
      await fc.assert(
        fc.asyncProperty(clean, zone, async (doc, tz) => {
          const out = await parseOutcome(doc.xml, tz);
          expect(out.ok, out.ok ? '' : String(out.error)).toBe(true);
          checkOutcome(out);
        }),
        runs(150),
      );
    },
    testTimeout(),
  );

  it(
    'keeps the contract for feeds decoded from bytes under wrong charset declarations',
    async () => {
      const encodings = fc.constantFrom('utf-8', 'utf-16le', 'latin1');
      const header = fc.option(fc.constantFrom(...CHARSET_LABELS).map((l) => `application/rss+xml; charset=${l}`), { nil: null });
      await fc.assert(
        fc.asyncProperty(feedDocument, encodings, header, zone, async (doc, enc, contentType, tz) => {
          const bytes = Buffer.from(doc.xml, enc === 'latin1' ? 'latin1' : enc === 'utf-16le' ? 'utf16le' : 'utf8');
          const decoded = decodeBytes(bytes, contentType);
          checkOutcome(await parseOutcome(decoded.text, tz));
        }),
        runs(80),
      );
    },
    testTimeout(),
  );

  it(
    'quickGuids, when it answers, lists the guids the full parse reads, in order',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.oneof(feedDocument.map((d) => d.xml), hostileXml), async (xml) => {
          const quick = await withinTime(() => quickGuids(xml));
          if (quick === null) return;
          const out = await parseOutcome(xml, 'Asia/Shanghai');
          if (!out.ok) return;
          const parsed = out.feed.items.map((i) => i.guid);
          // A skipped parse is only safe if every item the parse would store is among them.
          expect(isSubsequence(parsed, quick), `parse ${JSON.stringify(parsed)} vs quick ${JSON.stringify(quick)}`).toBe(true);
        }),
        runs(250),
      );
    },
    testTimeout(),
  );
});

describe('fuzz: UTF-8 feeds with invalid bytes', () => {
  // What a CMS leaves behind: stray continuation bytes, bytes UTF-8 never uses, and the first
  // bytes of a character it cut while truncating (中 is E4 B8 AD, 😀 is F0 9F 98 80).
  const BAD = [[0x80], [0xbf], [0xc0], [0xc1], [0xf5], [0xfe], [0xff], [0xe4], [0xe4, 0xb8], [0xf0, 0x9f], [0xf0, 0x9f, 0x98]];
  const squash = (s: string): string => s.replace(/[\s\ufffd]/g, '');
  const feedBytes = (declared: boolean, items: Array<{ title: string; text: string }>, bad: Map<string, number[][]>): Buffer => {
    const parts: Buffer[] = [Buffer.from(`${declared ? '<?xml version="1.0" encoding="UTF-8"?>' : ''}<rss version="2.0"><channel><title>测试</title>`)];
    items.forEach((it, i) => {
      parts.push(Buffer.from(`<item><guid>g${i}</guid><title>${it.title}</title><description>`));
      // Invalid bytes go between characters of the description; their positions are keys "item:char".
      [...it.text].forEach((ch, j) => {
        for (const seq of bad.get(`${i}:${j}`) ?? []) parts.push(Buffer.from(seq));
        parts.push(Buffer.from(ch));
      });
      parts.push(Buffer.from('</description></item>'));
    });
    parts.push(Buffer.from('</channel></rss>'));
    return Buffer.concat(parts);
  };

  it(
    'valid UTF-8 Chinese feed + k random invalid bytes: every item survives, every other character right',
    async () => {
      const items = fc.array(fc.record({ title: gbkText(2), text: gbkText(10) }), { minLength: 1, maxLength: 8 });
      await fc.assert(
        fc.asyncProperty(
          items,
          fc.boolean(),
          fc.array(fc.tuple(fc.nat(), fc.nat(), fc.constantFrom(...BAD)), { minLength: 1, maxLength: 3 }),
          async (docItems, declared, damage) => {
            const bad = new Map<string, number[][]>();
            for (const [i, j, seq] of damage) {
              const item = i % docItems.length;
              const key = `${item}:${j % [...docItems[item]!.text].length}`;
              bad.set(key, [...(bad.get(key) ?? []), seq]);
            }
            const clean = await parseFeed(decodeBytes(feedBytes(declared, docItems, new Map())).text, { timeZone: 'UTC', now: NOW });
            const decoded = await withinTime(() => decodeBytes(feedBytes(declared, docItems, bad)));
            expect(decoded.charset).toBe('utf-8');
            expect(decoded.warnings.some((w) => w.includes('replaced with U+FFFD'))).toBe(true);
            const damaged = await parseFeed(decoded.text, { timeZone: 'UTC', now: NOW });
            expect(damaged.items.map((i) => i.guid)).toEqual(clean.items.map((i) => i.guid));
            expect(damaged.items.map((i) => i.title)).toEqual(clean.items.map((i) => i.title));
            for (const [n, item] of damaged.items.entries()) expect(squash(item.text)).toBe(squash(clean.items[n]!.text));
          },
        ),
        runs(150),
      );
    },
    testTimeout(),
  );
});

describe('fuzz: canonicalUrl', () => {
  const TRACKING = ['utm_source=wx', 'spm=a.b.c', 'from=timeline', 'isappinstalled=0', 'UTM_Medium=x', '%75tm_x=1', 'a=1', 'b=%E4%B8%AD', 'c', '=', '&&', 'a=2', 'x=%zz', '__biz=MzA', 'sn=abc'];
  const rawUrl = fc.oneof(
    fc.webUrl({ withQueryParameters: true, withFragments: true, validSchemes: ['http', 'https'] }),
    fc
      .tuple(
        fc.constantFrom('https://Example.COM:443', 'http://example.cn:80', 'HTTPS://例子.中国.', 'https://user:pw@e.cn', 'https://e.cn', 'http://[::1]:8080', 'https://1.2.3.4'),
        fc.constantFrom('', '/', '/A/b', '/新闻/2022', '/a%20b', '/a b', '/../x', '/%E4%B8%AD'),
        fc.array(fc.constantFrom(...TRACKING), { maxLength: 6 }),
        fc.constantFrom('', '#top', '#', '#中'),
      )
      .map(([origin, path, query, hash]) => `${origin}${path}${query.length ? `?${query.join('&')}` : ''}${hash}`),
    fc.constantFrom('javascript:alert(1)', 'mailto:a@b.cn', 'ftp://e.cn/x', '/relative', '', '   ', 'http://', 'https://e.cn/' + '字'.repeat(3000)),
    richText({ maxUnits: 12 }),
  );
  const base = fc.constantFrom(undefined, 'https://news.example.cn/a/b.html', 'not a url', 'http://e.cn');

  it(
    'never throws, yields an absolute http(s) URL or null, and is idempotent',
    async () => {
      await fc.assert(
        fc.asyncProperty(rawUrl, base, async (raw, b) => {
          const once = await withinTime(() => canonicalUrl(raw, b));
          if (once === null) return;
          const url = new URL(once);
          expect(['http:', 'https:']).toContain(url.protocol);
          expect(url.hash).toBe('');
          expect(url.username + url.password).toBe('');
          expect(canonicalUrl(once)).toBe(once);
        }),
        runs(400),
      );
    },
    testTimeout(),
  );
});

describe('fuzz: item identity', () => {
  it(
    'titleKey is total and stable; itemKey is bounded and prefixed; dice is a similarity',
    async () => {
      const text = richText({ maxUnits: 40, lone: true });
      await fc.assert(
        fc.asyncProperty(text, text, fc.option(text, { nil: null }), fc.option(text, { nil: null }), fc.option(text, { nil: null }), async (t1, t2, guid, url, dateRaw) => {
          const k1 = await withinTime(() => titleKey(t1));
          expect(titleKey(k1)).toBe(k1);
          const key = itemKey({ guid, canonicalUrl: url, title: t1, dateRaw });
          expect(key).toMatch(/^(?:g:|g#|u:|u#|t#)/);
          expect(key.length).toBeLessThanOrEqual(202);
          const a = bigrams(k1);
          const b = bigrams(titleKey(t2));
          const d = dice(a, b);
          expect(d).toBeGreaterThanOrEqual(0);
          expect(d).toBeLessThanOrEqual(1);
          expect(dice(b, a)).toBe(d);
          if (a.size > 0) expect(dice(a, a)).toBe(1);
        }),
        runs(300),
      );
    },
    testTimeout(),
  );
});
