// /settings script | timezone | summary-length | digest-time | show
//
// The command mixes moderator subcommands with `show`, which everyone may use, and Discord's
// `default_member_permissions` applies to a whole command, never to one subcommand: setting
// it would hide `show` from members. So the definition leaves it unset and every changing
// subcommand checks the caller with requireModerator in its handler.
import { DEFAULT_DIGEST_TIME, lastDigestMoment } from '../src/delivery/digest-planner.js';
import { OptionType } from '../src/presentation/discord-api.js';
import { defaultScript } from '../src/presentation/labels.js';
import { fitEscaped } from '../src/presentation/message.js';
import { MAX_SUMMARY_BUDGET, MIN_SUMMARY_BUDGET } from '../src/presentation/summaries.js';
import { formatLocalTime } from '../src/presentation/time.js';
import { SCRIPTS, type Script } from '../src/domain/types.js';
import { foldDigits, zoneOffsetMs } from '../src/text/dates.js';
import { DEFAULT_SUMMARY_BUDGET } from '../src/text/summary.js';
import type { CommandDeps } from './deps.js';
import { UserError } from './errors.js';
import { COMMON, localizations, nameLocalizations, t, uiLanguage, type Localized } from './i18n.js';
import { requireGuild, requireModerator } from './permissions.js';
import { COMMON_ZONES, M, SCRIPT_NAMES } from './settings-text.js';
import type { AutocompleteInput, Choice, CommandInput, CommandModule, Definition, Reply, UiLanguage } from './types.js';


/** Code points. Below this a summary is a headline again; above it, posts become walls of text. */
// The longest length is what the Summarizer port is asked for (presentation/summaries.ts).
export const SUMMARY_MIN = MIN_SUMMARY_BUDGET;
export const SUMMARY_MAX = MAX_SUMMARY_BUDGET;
const ZONE_MAX_LENGTH = 64;
const TIME_MAX_LENGTH = 8;

const filled = (text: Localized, params: Record<string, number>): Localized => ({
  'zh-Hans': t(text, 'zh-Hans', params),
  'zh-Hant': t(text, 'zh-Hant', params),
  en: t(text, 'en', params),
});
const lengthText = filled(M.optLength, { min: SUMMARY_MIN, max: SUMMARY_MAX });

// English choice names are short labels; the Chinese ones are the words the replies use.
const SCRIPT_LABELS: Readonly<Record<Script, string>> = { original: 'Original (no conversion)', cn: 'Simplified', tw: 'Traditional (Taiwan)', twp: 'Traditional, Taiwan phrasing', hk: 'Traditional (Hong Kong)' };
const SCRIPT_CHOICES = SCRIPTS.map((value) => ({ name: SCRIPT_LABELS[value], name_localizations: nameLocalizations(SCRIPT_NAMES[value]['zh-Hans'], SCRIPT_NAMES[value]['zh-Hant']), value }));

export const definition = {
  name: 'settings',
  name_localizations: nameLocalizations('设置', '設定'),
  description: M.cmd.en,
  ...localizations(M.cmd),
  dm_permission: false,
  options: [
    {
      type: OptionType.Subcommand, name: 'script', name_localizations: nameLocalizations('简繁', '簡繁'), description: M.script.en, ...localizations(M.script),
      options: [{ type: OptionType.String, name: 'value', name_localizations: nameLocalizations('字形', '字形'), description: M.optScript.en, ...localizations(M.optScript), required: true, choices: SCRIPT_CHOICES }],
    },
    {
      type: OptionType.Subcommand, name: 'timezone', name_localizations: nameLocalizations('时区', '時區'), description: M.timezone.en, ...localizations(M.timezone),
      options: [{ type: OptionType.String, name: 'zone', name_localizations: nameLocalizations('时区', '時區'), description: M.optZone.en, ...localizations(M.optZone), required: true, autocomplete: true, max_length: ZONE_MAX_LENGTH }],
    },
    {
      type: OptionType.Subcommand, name: 'summary-length', name_localizations: nameLocalizations('摘要长度', '摘要長度'), description: M.summaryLength.en, ...localizations(M.summaryLength),
      options: [{ type: OptionType.Integer, name: 'length', name_localizations: nameLocalizations('字数', '字數'), description: lengthText.en, ...localizations(lengthText), required: true, min_value: SUMMARY_MIN, max_value: SUMMARY_MAX }],
    },
    {
      type: OptionType.Subcommand, name: 'digest-time', name_localizations: nameLocalizations('汇总时间', '彙整時間'), description: M.digestTime.en, ...localizations(M.digestTime),
      options: [{ type: OptionType.String, name: 'time', name_localizations: nameLocalizations('时间', '時間'), description: M.optTime.en, ...localizations(M.optTime), required: true, min_length: 3, max_length: TIME_MAX_LENGTH }],
    },
    { type: OptionType.Subcommand, name: 'show', name_localizations: nameLocalizations('查看', '查看'), description: M.show.en, ...localizations(M.show) },
  ],
} as const satisfies Definition;

/** What the user typed, inert and cut short: a forged interaction may carry far more than max_length. */
const echo = (text: string) => fitEscaped(text, 40);

/** The canonical IANA name (asia/taipei → Asia/Taipei, PRC → Asia/Shanghai), or null. */
export function parseTimeZone(text: string): string | null {
  const raw = text.trim();
  // Offsets (+08:00) and other shapes newer engines may accept are not IANA names.
  if (raw.length === 0 || raw.length > ZONE_MAX_LENGTH || !/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(raw)) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: raw }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** `8:05`, `08:05`, `０８：０５` → `08:05`; null unless a real 24-hour time. */
export function parseDigestTime(text: string): string | null {
  const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(foldDigits(text.trim()));
  return m ? `${m[1]!.padStart(2, '0')}:${m[2]}` : null;
}

function offsetLabel(ms: number, zone: string): string {
  const minutes = Math.round(zoneOffsetMs(ms, zone) / 60_000);
  const abs = Math.abs(minutes);
  return `UTC${minutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

async function script(input: CommandInput, deps: CommandDeps): Promise<Reply> {
  const lang = uiLanguage(input.locale);
  const guildId = requireModerator(input);
  const value = String(input.options.value ?? '') as Script;
  if (!SCRIPTS.includes(value)) throw new UserError(M.badScript);
  await deps.settings.updateSettings(guildId, { script: value }, deps.now());
  return { ephemeral: true, content: t(M.scriptSet, lang, { script: t(SCRIPT_NAMES[value], lang) }) };
}

async function timezone(input: CommandInput, deps: CommandDeps): Promise<Reply> {
  const lang = uiLanguage(input.locale);
  const guildId = requireModerator(input);
  const text = String(input.options.zone ?? '');
  const zone = parseTimeZone(text);
  if (!zone) throw new UserError(M.badZone, { text: echo(text) });
  await deps.settings.updateSettings(guildId, { timeZone: zone }, deps.now());
  return { ephemeral: true, content: t(M.zoneSet, lang, { zone, now: formatLocalTime(deps.now(), zone) }) };
}

async function summaryLength(input: CommandInput, deps: CommandDeps): Promise<Reply> {
  const lang = uiLanguage(input.locale);
  const guildId = requireModerator(input);
  // Discord enforces min/max in its client, but a forged or stale interaction is not checked.
  const n = Number(input.options.length);
  if (!Number.isInteger(n) || n < SUMMARY_MIN || n > SUMMARY_MAX) throw new UserError(M.badLength, { min: SUMMARY_MIN, max: SUMMARY_MAX });
  await deps.settings.updateSettings(guildId, { summaryLength: n }, deps.now());
  return { ephemeral: true, content: t(M.lengthSet, lang, { n }) };
}

async function digestTime(input: CommandInput, deps: CommandDeps): Promise<Reply> {
  const lang = uiLanguage(input.locale);
  const guildId = requireModerator(input);
  const text = String(input.options.time ?? '');
  const time = parseDigestTime(text);
  if (!time) throw new UserError(M.badTime, { text: echo(text) });
  const now = deps.now();
  await deps.settings.updateSettings(guildId, { digestTime: time }, now);
  const zone = (await deps.settings.settings(guildId)).timeZone ?? deps.defaultTimeZone;
  const next = lastDigestMoment(now, time, zone) + 86_400_000;
  return { ephemeral: true, content: t(M.timeSet, lang, { time, zone, next: formatLocalTime(next, zone) }) };
}

async function show(input: CommandInput, deps: CommandDeps): Promise<Reply> {
  const lang = uiLanguage(input.locale);
  const guildId = requireGuild(input);
  const s = await deps.settings.settings(guildId);
  const zone = s.timeZone ?? deps.defaultTimeZone;
  const scriptText = s.script ? t(SCRIPT_NAMES[s.script], lang) : t(M.byLocale, lang, { value: t(SCRIPT_NAMES[defaultScript(s.locale)], lang) });
  const zoneText = t(M.zoneNow, lang, { zone, now: formatLocalTime(deps.now(), zone) });
  const lengthValue = t(M.chars, lang, { n: s.summaryLength ?? DEFAULT_SUMMARY_BUDGET });
  const field = (name: Localized, value: string, isSet: boolean) => ({ name: t(name, lang), value: isSet ? value : t(M.byDefault, lang, { value }) });
  return {
    ephemeral: true,
    embeds: [{
      title: t(M.showTitle, lang),
      fields: [
        { name: t(M.fieldScript, lang), value: scriptText },
        field(M.fieldZone, zoneText, s.timeZone !== null),
        field(M.fieldLength, lengthValue, s.summaryLength !== null),
        field(M.fieldTime, s.digestTime ?? DEFAULT_DIGEST_TIME, s.digestTime !== null),
      ],
      footer: { text: t(M.showFooter, lang) },
    }],
  };
}

/** Common zones when nothing is typed; else zones whose name or city contains the text. */
export function zoneChoices(query: string, lang: UiLanguage, now: number): Choice[] {
  const q = query.trim().toLowerCase().replace(/\s+/g, '_');
  const label = (zone: string, city: string | null) => `${city ? `${city} · ` : ''}${zone}${lang === 'en' ? ` (${offsetLabel(now, zone)})` : `（${offsetLabel(now, zone)}）`}`;
  const common = COMMON_ZONES.filter(([zone, city]) => !q || zone.toLowerCase().includes(q) || Object.values(city).some((c) => c.toLowerCase().replace(/\s+/g, '_').includes(q)));
  const out: Choice[] = common.map(([zone, city]) => ({ name: label(zone, t(city, lang)), value: zone }));
  if (q) {
    const known = new Set(out.map((c) => c.value));
    for (const zone of [...Intl.supportedValuesOf('timeZone'), 'UTC']) {
      if (out.length >= 25) break;
      if (!known.has(zone) && zone.toLowerCase().includes(q)) out.push({ name: label(zone, null), value: zone });
      known.add(zone);
    }
  }
  return out.slice(0, 25);
}

export const settings: CommandModule = {
  definition,
  async execute(input, deps) {
    switch (input.subcommand) {
      case 'script':
        return script(input, deps);
      case 'timezone':
        return timezone(input, deps);
      case 'summary-length':
        return summaryLength(input, deps);
      case 'digest-time':
        return digestTime(input, deps);
      case 'show':
        return show(input, deps);
      default:
        throw new UserError(COMMON.expired);
    }
  },
  async autocomplete(input: AutocompleteInput, deps) {
    if (input.focused.name !== 'zone') return [];
    return zoneChoices(input.focused.value, uiLanguage(input.locale), deps.now());
  },
};
