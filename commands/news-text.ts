// Texts of /news, per language.
import type { Localized } from './i18n.js';

export const M = {
  cmd: { 'zh-Hans': '搜索和阅读地区新闻', 'zh-Hant': '搜尋和閱讀地區新聞', en: 'Search and read regional news' },
  search: { 'zh-Hans': '搜索新闻，简体繁体都能搜到（结果只有你能看到）', 'zh-Hant': '搜尋新聞，簡體繁體都搜得到（結果只有你看得到）', en: 'Search the news in either script (only you see the results)' },
  latest: { 'zh-Hans': '一个地区的最新新闻（只有你能看到）', 'zh-Hant': '一個地區的最新新聞（只有你看得到）', en: "A region's latest stories (only you see them)" },
  optQuery: { 'zh-Hans': '关键词：空格分隔多个词，引号搜短语，词前加 - 表示排除', 'zh-Hant': '關鍵字：空格分隔多個詞，引號搜片語，詞前加 - 表示排除', en: 'Words to find: spaces between words, "quotes" for a phrase, -word to leave out' },
  optRegion: { 'zh-Hans': '只看这个地区：名称（简繁皆可）、拼音首字母或六位代码', 'zh-Hant': '只看這個地區：名稱（簡繁皆可）、拼音首字母或六位代碼', en: 'Only this region: name (either script), pinyin initials or six-digit code' },
  optLatestRegion: { 'zh-Hans': '地区：名称（简繁皆可）、拼音首字母或六位代码', 'zh-Hant': '地區：名稱（簡繁皆可）、拼音首字母或六位代碼', en: 'Region: name (either script), pinyin initials or six-digit code' },
  optDays: { 'zh-Hans': '只看最近几天的新闻（1–365，不填则不限）', 'zh-Hant': '只看最近幾天的新聞（1–365，不填則不限）', en: 'Only the last N days (1–365; empty: any time)' },
  optSort: { 'zh-Hans': '排序方式（默认最新优先）', 'zh-Hant': '排序方式（預設最新優先）', en: 'Order of results (default: newest first)' },
  optCount: { 'zh-Hans': '显示几条（1–10，默认 5）', 'zh-Hant': '顯示幾則（1–10，預設 5）', en: 'How many stories (1–10, default 5)' },
  sortNewest: { 'zh-Hans': '最新优先', 'zh-Hant': '最新優先', en: 'newest first' },
  sortRelevance: { 'zh-Hans': '最相关优先', 'zh-Hant': '最相關優先', en: 'best match first' },

  header: { 'zh-Hans': '“{query}”的搜索结果 · 第 {page} 页（第 {from}–{to} 条）', 'zh-Hant': '「{query}」的搜尋結果 · 第 {page} 頁（第 {from}–{to} 則）', en: 'Results for “{query}” · page {page} ({from}–{to})' },
  filterRegion: { 'zh-Hans': '地区：{path}', 'zh-Hant': '地區：{path}', en: 'Region: {path}' },
  filterDays: { 'zh-Hans': '最近 {days} 天', 'zh-Hant': '最近 {days} 天', en: 'last {days} days' },
  postHint: { 'zh-Hans': '按编号按钮可把那条新闻公开发到本频道。', 'zh-Hant': '按編號按鈕可把那則新聞公開發到本頻道。', en: 'Press a number to post that story in this channel for everyone.' },
  previous: { 'zh-Hans': '◀ 上一页', 'zh-Hant': '◀ 上一頁', en: '◀ Previous' },
  next: { 'zh-Hans': '下一页 ▶', 'zh-Hant': '下一頁 ▶', en: 'Next ▶' },
  post: { 'zh-Hans': '公开 {n}', 'zh-Hant': '公開 {n}', en: 'Post {n}' },
  shared: { 'zh-Hans': '{user} 分享了一条新闻：', 'zh-Hant': '{user} 分享了一則新聞：', en: '{user} shared a story:' },
  pageEmpty: { 'zh-Hans': '这一页已经没有结果了（新闻可能已被清理）。请按“上一页”，或重新搜索。', 'zh-Hant': '這一頁已經沒有結果了（新聞可能已被清理）。請按「上一頁」，或重新搜尋。', en: 'This page has no results any more (stories may have been removed). Go back, or search again.' },

  noResults: { 'zh-Hans': '没有找到与“{query}”相关的新闻。', 'zh-Hant': '沒有找到與「{query}」相關的新聞。', en: 'No stories match “{query}”.' },
  tryWords: { 'zh-Hans': '试试更少或别的关键词（简体、繁体都能搜到），或去掉引号和 - 排除词。', 'zh-Hant': '試試更少或別的關鍵字（簡體、繁體都搜得到），或去掉引號和 - 排除詞。', en: 'Try fewer or other words (Simplified and Traditional both work), or drop quotes and -words.' },
  tryRegion: { 'zh-Hans': '不限地区，或换成更大的地区（如 {parent}）再搜。', 'zh-Hant': '不限地區，或換成更大的地區（如 {parent}）再搜。', en: 'Leave out the region, or pick a larger one (such as {parent}).' },
  tryAnyRegion: { 'zh-Hans': '不限地区再搜一次。', 'zh-Hant': '不限地區再搜一次。', en: 'Search again without the region.' },
  tryDays: { 'zh-Hans': '增加天数（最多 365），或不填天数搜索全部新闻。', 'zh-Hant': '增加天數（最多 365），或不填天數搜尋全部新聞。', en: 'Allow more days (up to 365), or leave days empty to search everything.' },

  emptyQuery: { 'zh-Hans': '请输入要搜索的关键词，例如：嘉兴 地铁。', 'zh-Hant': '請輸入要搜尋的關鍵字，例如：嘉興 捷運。', en: 'Type something to search for, for example: 嘉兴 地铁.' },
  tooLong: { 'zh-Hans': '关键词太长了（最多 {max} 个字符，现在是 {length} 个）。请缩短后再试。', 'zh-Hant': '關鍵字太長了（最多 {max} 個字元，現在是 {length} 個）。請縮短後再試。', en: 'The query is too long ({length} characters; the limit is {max}). Shorten it and try again.' },
  noTerms: { 'zh-Hans': '关键词里没有可以搜索的字词。请至少输入一个要找的字或词：只有符号、或只有 - 排除词的搜索找不到任何新闻。', 'zh-Hant': '關鍵字裡沒有可以搜尋的字詞。請至少輸入一個要找的字或詞：只有符號、或只有 - 排除詞的搜尋找不到任何新聞。', en: 'The query has nothing to look for. Type at least one word to find: symbols alone, or only -words to leave out, match nothing.' },
  badDays: { 'zh-Hans': '天数须是 1 到 {max} 之间的整数；不填则搜索全部时间。', 'zh-Hant': '天數須是 1 到 {max} 之間的整數；不填則搜尋全部時間。', en: 'Days must be a whole number from 1 to {max}; leave it empty to search all time.' },
  badCount: { 'zh-Hans': '条数须是 1 到 {max} 之间的整数。', 'zh-Hant': '則數須是 1 到 {max} 之間的整數。', en: 'Count must be a whole number from 1 to {max}.' },
  storyGone: { 'zh-Hans': '这条新闻已经不在了（可能已过期被清理）。请重新搜索。', 'zh-Hant': '這則新聞已經不在了（可能已過期被清理）。請重新搜尋。', en: 'That story is no longer stored (it may have expired). Please search again.' },

  latestHeader: { 'zh-Hans': '{path} 的最新 {n} 条新闻', 'zh-Hant': '{path} 的最新 {n} 則新聞', en: 'Latest news from {path} ({n})' },
  latestTrimmed: { 'zh-Hans': '（另有 {n} 条超出 Discord 的消息长度上限，未能显示；请减少条数。）', 'zh-Hant': '（另有 {n} 則超出 Discord 的訊息長度上限，未能顯示；請減少則數。）', en: '({n} more did not fit in one Discord message; ask for fewer.)' },
  latestNone: { 'zh-Hans': '{path} 暂时还没有新闻。', 'zh-Hant': '{path} 暫時還沒有新聞。', en: 'No stories from {path} yet.' },
  latestTryParent: { 'zh-Hans': '试试上级地区 {parent}，或用 /news search 搜索全部新闻。', 'zh-Hant': '試試上級地區 {parent}，或用 /news search 搜尋全部新聞。', en: 'Try the larger region {parent}, or search everything with /news search.' },
  latestTrySearch: { 'zh-Hans': '可以用 /news search 搜索全部新闻。', 'zh-Hant': '可以用 /news search 搜尋全部新聞。', en: 'You can search everything with /news search.' },
} as const satisfies Record<string, Localized>;
