// Discord's payload limits, answered the way Discord answers them (50035 with a nested
// `errors` tree, 50006 for an empty message), so a bot that forgets to truncate fails here
// and not in production. discord.js checks none of this for plain objects.
//
// Every body is first checked against Discord's OpenAPI description (spec-check.ts), which
// states most per-field limits; these checks add what the spec leaves out, and keep the
// documented limit where the spec is looser: message content 2000 (the spec's 4000 is the
// Nitro limit; the docs give bots 2000), autocomplete choice values 100 (spec 6000), all
// embeds of a message 6000 in all, non-blank field names and values, the command name pattern,
// a description on chat-input commands, required options before optional ones.
import { exclusiveMentionErrors } from './mentions.js';
import { ChannelFlag, isObject, type ChannelSeed, type JsonObject, type Reply } from './types.js';

type Path = Array<string | number>;

class FormErrors {
  readonly tree: JsonObject = {};
  empty = true;

  add(path: Path, code: string, message: string): void {
    let node = this.tree;
    for (const key of path) {
      const k = String(key);
      if (!isObject(node[k])) node[k] = {};
      node = node[k] as JsonObject;
    }
    const list = (node._errors ??= []) as Array<{ code: string; message: string }>;
    list.push({ code, message });
    this.empty = false;
  }

  max(path: Path, value: unknown, limit: number): void {
    if (typeof value === 'string' && length(value) > limit) this.add(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${limit} or fewer in length.`);
    if (Array.isArray(value) && value.length > limit) this.add(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${limit} or fewer in length.`);
  }

  between(path: Path, value: unknown, min: number, max: number): void {
    if (typeof value !== 'string' || length(value) < min || length(value) > max) {
      this.add(path, 'BASE_TYPE_BAD_LENGTH', `Must be between ${min} and ${max} in length.`);
    }
  }

  reply(): Reply | null {
    return this.empty ? null : formError(this.tree);
  }
}

/** Discord counts characters, not UTF-16 units (unverified for astral emoji). */
const length = (s: string): number => [...s].length;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export const apiError = (status: number, code: number, message: string, errors?: JsonObject): Reply => ({
  status,
  body: errors ? { code, message, errors } : { code, message },
});
export const formError = (errors: JsonObject): Reply => apiError(400, 50035, 'Invalid Form Body', errors);

function checkEmbed(e: FormErrors, embed: unknown, i: number): number {
  if (!isObject(embed)) {
    e.add(['embeds', i], 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
    return 0;
  }
  e.max(['embeds', i, 'title'], embed.title, 256);
  e.max(['embeds', i, 'description'], embed.description, 4096);
  if (embed.url !== undefined && !/^https?:\/\//i.test(str(embed.url))) {
    e.add(['embeds', i, 'url'], 'URL_TYPE_INVALID_SCHEME', 'Scheme must be one of (http, https).');
  }
  if (embed.color !== undefined && embed.color !== null && !(Number.isInteger(embed.color) && (embed.color as number) >= 0 && (embed.color as number) <= 0xffffff)) {
    e.add(['embeds', i, 'color'], 'NUMBER_TYPE_MAX', 'int value should be less than or equal to 16777215.');
  }
  const footer = isObject(embed.footer) ? str(embed.footer.text) : '';
  const author = isObject(embed.author) ? str(embed.author.name) : '';
  e.max(['embeds', i, 'footer', 'text'], footer, 2048);
  e.max(['embeds', i, 'author', 'name'], author, 256);
  let total = length(str(embed.title)) + length(str(embed.description)) + length(footer) + length(author);
  const fields = Array.isArray(embed.fields) ? embed.fields : [];
  e.max(['embeds', i, 'fields'], fields, 25);
  fields.forEach((f: unknown, j) => {
    const name = isObject(f) ? f.name : undefined;
    const value = isObject(f) ? f.value : undefined;
    for (const [key, v, limit] of [['name', name, 256], ['value', value, 1024]] as const) {
      if (typeof v !== 'string' || v.trim() === '') e.add(['embeds', i, 'fields', j, key], 'BASE_TYPE_REQUIRED', 'This field is required');
      else e.max(['embeds', i, 'fields', j, key], v, limit);
    }
    total += length(str(name)) + length(str(value));
  });
  return total;
}

/**
 * Checks a message body. `partial` is for edits and updates, where leaving everything out
 * means "change nothing"; `files` counts files sent alongside a multipart body.
 */
export function checkMessage(body: JsonObject, opts: { partial?: boolean; files?: number } = {}): Reply | null {
  const e = new FormErrors();
  if (body.content !== undefined && body.content !== null && typeof body.content !== 'string') {
    e.add(['content'], 'STRING_TYPE_CONVERT', 'Could not interpret the value as string.');
  }
  e.max(['content'], body.content, 2000);
  if (body.nonce !== undefined && body.nonce !== null) e.max(['nonce'], String(body.nonce), 25);
  const embeds = Array.isArray(body.embeds) ? body.embeds : [];
  e.max(['embeds'], embeds, 10);
  const total = embeds.reduce((sum: number, embed, i) => sum + checkEmbed(e, embed, i), 0);
  if (total > 6000) e.add(['embeds'], 'MAX_EMBED_SIZE_EXCEEDED', 'Embed size exceeds maximum size of 6000');
  for (const kind of exclusiveMentionErrors(body.allowed_mentions)) {
    e.add(['allowed_mentions'], 'MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE', `parse:["${kind}"] and ${kind}: [ids] are mutually exclusive.`);
  }
  const invalid = e.reply();
  if (invalid) return invalid;
  if (opts.partial) return null;
  const hasContent = str(body.content).trim() !== '';
  const has = (k: string): boolean => Array.isArray(body[k]) && (body[k] as unknown[]).length > 0;
  if (!hasContent && embeds.length === 0 && !has('components') && !has('sticker_ids') && !has('attachments') && !body.poll && !opts.files) {
    return apiError(400, 50006, 'Cannot send an empty message');
  }
  return null;
}

function threadFields(e: FormErrors, body: JsonObject): void {
  e.between(['name'], body.name, 1, 100);
  const d = body.auto_archive_duration;
  if (d !== undefined && d !== null && ![60, 1440, 4320, 10080].includes(d as number)) {
    e.add(['auto_archive_duration'], 'BASE_TYPE_CHOICES', 'Value must be one of {60, 1440, 4320, 10080}.');
  }
}

/** A thread's name and archive duration (the spec check states them too, but can be off). */
export function checkThreadFields(body: JsonObject): Reply | null {
  const e = new FormErrors();
  threadFields(e, body);
  return e.reply();
}

/**
 * A forum or media post: thread fields, a starter message checked like any message (its
 * errors nested under `message`), at most 5 tags, each one of the channel's own, and a tag
 * at all when the channel sets REQUIRE_TAG (40067, after the form checks, as Discord does).
 * The wording of the unknown-tag error is the fake's own; Discord's is not documented.
 */
export function checkForumPost(body: JsonObject, channel: ChannelSeed): Reply | null {
  const e = new FormErrors();
  threadFields(e, body);
  if (!isObject(body.message)) e.add(['message'], 'BASE_TYPE_REQUIRED', 'This field is required');
  const tags = body.applied_tags;
  if (tags !== undefined && tags !== null) {
    if (!Array.isArray(tags)) e.add(['applied_tags'], 'BASE_TYPE_ARRAY', 'Must be an array.');
    else {
      e.max(['applied_tags'], tags, 5);
      const known = new Set((channel.tags ?? []).map((t) => t.id));
      tags.forEach((t: unknown, i) => {
        if (typeof t !== 'string' || !known.has(t)) e.add(['applied_tags', i], 'BASE_TYPE_CHOICES', "Value must be one of the channel's available tags.");
      });
    }
  }
  const invalid = e.reply();
  if (invalid) return invalid;
  const message = checkMessage(body.message as JsonObject);
  if (message) {
    const err = message.body as { code: number; errors?: JsonObject };
    return err.errors ? formError({ message: err.errors }) : message;
  }
  const hasTags = Array.isArray(tags) && tags.length > 0;
  if (((channel.flags ?? 0) & ChannelFlag.RequireTag) !== 0 && !hasTags) {
    return apiError(400, 40067, 'A tag is required to create a forum post in this channel');
  }
  return null;
}

/** Autocomplete answers: at most 25 choices, names 1–100 characters, string values ≤ 100. */
export function checkChoices(data: unknown): Reply | null {
  const e = new FormErrors();
  const choices = isObject(data) && Array.isArray(data.choices) ? data.choices : null;
  if (!choices) {
    e.add(['data', 'choices'], 'BASE_TYPE_REQUIRED', 'This field is required');
    return e.reply();
  }
  e.max(['data', 'choices'], choices, 25);
  choices.forEach((c: unknown, i) => {
    e.between(['data', 'choices', i, 'name'], isObject(c) ? c.name : undefined, 1, 100);
    if (isObject(c) && typeof c.value === 'string') e.max(['data', 'choices', i, 'value'], c.value, 100);
  });
  return e.reply();
}

const LOCALES = new Set(
  'id da de en-GB en-US es-ES es-419 fr hr it lt hu nl no pl pt-BR ro fi sv-SE vi tr cs el bg ru uk hi th zh-CN ja zh-TW ko'.split(' '),
);
const NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

function checkName(e: FormErrors, path: Path, name: unknown, slash: boolean): void {
  const ok = typeof name === 'string' && (slash ? NAME.test(name) && name === name.toLowerCase() : length(name) >= 1 && length(name) <= 32);
  if (!ok) e.add(path, 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
}

function checkLocalized(e: FormErrors, path: Path, obj: JsonObject, slash: boolean): void {
  for (const key of ['name_localizations', 'description_localizations'] as const) {
    const map = obj[key];
    if (!isObject(map)) continue;
    for (const [locale, value] of Object.entries(map)) {
      if (!LOCALES.has(locale)) e.add([...path, key, locale], 'LOCALE_INVALID', `"${locale}" is not a valid locale.`);
      else if (key === 'name_localizations') checkName(e, [...path, key, locale], value, slash);
      else e.between([...path, key, locale], value, 1, 100);
    }
  }
}

function checkOptions(e: FormErrors, path: Path, options: unknown): void {
  if (!Array.isArray(options)) return;
  e.max([...path, 'options'], options, 25);
  let sawOptional = false;
  options.forEach((o: unknown, i) => {
    const at = [...path, 'options', i];
    if (!isObject(o)) return;
    checkName(e, [...at, 'name'], o.name, true);
    e.between([...at, 'description'], o.description, 1, 100);
    checkLocalized(e, at, o, true);
    if (o.required === true && sawOptional) {
      e.add([...at, 'required'], 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID', 'Required options must be placed before non-required options');
    }
    if (o.required !== true && o.type !== 1 && o.type !== 2) sawOptional = true;
    if (Array.isArray(o.choices)) {
      e.max([...at, 'choices'], o.choices, 25);
      o.choices.forEach((c: unknown, j) => e.between([...at, 'choices', j, 'name'], isObject(c) ? c.name : undefined, 1, 100));
    }
    checkOptions(e, at, o.options);
  });
}

/** A bulk overwrite: names Discord accepts, descriptions, option order and counts, no duplicates. */
export function checkCommands(body: unknown): Reply | null {
  const e = new FormErrors();
  if (!Array.isArray(body)) {
    e.add([], 'BASE_TYPE_ARRAY', 'Must be an array.');
    return e.reply();
  }
  // 130 in all as the spec says: up to 100 chat-input, 15 user and 15 message commands.
  e.max([], body, 130);
  const perType = new Map<number, number>();
  const seen = new Set<string>();
  body.forEach((cmd: unknown, i) => {
    if (!isObject(cmd)) return;
    const type = (cmd.type as number | undefined) ?? 1;
    checkName(e, [i, 'name'], cmd.name, type === 1);
    if (type === 1) e.between([i, 'description'], cmd.description, 1, 100);
    checkLocalized(e, [i], cmd, type === 1);
    checkOptions(e, [i], cmd.options);
    perType.set(type, (perType.get(type) ?? 0) + 1);
    const key = `${type}:${String(cmd.name)}`;
    if (seen.has(key)) e.add([i, 'name'], 'APPLICATION_COMMANDS_DUPLICATE_NAME', 'Application command names must be unique');
    seen.add(key);
  });
  // A malformed body is refused before the count is: form errors first, as Discord does.
  const invalid = e.reply();
  if (invalid) return invalid;
  return [...perType].some(([type, n]) => n > (type === 1 ? 100 : 15)) ? apiError(400, 30032, 'Maximum number of application commands reached') : null;
}
