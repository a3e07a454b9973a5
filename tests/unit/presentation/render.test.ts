import { existsSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RegionTag, Script } from '../../../src/domain/types.js';
import { defaultScript, labelLanguage } from '../../../src/presentation/labels.js';
import { validateMessage, type Embed, type OutgoingMessage } from '../../../src/presentation/message.js';
import { renderDigest, renderStory, type RenderOptions } from '../../../src/presentation/render.js';
import { MAX_SUMMARY_BUDGET, createLongSummaries } from '../../../src/presentation/summaries.js';
import { formatLocalTime } from '../../../src/presentation/time.js';
import type { StoryView } from '../../../src/store/articles-repo.js';
import { createGazetteer } from '../../../src/text/gazetteer.js';
import { codePointLength } from '../../../src/text/length.js';
import { validateRegionsFile } from '../../../src/text/regions-schema.js';
import { extractiveSummary, type SummaryInput } from '../../../src/text/summary.js';

const gazetteer = createGazetteer(validateRegionsFile(JSON.parse(readFileSync('data/regions.json', 'utf8'))));
// The founding example lives next to the repository; tests that need it skip without it.
const SEED = 'tests/fixtures/seed/jiaxing-daily-2022-05-07.txt';
const PUBLISHED = Date.UTC(2022, 4, 7, 1, 23, 18); // 2022-05-07 09:23:18 in China

function story(over: Partial<StoryView> = {}): StoryView {
  return {
    storyId: 1,
    articleId: 1,
    feedId: 'jiaxing-daily',
    feedName: '嘉兴日报',
    title: '嘉兴市举行2022年度第一次“互学互比互赛”',
    url: 'https://www.cnjxol.com/xwzx/jxxw/202205/t20220507_123.shtml',
    summary: '嘉兴市举行2022年度第一次“互学互比互赛”活动，开展实地观摩。',
    text: '嘉兴市举行2022年度第一次“互学互比互赛”活动，开展实地观摩。',
    body: null,
    author: null,
    sourceOutlet: null,
    publishedAt: PUBLISHED,
    firstSeenAt: PUBLISHED + 60_000,
    script: 'simplified',
    postable: true,
    holdReason: null,
    regions: [],
    alsoReportedBy: [],
    ...over,
  };
}

const tag = (code: string, source: RegionTag['source'] = 'body', confidence = 0.8): RegionTag => ({ code, confidence, source });
const opts = (over: Partial<RenderOptions> = {}): RenderOptions => ({ script: 'original', timeZone: 'Asia/Shanghai', guildLocale: null, gazetteer, ...over });
const one = (m: OutgoingMessage): Embed => {
  expect(validateMessage(m)).toEqual([]);
  expect(m.embeds).toHaveLength(1);
  return m.embeds[0]!;
};
const field = (e: Embed, name: string): string | undefined => e.fields?.find((f) => f.name === name)?.value;
/** What a reader sees: markdown escapes and mention breakers removed. */
const visible = (s: string): string => s.replace(/\\([\\`*_~|[\]()<>#.+-])/g, '$1').replace(/\u200b/g, '');

describe('labels', () => {
  it('picks the label language from the script, then the guild locale', () => {
    expect(labelLanguage('cn', 'zh-TW')).toBe('zh-Hans');
    for (const s of ['tw', 'twp', 'hk'] as const) expect(labelLanguage(s, 'zh-CN')).toBe('zh-Hant');
    expect(labelLanguage('original', 'zh-TW')).toBe('zh-Hant');
    expect(labelLanguage('original', 'zh-CN')).toBe('zh-Hans');
    expect(labelLanguage('original', null)).toBe('zh-Hans');
    expect(labelLanguage('original', 'en-US')).toBe('en');
  });

  it('defaults the script from the guild locale', () => {
    expect(defaultScript('zh-CN')).toBe('cn');
    expect(defaultScript('zh-TW')).toBe('tw');
    expect(defaultScript('en-US')).toBe('original');
    expect(defaultScript(null)).toBe('original');
  });
});

describe('renderStory: scripts and labels', () => {
  // Taiwan-style Traditional, with ASCII and a URL that must come through untouched.
  const url = 'https://Example.com/News/2022/05?ID=AbC&x=Y';
  const trad = story({
    feedId: 'wz',
    feedName: '溫州新聞網',
    title: '溫州軟件園推進5G資訊化 Smart City',
    url,
    summary: '溫州軟件園今天發佈5G網絡計劃，詳見 https://Example.com/Plan?Q=1 。',
    script: 'traditional',
    regions: [tag('330302', 'feed', 1), tag('330300', 'ancestor', 1), tag('330000', 'ancestor', 1)],
  });

  const cases: [Script, string | null, { regions: string; source: string; title: string; path: string; summaryHas: string }][] = [
    ['cn', null, { regions: '地区', source: '来源', title: '温州软件园推进5G信息化 Smart City', path: '浙江省 › 温州市 › 鹿城区', summaryHas: '网络' }],
    ['tw', null, { regions: '地區', source: '來源', title: '溫州軟件園推進5G資訊化 Smart City', path: '浙江省 › 溫州市 › 鹿城區', summaryHas: '網絡' }],
    ['twp', null, { regions: '地區', source: '來源', title: '溫州軟體園推進5G資訊化 Smart City', path: '浙江省 › 溫州市 › 鹿城區', summaryHas: '網路' }],
    ['hk', null, { regions: '地區', source: '來源', title: '温州軟件園推進5G資訊化 Smart City', path: '浙江省 › 温州市 › 鹿城區', summaryHas: '網絡' }],
    ['original', 'zh-TW', { regions: '地區', source: '來源', title: trad.title, path: '浙江省 › 溫州市 › 鹿城區', summaryHas: '網絡' }],
    ['original', 'en-US', { regions: 'Regions', source: 'Source', title: trad.title, path: '浙江省 › 溫州市 › 鹿城區', summaryHas: '網絡' }],
  ];

  it.each(cases)('%s (locale %s)', (script, guildLocale, want) => {
    const e = one(renderStory(trad, opts({ script, guildLocale })));
    expect(e.title).toBe(want.title);
    expect(e.url).toBe(url);
    expect(field(e, want.regions)).toBe(want.path);
    expect(field(e, want.source)).toBeDefined();
    expect(visible(e.description!)).toContain(want.summaryHas);
    expect(visible(e.description!)).toContain('https://Example.com/Plan?Q=1');
  });

  it('keeps feed names as names: twp changes glyphs, not words', () => {
    const s = story({ feedName: '浙江在線', script: 'traditional' });
    expect(field(one(renderStory(s, opts({ script: 'twp' }))), '來源')).toBe('浙江在線');
    expect(field(one(renderStory(s, opts({ script: 'cn' }))), '来源')).toBe('浙江在线');
  });
});

describe('renderStory: content', () => {
  it('shows the seed story under 浙江省 › 嘉兴市 with its counties', () => {
    const s = story({
      regions: [tag('330400', 'feed', 1), tag('330411', 'body', 0.7), tag('330424', 'body', 0.6), tag('330000', 'ancestor', 1)],
    });
    const e = one(renderStory(s, opts({ script: 'cn' })));
    expect(field(e, '地区')).toBe('浙江省 › 嘉兴市 › 秀洲区、海盐县');
    expect(e.color).toBe(one(renderStory(story({ regions: [tag('330100')] }), opts())).color); // same province, same colour
    expect(e.color).not.toBe(one(renderStory(story({ regions: [tag('440300')] }), opts())).color);
  });

  it("shows the published time as Discord markup (each reader's own zone), plus an ISO timestamp", () => {
    const e = one(renderStory(story(), opts({ script: 'cn', timeZone: 'America/New_York' })));
    const unix = Math.floor(PUBLISHED / 1000);
    expect(field(e, '发布时间')).toBe(`<t:${unix}:f> (<t:${unix}:R>)`);
    expect(e.timestamp).toBe('2022-05-07T01:23:18.000Z');
    // Markup only where Discord renders it: never in the title, footer or author.
    expect(`${e.title}${e.footer?.text ?? ''}${e.author?.name ?? ''}`).not.toContain('<t:');
    // The compact form has the time in its footer, where markup shows raw: the server's clock.
    const compact = one(renderStory(story(), opts({ script: 'cn', timeZone: 'America/New_York', compact: true })));
    expect(compact.footer?.text).toBe('嘉兴日报 · 2022-05-06 21:23 UTC-4');
    expect(formatLocalTime(PUBLISHED, 'Asia/Kolkata')).toBe('2022-05-07 06:53 UTC+5:30');
    expect(formatLocalTime(PUBLISHED, 'Not/AZone')).toBe('2022-05-07 01:23 UTC');
    const undated = one(renderStory(story({ publishedAt: null }), opts()));
    expect(undated.timestamp).toBeUndefined();
  });

  it('drops links that are not http(s)', () => {
    for (const url of ['javascript:alert(1)', 'ftp://example.com/a', 'data:text/html,x', '//example.com/a', 'http://', 'not a url']) {
      expect(one(renderStory(story({ url }), opts())).url).toBeUndefined();
      const [digest] = renderDigest([story({ url })], { ...opts(), kind: 'burst' });
      expect(digest!.embeds[0]!.description).not.toContain('](');
    }
  });

  it('names the outlet when it differs from the feed, in any script', () => {
    const e = one(renderStory(story({ feedName: '浙江新闻', sourceOutlet: '嘉興日報' }), opts({ script: 'cn' })));
    expect(field(e, '来源')).toBe('浙江新闻（原载嘉兴日报）');
    const same = one(renderStory(story({ sourceOutlet: '嘉興日報' }), opts({ script: 'cn' })));
    expect(field(same, '来源')).toBe('嘉兴日报');
  });

  it('lists other outlets once each, never the primary feed', () => {
    const s = story({
      alsoReportedBy: [
        { feedId: 'jiaxing-daily', feedName: '嘉兴日报', url: null },
        { feedId: 'zjol', feedName: '浙江在线', url: 'https://zjol.example/a(1)' },
        { feedId: 'zjol', feedName: '浙江在线', url: null },
        { feedId: 'zjol-mirror', feedName: '浙江在線', url: null },
        { feedId: 'copy', feedName: '嘉興日報', url: null },
        { feedId: 'xinhua', feedName: '新华网', url: 'javascript:x' },
      ],
    });
    const e = one(renderStory(s, opts({ script: 'cn' })));
    expect(field(e, '另见')).toBe('[浙江在线](https://zjol.example/a%281%29)、新华网');
    expect(field(one(renderStory(story(), opts())), '另见')).toBeUndefined();
  });

  it('counts what does not fit: 200 regions, 100 other outlets', () => {
    const counties = gazetteer.children('330400').concat(gazetteer.children('330300'));
    const prefectures = gazetteer.provinces().flatMap((p) => gazetteer.children(p.code));
    const regions = [...counties, ...prefectures].slice(0, 200).map((r) => tag(r.code));
    const alsoReportedBy = Array.from({ length: 100 }, (_, i) => ({ feedId: `f${i}`, feedName: `报纸${i}`, url: `https://e.example/${i}` }));
    const e = one(renderStory(story({ regions, alsoReportedBy }), opts({ script: 'cn' })));
    expect(field(e, '地区')).toMatch(/另有 \d+ 个地区$/);
    expect(field(e, '另见')).toMatch(/等另外 95 家媒体$/);
  });

  it.skipIf(!existsSync(SEED))('honours the summary budget in code points, through the Summarizer port asked once per story', async () => {
    const body = readFileSync(SEED, 'utf8').split('\n').slice(6).join('\n');
    const stored = extractiveSummary({ title: '嘉兴', body });
    const s = story({ body, text: body, summary: stored, script: 'traditional', regions: [tag('330400', 'feed', 1)] });
    const asked: number[] = [];
    const summarizer = { summarize: async (input: SummaryInput) => (asked.push(input.budget ?? 0), extractiveSummary(input)) };
    const summaries = createLongSummaries({ summarizer, gazetteer });
    const seen: string[] = [];
    for (const summaryBudget of [40, 80, 160, 300, 400, 250]) {
      const longSummary = await summaries.forStory(s, summaryBudget);
      const d = visible(one(renderStory(s, opts({ script: 'cn', summaryBudget, longSummary }))).description!);
      expect(codePointLength(d)).toBeLessThanOrEqual(summaryBudget);
      expect(d).toMatch(/[。！？”…]$/);
      seen.push(d);
    }
    // Once, at the largest length a server may choose; shorter ones are cut from it or from the stored one.
    expect(asked).toEqual([MAX_SUMMARY_BUDGET]);
    expect(codePointLength(seen[4]!)).toBeGreaterThan(codePointLength(seen[2]!));
    expect(one(renderStory(s, opts())).description).toBe(stored);
  });

  it('cuts a summary at sentence bounds for a smaller budget', () => {
    // Five sentences of 50 code points each.
    const sentence = (n: number) => `第${n}句${'讲'.repeat(46)}。`;
    const long = [1, 2, 3, 4, 5].map(sentence).join('');
    const s = story({ summary: sentence(1) + sentence(2) });
    const at = (summaryBudget: number, longSummary?: string) => one(renderStory(s, opts({ summaryBudget, longSummary }))).description;
    expect(at(170, long)).toBe(sentence(1) + sentence(2) + sentence(3));
    expect(at(400, long)).toBe(long);
    // At or below the stored summary's budget the stored one is cut; a longer one is not used.
    expect(at(60, long)).toBe(sentence(1));
    expect(at(60)).toBe(sentence(1));
    // Without a longer summary (the port failed), the stored one is shown whole.
    expect(at(300)).toBe(sentence(1) + sentence(2));
    expect(at(300, '')).toBe(sentence(1) + sentence(2));
  });

  it('without a summary, uses the first sentences of the text within the budget', () => {
    const text = '第一句很短。第二句也不长。第三句长一点点但是也还好。第四句放不下了因为预算已经用完了啊。';
    const e = one(renderStory(story({ summary: null, text }), opts({ summaryBudget: 160 })));
    expect(e.description).toBe(text);
    const short = one(renderStory(story({ summary: null, text: text.repeat(20) }), opts()));
    expect(codePointLength(short.description!)).toBeLessThanOrEqual(160);
    expect(short.description!.endsWith('。')).toBe(true);
  });

  it('cuts a huge title on a sentence or character boundary, never inside a pair', () => {
    const e = one(renderStory(story({ title: `${'𠀀😀'.repeat(3000)}` }), opts()));
    expect(e.title!.length).toBeLessThanOrEqual(256);
    expect(e.title!.endsWith('…')).toBe(true);
    expect(/[\ud800-\udbff]…$/.test(e.title!)).toBe(false);
    const withSentence = one(renderStory(story({ title: `${'很长的标题'.repeat(30)}。${'后面'.repeat(200)}` }), opts()));
    expect(withSentence.title!.endsWith('。…')).toBe(true);
  });

  it('always has a title and disables mentions', () => {
    const m = renderStory(story({ title: '  \n ', summary: null, text: '', feedName: '' }), opts({ guildLocale: 'en-US' }));
    expect(one(m).title).toBe('(untitled)');
    expect(m.allowed_mentions).toEqual({ parse: [] });
    expect(m.content ?? '').toBe('');
  });

  it('compact render keeps title, link and a short description', () => {
    const e = one(renderStory(story({ summary: '长'.repeat(3000) }), opts({ compact: true, summaryBudget: 3000 })));
    expect(e.fields).toBeUndefined();
    expect(e.url).toBeDefined();
    expect(e.description!.length).toBeLessThanOrEqual(1024);
    expect(e.footer?.text).toContain('嘉兴日报');
  });
});

describe('renderDigest', () => {
  const many = (n: number, over: (i: number) => Partial<StoryView> = () => ({})) =>
    Array.from({ length: n }, (_, i) => story({ storyId: i, title: `新闻标题第${i}条`, url: `https://example.com/${i}`, ...over(i) }));
  const lines = (msgs: OutgoingMessage[]) => msgs.flatMap((m) => m.embeds.flatMap((e) => (e.description ?? '').split('\n'))).filter((l) => l.startsWith('• '));

  it('rolls stories into one message with a counted title', () => {
    const msgs = renderDigest(many(12), { ...opts({ script: 'cn' }), kind: 'burst' });
    expect(msgs).toHaveLength(1);
    expect(validateMessage(msgs[0]!)).toEqual([]);
    expect(msgs[0]!.embeds[0]!.title).toBe('又有 12 条新闻');
    expect(lines(msgs)[3]).toBe('• [新闻标题第3条](https://example.com/3) — 嘉兴日报');
    expect(msgs[0]!.allowed_mentions).toEqual({ parse: [] });
  });

  it('titles a scheduled digest with its count and period', () => {
    const since = Date.UTC(2022, 4, 6, 0, 0);
    const [m] = renderDigest(many(3), { ...opts({ script: 'tw' }), kind: 'scheduled', since });
    expect(m!.embeds[0]!.title).toBe('3 則新聞彙整 · 自 2022-05-06 08:00 UTC+8 以來');
    const [en] = renderDigest(many(1), { ...opts({ guildLocale: 'en-US' }), kind: 'scheduled', since: null });
    expect(en!.embeds[0]!.title).toBe('1 story in brief');
  });

  it('escapes markdown so a title cannot break its link', () => {
    const [m] = renderDigest([story({ title: 'a](https://evil.example) *b* _c_ ~d~ `e` |f| \\ @everyone @here' })], { ...opts(), kind: 'burst' });
    const line = lines([m!])[0]!;
    expect(line).toBe(
      '• [a\\]\\(https://evil.example\\) \\*b\\* \\_c\\_ \\~d\\~ \\`e\\` \\|f\\| \\\\ @\u200beveryone @\u200bhere](https://www.cnjxol.com/xwzx/jxxw/202205/t20220507_123.shtml) — 嘉兴日报',
    );
    // The only unescaped "](" is the real one.
    expect(line.match(/(?<!\\)\]\(/g)).toHaveLength(1);
  });

  it('splits over messages and counts, never silently drops, past the cap', () => {
    const long = (i: number) => ({ title: `${'很长的标题'.repeat(30)}${i}`, url: `https://example.com/${'x'.repeat(400)}/${i}` });
    const msgs = renderDigest(many(1000, long), { ...opts({ script: 'cn' }), kind: 'burst' });
    expect(msgs.length).toBeGreaterThan(1);
    for (const m of msgs) expect(validateMessage(m)).toEqual([]);
    expect(msgs[1]!.embeds[0]!.title).toBe('（续）');
    const last = msgs.at(-1)!.embeds.at(-1)!.description!;
    const hidden = Number(/另有 (\d+) 条新闻未列出$/.exec(last)?.[1]);
    expect(lines(msgs).length + hidden).toBe(1000);
  });

  it('returns nothing for no stories', () => {
    expect(renderDigest([], { ...opts(), kind: 'burst' })).toEqual([]);
  });
});

describe('whatever the input, messages pass validateMessage', () => {
  const unit = fc.oneof(
    { weight: 4, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
    { weight: 2, arbitrary: fc.constantFrom('嘉', '興', '市', '。', '，', '！', '”', '“', '\n', ' ', '😀', '👨‍👩‍👧', '𠀀', '*', '[', ']', '(', ')', '_', '`', '\\', '@everyone', '\u0301', '\u200d') },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) }, // lone surrogates, controls
  );
  const text = (max: number) => fc.oneof(fc.string({ unit, maxLength: max }), fc.string({ unit, minLength: 2000, maxLength: 12_000 }));
  const urls = fc.oneof(fc.constant(null), fc.webUrl(), fc.string({ unit, maxLength: 60 }), fc.constantFrom('javascript:x', 'https://a.example/(x)', `https://a.example/${'p'.repeat(3000)}`));
  const codes = fc.constantFrom('330400', '330411', '330000', '810000', '710000', '999999', '110101', '440300');
  const anyStory = fc.record({
    title: text(300),
    url: urls,
    summary: fc.oneof(fc.constant(null), text(400)),
    text: text(600),
    body: fc.oneof(fc.constant(null), text(600)),
    feedName: text(100),
    sourceOutlet: fc.oneof(fc.constant(null), text(100)),
    publishedAt: fc.oneof(fc.constant(null), fc.integer({ min: -1e15, max: 1e15 }), fc.constant(Number.NaN)),
    regions: fc.array(codes.map((c) => tag(c)), { maxLength: 30 }),
    alsoReportedBy: fc.array(fc.record({ feedId: fc.string({ maxLength: 4 }), feedName: text(80), url: urls }), { maxLength: 30 }),
  });
  const anyOpts = fc.record({
    script: fc.constantFrom<Script>('original', 'cn', 'tw', 'twp', 'hk'),
    timeZone: fc.constantFrom('Asia/Shanghai', 'America/St_Johns', 'UTC', 'bogus'),
    guildLocale: fc.constantFrom(null, 'zh-CN', 'zh-TW', 'en-US'),
    summaryBudget: fc.oneof(fc.constant(undefined), fc.integer({ min: -5, max: 5000 })),
    compact: fc.boolean(),
  });

  it('renderStory', () => {
    fc.assert(
      fc.property(anyStory, anyOpts, (s, o) => {
        const m = renderStory(story(s), { ...o, gazetteer });
        expect(validateMessage(m)).toEqual([]);
        expect(m.allowed_mentions).toEqual({ parse: [] });
        expect(m.embeds[0]!.title || m.embeds[0]!.description).toBeTruthy();
      }),
      { numRuns: 150 },
    );
    // Thousands of large renders: seconds on a quiet machine, tens of seconds on a loaded one.
  }, 180_000);

  it('renderDigest', () => {
    fc.assert(
      fc.property(fc.array(anyStory, { minLength: 1, maxLength: 60 }), anyOpts, fc.constantFrom('burst' as const, 'scheduled' as const), (list, o, kind) => {
        const msgs = renderDigest(list.map((s) => story(s)), { ...o, gazetteer, kind, since: PUBLISHED });
        expect(msgs.length).toBeGreaterThan(0);
        for (const m of msgs) expect(validateMessage(m)).toEqual([]);
      }),
      { numRuns: 40 },
    );
  }, 180_000);
});
