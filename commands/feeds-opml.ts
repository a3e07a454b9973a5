// /feeds export | import: this server's feeds as an OPML file, and feeds from one. Importing
// runs the same checks as /feeds add on every entry and says what became of each.
import { fitEscaped } from '../src/presentation/message.js';
import type { CommandDeps } from './deps.js';
import { F, PROBLEM, REASON } from './feeds-manage-text.js';
import { admin } from './feeds-manage.js';
import { fitLines } from './fit-lines.js';
import { t, uiLanguage } from './i18n.js';
import { requireModerator } from './permissions.js';
import { resolveRegion } from './region-search.js';
import type { CommandInput, Reply } from './types.js';

/** An OPML of a few thousand feeds is well under this; the parser bounds the rest. */
export const MAX_UPLOAD_BYTES = 1024 * 1024;

export async function exportFeeds(input: CommandInput, deps: CommandDeps): Promise<Reply> {
  const lang = uiLanguage(input.locale);
  const guildId = requireModerator(input);
  const fa = admin(deps);
  const n = (await fa.list(guildId)).length;
  return { ephemeral: true, content: t(F.exported, lang, { n }), files: [{ name: 'xiangxun-feeds.opml', data: await fa.exportOpml(guildId) }] };
}

export async function importFeeds(input: CommandInput, deps: CommandDeps): Promise<Reply> {
  const lang = uiLanguage(input.locale);
  const guildId = requireModerator(input);
  const fa = admin(deps);
  const file = input.attachments?.file;
  if (!file) return { ephemeral: true, content: t(F.fileMissing, lang) };
  if (file.size > MAX_UPLOAD_BYTES) return { ephemeral: true, content: t(F.fileTooLarge, lang, { max: MAX_UPLOAD_BYTES / 1024 }) };
  const regionText = typeof input.options.region === 'string' ? input.options.region.trim() : '';
  const region = regionText ? resolveRegion(deps.gazetteer, regionText, lang).code : null;
  const got = await fa.download(file.url);
  if (!got.ok) return { ephemeral: true, content: t(PROBLEM[got.problem], lang, { url: fitEscaped(file.name, 80), detail: fitEscaped(got.detail, 160) }) };
  const r = await fa.importOpml(got.text, { guildId, region, addedBy: input.userId });
  if (r.status === 'invalid') {
    const text = r.problem === 'too-many' ? F.opmlTooMany : r.problem === 'too-large' ? F.fileTooLarge : r.problem === 'empty' ? F.opmlEmpty : F.opmlMalformed;
    return { ephemeral: true, content: t(text, lang, { detail: fitEscaped(r.detail, 80), max: MAX_UPLOAD_BYTES / 1024 }) };
  }
  const count = (o: string) => r.rows.filter((row) => row.outcome === o).length;
  const lines = r.rows.map((row) => {
    const label = t(row.outcome === 'added' ? F.rowAdded : row.outcome === 'exists' ? F.rowExists : row.outcome === 'skipped' ? F.rowSkipped : F.rowInvalid, lang);
    const why = row.reason ? `${lang === 'en' ? ': ' : '：'}${t(REASON[row.reason], lang)}` : '';
    // Both come from the uploaded file: escaped, and cut on the raw text so no escape is split.
    return `${label} **${fitEscaped(row.name || row.url, 80)}** ${fitEscaped(row.url, 200)}${why}`;
  });
  const more = (n: number) => t({ 'zh-Hans': '……另有 {n} 条', 'zh-Hant': '……另有 {n} 條', en: '… and {n} more' }, lang, { n });
  return {
    ephemeral: true,
    content: t(F.imported, lang, { added: count('added'), exists: count('exists'), invalid: count('invalid'), skipped: count('skipped') }),
    embeds: [{ description: fitLines(lines, 3800, more).text }],
  };
}
