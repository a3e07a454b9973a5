// /feeds add | remove | list: feeds a server brings itself. Adding fetches the URL once (the
// same fetcher and checks as polling), shows what was found as it would be posted, and stores
// the feed for this server only; its stories then go to this server's subscriptions alone.
import { UI_COLORS } from '../src/presentation/colors.js';
import { defaultScript } from '../src/presentation/labels.js';
import { escapeMarkdown, fitEscaped, type Embed } from '../src/presentation/message.js';
import { renderStory } from '../src/presentation/render.js';
import type { FeedState, GuildFeed, StoryView } from '../src/store/ports.js';
import type { CommandDeps } from './deps.js';
import { UserError } from './errors.js';
import type { FeedAdmin, FeedPreview, FeedProblem } from './feeds-admin.js';
import { F, PROBLEM, URL_MAX } from './feeds-manage-text.js';
import { fitLines } from './fit-lines.js';
import { t, uiLanguage, type Localized } from './i18n.js';
import { requireModerator } from './permissions.js';
import { regionPath, resolveRegion } from './region-search.js';
import type { AutocompleteInput, Choice, CommandInput, Reply, UiLanguage } from './types.js';

export function admin(deps: CommandDeps): FeedAdmin {
  if (!deps.feedAdmin) throw new UserError(F.unavailable);
  return deps.feedAdmin;
}

export const problemText = (problem: FeedProblem, lang: UiLanguage, params: Record<string, string>): string => t(PROBLEM[problem], lang, params);

/** The preview items, rendered by the same code that renders posts. */
async function previewEmbeds(p: FeedPreview, feed: GuildFeed, guildId: string, deps: CommandDeps): Promise<Embed[]> {
  const settings = await deps.settings.settings(guildId);
  const regions = deps.gazetteer.path(feed.region).map((r, i, all) => ({ code: r.code, confidence: 1, source: i === all.length - 1 ? ('feed' as const) : ('ancestor' as const) }));
  return p.newest.flatMap((item) => {
    const story: StoryView = {
      storyId: 0, articleId: 0, feedId: feed.id, feedName: feed.guildName, title: item.title, url: item.url, summary: item.summary || null,
      text: item.summary, body: null, author: null, sourceOutlet: null, publishedAt: item.publishedAt, firstSeenAt: deps.now(),
      script: 'none', postable: true, holdReason: null, regions, alsoReportedBy: [],
    };
    const msg = renderStory(story, { script: settings.script ?? defaultScript(settings.locale), timeZone: settings.timeZone ?? deps.defaultTimeZone, guildLocale: settings.locale, gazetteer: deps.gazetteer });
    return (msg.embeds ?? []).slice(0, 1) as Embed[];
  });
}

export async function add(input: CommandInput, deps: CommandDeps): Promise<Reply> {
  const lang = uiLanguage(input.locale);
  const guildId = requireModerator(input);
  const fa = admin(deps);
  const url = String(input.options.url ?? '').trim();
  if (!/^https?:\/\//i.test(url) || url.length > URL_MAX) return { ephemeral: true, content: problemText('not-http', lang, { url: fitEscaped(url, 80) }) };
  const region = resolveRegion(deps.gazetteer, String(input.options.region ?? ''), lang);
  const name = typeof input.options.name === 'string' ? input.options.name.trim().slice(0, 100) || null : null;
  const r = await fa.add({ guildId, url, region: region.code, name, addedBy: input.userId });
  switch (r.status) {
    case 'invalid':
      return { ephemeral: true, content: problemText(r.problem, lang, { url: fitEscaped(url, 80), detail: fitEscaped(r.detail, 160) }) };
    case 'limit':
      return { ephemeral: true, content: t(F.limit, lang, { limit: r.limit }) };
    case 'in-catalog':
      return { ephemeral: true, content: t(F.inCatalog, lang, { name: escapeMarkdown(r.name) }) };
    case 'exists':
      return { ephemeral: true, content: t(F.exists, lang, { name: escapeMarkdown(r.feed.guildName), id: r.feed.id }) };
    case 'added': {
      const p = r.preview!;
      const kind = p.kind === 'feed' ? t(F.kindFeed, lang) : t(F.kindList, lang, { confidence: (p.confidence ?? 0).toFixed(2) });
      const content = [
        t(F.added, lang, { name: escapeMarkdown(r.feed.guildName), kind, region: regionPath(deps.gazetteer, region.code, lang), count: p.itemCount, shown: p.newest.length }),
        p.kind === 'list-page' ? t(F.listNote, lang) : '',
        // A shared feed keeps its first server's region as the prior for placing its stories
        // (one fetch, one placement for every server); a real per-server region is not built yet.
        r.feed.region !== r.feed.guildRegion ? t(F.sharedRegion, lang, { region: regionPath(deps.gazetteer, r.feed.region, lang) }) : '',
      ].filter(Boolean).join('\n');
      return { ephemeral: true, content, embeds: await previewEmbeds(p, r.feed, guildId, deps) };
    }
  }
}

export async function remove(input: CommandInput, deps: CommandDeps): Promise<Reply> {
  const lang = uiLanguage(input.locale);
  const guildId = requireModerator(input);
  const removed = await admin(deps).remove(guildId, String(input.options.feed ?? '').trim());
  if (!removed) return { ephemeral: true, content: t(F.notFound, lang) };
  return { ephemeral: true, content: t(F.removed, lang, { name: escapeMarkdown(removed.guildName) }) };
}

export async function removeChoices(input: AutocompleteInput, deps: CommandDeps): Promise<Choice[]> {
  if (!input.guildId || !deps.feedAdmin) return [];
  const q = input.focused.value.trim().toLowerCase();
  return (await deps.feedAdmin.list(input.guildId))
    .filter((f) => !q || f.guildName.toLowerCase().includes(q) || f.url.toLowerCase().includes(q) || f.id === q)
    .slice(0, 25)
    .map((f) => ({ name: `${f.guildName} · ${new URL(f.url).hostname}`.slice(0, 100), value: f.id }));
}

function health(f: FeedState, lang: UiLanguage): string {
  if (f.pausedAt !== null) return t(F.healthPaused, lang);
  if (f.failureCount > 0) return t(F.healthFailing, lang, { n: f.failureCount });
  if (f.lastFetchAt === null) return t(F.healthWaiting, lang);
  return t(F.healthOk, lang);
}

/** A region serves a subscription when one contains the other (codes share their prefix). */
const prefix = (code: string) => (code.endsWith('0000') ? code.slice(0, 2) : code.endsWith('00') ? code.slice(0, 4) : code);
const related = (a: string, b: string) => a.startsWith(prefix(b)) || b.startsWith(prefix(a));

export async function list(input: CommandInput, deps: CommandDeps): Promise<Reply> {
  const lang = uiLanguage(input.locale);
  const guildId = requireModerator(input);
  const fa = admin(deps);
  const own = await fa.list(guildId);
  const more = (n: number) => t({ 'zh-Hans': '……另有 {n} 个', 'zh-Hant': '……另有 {n} 個', en: '… and {n} more' } satisfies Localized, lang, { n });
  const ownLines = own.map((f) => `**${escapeMarkdown(f.guildName)}** \`${f.id}\` · ${regionPath(deps.gazetteer, f.guildRegion, lang)}${f.kind === 'list-page' ? ` · ${t(F.listPage, lang)}` : ''} — ${health(f, lang)}`);
  const subscribed = [...new Set((await deps.subscriptions.listForGuild(guildId)).map((s) => s.regionCode))];
  const catalog = (await deps.feeds.list()).filter((f) => f.origin === 'catalog' && subscribed.some((c) => related(c, f.region)));
  const catalogLines = catalog.map((f) => `**${escapeMarkdown(f.name)}** \`${f.id}\` · ${regionPath(deps.gazetteer, f.region, lang)} — ${health(f, lang)}`);
  const embeds: Embed[] = [
    { title: t(F.ownTitle, lang, { n: own.length, max: fa.maxPerGuild }), description: ownLines.length ? fitLines(ownLines, 2600, more).text : t(F.ownNone, lang), color: UI_COLORS.brand },
    { title: t(F.catalogTitle, lang, { n: catalog.length }), description: catalogLines.length ? fitLines(catalogLines, 2600, more).text : t(F.catalogNone, lang), color: UI_COLORS.muted },
  ];
  return { ephemeral: true, embeds };
}
