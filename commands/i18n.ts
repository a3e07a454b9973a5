// Bot texts, written per language (not machine-converted). Discord has zh-CN and zh-TW
// locales; everything else gets English.
import type { UiLanguage } from './types.js';

export type Localized = Readonly<Record<UiLanguage, string>>;

export function uiLanguage(locale: string | null | undefined): UiLanguage {
  if (!locale) return 'en';
  if (locale === 'zh-TW' || locale === 'zh-HK') return 'zh-Hant';
  if (locale.startsWith('zh')) return 'zh-Hans';
  return 'en';
}

/** Fills `{name}` placeholders. */
export function t(text: Localized, lang: UiLanguage, params: Readonly<Record<string, string | number>> = {}): string {
  return text[lang].replace(/\{(\w+)\}/g, (all, k: string) => (k in params ? String(params[k]) : all));
}

/** Name and description localizations for a command definition. */
export function localizations(text: Localized): { name_localizations?: Record<string, string>; description_localizations: Record<string, string> } {
  return { description_localizations: { 'zh-CN': text['zh-Hans'], 'zh-TW': text['zh-Hant'] } };
}

export function nameLocalizations(zhCN: string, zhTW: string): Record<string, string> {
  return { 'zh-CN': zhCN, 'zh-TW': zhTW };
}

export const COMMON = {
  guildOnly: {
    'zh-Hans': '这个命令只能在服务器里使用。',
    'zh-Hant': '這個指令只能在伺服器裡使用。',
    en: 'This command only works inside a server.',
  },
  notModerator: {
    'zh-Hans': '只有拥有“管理服务器”权限的成员才能使用这个命令。请联系服务器管理员。',
    'zh-Hant': '只有擁有「管理伺服器」權限的成員才能使用這個指令。請聯絡伺服器管理員。',
    en: 'Only members with the Manage Server permission can use this command. Ask a server admin.',
  },
  internalError: {
    'zh-Hans': '出了点问题，请稍后再试。如果问题持续，请把错误编号 {id} 告诉管理员。',
    'zh-Hant': '出了點問題，請稍後再試。如果問題持續，請把錯誤編號 {id} 告訴管理員。',
    en: 'Something went wrong. Please try again later; if it keeps happening, give the admin error id {id}.',
  },
  unknownRegion: {
    'zh-Hans': '找不到地区“{text}”。请从自动补全列表中选择，或输入地名（如 嘉兴、海宁市）或六位代码（如 330400）。',
    'zh-Hant': '找不到地區「{text}」。請從自動完成清單中選擇，或輸入地名（如 嘉興、海寧市）或六位代碼（如 330400）。',
    en: 'No region matches "{text}". Pick one from the autocomplete list, or type a place name (嘉兴, 海宁市) or a six-digit code (330400).',
  },
  ambiguousRegion: {
    'zh-Hans': '“{text}”可能指：{candidates}。请从自动补全列表中选择一个。',
    'zh-Hant': '「{text}」可能指：{candidates}。請從自動完成清單中選擇一個。',
    en: '"{text}" could mean: {candidates}. Pick one from the autocomplete list.',
  },
  notYours: {
    'zh-Hans': '这些按钮属于发起搜索的成员。请自己运行一次 /news search。',
    'zh-Hant': '這些按鈕屬於發起搜尋的成員。請自己執行一次 /news search。',
    en: 'These buttons belong to the member who searched. Run /news search yourself.',
  },
  expired: {
    'zh-Hans': '这个按钮已失效，请重新运行命令。',
    'zh-Hant': '這個按鈕已失效，請重新執行指令。',
    en: 'This button has expired. Please run the command again.',
  },
} as const satisfies Record<string, Localized>;
