// The bot's own words, written per display language by hand: OpenCC converts vocabulary in
// ways a UI should not (twp turns quotes and names around), and English is not a script.
import type { Script } from '../domain/types.js';

export type LabelLanguage = 'zh-Hans' | 'zh-Hant' | 'en';

export interface Labels {
  readonly regions: string;
  readonly source: string;
  readonly alsoReportedBy: string;
  readonly published: string;
  /** Stands in for a story that came without a title. */
  readonly untitled: string;
  /** Title of a digest message after the first one. */
  readonly continued: string;
  /** Between items of a list (regions of one prefecture, other outlets). */
  readonly listSeparator: string;
  /** The feed we read and the outlet that first printed the story. */
  viaFeed(feed: string, outlet: string): string;
  moreRegions(n: number): string;
  moreSources(n: number): string;
  moreStories(n: number): string;
  /** Scheduled roll-up of the top stories. */
  digestTitle(n: number): string;
  /** Stories beyond a channel's rate cap, rolled into one message. */
  burstTitle(n: number): string;
  /** Period of a scheduled digest; `when` is already formatted. */
  since(when: string): string;
  /** A post edited after its story was corrected; `when` is already formatted. */
  updated(when: string): string;
}

const HANS: Labels = {
  regions: '地区',
  source: '来源',
  alsoReportedBy: '另见',
  published: '发布时间',
  untitled: '（无标题）',
  continued: '（续）',
  listSeparator: '、',
  viaFeed: (feed, outlet) => `${feed}（原载${outlet}）`,
  moreRegions: (n) => `另有 ${n} 个地区`,
  moreSources: (n) => `等另外 ${n} 家媒体`,
  moreStories: (n) => `另有 ${n} 条新闻未列出`,
  digestTitle: (n) => `${n} 条新闻汇总`,
  burstTitle: (n) => `又有 ${n} 条新闻`,
  since: (when) => `自 ${when} 以来`,
  updated: (when) => `已更新 · ${when}`,
};

const HANT: Labels = {
  regions: '地區',
  source: '來源',
  alsoReportedBy: '另見',
  published: '發佈時間',
  untitled: '（無標題）',
  continued: '（續）',
  listSeparator: '、',
  viaFeed: (feed, outlet) => `${feed}（原載${outlet}）`,
  moreRegions: (n) => `另有 ${n} 個地區`,
  moreSources: (n) => `等另外 ${n} 家媒體`,
  moreStories: (n) => `另有 ${n} 則新聞未列出`,
  digestTitle: (n) => `${n} 則新聞彙整`,
  burstTitle: (n) => `又有 ${n} 則新聞`,
  since: (when) => `自 ${when} 以來`,
  updated: (when) => `已更新 · ${when}`,
};

const EN: Labels = {
  regions: 'Regions',
  source: 'Source',
  alsoReportedBy: 'Also reported by',
  published: 'Published',
  untitled: '(untitled)',
  continued: '(continued)',
  listSeparator: ', ',
  viaFeed: (feed, outlet) => `${feed} (first published by ${outlet})`,
  moreRegions: (n) => `and ${n} more`,
  moreSources: (n) => `and ${n} more`,
  moreStories: (n) => (n === 1 ? 'and 1 more story' : `and ${n} more stories`),
  digestTitle: (n) => (n === 1 ? '1 story in brief' : `${n} stories in brief`),
  burstTitle: (n) => (n === 1 ? '1 more story' : `${n} more stories`),
  since: (when) => `since ${when}`,
  updated: (when) => `Updated · ${when}`,
};

const TABLE: Record<LabelLanguage, Labels> = { 'zh-Hans': HANS, 'zh-Hant': HANT, en: EN };

export function labelsFor(language: LabelLanguage): Labels {
  return TABLE[language];
}

/** `zh-TW`, `zh_tw`, `ZH-tw` → `zh-tw`, so settings typed by hand still match. */
const normalizeLocale = (locale: string | null): string => (locale ?? '').trim().replace(/_/g, '-').toLowerCase();

const TRADITIONAL_LOCALES = new Set(['zh-tw', 'zh-hk', 'zh-mo', 'zh-hant']);

/**
 * The language of the labels. A converted script decides it (cn → Simplified; tw, twp, hk →
 * Traditional). For `original` the guild locale decides: Chinese locales by their script;
 * no locale at all means a server that never said, and since the stories are Chinese the
 * labels are too (Simplified, like most sources); any other locale (en-US, ja, de…) gets
 * English, because that server chose a language and it is not Chinese.
 */
export function labelLanguage(script: Script, guildLocale: string | null): LabelLanguage {
  if (script === 'cn') return 'zh-Hans';
  if (script === 'tw' || script === 'twp' || script === 'hk') return 'zh-Hant';
  const locale = normalizeLocale(guildLocale);
  if (locale === '') return 'zh-Hans';
  if (TRADITIONAL_LOCALES.has(locale)) return 'zh-Hant';
  if (locale === 'zh' || locale.startsWith('zh-')) return 'zh-Hans';
  return 'en';
}

/** The script a server gets until it picks one: Discord has only zh-CN and zh-TW. */
export function defaultScript(guildLocale: string | null): Script {
  const locale = normalizeLocale(guildLocale);
  if (locale === 'zh-cn') return 'cn';
  if (locale === 'zh-tw') return 'tw';
  return 'original';
}
