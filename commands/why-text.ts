// Texts of /why, per language.
import type { RegionTag } from '../src/domain/types.js';
import type { Localized } from './i18n.js';

export const M = {
  cmd: { 'zh-Hans': '查明一篇新闻为什么推送或没有推送（管理员）', 'zh-Hant': '查明一則新聞為什麼推送或沒有推送（管理員）', en: 'Find out why a story was or was not posted (moderators)' },
  optUrl: { 'zh-Hans': '新闻文章的链接', 'zh-Hant': '新聞文章的連結', en: 'Link to the news article' },

  notAUrl: { 'zh-Hans': '“{text}”不是文章链接。请粘贴以 http:// 或 https:// 开头的完整链接。', 'zh-Hant': '「{text}」不是文章連結。請貼上以 http:// 或 https:// 開頭的完整連結。', en: '"{text}" is not an article link. Paste the full link, starting with http:// or https://.' },
  tooLong: { 'zh-Hans': '链接太长（最多 {max} 个字符）。请粘贴文章本身的链接，去掉多余的参数。', 'zh-Hant': '連結太長（最多 {max} 個字元）。請貼上文章本身的連結，去掉多餘的參數。', en: 'That link is too long (at most {max} characters). Paste the article’s own link without extra parameters.' },
  neverSeen: { 'zh-Hans': '机器人从未见过这个链接：{url}\n它可能来自没有配置的新闻源，新闻源还没有抓到它，或者新闻源出了问题。请用 /feeds status 检查各新闻源的状况。', 'zh-Hant': '機器人從未見過這個連結：{url}\n它可能來自沒有設定的新聞來源、新聞來源還沒有抓到它，或者新聞來源出了問題。請用 /feeds status 檢查各新聞來源的狀況。', en: 'The bot has never seen this link: {url}\nIt may come from a feed that is not configured, the feed may not have picked it up yet, or the feed has a problem. Check /feeds status.' },
  header: { 'zh-Hans': '这个链接对应的新闻在本服务器的情况（时间按 {zone}）：', 'zh-Hant': '這個連結對應的新聞在本伺服器的情況（時間以 {zone} 顯示）：', en: 'What happened to this story in this server (times in {zone}):' },

  seen: { 'zh-Hans': '**首次见到**：{when}，来自 {feed}', 'zh-Hant': '**首次見到**：{when}，來自 {feed}', en: '**First seen**: {when}, from {feed}' },
  otherSources: { 'zh-Hans': '（另有 {n} 个来源）', 'zh-Hant': '（另有 {n} 個來源）', en: ' ({n} other sources)' },
  published: { 'zh-Hans': '**发布时间**：{when}', 'zh-Hant': '**發佈時間**：{when}', en: '**Published**: {when}' },
  regions: { 'zh-Hans': '**地区**：{list}', 'zh-Hant': '**地區**：{list}', en: '**Regions**: {list}' },
  noRegions: { 'zh-Hans': '**地区**：没有识别出地区，所以不会推送到任何地区订阅。', 'zh-Hant': '**地區**：沒有辨識出地區，所以不會推送到任何地區訂閱。', en: '**Regions**: none recognised, so no region subscription can receive it.' },
  postable: { 'zh-Hans': '**推送资格**：✅ 可以推送', 'zh-Hant': '**推送資格**：✅ 可以推送', en: '**Eligible**: ✅ yes' },
  held: { 'zh-Hans': '**推送资格**：⛔ 不推送，{reason}', 'zh-Hant': '**推送資格**：⛔ 不推送，{reason}', en: '**Eligible**: ⛔ no, {reason}' },
  holdTooOld: { 'zh-Hans': '发现时已经发布超过 {h} 小时，太旧了。', 'zh-Hant': '發現時已經發佈超過 {h} 小時，太舊了。', en: 'it was published more than {h} hours before the bot saw it (too old).' },
  holdBacklog: { 'zh-Hans': '它是新闻源第一次抓取时就已存在的旧内容（积压）。', 'zh-Hant': '它是新聞來源第一次抓取時就已存在的舊內容（積壓）。', en: 'it was already in the feed when the feed was first fetched (backlog).' },
  holdOther: { 'zh-Hans': '它在收录时被暂缓推送。', 'zh-Hant': '它在收錄時被暫緩推送。', en: 'it was held back when it was stored.' },

  subsHeading: { 'zh-Hans': '**本服务器的订阅**', 'zh-Hant': '**本伺服器的訂閱**', en: '**Subscriptions in this server**' },
  noSubs: { 'zh-Hans': '本服务器没有订阅这些地区。管理员可以用 /region subscribe 添加。', 'zh-Hant': '本伺服器沒有訂閱這些地區。管理員可以用 /region subscribe 新增。', en: 'This server has no subscription covering these regions. Moderators can add one with /region subscribe.' },
  matched: { 'zh-Hans': '✅ 符合条件', 'zh-Hant': '✅ 符合條件', en: '✅ matched' },
  matchedHeld: { 'zh-Hans': '符合条件，但这条新闻不推送（见上）', 'zh-Hant': '符合條件，但這則新聞不推送（見上）', en: 'matched, but the story is not posted (see above)' },
  noInclude: { 'zh-Hans': '✗ 不含任何指定关键词（{words}）', 'zh-Hant': '✗ 不含任何指定關鍵詞（{words}）', en: '✗ none of its keywords ({words})' },
  excluded: { 'zh-Hans': '✗ 含有排除词“{word}”', 'zh-Hant': '✗ 含有排除詞「{word}」', en: '✗ has the excluded word "{word}"' },
  channelPaused: { 'zh-Hans': '⏸ 频道已暂停推送：{cause}。{fix}', 'zh-Hant': '⏸ 頻道已暫停推送：{cause}。{fix}', en: '⏸ posting to the channel is paused: {cause}. {fix}' },

  postsHeading: { 'zh-Hans': '**推送记录**', 'zh-Hant': '**推送紀錄**', en: '**Posts**' },
  noPosts: { 'zh-Hans': '没有推送记录。如果上面有符合条件的订阅，它可能是在这条新闻收录之后才添加的。', 'zh-Hant': '沒有推送紀錄。如果上面有符合條件的訂閱，它可能是在這則新聞收錄之後才新增的。', en: 'No posts. If a subscription above matched, it was probably added after the story was stored.' },
  noPostsHeld: { 'zh-Hans': '没有推送记录（见上面的推送资格）。', 'zh-Hant': '沒有推送紀錄（見上面的推送資格）。', en: 'No posts (see Eligible above).' },
  sent: { 'zh-Hans': '✅ {when} 发布到 {channel}', 'zh-Hant': '✅ {when} 發佈到 {channel}', en: '✅ posted to {channel} at {when}' },
  jump: { 'zh-Hans': '查看消息', 'zh-Hant': '查看訊息', en: 'view message' },
  pending: { 'zh-Hans': '⏳ 正在等待发送到 {channel}', 'zh-Hant': '⏳ 正在等待發送到 {channel}', en: '⏳ waiting to be posted to {channel}' },
  retrying: { 'zh-Hans': '⏳ 发送到 {channel} 失败了 {n} 次，稍后会重试', 'zh-Hant': '⏳ 發送到 {channel} 失敗了 {n} 次，稍後會重試', en: '⏳ posting to {channel} failed {n} times; it will be retried' },
  queued: { 'zh-Hans': '🗓 将出现在 {channel} 的下一次每日汇总中', 'zh-Hant': '🗓 將出現在 {channel} 的下一次每日彙整中', en: "🗓 will be in {channel}'s next daily digest" },
  inDigest: { 'zh-Hans': '📦 已并入 {channel} 的每日汇总', 'zh-Hant': '📦 已併入 {channel} 的每日彙整', en: "📦 rolled into {channel}'s daily digest" },
  capped: { 'zh-Hans': '📦 {channel} 短时间内新闻太多，超过频率上限，已并入一条汇总消息', 'zh-Hant': '📦 {channel} 短時間內新聞太多，超過頻率上限，已併入一則彙整訊息', en: '📦 {channel} got too many stories at once (rate cap), so this one was rolled into a summary message' },
  skipped: { 'zh-Hans': '⏸ 没有发到 {channel}：当时频道已暂停推送（{cause}）', 'zh-Hant': '⏸ 沒有發到 {channel}：當時頻道已暫停推送（{cause}）', en: '⏸ not posted to {channel}: posting there was paused ({cause})' },
  failed: { 'zh-Hans': '❌ 发送到 {channel} 失败。请检查机器人在该频道的权限；详情见机器人日志。', 'zh-Hant': '❌ 發送到 {channel} 失敗。請檢查機器人在該頻道的權限；詳情見機器人日誌。', en: "❌ posting to {channel} failed. Check the bot's permissions there; details are in the bot's log." },

  pauseGone: { 'zh-Hans': '频道已被删除', 'zh-Hant': '頻道已被刪除', en: 'the channel was deleted' },
  pauseAccess: { 'zh-Hans': '机器人看不到这个频道', 'zh-Hant': '機器人看不到這個頻道', en: 'the bot cannot see the channel' },
  pausePermission: { 'zh-Hans': '机器人在这个频道缺少发送权限', 'zh-Hant': '機器人在這個頻道缺少發送權限', en: 'the bot lacks permission to post there' },
  pauseOther: { 'zh-Hans': 'Discord 拒绝了推送', 'zh-Hant': 'Discord 拒絕了推送', en: 'Discord refused the posts' },
  fixGone: { 'zh-Hans': '请为这个地区改订另一个频道。', 'zh-Hant': '請為這個地區改訂另一個頻道。', en: 'Subscribe another channel to this region.' },
  fixResume: { 'zh-Hans': '解决后用 /region subscribe 重新订阅即可恢复。', 'zh-Hant': '解決後用 /region subscribe 重新訂閱即可恢復。', en: 'Fix that, then run /region subscribe again to resume.' },
  more: { 'zh-Hans': '……另有 {n} 行', 'zh-Hant': '……另有 {n} 行', en: '… and {n} more lines' },
} as const satisfies Record<string, Localized>;

/** Where the evidence for a region came from. */
export const REGION_SOURCES: Readonly<Record<RegionTag['source'], Localized>> = {
  feed: { 'zh-Hans': '新闻源所属地区', 'zh-Hant': '新聞來源所屬地區', en: "the feed's region" },
  breadcrumb: { 'zh-Hans': '网站栏目', 'zh-Hant': '網站欄目', en: 'the site section' },
  title: { 'zh-Hans': '标题', 'zh-Hant': '標題', en: 'the title' },
  body: { 'zh-Hans': '正文', 'zh-Hant': '內文', en: 'the text' },
  ancestor: { 'zh-Hans': '上级地区', 'zh-Hant': '上級地區', en: 'a region below it' },
};

export const REGION_BY: Localized = { 'zh-Hans': '{region}（依据：{source}）', 'zh-Hant': '{region}（依據：{source}）', en: '{region} (from {source})' };
