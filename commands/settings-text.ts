// Texts of /settings, per language.
import type { Script } from '../src/domain/types.js';
import type { Localized } from './i18n.js';

export const M = {
  cmd: { 'zh-Hans': '本服务器的新闻显示设置', 'zh-Hant': '本伺服器的新聞顯示設定', en: 'How news looks in this server' },
  script: { 'zh-Hans': '新闻用简体还是繁体显示（管理员）', 'zh-Hant': '新聞用簡體還是繁體顯示（管理員）', en: 'Show news in Simplified or Traditional Chinese (moderators)' },
  timezone: { 'zh-Hans': '新闻时间和每日汇总所用的时区（管理员）', 'zh-Hant': '新聞時間和每日彙整所用的時區（管理員）', en: 'Time zone for story times and the daily digest (moderators)' },
  summaryLength: { 'zh-Hans': '新闻摘要的最大字数（管理员）', 'zh-Hant': '新聞摘要的最大字數（管理員）', en: 'Longest story summary, in characters (moderators)' },
  digestTime: { 'zh-Hans': '每日汇总的发送时间（管理员）', 'zh-Hant': '每日彙整的發送時間（管理員）', en: 'When the daily digest is posted (moderators)' },
  show: { 'zh-Hans': '查看本服务器的设置', 'zh-Hant': '查看本伺服器的設定', en: "See this server's settings" },
  optScript: { 'zh-Hans': '简繁字形', 'zh-Hant': '簡繁字形', en: 'Script' },
  optZone: { 'zh-Hans': 'IANA 时区，如 Asia/Shanghai；可输入城市名搜索', 'zh-Hant': 'IANA 時區，如 Asia/Taipei；可輸入城市名搜尋', en: 'IANA time zone such as Asia/Shanghai; type a city to search' },
  optLength: { 'zh-Hans': '字数（{min}–{max}）', 'zh-Hant': '字數（{min}–{max}）', en: 'Characters ({min}–{max})' },
  optTime: { 'zh-Hans': '24 小时制 HH:MM，如 08:00', 'zh-Hant': '24 小時制 HH:MM，如 08:00', en: '24-hour HH:MM, such as 08:00' },

  badScript: { 'zh-Hans': '请从列表中选择一种字形：原文、简体、繁体（台湾）、繁体（台湾用语）或繁体（香港）。', 'zh-Hant': '請從清單中選擇一種字形：原文、簡體、繁體（台灣）、繁體（台灣用語）或繁體（香港）。', en: 'Pick a script from the list: original, Simplified, Traditional (Taiwan), Taiwan phrasing or Traditional (Hong Kong).' },
  badZone: { 'zh-Hans': '“{text}”不是有效的 IANA 时区。请从自动补全列表中选择，或输入如 Asia/Shanghai、America/Vancouver 的时区名。', 'zh-Hant': '「{text}」不是有效的 IANA 時區。請從自動完成清單中選擇，或輸入如 Asia/Taipei、America/Vancouver 的時區名稱。', en: '"{text}" is not an IANA time zone. Pick one from the autocomplete list, or type a name such as Asia/Shanghai or America/Vancouver.' },
  badLength: { 'zh-Hans': '摘要长度必须是 {min} 到 {max} 之间的整数。', 'zh-Hant': '摘要長度必須是 {min} 到 {max} 之間的整數。', en: 'The summary length must be a whole number from {min} to {max}.' },
  badTime: { 'zh-Hans': '“{text}”不是有效的时间。请用 24 小时制 HH:MM，如 08:00 或 18:30。', 'zh-Hant': '「{text}」不是有效的時間。請用 24 小時制 HH:MM，如 08:00 或 18:30。', en: '"{text}" is not a valid time. Use 24-hour HH:MM, such as 08:00 or 18:30.' },

  scriptSet: { 'zh-Hans': '✅ 之后推送的新闻将以{script}显示。已经发出的消息不会改变。', 'zh-Hant': '✅ 之後推送的新聞將以{script}顯示。已經發出的訊息不會改變。', en: '✅ News posted from now on will be shown in {script}. Messages already posted stay as they are.' },
  zoneSet: { 'zh-Hans': '✅ 时区已设为 {zone}（那里现在是 {now}）。新闻时间和每日汇总都按这个时区。', 'zh-Hant': '✅ 時區已設為 {zone}（當地現在是 {now}）。新聞時間和每日彙整都依照這個時區。', en: '✅ Time zone set to {zone} (it is {now} there now). Story times and the daily digest follow it.' },
  lengthSet: { 'zh-Hans': '✅ 之后推送的新闻摘要最多 {n} 字。', 'zh-Hant': '✅ 之後推送的新聞摘要最多 {n} 字。', en: '✅ Summaries of news posted from now on will be at most {n} characters.' },
  timeSet: { 'zh-Hans': '✅ 每日汇总将在每天 {time}（{zone}）发送，下一次是 {next}。只影响选择了“每日汇总”的订阅。', 'zh-Hant': '✅ 每日彙整將在每天 {time}（{zone}）發送，下一次是 {next}。只影響選擇了「每日彙整」的訂閱。', en: '✅ The daily digest will be posted at {time} ({zone}) every day; the next one at {next}. This only affects subscriptions in digest mode.' },

  showTitle: { 'zh-Hans': '本服务器的设置', 'zh-Hant': '本伺服器的設定', en: 'Settings of this server' },
  fieldScript: { 'zh-Hans': '字形', 'zh-Hant': '字形', en: 'Script' },
  fieldZone: { 'zh-Hans': '时区', 'zh-Hant': '時區', en: 'Time zone' },
  fieldLength: { 'zh-Hans': '摘要长度', 'zh-Hant': '摘要長度', en: 'Summary length' },
  fieldTime: { 'zh-Hans': '每日汇总时间', 'zh-Hant': '每日彙整時間', en: 'Daily digest time' },
  chars: { 'zh-Hans': '最多 {n} 字', 'zh-Hant': '最多 {n} 字', en: 'at most {n} characters' },
  zoneNow: { 'zh-Hans': '{zone}（现在 {now}）', 'zh-Hant': '{zone}（現在 {now}）', en: '{zone} (now {now})' },
  byDefault: { 'zh-Hans': '{value}（默认）', 'zh-Hant': '{value}（預設）', en: '{value} (default)' },
  byLocale: { 'zh-Hans': '{value}（默认，按服务器语言）', 'zh-Hant': '{value}（預設，依伺服器語言）', en: "{value} (default, from the server's language)" },
  showFooter: { 'zh-Hans': '管理员可以用 /settings 修改这些设置。', 'zh-Hant': '管理員可以用 /settings 修改這些設定。', en: 'Moderators can change these with /settings.' },
} as const satisfies Record<string, Localized>;

/** What each script is called: the choice list and the replies use the same words. */
export const SCRIPT_NAMES: Readonly<Record<Script, Localized>> = {
  original: { 'zh-Hans': '原文（不转换）', 'zh-Hant': '原文（不轉換）', en: 'the original script (no conversion)' },
  cn: { 'zh-Hans': '简体', 'zh-Hant': '簡體', en: 'Simplified Chinese' },
  tw: { 'zh-Hans': '繁体（台湾）', 'zh-Hant': '繁體（台灣）', en: 'Traditional Chinese (Taiwan)' },
  twp: { 'zh-Hans': '繁体（台湾用语）', 'zh-Hant': '繁體（台灣用語）', en: 'Traditional Chinese with Taiwan phrasing' },
  hk: { 'zh-Hans': '繁体（香港）', 'zh-Hant': '繁體（香港）', en: 'Traditional Chinese (Hong Kong)' },
};

/**
 * Zones offered before anything is typed, with city names to search by: the places readers
 * of Chinese regional news live. Any other IANA zone can still be typed.
 */
export const COMMON_ZONES: ReadonlyArray<readonly [zone: string, city: Localized]> = [
  ['Asia/Shanghai', { 'zh-Hans': '北京时间（上海）', 'zh-Hant': '北京時間（上海）', en: 'China (Shanghai)' }],
  ['Asia/Taipei', { 'zh-Hans': '台北', 'zh-Hant': '臺北', en: 'Taipei' }],
  ['Asia/Hong_Kong', { 'zh-Hans': '香港', 'zh-Hant': '香港', en: 'Hong Kong' }],
  ['Asia/Macau', { 'zh-Hans': '澳门', 'zh-Hant': '澳門', en: 'Macau' }],
  ['Asia/Singapore', { 'zh-Hans': '新加坡', 'zh-Hant': '新加坡', en: 'Singapore' }],
  ['Asia/Kuala_Lumpur', { 'zh-Hans': '吉隆坡', 'zh-Hant': '吉隆坡', en: 'Kuala Lumpur' }],
  ['Asia/Tokyo', { 'zh-Hans': '东京', 'zh-Hant': '東京', en: 'Tokyo' }],
  ['Asia/Seoul', { 'zh-Hans': '首尔', 'zh-Hant': '首爾', en: 'Seoul' }],
  ['Australia/Sydney', { 'zh-Hans': '悉尼', 'zh-Hant': '雪梨', en: 'Sydney' }],
  ['Australia/Melbourne', { 'zh-Hans': '墨尔本', 'zh-Hant': '墨爾本', en: 'Melbourne' }],
  ['Pacific/Auckland', { 'zh-Hans': '奥克兰', 'zh-Hant': '奧克蘭', en: 'Auckland' }],
  ['Europe/London', { 'zh-Hans': '伦敦', 'zh-Hant': '倫敦', en: 'London' }],
  ['Europe/Paris', { 'zh-Hans': '巴黎', 'zh-Hant': '巴黎', en: 'Paris' }],
  ['Europe/Berlin', { 'zh-Hans': '柏林', 'zh-Hant': '柏林', en: 'Berlin' }],
  ['America/Vancouver', { 'zh-Hans': '温哥华', 'zh-Hant': '溫哥華', en: 'Vancouver' }],
  ['America/Los_Angeles', { 'zh-Hans': '洛杉矶', 'zh-Hant': '洛杉磯', en: 'Los Angeles' }],
  ['America/Toronto', { 'zh-Hans': '多伦多', 'zh-Hant': '多倫多', en: 'Toronto' }],
  ['America/New_York', { 'zh-Hans': '纽约', 'zh-Hant': '紐約', en: 'New York' }],
  ['America/Chicago', { 'zh-Hans': '芝加哥', 'zh-Hant': '芝加哥', en: 'Chicago' }],
  ['UTC', { 'zh-Hans': '协调世界时', 'zh-Hant': '協調世界時', en: 'Coordinated Universal Time' }],
];
