// Shared settings and generators for the fuzz suite. `npm test` runs every property with the
// fixed seed below and a modest number of runs, so a failure there is reproducible from the
// log; `npm run fuzz` sets FUZZ_RUNS for a longer search, and FUZZ_SEED explores elsewhere.
// The generators aim at what feeds and pages really get wrong (entities, CDATA, lying
// charsets, tag soup, mutated dates) rather than at uniform noise, which parsers reject on
// the first byte and so never exercise anything deeper.
import fc from 'fast-check';
import { encodeBig5, encodeGb18030 } from '../fakes/gbk.js';

export const FUZZ = {
  seed: Number(process.env.FUZZ_SEED ?? 20261128),
  numRuns: (base: number): number => (process.env.FUZZ_RUNS ? Number(process.env.FUZZ_RUNS) : base),
};

/** fc.assert parameters: the suite's seed and the run count for this property. */
export const runs = (base: number): { seed: number; numRuns: number } => ({ seed: FUZZ.seed, numRuns: FUZZ.numRuns(base) });

/**
 * Vitest's per-test limit: a long `npm run fuzz` must not be cut off at the 30 s default,
 * while the default still catches a property that is far slower than planned.
 */
export const testTimeout = (): number => (process.env.FUZZ_RUNS ? 3_600_000 : 60_000);

/**
 * Per-input bound of the hang guard. Generous on purpose: a loaded 2-core CI box must never
 * trip it, only catastrophic backtracking or a promise that never settles.
 */
export const HANG_MS = 2_000;

/**
 * Runs `fn` (sync or async) and fails when it takes longer than `ms`. A promise that never
 * settles is failed when the bound expires; synchronous work cannot be interrupted, so it is
 * measured and failed afterwards. Errors from `fn` propagate unchanged.
 */
export async function withinTime<T>(fn: () => T | Promise<T>, ms: number = HANG_MS): Promise<T> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no result after ${ms} ms (hang guard)`)), ms);
  });
  try {
    const value = await Promise.race([Promise.resolve().then(fn), expired]);
    const took = performance.now() - started;
    if (took > ms) throw new Error(`took ${Math.round(took)} ms, over the ${ms} ms hang guard`);
    return value;
  } finally {
    clearTimeout(timer);
  }
}

/** Half surrogates, for callers that must survive them (DB text, Discord output). */
export const LONE_SURROGATES = ['\ud800', '\udbff', '\udc00', '\udfff', '\ud83d', '\ude00'];
const LONE_SURROGATE_RE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
export const hasLoneSurrogate = (s: string): boolean => LONE_SURROGATE_RE.test(s);
/** What text that went through UTF-8 (a Discord interaction, a decoded page) can hold. */
export const wellFormed = (s: string): string => s.replace(new RegExp(LONE_SURROGATE_RE.source, 'g'), '\ufffd');

const HAN_SIMPLIFIED = [...'嘉兴市海宁平湖桐乡秀洲南湖区县镇街道村新闻记者报道今天昨日政府会议项目发展经济建设活动举行开展召开上海北京杭州温州宁波广州深圳的了是在和有人中国'];
const HAN_TRADITIONAL = [...'臺灣溫州軟體資訊網路記憶體縣鄉鎮區長會議發展經濟建設臺北香港澳門開幕報導這們說個為時'];
const PUNCTUATION = [...'。，、；：？！…—“”‘’（）《》【】「」『』·.,;:?!()[]"\''];
const LATIN = ['SKU', '5G', 'COVID-19', '3.5', 'U.S.', 'Dr.', 'No.', 'e.g.', 'GDP', 'a', 'Z', '0', '42', '2022'];
const LINKY = ['https://e.cn/a?b=1&c=2', 'http://x.y/(z)', 'www.example.cn', 'a@b.cn', 'javascript:alert(1)', 'mailto:x@y.cn'];
const ASTRAL = ['😀', '👨\u200d👩\u200d👧', '🇨🇳', '👍🏽', '𠀀', '𪚥', '𡘙', '❤️', '#️⃣', '🏳️\u200d🌈', '\u{e0067}'];
const COMBINING = ['e\u0301', '\u0301', '\u20dd', '\u0300\u0301\u0302', '\u0e49', '\u093f', '\u3099'];
const FORMAT = ['\u200b', '\u200c', '\u200d', '\ufeff', '\u2060', '\u202e', '\u00ad', '\ufe0f', '\u061c'];
const SPACES = [' ', '\n', '\r\n', '\r', '\u3000', '\u00a0', '\t', '\u2028', '\u2029', '\u0085'];
const FULLWIDTH = ['２０２２', 'ＡＢＣ', '：', '－', '／', '１２', '＃'];
const CONTROLS = ['\u0000', '\u0007', '\u0008', '\u000b', '\u001b', '\u007f', '\u009f'];
const MARKUPISH = ['@everyone', '@here', '<@123>', '**', '`', '```', '||', '[x](https://e.cn)', '\\', '_', '~~', '# ', '> ', '&amp;', '&nbsp;', '<b>'];

/** One piece of text as Chinese feeds carry it, astral and combining characters included. */
export function textUnit(opts: { lone?: boolean } = {}): fc.Arbitrary<string> {
  const units: { weight: number; arbitrary: fc.Arbitrary<string> }[] = [
    { weight: 12, arbitrary: fc.constantFrom(...HAN_SIMPLIFIED) },
    { weight: 3, arbitrary: fc.constantFrom(...HAN_TRADITIONAL) },
    { weight: 5, arbitrary: fc.constantFrom(...PUNCTUATION) },
    { weight: 2, arbitrary: fc.constantFrom(...LATIN) },
    { weight: 1, arbitrary: fc.constantFrom(...LINKY) },
    { weight: 2, arbitrary: fc.constantFrom(...ASTRAL) },
    { weight: 1, arbitrary: fc.constantFrom(...COMBINING) },
    { weight: 1, arbitrary: fc.constantFrom(...FORMAT) },
    { weight: 3, arbitrary: fc.constantFrom(...SPACES) },
    { weight: 1, arbitrary: fc.constantFrom(...FULLWIDTH) },
    { weight: 1, arbitrary: fc.constantFrom(...CONTROLS) },
    { weight: 1, arbitrary: fc.constantFrom(...MARKUPISH) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 3 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 2 }) },
  ];
  if (opts.lone) units.push({ weight: 1, arbitrary: fc.constantFrom(...LONE_SURROGATES) });
  return fc.oneof(...units);
}

/** Text of up to `maxUnits` pieces; now and then one piece repeated into a long run. */
export function richText(opts: { maxUnits?: number; lone?: boolean } = {}): fc.Arbitrary<string> {
  const unit = textUnit(opts);
  const plain = fc.array(unit, { maxLength: opts.maxUnits ?? 80 }).map((p) => p.join(''));
  const repeated = fc.tuple(unit, fc.integer({ min: 50, max: 4000 })).map(([u, n]) => u.repeat(n));
  return fc.oneof({ weight: 9, arbitrary: plain }, { weight: 1, arbitrary: repeated });
}

/** Sentences with enough prose to reach the summariser's ranking, hostile pieces mixed in. */
export function articleBody(opts: { lone?: boolean } = {}): fc.Arbitrary<string> {
  const sentence = fc
    .tuple(fc.array(textUnit(opts), { minLength: 4, maxLength: 40 }), fc.constantFrom('。', '！', '？', '；', '…', '.', '!', '', '”。', '。）'))
    .map(([p, end]) => p.join('') + end);
  const paragraph = fc.array(sentence, { minLength: 1, maxLength: 6 }).map((s) => s.join(''));
  return fc.array(paragraph, { minLength: 0, maxLength: 12 }).map((p) => p.join('\n'));
}

// Pieces whose long repetition is where backtracking regexes and nested scans go quadratic:
// a word with no "@" after it, a dot run, an open tag never closed, an entity never ended.
const RUN_PIECES = [
  'x', 'a1', '1', '.', '..', '@', 'a@', '-', '_', ' ', '\n', '\r\n', '嘉', '嘉兴', '。', '，', '<', '<a', '<p>', '</', '&', '&amp;', '&#', '&#x',
  '"', "'", '/', 'http://', 'www.', 'a.', '😀', 'e\u0301', '\u200b', '年', '2022', '2022-', ':', '#', '*', '[', '(', '\\', '%', '=', 'é', 'İ', '记者',
  '来源：', '·', '》', '\u3000', '\u00a0', '\t', 'Dr. ', 'http://a.cn/', 'a@b.', ')', ',', ';', '!', '…', '”', '（', '<!--', '<![CDATA[', '<script>',
  '<item>', '<div>', '<br>', '&nbsp;',
];

/**
 * One to three long runs of a single piece (tens of thousands of units in all) with
 * ordinary text between them. Linear code handles this in milliseconds; quadratic code
 * takes seconds, which the hang guard catches.
 */
export const longRuns: fc.Arbitrary<string> = fc
  .tuple(
    fc.array(fc.tuple(fc.constantFrom(...RUN_PIECES), fc.integer({ min: 5_000, max: 80_000 }), fc.constantFrom('', '嘉兴市举行活动。', ' x ', '\n', '@')), { minLength: 1, maxLength: 3 }),
    fc.constantFrom('', '今天，嘉兴市举行2022年度第一次活动。', 'a@b.cn '),
  )
  .map(([runs, lead]) => lead + runs.map(([piece, units, sep]) => piece.repeat(Math.ceil(units / piece.length)) + sep).join(''));

// ---- dates ----------------------------------------------------------------------------

export const TIME_ZONES = ['Asia/Shanghai', 'Asia/Taipei', 'Asia/Hong_Kong', 'UTC', 'America/New_York', 'America/St_Johns', 'Pacific/Kiritimati', 'Pacific/Pago_Pago'];

export interface WallClock {
  readonly y: number;
  readonly mo: number;
  readonly d: number;
  readonly h: number;
  readonly mi: number;
  readonly s: number;
}

/** Wall-clock fields that exist in every month (days 1–28). */
export const wallClock: fc.Arbitrary<WallClock> = fc.record({
  y: fc.integer({ min: 1990, max: 2040 }),
  mo: fc.integer({ min: 1, max: 12 }),
  d: fc.integer({ min: 1, max: 28 }),
  h: fc.integer({ min: 0, max: 23 }),
  mi: fc.integer({ min: 0, max: 59 }),
  s: fc.integer({ min: 0, max: 59 }),
});

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const toFullWidth = (s: string): string => s.replace(/[0-9:/-]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

/** Zone-less Chinese and numeric spellings of a wall-clock time, read in the caller's zone. */
export function localDateFormats(t: WallClock): string[] {
  const { y, mo, d, h, mi, s } = t;
  const h12 = h % 12 === 0 ? 12 : h % 12;
  const forms = [
    `${y}年${mo}月${d}日 ${pad(h)}:${pad(mi)}:${pad(s)}`,
    `${y}年${mo}月${d}日${h}时${mi}分${s}秒`,
    `${y}年${pad(mo)}月${pad(d)}日 ${h}点${mi}分${s}`,
    `${y}-${pad(mo)}-${pad(d)} ${pad(h)}:${pad(mi)}:${pad(s)}`,
    `${y}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}`,
    `${y}/${mo}/${d} ${h}:${pad(mi)}:${pad(s)}`,
    `${y}.${pad(mo)}.${pad(d)} ${pad(h)}:${pad(mi)}:${pad(s)}`,
    `发布时间：${y}-${pad(mo)}-${pad(d)} ${pad(h)}:${pad(mi)}:${pad(s)}`,
    toFullWidth(`${y}-${pad(mo)}-${pad(d)} ${pad(h)}:${pad(mi)}:${pad(s)}`),
    `${MONTHS[mo - 1]} ${d}, ${y} ${pad(h)}:${pad(mi)}:${pad(s)}`,
  ];
  if (h >= 1) forms.push(`${mo}/${d}/${y} ${h12}:${pad(mi)}:${pad(s)} ${h < 12 ? 'AM' : 'PM'}`);
  if (h >= 13) forms.push(`${y}年${mo}月${d}日 下午${h - 12}:${pad(mi)}:${pad(s)}`);
  return forms;
}

/** Spellings that carry their own offset (+08:00), so the zone must not matter. */
export function offsetDateFormats(t: WallClock): string[] {
  const { y, mo, d, h, mi, s } = t;
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][new Date(Date.UTC(y, mo - 1, d)).getUTCDay()]!;
  return [
    `${day}, ${pad(d)} ${MONTHS[mo - 1]} ${y} ${pad(h)}:${pad(mi)}:${pad(s)} +0800`,
    `${day}, ${pad(d)} ${MONTHS[mo - 1]} ${y} ${pad(h)}:${pad(mi)}:${pad(s)} CST`,
    `${y}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}+08:00`,
    `${y}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}.250+08:00`,
  ];
}

// Years at and past the edge of what Date can hold, which Date.parse still accepts.
const EDGE_YEARS = ['275760', '+275760', '-271821', '275761', '100000', '0000', '-000001'];
// The first and last days Date can hold, spelled as feeds spell dates.
const EDGE_DATES = [
  'Sep 13, 275760', 'Sat, 13 Sep 275760 00:00:00', 'September 12, 275760 23:00', 'Sat, 13 Sep 275760 00:00:00 GMT', '+275760-09-13T00:00:00Z',
  '-271821-04-20T00:00:00Z', '-271821-04-19T23:00:00-01:00', 'Tue, 20 Apr -271821 00:00:00 GMT', '275760年9月13日', '9/13/275760 12:00 PM',
];
const DATE_JUNK = [...EDGE_YEARS, '年', '月', '日', '号', '時', '点', '分', '上午', '下午', '凌晨', ':', '：', '-', '/', '.', 'T', 'Z', '+', 'GMT', 'CST', 'PM', ' ', '\u00a0', '\u3000', '99', '0', '13', '32', '25', '60', '9'.repeat(30), '-0', '１'];

/** A real date format, then a few random edits (digits out of range, junk, cuts). */
export const dateString: fc.Arbitrary<string> = fc
  .tuple(
    wallClock.chain((t) =>
      fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom(...localDateFormats(t), ...offsetDateFormats(t)) },
        { weight: 1, arbitrary: fc.constantFrom(...EDGE_DATES) },
        // The same formats with the year swapped for one at the edge of Date's range.
        { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...localDateFormats(t), ...offsetDateFormats(t)), fc.constantFrom(...EDGE_YEARS)).map(([s, y]) => s.replace(String(t.y), y)) },
      ),
    ),
    fc.array(
      fc.tuple(fc.nat(), fc.oneof(fc.constantFrom(...DATE_JUNK), fc.string({ unit: 'grapheme', maxLength: 2 })), fc.constantFrom('insert', 'replace', 'delete', 'cut')),
      { maxLength: 4 },
    ),
  )
  .map(([base, edits]) =>
    edits.reduce((s, [at, junk, op]) => {
      const i = s.length === 0 ? 0 : at % (s.length + 1);
      if (op === 'insert') return s.slice(0, i) + junk + s.slice(i);
      if (op === 'replace') return s.slice(0, i) + junk + s.slice(i + junk.length);
      if (op === 'delete') return s.slice(0, i) + s.slice(i + 1);
      return s.slice(0, i);
    }, base),
  );

// ---- search queries -------------------------------------------------------------------

const QUERY_PIECES = [
  '"', '""', '“', '”', '「', '」', '『', '』', "'", '*', '^', ':', '(', ')', '{', '}', '[', ']', '-', '+', ',', '.', '/', '\\',
  'AND', 'OR', 'NOT', 'NEAR', 'NEAR(', 'NEAR/3', 'and', 'title:', 'body:', 'facets:', '-title:', 'r330400', 'f:jiaxing', '*:', 'MATCH',
  '嘉兴', '嘉', '興', '海宁', '臺灣', '市', '的', '经济发展', '项目', 'Smart', 'city', 'SKU', '5G', '2022', 'a', 'ß', 'İ',
  ' ', '  ', '\t', '\n', '\u3000', '\u0000', '\u0001', '\u007f', '\u0085', '\u200b', '\u200d', '\ufeff', '\u202e',
  '😀', '👨\u200d👩\u200d👧', '𠀀', '\u0301', '-"', '"-', '- ', '--', '%', '_', "'; DROP TABLE articles; --",
];

/** User input for the search box: operators, quotes, controls, emoji, up to 1000 characters. */
export const searchQuery: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.array(fc.constantFrom(...QUERY_PIECES), { maxLength: 24 }).map((p) => p.join('')) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.array(fc.constantFrom(...LONE_SURROGATES, '嘉', ' ', 'a'), { maxLength: 12 }).map((p) => p.join('')) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...QUERY_PIECES), fc.integer({ min: 150, max: 1000 })).map(([p, n]) => p.repeat(Math.ceil(n / p.length)).slice(0, n)) },
);

// ---- HTML ------------------------------------------------------------------------------

const PROSE = [
  '嘉兴市举行2022年度第一次“互学互比互赛”活动，开展实地观摩。',
  '记者昨天从市发改委获悉，今年全市将新开工重大项目120个。',
  '海宁市长安镇老旧小区改造工程日前全面完工，惠及居民3000余户。',
  '據臺中市政府表示，綠川整治計畫將於明年完工。',
  '今天天气很好，我们去公园散步。',
  'The city opened a new library on Monday.',
];
const CHROME = [
  '记者 张三 李四', '本报记者 王五', '来源：新华社', '来源：嘉兴日报', '责任编辑：赵六', '2022-05-07 09:23', '发布时间：2022年05月07日 09:23',
  '首页 > 新闻 > 本地', '当前位置：首页 >> 嘉兴新闻', '分享到：微信 微博 QQ空间', '版权所有 © 嘉兴日报社', '上一篇：', '下一篇：', '【打印】【关闭】',
  '字号：大 中 小', '浏览次数：1234', '扫一扫在手机打开当前页', '图为活动现场。（张三 摄）', '相关阅读', '网站地图 | 联系我们',
];
const OPEN_TAGS = [
  '<html>', '<head>', '<body>', '<meta charset="utf-8">', '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', '<title>',
  '<div class="article">', '<div class="content">', '<div id="TRS_Editor">', '<div class="nav">', '<div class="footer">', '<div class="share">',
  '<article>', '<section>', '<p>', '<p style="text-indent:2em">', '<br>', '<br/>', '<span>', '<font size="3">', '<center>', '<h1>', '<h2>',
  '<a href="https://e.cn/1.html">', '<a href="javascript:;">', '<img src="a.jpg" alt="图">', '<table>', '<tr>', '<td>', '<ul>', '<li>',
  '<script>', '<script type="application/ld+json">{"@type":"NewsArticle","headline":"标题","datePublished":"2022-05-07T09:23:00+08:00"}',
  '<style>', '<noscript>', '<iframe src="x">', '<form>', '<input value="">', '<textarea>', '<select><option>', '<pre>', '<template>',
  '<svg>', '<math>', '<marquee>', '<frameset>', '<frame>', '<object>', '<embed>', '<div hidden>', '<div style="display:none">', '<button>',
];
const CLOSE_TAGS = ['</div>', '</p>', '</span>', '</a>', '</td>', '</tr>', '</table>', '</li>', '</ul>', '</script>', '</style>', '</h1>', '</body>', '</html>', '</head>', '</title>', '</article>', '</font>', '</svg>', '</textarea>', '</>'];
const HTML_ODDITIES = [
  '<!DOCTYPE html>', '<!doctype html public "-//W3C//DTD HTML 4.01//EN">', '<!-- 注释 -->', '<!--', '-->', '<!---->', '<![CDATA[x]]>', '<?xml version="1.0"?>',
  '&nbsp;', '&amp;', '&lt;', '&#x1F600;', '&#0;', '&#xD800;', '&#99999999;', '&copy', '&bogus;', '&', '<', '>', '<<', '"', "'", '=',
  '<p <p>', '<div class="a>', '<a href=x onclick="alert(1)">', '</div></div></div>', '<p/>', '<br></br>', '<\u0000div>', '\u0000', '\ufeff', '<!', '</',
  '<script>document.write("</div>")</script>', '<script>var s = "<p>记者</p>";</script>', '<style>p{color:red}</style>',
];

/** Tag soup from a Chinese news page's vocabulary, with the usual breakage. */
export const hostileHtml: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .array(
        fc.oneof(
          { weight: 4, arbitrary: fc.constantFrom(...OPEN_TAGS) },
          { weight: 3, arbitrary: fc.constantFrom(...CLOSE_TAGS) },
          { weight: 4, arbitrary: fc.constantFrom(...PROSE) },
          { weight: 3, arbitrary: fc.constantFrom(...CHROME) },
          { weight: 2, arbitrary: fc.constantFrom(...HTML_ODDITIES) },
          { weight: 2, arbitrary: richText({ maxUnits: 30, lone: true }) },
          {
            weight: 1,
            arbitrary: fc
              .tuple(dateString, fc.constantFrom('<meta property="article:published_time" content="$">', '<span class="time">发布时间：$</span>', '<p>$ 来源：嘉兴日报</p>'))
              .map(([d, tpl]) => tpl.replace('$', d.replace(/["<>&]/g, ''))),
          },
        ),
        { maxLength: 120 },
      )
      .map((p) => p.join('')),
  },
  {
    weight: 1,
    // Deep nesting, open and never closed, around a real article.
    arbitrary: fc
      .tuple(fc.constantFrom('<div>', '<span>', '<table><tr><td>', '<p>', '<b>', '<font>', '<a href="x">'), fc.integer({ min: 200, max: 6000 }), fc.boolean())
      .map(([tag, n, close]) => `<html><body>${tag.repeat(n)}<p>${PROSE.slice(0, 4).join('</p><p>')}</p>${close ? '</div>'.repeat(n) : ''}`),
  },
  {
    weight: 1,
    // A huge attribute or a huge unbroken text node.
    arbitrary: fc
      .tuple(fc.integer({ min: 10_000, max: 300_000 }), fc.constantFrom('"', "'", 'x', '嘉', '<'))
      .map(([n, c]) => `<html><body><div class="${c.repeat(n)}"><p>${PROSE[0]}</p></div><p>${'字'.repeat(n / 10)}</p></body></html>`),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
);

// ---- XML feeds -------------------------------------------------------------------------

const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const ENTITY_PIECES = ['&nbsp;', '&#xFDD0;0&#xFDD1;', '&#64977;', '&#13;', '&amp;', '&amp;amp;', '&amp;lt;p&amp;gt;', '&#x1F600;', '&#20013;', '&#0;', '&#xD800;', '&#99999999;', '&bogus;', '&', '&#', '&#x;', '&lt;script&gt;', '&AMP;', '&copy;', '&hellip;', '&ldquo;'];

const itemHtml = fc.oneof(
  { weight: 3, arbitrary: fc.array(fc.oneof(fc.constantFrom(...PROSE, ...CHROME, '<p>', '</p>', '<br>', '<img src="a.jpg">', '<a href="/r/1">'), richText({ maxUnits: 10 })), { maxLength: 12 }).map((p) => p.join('')) },
  { weight: 1, arbitrary: hostileHtml },
);

const fieldText = fc.oneof(
  { weight: 4, arbitrary: richText({ maxUnits: 25 }) },
  { weight: 2, arbitrary: fc.constantFrom(...PROSE, ...CHROME) },
  { weight: 1, arbitrary: fc.array(fc.oneof(fc.constantFrom(...ENTITY_PIECES), fc.constantFrom(...HAN_SIMPLIFIED)), { maxLength: 10 }).map((p) => p.join('')) },
);

/** How a value is written into an element: what a correct feed does, and what others do. */
type Encoding = 'escaped' | 'cdata' | 'raw' | 'cdata-broken' | 'double-escaped';
const cleanEncoding = fc.constantFrom<Encoding>('escaped', 'escaped', 'cdata', 'double-escaped');
const messyEncoding = fc.constantFrom<Encoding>('escaped', 'cdata', 'raw', 'cdata-broken', 'double-escaped');

function encode(value: string, how: Encoding): string {
  if (how === 'escaped') return escapeXml(value);
  // "]]>" inside the value is split across two sections, as a careful writer does.
  if (how === 'cdata') return `<![CDATA[${value.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
  // A CDATA section inside another, as feeds that wrap already-wrapped HTML write it.
  if (how === 'cdata-broken') return `<![CDATA[<![CDATA[${value}]]>]]>`;
  if (how === 'double-escaped') return escapeXml(escapeXml(value));
  return value;
}

const urlish = fc.oneof(
  fc.constantFrom('https://news.example.cn/a/1.html', '/local/2.html', '3.html?a=1&b=2', 'javascript:alert(1)', '', ' ', 'http://[::1', 'https://例子.中国/新闻', 'https://e.cn/a b', '//cdn.e.cn/x'),
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  richText({ maxUnits: 8 }),
);

const guidish = fc.oneof(fc.constantFrom('a-1', 'https://news.example.cn/a/1.html', '中文 guid', ' spaced ', 'x&y', 'dup'), fc.string({ maxLength: 12 }), richText({ maxUnits: 6 }));

interface FeedEntry {
  readonly title?: [string, Encoding];
  readonly link?: [string, Encoding];
  readonly guid?: [string, Encoding, string];
  readonly description?: [string, Encoding];
  readonly content?: [string, Encoding];
  readonly date?: [string, string];
  readonly author?: [string, Encoding];
  readonly junk?: string;
}

// Elements real feeds carry that the parser must skip, and fragments that break the markup.
const EXTRA_ELEMENTS = [
  '<category>本地</category>', '<enclosure url="a.mp3" length="1" type="audio/mpeg"/>', '<media:content url="x"/>', '<source url="x">s</source>',
  '<comments>x</comments>', '<!-- <item><guid>z</guid></item> -->', '<x:y:z/>', '<a b="1"/>', '<description/>', '<title></title>', '<guid/>',
];
const BREAKING_ELEMENTS = [
  '<item>', '</item>', '<entry>', '<guid>', '</guid>', '<id>x</id>', '<title>', '<![CDATA[', ']]>', '<!--', '<br>', '<p>', '&', '<',
  '\u0000', '\u0001', '\ufeff', '\ufffe', '\ufdd0', '\ufdd01\ufdd1', '<a b="1" b="2"/>', '<:x/>', '<guid>a</guid><guid>b</guid>',
];

function feedEntry(messy: boolean): fc.Arbitrary<FeedEntry> {
  const encoding = messy ? messyEncoding : cleanEncoding;
  const junk = messy ? fc.constantFrom(...EXTRA_ELEMENTS, ...BREAKING_ELEMENTS) : fc.constantFrom(...EXTRA_ELEMENTS);
  return fc.record(
    {
      title: fc.tuple(fieldText, encoding),
      link: fc.tuple(urlish, messy ? fc.constantFrom<Encoding>('escaped', 'raw', 'cdata') : fc.constantFrom<Encoding>('escaped', 'cdata')),
      guid: fc.tuple(guidish, encoding, fc.constantFrom('', ' isPermaLink="false"', ' isPermaLink="true"', ' isPermaLink="FALSE"', ...(messy ? [' isPermaLink'] : []))),
      description: fc.tuple(itemHtml, encoding),
      content: fc.tuple(itemHtml, encoding),
      date: fc.tuple(fc.constantFrom('pubDate', 'dc:date', 'published', 'updated', 'date'), dateString),
      author: fc.tuple(fieldText, encoding),
      junk: fc.array(junk, { minLength: 1, maxLength: 3 }).map((j) => j.join('')),
    },
    { requiredKeys: [] },
  );
}

const el = (tag: string, v: [string, Encoding] | undefined, attrs = ''): string => (v ? `<${tag}${attrs}>${encode(v[0], v[1])}</${tag}>` : '');

function rssItem(e: FeedEntry): string {
  const guid = e.guid ? `<guid${e.guid[2]}>${encode(e.guid[0], e.guid[1])}</guid>` : '';
  const date = e.date ? `<${e.date[0]}>${escapeXml(e.date[1])}</${e.date[0]}>` : '';
  return `<item>${el('title', e.title)}${el('link', e.link)}${guid}${el('description', e.description)}${el('content:encoded', e.content)}${date}${el('dc:creator', e.author)}${e.junk ?? ''}</item>`;
}

function atomEntry(e: FeedEntry): string {
  const link = e.link ? `<link rel="alternate" href="${e.link[1] === 'raw' ? e.link[0] : escapeXml(e.link[0])}"/>` : '';
  const date = e.date ? `<${e.date[0]}>${escapeXml(e.date[1])}</${e.date[0]}>` : '';
  const author = e.author ? `<author><name>${encode(e.author[0], e.author[1])}</name></author>` : '';
  return `<entry>${el('title', e.title, ' type="html"')}${link}${el('id', e.guid ? [e.guid[0], e.guid[1]] : undefined)}${date}${author}${el('summary', e.description, ' type="html"')}${el('content', e.content, ' type="html"')}${e.junk ?? ''}</entry>`;
}

function rdfItem(e: FeedEntry): string {
  const about = e.link ? ` rdf:about="${escapeXml(e.link[0])}"` : '';
  const date = e.date ? `<dc:date>${escapeXml(e.date[1])}</dc:date>` : '';
  return `<item${about}>${el('title', e.title)}${el('link', e.link)}${date}${el('dc:creator', e.author)}${el('description', e.description)}${e.junk ?? ''}</item>`;
}

const PROLOGS = [
  '', '<?xml version="1.0" encoding="UTF-8"?>\n', '<?xml version="1.0" encoding="gb2312"?>', "<?xml version='1.0' encoding='GBK' standalone='yes'?>",
  '<?xml version="1.0" encoding="utf-16"?>', '<?xml version="1.1"?>', '\ufeff<?xml version="1.0"?>', '\ufeff', '  \n\t', '<?xml-stylesheet href="a.xsl"?>',
  '<?xml version="1.0" encoding="big5"?><!-- 註解 -->', '<?xml ', '<?xml version="1.0"?><?xml version="1.0"?>',
];
const DOCTYPES = [
  '',
  '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">',
  '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>',
  '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
  '<!DOCTYPE html>',
];

type Format = 'rss' | 'atom' | 'rdf' | 'rss091' | 'html' | 'other';

function wrap(format: Format, title: [string, Encoding] | undefined, body: string): string {
  const t = el('title', title);
  switch (format) {
    case 'rss':
      return `<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>${t}<link>https://news.example.cn/</link><description>测试</description>${body}</channel></rss>`;
    case 'rss091':
      return `<rss version="0.91"><channel>${t}${body}</channel></rss>`;
    case 'atom':
      return `<feed xmlns="http://www.w3.org/2005/Atom">${t}<link href="https://news.example.cn/"/><id>urn:x</id>${body}</feed>`;
    case 'rdf':
      return `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel rdf:about="https://news.example.cn/">${t}<link>https://news.example.cn/</link></channel>${body}</rdf:RDF>`;
    case 'html':
      return `<html><head><title>404</title></head><body>${body}</body></html>`;
    default:
      return `<urlset>${body}</urlset>`;
  }
}

const GOOD_PROLOGS = PROLOGS.slice(0, 4);

/**
 * A whole feed document before any damage. Clean documents are what a careful CMS writes
 * (and must parse, items and all); messy ones have a quarter of their fields written wrong.
 */
export const feedDocument: fc.Arbitrary<{ format: Format; xml: string; messy: boolean }> = fc
  .boolean()
  .chain((messy) =>
    fc.record({
      messy: fc.constant(messy),
      format: messy ? fc.constantFrom<Format>('rss', 'atom', 'rdf', 'rss091', 'html', 'other') : fc.constantFrom<Format>('rss', 'rss', 'atom', 'atom', 'rdf', 'rss091'),
      prolog: messy ? fc.constantFrom(...PROLOGS) : fc.constantFrom(...GOOD_PROLOGS),
      doctype: messy ? fc.constantFrom(...DOCTYPES) : fc.constantFrom('', '', '', DOCTYPES[1]!, DOCTYPES[2]!),
      title: fc.option(fc.tuple(fieldText, messy ? messyEncoding : cleanEncoding), { nil: undefined }),
      entries: fc.array(feedEntry(messy), { maxLength: 12 }),
      separator: fc.constantFrom('', '\n', '\r\n  ', '<!-- x -->'),
    }),
  )
  .map(({ messy, format, prolog, doctype, title, entries, separator }) => {
    const item = format === 'atom' ? atomEntry : format === 'rdf' ? rdfItem : rssItem;
    return { format, messy, xml: prolog + doctype + wrap(format, title, entries.map(item).join(separator)) };
  });

const DAMAGE = [
  '<', '>', '</item>', '<item>', '</entry>', '<entry>', '</channel>', '</rss>', '<![CDATA[', ']]>', '<!--', '-->', '&', '&nbsp;', '"', '\u0000', '\u0008',
  '\ufeff', '\ufffe', '\ud800', '<?xml version="1.0"?>', '<!DOCTYPE x>', '<a', '="', '<rss>', '<feed>',
];

type Damage = { kind: 'none' } | { kind: 'truncate'; at: number } | { kind: 'insert'; at: number; text: string } | { kind: 'delete'; at: number; n: number };

// Where in the document, as a fraction; fc.double would favour 0 and 1 (empty documents).
const position = fc.integer({ min: 0, max: 10_000 }).map((n) => n / 10_000);

const damage: fc.Arbitrary<Damage> = fc.oneof(
  { weight: 5, arbitrary: fc.constant({ kind: 'none' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: position }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('insert' as const),
      at: position,
      text: fc.oneof(
        { weight: 5, arbitrary: fc.constantFrom(...DAMAGE) },
        { weight: 1, arbitrary: fc.tuple(fc.constantFrom('<x>', '<div>', '<a:b>', '<item>'), fc.integer({ min: 100, max: 5000 })).map(([t, n]) => t.repeat(n)) },
        { weight: 1, arbitrary: fc.integer({ min: 10_000, max: 200_000 }).map((n) => `<x a="${'a'.repeat(n)}"/>`) },
        { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
      ),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: position, n: fc.integer({ min: 1, max: 40 }) }) },
);

function applyDamage(xml: string, d: Damage): string {
  if (d.kind === 'none') return xml;
  const at = Math.floor(d.at * xml.length);
  if (d.kind === 'truncate') return xml.slice(0, at);
  if (d.kind === 'insert') return xml.slice(0, at) + d.text + xml.slice(at);
  return xml.slice(0, at) + xml.slice(at + d.n);
}

/** RSS, Atom and RDF documents, intact or broken in one to three places, and some noise. */
export const hostileXml: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: feedDocument.map((d) => d.xml) },
  { weight: 12, arbitrary: fc.tuple(feedDocument, fc.array(damage, { minLength: 1, maxLength: 3 })).map(([doc, ds]) => ds.reduce(applyDamage, doc.xml)) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 1, arbitrary: fc.array(fc.constantFrom(...DAMAGE, '<rss>', '<channel>', '<item>', '<title>', 't', '</title>'), { maxLength: 40 }).map((p) => p.join('')) },
);

// ---- bytes with charset declarations ---------------------------------------------------

export const CHARSET_LABELS = [
  'utf-8', 'UTF8', 'gb2312', 'GBK', 'gb18030', 'GB_2312-80', 'big5', 'Big5-HKSCS', 'utf-16', 'utf-16le', 'utf-16be', 'iso-8859-1', 'windows-1252',
  'shift_jis', 'euc-kr', 'iso-2022-jp', 'iso-2022-kr', 'replacement', 'x-user-defined', 'koi8-r', 'bogus', '', '"gbk"', "'utf-8'", 'gbk;', 'utf-8, gbk',
  'unicode-1-1-utf-8', 'hz-gb-2312', 'csgb2312', 'x-gbk', 'chinese',
];

export type BodyEncoding = 'utf-8' | 'gbk' | 'big5' | 'utf-16le' | 'utf-16be' | 'latin1-bytes';

const GBK_SAFE = [...HAN_SIMPLIFIED, ...'。，、；：？！“”（）《》ABCxyz0123 \n'];
const BIG5_SAFE = [...HAN_TRADITIONAL, ...'。，、；：？！「」（）ABCxyz0123 \n'];

/** Text GBK can encode, with at least `minHan` Han characters. */
export const gbkText = (minHan: number): fc.Arbitrary<string> =>
  fc
    .tuple(fc.array(fc.constantFrom(...HAN_SIMPLIFIED), { minLength: minHan, maxLength: minHan + 200 }), fc.array(fc.constantFrom(...GBK_SAFE), { maxLength: 100 }))
    .chain(([han, other]) => fc.shuffledSubarray([...han, ...other], { minLength: han.length + other.length }))
    .map((chars) => chars.join(''));

/** Bytes of `text` in `enc`; callers pass text drawn from that charset's repertoire. */
export function encodeText(text: string, enc: BodyEncoding): Uint8Array {
  if (enc === 'gbk') return encodeGb18030(text);
  if (enc === 'big5') return encodeBig5(text);
  if (enc === 'utf-16le') return Buffer.from(text, 'utf16le');
  if (enc === 'utf-16be') return Buffer.from(text, 'utf16le').swap16();
  if (enc === 'latin1-bytes') return Buffer.from(text, 'latin1');
  return Buffer.from(text, 'utf8');
}

export interface DeclaredBytes {
  readonly bytes: Uint8Array;
  readonly contentType: string | null;
  /** The text before encoding, when the encoding can represent it. */
  readonly text: string;
  readonly encoding: BodyEncoding;
}

const declaration = fc.oneof(
  fc.constant(''),
  fc.constantFrom(...CHARSET_LABELS).map((l) => `<?xml version="1.0" encoding="${l}"?>`),
  fc.constantFrom(...CHARSET_LABELS).map((l) => `<html><head><meta charset="${l}">`),
  fc.constantFrom(...CHARSET_LABELS).map((l) => `<html><head><meta http-equiv="Content-Type" content="text/html; charset=${l}">`),
  fc.constantFrom(...CHARSET_LABELS).map((l) => `<html><head><script>var charset="${l}";</script><meta charset=${l}></head>`),
);

const contentType = fc.oneof(
  fc.constant(null),
  fc.constantFrom(...CHARSET_LABELS).map((l) => `text/html; charset=${l}`),
  fc.constantFrom(...CHARSET_LABELS).map((l) => `application/rss+xml;charset="${l}"`),
  fc.constantFrom('text/html', 'text/xml', '', 'charset=', ';;;', 'text/html; charset'),
);

/** A document (declaration + body) in some real encoding, with a header that may lie. */
export const declaredBytes: fc.Arbitrary<DeclaredBytes> = fc
  .record({
    decl: declaration,
    enc: fc.constantFrom<BodyEncoding>('utf-8', 'gbk', 'gbk', 'big5', 'utf-16le', 'utf-16be', 'latin1-bytes'),
    simplified: fc.array(fc.constantFrom(...GBK_SAFE), { maxLength: 300 }).map((a) => a.join('')),
    traditional: fc.array(fc.constantFrom(...BIG5_SAFE), { maxLength: 300 }).map((a) => a.join('')),
    anyText: richText({ maxUnits: 60 }),
    contentType,
    bom: fc.boolean(),
  })
  .map(({ decl, enc, simplified, traditional, anyText, contentType, bom }) => {
    const body = enc === 'gbk' ? simplified : enc === 'big5' ? traditional : enc === 'latin1-bytes' ? anyText.replace(/[\u0100-\uffff]/g, '?') : anyText;
    const text = `${decl}<p>${body}</p>`;
    let bytes = encodeText(text, enc);
    if (bom && enc === 'utf-8') bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]);
    if (bom && enc === 'utf-16le') bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), bytes]);
    if (bom && enc === 'utf-16be') bytes = Buffer.concat([Buffer.from([0xfe, 0xff]), bytes]);
    return { bytes, contentType, text, encoding: enc };
  });

/** Plain random bytes, sometimes after a charset declaration. */
export const randomBytes: fc.Arbitrary<{ bytes: Uint8Array; contentType: string | null }> = fc
  .tuple(declaration, fc.uint8Array({ maxLength: 2000 }), contentType)
  .map(([decl, raw, ct]) => ({ bytes: Buffer.concat([Buffer.from(decl, 'latin1'), raw]), contentType: ct }));
