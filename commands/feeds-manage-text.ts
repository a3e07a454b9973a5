// Texts of /feeds add, remove, list, export and import, per language.
import type { Localized } from './i18n.js';

/** Longest URL /feeds add takes (the option's max_length). */
export const URL_MAX = 1000;

export const F = {
  add: { 'zh-Hans': '添加本服务器自己的新闻源（RSS/Atom 或新闻列表页）', 'zh-Hant': '新增本伺服器自己的新聞來源（RSS/Atom 或新聞列表頁）', en: "Add this server's own feed (RSS/Atom, or a page listing news)" },
  remove: { 'zh-Hans': '移除本服务器添加的新闻源', 'zh-Hant': '移除本伺服器新增的新聞來源', en: 'Remove a feed this server added' },
  list: { 'zh-Hans': '本服务器的新闻源，以及为订阅提供新闻的目录新闻源', 'zh-Hant': '本伺服器的新聞來源，以及為訂閱提供新聞的目錄新聞來源', en: "This server's feeds and the catalog feeds that serve its subscriptions" },
  export: { 'zh-Hans': '把本服务器的新闻源导出为 OPML 文件', 'zh-Hant': '把本伺服器的新聞來源匯出為 OPML 檔案', en: "Export this server's feeds as an OPML file" },
  import: { 'zh-Hans': '从 OPML 文件导入新闻源', 'zh-Hant': '從 OPML 檔案匯入新聞來源', en: 'Import feeds from an OPML file' },
  optUrl: { 'zh-Hans': '新闻源或网站页面的网址（http:// 或 https://）', 'zh-Hant': '新聞來源或網站頁面的網址（http:// 或 https://）', en: 'Address of the feed or of a page of the site (http:// or https://)' },
  optRegion: { 'zh-Hans': '这个新闻源主要报道的地区', 'zh-Hant': '這個新聞來源主要報導的地區', en: 'The region this feed mostly reports on' },
  optImportRegion: { 'zh-Hans': '没有标注地区的条目使用这个地区', 'zh-Hant': '沒有標註地區的項目使用這個地區', en: 'Region for entries of the file that name none' },
  optName: { 'zh-Hans': '显示名称（默认用新闻源自己的标题）', 'zh-Hant': '顯示名稱（預設用新聞來源自己的標題）', en: "Display name (default: the feed's own title)" },
  optFeed: { 'zh-Hans': '要移除的新闻源', 'zh-Hant': '要移除的新聞來源', en: 'The feed to remove' },
  optFile: { 'zh-Hans': 'OPML 文件（.opml）', 'zh-Hant': 'OPML 檔案（.opml）', en: 'An OPML file (.opml)' },

  added: { 'zh-Hans': '已添加新闻源 **{name}**（{kind}），地区：{region}。当前共 {count} 条，下面是最新的 {shown} 条（推送时的样子）。之后的新条目会在下次抓取时推送，已有的条目不会补发。', 'zh-Hant': '已新增新聞來源 **{name}**（{kind}），地區：{region}。目前共 {count} 則，下面是最新的 {shown} 則（推送時的樣子）。之後的新項目會在下次抓取時推送，已有的項目不會補發。', en: 'Added **{name}** ({kind}) for {region}. It has {count} items now; the newest {shown} are shown below as they would be posted. New items are posted from the next poll on; the ones already there are not.' },
  kindFeed: { 'zh-Hans': 'RSS/Atom 新闻源', 'zh-Hant': 'RSS/Atom 新聞來源', en: 'RSS/Atom feed' },
  kindList: { 'zh-Hans': '新闻列表页，识别置信度 {confidence}', 'zh-Hant': '新聞列表頁，辨識信心度 {confidence}', en: 'a page listing news, recognised with confidence {confidence}' },
  listNote: { 'zh-Hans': '这个页面没有 RSS，机器人会定期读取列表：列表里出现的新链接就是新条目，并抓取文章全文。', 'zh-Hant': '這個頁面沒有 RSS，機器人會定期讀取清單：清單裡出現的新連結就是新項目，並抓取文章全文。', en: 'This page has no feed: the bot reads the list on each poll, treats each new link as a new item and fetches the article.' },
  sharedRegion: { 'zh-Hans': '注意：其他服务器先添加了这个新闻源，地区为 {region}。同一新闻源只抓取一次，新闻按先添加者的地区（以及新闻本身的内容）归类；你填写的地区只用于本服务器的列表和导出。', 'zh-Hant': '注意：其他伺服器先新增了這個新聞來源，地區為 {region}。同一新聞來源只抓取一次，新聞按先新增者的地區（以及新聞本身的內容）歸類；你填寫的地區只用於本伺服器的清單和匯出。', en: "Note: another server added this feed first, for {region}. A feed is fetched once, and its stories are placed by that first region (and by what they say); the region you gave is kept for this server's list and export only." },
  exists: { 'zh-Hans': '本服务器已经添加过这个新闻源：**{name}**（`{id}`）。', 'zh-Hant': '本伺服器已經新增過這個新聞來源：**{name}**（`{id}`）。', en: 'This server already has this feed: **{name}** (`{id}`).' },
  inCatalog: { 'zh-Hans': '这个新闻源已在机器人的目录中（**{name}**），所有服务器都能收到它的新闻，无需添加。用 /region subscribe 订阅地区即可。', 'zh-Hant': '這個新聞來源已在機器人的目錄中（**{name}**），所有伺服器都能收到它的新聞，無需新增。用 /region subscribe 訂閱地區即可。', en: "This feed is already in the bot's catalog (**{name}**) and serves every server: subscribe to its region with /region subscribe." },
  limit: { 'zh-Hans': '本服务器已有 {limit} 个新闻源，达到上限。请先用 /feeds remove 移除不需要的。', 'zh-Hant': '本伺服器已有 {limit} 個新聞來源，達到上限。請先用 /feeds remove 移除不需要的。', en: 'This server has {limit} feeds, the most it may have. Remove one with /feeds remove first.' },
  removed: { 'zh-Hans': '已移除新闻源 **{name}**。本服务器不会再收到它的新闻。', 'zh-Hant': '已移除新聞來源 **{name}**。本伺服器不會再收到它的新聞。', en: 'Removed **{name}**. This server will no longer receive its stories.' },
  notFound: { 'zh-Hans': '本服务器没有这个新闻源。请从自动补全列表中选择。', 'zh-Hant': '本伺服器沒有這個新聞來源。請從自動完成清單中選擇。', en: 'This server has no such feed. Pick one from the autocomplete list.' },
  unavailable: { 'zh-Hans': '这个功能暂时不可用。', 'zh-Hant': '這個功能暫時無法使用。', en: 'This is not available right now.' },

  ownTitle: { 'zh-Hans': '本服务器的新闻源（{n}/{max}）', 'zh-Hant': '本伺服器的新聞來源（{n}/{max}）', en: "This server's feeds ({n}/{max})" },
  ownNone: { 'zh-Hans': '还没有。用 /feeds add 添加。', 'zh-Hant': '還沒有。用 /feeds add 新增。', en: 'None yet. Add one with /feeds add.' },
  catalogTitle: { 'zh-Hans': '为本服务器订阅提供新闻的目录新闻源（{n}）', 'zh-Hant': '為本伺服器訂閱提供新聞的目錄新聞來源（{n}）', en: 'Catalog feeds serving your subscriptions ({n})' },
  catalogNone: { 'zh-Hans': '目录中没有覆盖本服务器订阅地区的新闻源。', 'zh-Hant': '目錄中沒有涵蓋本伺服器訂閱地區的新聞來源。', en: "No catalog feed covers this server's subscribed regions." },
  listPage: { 'zh-Hans': '列表页', 'zh-Hant': '列表頁', en: 'list page' },
  healthOk: { 'zh-Hans': '✅ 正常', 'zh-Hant': '✅ 正常', en: '✅ healthy' },
  healthWaiting: { 'zh-Hans': '🕓 尚未抓取', 'zh-Hant': '🕓 尚未抓取', en: '🕓 not fetched yet' },
  healthFailing: { 'zh-Hans': '⚠️ 连续失败 {n} 次', 'zh-Hant': '⚠️ 連續失敗 {n} 次', en: '⚠️ failed {n} times in a row' },
  healthPaused: { 'zh-Hans': '⏸ 已暂停', 'zh-Hant': '⏸ 已暫停', en: '⏸ paused' },

  exported: { 'zh-Hans': '本服务器的 {n} 个新闻源已导出（OPML 2.0，地区代码在 region 属性中）。', 'zh-Hant': '本伺服器的 {n} 個新聞來源已匯出（OPML 2.0，地區代碼在 region 屬性中）。', en: "This server's {n} feeds, as OPML 2.0 (region codes in the region attribute)." },
  imported: { 'zh-Hans': '导入完成：{added} 个已添加，{exists} 个已存在，{invalid} 个无效，{skipped} 个未尝试。', 'zh-Hant': '匯入完成：{added} 個已新增，{exists} 個已存在，{invalid} 個無效，{skipped} 個未嘗試。', en: 'Import done: {added} added, {exists} already there, {invalid} invalid, {skipped} not tried.' },
  rowAdded: { 'zh-Hans': '✅ 已添加', 'zh-Hant': '✅ 已新增', en: '✅ added' },
  rowExists: { 'zh-Hans': '• 已存在', 'zh-Hant': '• 已存在', en: '• exists' },
  rowInvalid: { 'zh-Hans': '✗ 无效', 'zh-Hant': '✗ 無效', en: '✗ invalid' },
  rowSkipped: { 'zh-Hans': '⏭ 未尝试', 'zh-Hant': '⏭ 未嘗試', en: '⏭ skipped' },
  fileMissing: { 'zh-Hans': '请附上一个 .opml 文件。', 'zh-Hant': '請附上一個 .opml 檔案。', en: 'Attach an .opml file.' },
  fileTooLarge: { 'zh-Hans': '文件太大（最多 {max} KB）。', 'zh-Hant': '檔案太大（最多 {max} KB）。', en: 'The file is too large (at most {max} KB).' },
  opmlTooMany: { 'zh-Hans': '文件里的条目太多（{detail}）。请拆分成较小的文件。', 'zh-Hant': '檔案裡的項目太多（{detail}）。請拆分成較小的檔案。', en: 'The file has too many entries ({detail}). Split it into smaller files.' },
  opmlMalformed: { 'zh-Hans': '这不是有效的 OPML 文件（XML 格式有误）。', 'zh-Hant': '這不是有效的 OPML 檔案（XML 格式有誤）。', en: 'This is not a valid OPML file (the XML is malformed).' },
  opmlEmpty: { 'zh-Hans': '文件里没有任何带 xmlUrl 的新闻源条目。', 'zh-Hant': '檔案裡沒有任何帶 xmlUrl 的新聞來源項目。', en: 'The file has no feed entry with an xmlUrl.' },
} as const satisfies Record<string, Localized>;

/** Why a URL was refused, in words a moderator can act on. */
export const PROBLEM = {
  'not-http': { 'zh-Hans': '“{url}”不是 http:// 或 https:// 开头的网址。', 'zh-Hant': '「{url}」不是 http:// 或 https:// 開頭的網址。', en: '"{url}" is not an http:// or https:// address.' },
  blocked: { 'zh-Hans': '机器人不能访问这个地址（本机、内网或保留地址）。', 'zh-Hant': '機器人不能存取這個位址（本機、內網或保留位址）。', en: 'The bot may not connect to this address (local, private or reserved network).' },
  'too-large': { 'zh-Hans': '这个网址返回的内容太大，机器人不会读取。', 'zh-Hant': '這個網址回傳的內容太大，機器人不會讀取。', en: 'This address sends more data than the bot will read.' },
  unreachable: { 'zh-Hans': '无法读取这个网址：{detail}。请检查网址后重试。', 'zh-Hant': '無法讀取這個網址：{detail}。請檢查網址後重試。', en: 'Could not read this address: {detail}. Check it and try again.' },
  'malformed-feed': { 'zh-Hans': '这个新闻源的格式有误，无法读取（{detail}）。', 'zh-Hant': '這個新聞來源的格式有誤，無法讀取（{detail}）。', en: 'This feed is malformed and cannot be read ({detail}).' },
  'empty-feed': { 'zh-Hans': '这个新闻源里没有任何条目，无法预览，也无法确认它能用。', 'zh-Hant': '這個新聞來源裡沒有任何項目，無法預覽，也無法確認它能用。', en: 'This feed has no items, so there is nothing to preview or check.' },
  'no-feed': { 'zh-Hans': '这个页面没有新闻源，也不是新闻列表页。请找到网站的栏目页（如“本地新闻”列表）或 RSS 地址。', 'zh-Hant': '這個頁面沒有新聞來源，也不是新聞列表頁。請找到網站的欄目頁（如「本地新聞」清單）或 RSS 網址。', en: 'This page has no feed and is not a list of news. Use a column page of the site (such as its local news list) or its RSS address.' },
  'article-page': { 'zh-Hans': '这是一篇文章的页面，不是新闻列表。请改用列出这类文章的栏目页。', 'zh-Hant': '這是一篇文章的頁面，不是新聞清單。請改用列出這類文章的欄目頁。', en: 'This is an article, not a list of news. Use the column page that lists such articles.' },
  'home-page': { 'zh-Hans': '这是网站首页，包含很多栏目。请改用其中一个栏目的列表页。', 'zh-Hant': '這是網站首頁，包含很多欄目。請改用其中一個欄目的清單頁。', en: 'This is a home page with many sections. Use the list page of one section instead.' },
  'bad-region': { 'zh-Hans': '地区代码 {detail} 不存在。', 'zh-Hant': '地區代碼 {detail} 不存在。', en: 'There is no region with code {detail}.' },
  'no-region': { 'zh-Hans': '没有地区：请在文件中标注 region，或在命令中指定地区。', 'zh-Hant': '沒有地區：請在檔案中標註 region，或在指令中指定地區。', en: 'No region: give one in the file or in the command.' },
} as const satisfies Record<string, Localized>;

/** Why one entry of an imported file was not added, in a few words. */
export const REASON = {
  'not-http': { 'zh-Hans': '不是 http(s) 网址', 'zh-Hant': '不是 http(s) 網址', en: 'not an http(s) address' },
  blocked: { 'zh-Hans': '不允许访问的地址', 'zh-Hant': '不允許存取的位址', en: 'address not allowed' },
  'too-large': { 'zh-Hans': '内容太大', 'zh-Hant': '內容太大', en: 'response too large' },
  unreachable: { 'zh-Hans': '无法读取', 'zh-Hant': '無法讀取', en: 'could not be read' },
  'malformed-feed': { 'zh-Hans': '格式有误', 'zh-Hant': '格式有誤', en: 'malformed feed' },
  'empty-feed': { 'zh-Hans': '没有条目', 'zh-Hant': '沒有項目', en: 'no items' },
  'no-feed': { 'zh-Hans': '没有新闻源也不是列表页', 'zh-Hant': '沒有新聞來源也不是列表頁', en: 'no feed and not a list of news' },
  'article-page': { 'zh-Hans': '是文章页', 'zh-Hant': '是文章頁', en: 'an article page' },
  'home-page': { 'zh-Hans': '是首页', 'zh-Hant': '是首頁', en: 'a home page' },
  'bad-region': { 'zh-Hans': '地区代码不存在', 'zh-Hant': '地區代碼不存在', en: 'unknown region code' },
  'no-region': { 'zh-Hans': '没有地区', 'zh-Hant': '沒有地區', en: 'no region' },
  'in-catalog': { 'zh-Hans': '已在目录中', 'zh-Hant': '已在目錄中', en: 'already in the catalog' },
  limit: { 'zh-Hans': '已达上限', 'zh-Hant': '已達上限', en: 'server at its limit' },
  failures: { 'zh-Hans': '之前失败的条目太多', 'zh-Hant': '之前失敗的項目太多', en: 'too many entries before it failed' },
  deadline: { 'zh-Hans': '导入时间已用完，请稍后再导入剩下的', 'zh-Hant': '匯入時間已用完，請稍後再匯入剩下的', en: 'out of time: import the rest later' },
} as const satisfies Record<string, Localized>;
