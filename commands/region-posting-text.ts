// Texts of /region subscribe's posting options (forums, threads, crosspost, role pings), per language.
import type { Localized } from './i18n.js';

export const P = {
  optMention: { 'zh-Hans': '每条新闻提醒这个身份组（汇总不提醒）', 'zh-Hant': '每則新聞提醒這個身分組（彙整不提醒）', en: 'Ping this role with each story (digests never ping)' },
  optMentionWords: { 'zh-Hans': '只在新闻含这些词时提醒（用逗号或空格分隔）', 'zh-Hant': '只在新聞含這些詞時提醒（用逗號或空格分隔）', en: 'Ping only for stories with one of these words (comma or space separated)' },
  optThread: { 'zh-Hans': '为每条新闻开一个讨论串（文字和公告频道）', 'zh-Hant': '為每則新聞開一個討論串（文字和公告頻道）', en: 'Open a discussion thread on each post (text and announcement channels)' },
  optCrosspost: { 'zh-Hans': '把每条新闻发布给关注本公告频道的服务器', 'zh-Hant': '把每則新聞發布給追蹤本公告頻道的伺服器', en: 'Publish each post to servers following this announcement channel' },
  forumNeedsTag: {
    'zh-Hans': '{channel} 要求每个帖子带标签，但没有以 {path} 的地名命名的标签。请先在论坛设置里添加一个（例如「{name}」），或关闭“必须带标签”。',
    'zh-Hant': '{channel} 要求每篇貼文帶標籤，但沒有以 {path} 的地名命名的標籤。請先在論壇設定裡新增一個（例如「{name}」），或關閉「必須帶標籤」。',
    en: '{channel} requires a tag on every post, but none of its tags names {path}. Add one in the forum settings (e.g. “{name}”) or turn off “require tags”.',
  },
  forumTags: { 'zh-Hans': '论坛频道：每条新闻一个帖子，标签：{tags}', 'zh-Hant': '論壇頻道：每則新聞一篇貼文，標籤：{tags}', en: 'Forum channel: one post per story, tagged {tags}' },
  forumNoTags: {
    'zh-Hans': '论坛频道：每条新闻一个帖子。没有以地名命名的标签，帖子不带标签；添加如「{name}」的标签即可自动标注。',
    'zh-Hant': '論壇頻道：每則新聞一篇貼文。沒有以地名命名的標籤，貼文不帶標籤；新增如「{name}」的標籤即可自動標註。',
    en: 'Forum channel: one post per story. No tag names a place, so posts carry none; add a tag such as “{name}” to have them tagged.',
  },
  forumThread: { 'zh-Hans': '论坛帖子本身就是讨论串，无需另开。', 'zh-Hant': '論壇貼文本身就是討論串，無需另開。', en: 'Forum posts are threads already; no extra thread is opened.' },
  threadOn: { 'zh-Hans': '每条新闻会开一个讨论串。', 'zh-Hant': '每則新聞會開一個討論串。', en: 'Each post gets a discussion thread.' },
  noThreadPermission: { 'zh-Hans': '机器人在 {channel} 没有“创建公开讨论串”权限，无法为新闻开讨论串。', 'zh-Hant': '機器人在 {channel} 沒有「建立公開討論串」權限，無法為新聞開討論串。', en: 'The bot lacks Create Public Threads in {channel}, so it cannot open threads on posts.' },
  crosspostOn: { 'zh-Hans': '每条新闻会发布给关注本频道的服务器。', 'zh-Hant': '每則新聞會發布給追蹤本頻道的伺服器。', en: 'Each post is published to following servers.' },
  crosspostNeedsAnnouncement: { 'zh-Hans': '只有公告频道可以发布给关注者；{channel} 不是公告频道。', 'zh-Hant': '只有公告頻道可以發布給追蹤者；{channel} 不是公告頻道。', en: 'Only announcement channels can publish to followers; {channel} is not one.' },
  mentionOn: { 'zh-Hans': '每条新闻提醒 {role}。', 'zh-Hant': '每則新聞提醒 {role}。', en: 'Each story pings {role}.' },
  mentionWordsOn: { 'zh-Hans': '新闻含 {words} 时提醒 {role}。', 'zh-Hant': '新聞含 {words} 時提醒 {role}。', en: 'Stories with {words} ping {role}.' },
  mentionDigest: { 'zh-Hans': '每日汇总不会提醒身份组。', 'zh-Hant': '每日彙整不會提醒身分組。', en: 'Digests never ping a role.' },
  cannotMention: {
    'zh-Hans': '机器人不能提醒这个身份组：请把它设为“允许任何人@提及”，或给机器人“提及所有身份组”权限。',
    'zh-Hant': '機器人不能提醒這個身分組：請把它設為「允許任何人@提及」，或給機器人「提及所有身分組」權限。',
    en: 'The bot may not ping that role: make it mentionable by anyone, or give the bot Mention All Roles.',
  },
  noEveryone: { 'zh-Hans': '不能提醒 @everyone，请选择一个身份组。', 'zh-Hant': '不能提醒 @everyone，請選擇一個身分組。', en: 'The bot never pings @everyone; pick a role.' },
  unknownRole: { 'zh-Hans': '找不到这个身份组。', 'zh-Hant': '找不到這個身分組。', en: 'That role does not exist in this server.' },
  wordsNeedRole: { 'zh-Hans': '提醒关键词需要同时选择要提醒的身份组（mention）。', 'zh-Hant': '提醒關鍵詞需要同時選擇要提醒的身分組（mention）。', en: 'Ping words need a role to ping (mention).' },
} as const satisfies Record<string, Localized>;
