// The dependencies slash commands receive, built from the running bot.
import type { ChannelAccess, CommandDeps, RoleAccess } from '../../commands/deps.js';
import { canonicalUrl } from '../feeds/url.js';
import { createLongSummaries } from '../presentation/summaries.js';
import type { Bot } from './bot.js';

export function commandDeps(
  bot: Bot,
  channelAccess: (guildId: string, channelId: string) => Promise<ChannelAccess>,
  now: () => number = Date.now,
  roleAccess?: (guildId: string, roleId: string) => Promise<RoleAccess>,
): CommandDeps {
  const s = bot.services;
  const { store } = s;
  return {
    subscriptions: store.subscriptions,
    settings: store.settings,
    articles: store.articles,
    feeds: store.feeds,
    outbox: store.outbox,
    // Search reads the index directly until it moves onto the store (issue #16).
    search: s.store.search,
    searches: store.searches,
    // /why asks the router (over the store's ports) why each subscription took a story or not.
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
