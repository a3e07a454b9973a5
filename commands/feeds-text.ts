// Texts of /feeds, per language.
import type { Localized } from './i18n.js';

export const M = {
  cmd: { 'zh-Hans': '新闻源（管理员）', 'zh-Hant': '新聞來源（管理員）', en: 'News feeds (moderators)' },
  status: { 'zh-Hans': '各新闻源的健康状况，有问题的排在前面', 'zh-Hant': '各新聞來源的健康狀況，有問題的排在前面', en: 'Health of each feed, problems first' },

  noFeeds: { 'zh-Hans': '还没有配置任何新闻源。请机器人的运营者在 FEEDS_FILE 中添加。', 'zh-Hant': '還沒有設定任何新聞來源。請機器人的維運者在 FEEDS_FILE 中新增。', en: "No feeds are configured yet. Ask the bot's operator to add some to FEEDS_FILE." },
  summary: { 'zh-Hans': '共 {total} 个新闻源：{paused} 个已暂停，{failing} 个出错，{waiting} 个尚未抓取，{ok} 个正常。时间按 {zone} 显示。', 'zh-Hant': '共 {total} 個新聞來源：{paused} 個已暫停，{failing} 個出錯，{waiting} 個尚未抓取，{ok} 個正常。時間以 {zone} 顯示。', en: '{total} feeds: {paused} paused, {failing} failing, {waiting} not fetched yet, {ok} healthy. Times are in {zone}.' },
  omitted: { 'zh-Hans': '消息长度有限，另有 {n} 个新闻源没有列出。', 'zh-Hant': '訊息長度有限，另有 {n} 個新聞來源沒有列出。', en: '{n} more feeds are not listed: a message can only hold so much.' },
  more: { 'zh-Hans': '……另有 {n} 个', 'zh-Hant': '……另有 {n} 個', en: '… and {n} more' },

  groupPaused: { 'zh-Hans': '⏸ 已暂停', 'zh-Hant': '⏸ 已暫停', en: '⏸ Paused' },
  groupFailing: { 'zh-Hans': '⚠️ 出错', 'zh-Hant': '⚠️ 出錯', en: '⚠️ Failing' },
  groupWaiting: { 'zh-Hans': '🕓 尚未抓取', 'zh-Hant': '🕓 尚未抓取', en: '🕓 Not fetched yet' },
  groupOk: { 'zh-Hans': '✅ 正常', 'zh-Hant': '✅ 正常', en: '✅ Healthy' },

  paused: { 'zh-Hans': '自 {since} 起暂停，每天重试一次', 'zh-Hant': '自 {since} 起暫停，每天重試一次', en: 'paused since {since}, retried once a day' },
  failing: { 'zh-Hans': '连续失败 {n} 次（自 {since} 起）', 'zh-Hant': '連續失敗 {n} 次（自 {since} 起）', en: 'failures in a row: {n} (since {since})' },
  lastError: { 'zh-Hans': '最近的错误：{error}', 'zh-Hant': '最近的錯誤：{error}', en: 'last error: {error}' },
  internalError: { 'zh-Hans': '机器人内部错误（详情见机器人日志）', 'zh-Hant': '機器人內部錯誤（詳情見機器人日誌）', en: "an internal error (details in the bot's log)" },
  lastSuccess: { 'zh-Hans': '上次成功 {when}', 'zh-Hant': '上次成功 {when}', en: 'last success {when}' },
  neverSucceeded: { 'zh-Hans': '从未成功', 'zh-Hant': '從未成功', en: 'never succeeded' },
  nextPoll: { 'zh-Hans': '下次 {when}', 'zh-Hant': '下次 {when}', en: 'next try {when}' },
  items: { 'zh-Hans': '共收录 {n} 条', 'zh-Hant': '共收錄 {n} 則', en: '{n} items stored' },
  // The feed's last fetch decoded with a warning (feeds.last_warning: a lying charset, replaced bytes).
  decodeWarning: { 'zh-Hans': '编码警告：声明的字符集与内容不符，或有无法解读的字节被替换', 'zh-Hant': '編碼警告：宣告的字元集與內容不符，或有無法解讀的位元組被替換', en: 'encoding warning: the declared charset does not match the content, or unreadable bytes were replaced' },
  waiting: { 'zh-Hans': '等待第一次抓取', 'zh-Hant': '等待第一次抓取', en: 'waiting for its first fetch' },
} as const satisfies Record<string, Localized>;
