// The dependencies slash commands receive, built from the running bot.
import type { ChannelAccess, CommandDeps, RoleAccess } from '../../commands/deps.js';
import { canonicalUrl } from '../feeds/url.js';
import { createLongSummaries } from '../presentation/summaries.js';
import { createSearch } from '../search/query.js';
import { createSearchesRepo } from '../store/searches-repo.js';
import type { Bot } from './bot.js';

export function commandDeps(
  bot: Bot,
  channelAccess: (guildId: string, channelId: string) => Promise<ChannelAccess>,
  now: () => number = Date.now,
  roleAccess?: (guildId: string, roleId: string) => Promise<RoleAccess>,
): CommandDeps {
  const s = bot.services;
  return {
    subscriptions: bot.subscriptions,
    articles: s.articles,
    feeds: s.feeds,
    outbox: bot.outbox,
    search: createSearch(s.db, { now, knownRegion: (c) => s.gazetteer.get(c) !== undefined }),
    searches: createSearchesRepo(s.db),
    decide: (storyId) => bot.router.decide(storyId),
    gazetteer: s.gazetteer,
    summaries: createLongSummaries({ summarizer: s.summarizer, gazetteer: s.gazetteer }),
    channelAccess,
    ...(roleAccess ? { roleAccess } : {}),
    now,
    defaultTimeZone: s.config.timeZone,
    canonicalUrl,
    feedAdmin: s.feedAdmin,
  };
}
