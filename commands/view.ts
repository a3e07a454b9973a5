// Shared rendering for command replies: stories as they would be posted, in the reader's script.
import type { Script } from '../src/domain/types.js';
import { defaultScript } from '../src/presentation/labels.js';
import type { Embed } from '../src/presentation/message.js';
import { renderStory } from '../src/presentation/render.js';
import type { CommandDeps } from './deps.js';
import type { UiLanguage } from './types.js';

/** The script a reply uses: the server's choice, else the reader's language. */
export async function replyScript(deps: CommandDeps, guildId: string | null, lang: UiLanguage): Promise<Script> {
  const settings = guildId ? await deps.settings.settings(guildId) : null;
  if (settings?.script) return settings.script;
  return lang === 'zh-Hant' ? 'tw' : lang === 'zh-Hans' ? 'cn' : defaultScript(settings?.locale ?? null);
}

export async function storyEmbed(deps: CommandDeps, storyId: number, guildId: string | null, lang: UiLanguage): Promise<Embed | null> {
  const story = await deps.articles.story(storyId);
  if (!story) return null;
  const settings = guildId ? await deps.settings.settings(guildId) : null;
  const budget = settings?.summaryLength ?? null;
  const longSummary = budget && deps.summaries ? await deps.summaries.forStory(story, budget) : null;
  const message = renderStory(story, {
    script: await replyScript(deps, guildId, lang),
    timeZone: settings?.timeZone ?? deps.defaultTimeZone,
    guildLocale: lang === 'zh-Hant' ? 'zh-TW' : lang === 'zh-Hans' ? 'zh-CN' : 'en-US',
    gazetteer: deps.gazetteer,
    ...(budget ? { summaryBudget: budget, longSummary } : {}),
  });
  return message.embeds[0] ?? null;
}

/** Splits keyword text ("地铁, 台风 、公交") into words; null when over the limits. */
export function parseWords(text: string | undefined, maxWords = 10, maxLength = 30): string[] | null {
  if (!text) return [];
  const words = [...new Set(text.split(/[\s,，、;；|]+/u).map((w) => w.trim()).filter(Boolean))];
  if (words.length > maxWords || words.some((w) => [...w].length > maxLength)) return null;
  return words;
}
