// The bot's payloads against Discord's own OpenAPI description (discord/discord-api-spec,
// MIT). The fake Discord validates every request body of every end-to-end test with the same
// checker (tests/fakes/discord/spec-check.ts) and its close() fails a file that sent an
// invalid one; this file checks the checker, the vendored subset and the command definitions.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { definitions } from '../../commands/index.js';
import { DEFAULT_OUT, DEFAULT_SPEC, renderSubset, SOURCE, subsetSpec } from '../../scripts/discord-spec-subset.js';
import { describeErrors, errorTree, specChecker } from '../fakes/discord/spec-check.js';
import { checkCommands } from '../fakes/discord/validate.js';

const check = (method: string, path: string, body: unknown): string[] => {
  const result = specChecker().check(method, path, body);
  if (!result) throw new Error(`no spec operation for ${method} ${path}`);
  return describeErrors(result.errors);
};
const opFor = (method: string, path: string): string | undefined => specChecker().operation(method, path)?.operationId;

const CHANNEL = '1180000000000000001';
const embed = { title: '嘉兴：南湖新区开通公交', url: 'https://news.example.cn/a/1', description: '摘要', color: 0x2f6fde, timestamp: '2026-05-01T08:00:00.000Z', fields: [{ name: '地区', value: '嘉兴', inline: true }] };

describe('the vendored spec subset', () => {
  it.skipIf(!existsSync(DEFAULT_SPEC))('is what scripts/discord-spec-subset.ts makes from ../shared (regenerate it when the spec moves)', () => {
    const spec = JSON.parse(readFileSync(DEFAULT_SPEC, 'utf8')) as Parameters<typeof subsetSpec>[0];
    expect(readFileSync(`${DEFAULT_OUT}/requests.json`, 'utf8') === renderSubset(subsetSpec(spec, SOURCE))).toBe(true);
  });

  it('keeps the licence next to the copy', () => {
    expect(readFileSync(`${DEFAULT_OUT}/LICENSE`, 'utf8')).toMatch(/MIT License/);
    expect(JSON.parse(readFileSync(`${DEFAULT_OUT}/requests.json`, 'utf8')).license).toMatch(/MIT/);
  });

  it('routes each call the bot makes to its operation, a literal segment before a parameter', () => {
    expect(opFor('POST', `/channels/${CHANNEL}/messages`)).toBe('create_message');
    expect(opFor('PATCH', `/channels/${CHANNEL}/messages/${CHANNEL}`)).toBe('update_message');
    expect(opFor('POST', `/channels/${CHANNEL}/threads`)).toBe('create_thread');
    expect(opFor('POST', `/channels/${CHANNEL}/messages/${CHANNEL}/threads`)).toBe('create_thread_from_message');
    expect(opFor('POST', `/channels/${CHANNEL}/messages/${CHANNEL}/crosspost`)).toBe('crosspost_message');
    expect(opFor('POST', `/interactions/${CHANNEL}/tok/callback`)).toBe('create_interaction_response');
    expect(opFor('POST', `/webhooks/${CHANNEL}/tok`)).toBe('execute_webhook');
    expect(opFor('PATCH', `/webhooks/${CHANNEL}/tok/messages/@original`)).toBe('update_original_webhook_message');
    expect(opFor('PATCH', `/webhooks/${CHANNEL}/tok/messages/${CHANNEL}`)).toBe('update_webhook_message');
    expect(opFor('PUT', `/applications/${CHANNEL}/commands`)).toBe('bulk_set_application_commands');
    expect(opFor('PUT', `/applications/${CHANNEL}/guilds/${CHANNEL}/commands`)).toBe('bulk_set_guild_application_commands');
    // A call with no JSON body in the spec is not checked.
    expect(specChecker().check('POST', `/channels/${CHANNEL}/messages/${CHANNEL}/crosspost`, {})).toBeUndefined();
  });
});

describe('request bodies against the spec', () => {
  it('accepts a news post, its edit, a forum post and a thread on a message', () => {
    const post = { content: '', tts: false, enforce_nonce: true, nonce: '1a2b3c', embeds: [embed], allowed_mentions: { parse: [], roles: [CHANNEL] } };
    expect(check('POST', `/channels/${CHANNEL}/messages`, post)).toEqual([]);
    expect(check('PATCH', `/channels/${CHANNEL}/messages/${CHANNEL}`, { embeds: [embed], components: [] })).toEqual([]);
    expect(check('POST', `/channels/${CHANNEL}/threads`, { name: '嘉兴：南湖新区开通公交', applied_tags: [CHANNEL], message: { embeds: [embed] } })).toEqual([]);
    expect(check('POST', `/channels/${CHANNEL}/messages/${CHANNEL}/threads`, { name: '讨论', auto_archive_duration: 1440 })).toEqual([]);
  });

  it('accepts interaction answers: reply, deferral, choices, update, follow-up, @original edit', () => {
    const cb = `/interactions/${CHANNEL}/tok/callback`;
    expect(check('POST', cb, { type: 4, data: { content: '好', flags: 64, embeds: [embed] } })).toEqual([]);
    expect(check('POST', cb, { type: 5, data: { flags: 64 } })).toEqual([]);
    expect(check('POST', cb, { type: 8, data: { choices: [{ name: '嘉兴', value: 'jiaxing' }] } })).toEqual([]);
    const row = { type: 1, components: [{ type: 2, style: 1, custom_id: 'page:2', label: '下一页' }] };
    expect(check('POST', cb, { type: 7, data: { embeds: [embed], components: [row] } })).toEqual([]);
    expect(check('POST', `/webhooks/${CHANNEL}/tok`, { content: '续', flags: 64 })).toEqual([]);
    expect(check('PATCH', `/webhooks/${CHANNEL}/tok/messages/@original`, { content: '完成', embeds: [] })).toEqual([]);
  });

  it('rejects what Discord would: a long title, an unknown callback type, a bad button style, a scheme-less link', () => {
    expect(check('POST', `/channels/${CHANNEL}/messages`, { embeds: [{ ...embed, title: 'x'.repeat(257) }] })).toEqual([
      '/embeds/0/title must NOT have more than 256 characters',
    ]);
    expect(check('POST', `/interactions/${CHANNEL}/tok/callback`, { type: 42 })).not.toEqual([]);
    const row = { type: 1, components: [{ type: 2, style: 9, custom_id: 'x', label: 'x' }] };
    expect(check('POST', `/channels/${CHANNEL}/messages`, { components: [row] })).not.toEqual([]);
    expect(check('POST', `/channels/${CHANNEL}/messages`, { embeds: [{ ...embed, url: 'news.example.cn/a' }] })).toEqual(['/embeds/0/url must match format "uri"']);
    expect(check('POST', `/channels/${CHANNEL}/messages`, { allowed_mentions: { parse: ['everyone', 'nobody'] } })).not.toEqual([]);
  });

  it("answers with Discord's 50035 tree shape", () => {
    const result = specChecker().check('POST', `/channels/${CHANNEL}/messages`, { embeds: [{ fields: [{ name: 'n' }] }] });
    expect(errorTree(result?.errors ?? [])).toEqual({ embeds: { 0: { fields: { 0: { value: { _errors: [{ code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }] } } } } } });
  });

  it('takes a permission bit set as a decimal string (the documented form), as well as the integer the spec states', () => {
    const command = { name: 'news', description: '新闻', type: 1 };
    const path = `/applications/${CHANNEL}/commands`;
    expect(check('PUT', path, [{ ...command, default_member_permissions: '32' }])).toEqual([]);
    expect(check('PUT', path, [{ ...command, default_member_permissions: 32 }])).toEqual([]);
    expect(check('PUT', path, [{ ...command, default_member_permissions: null }])).toEqual([]);
    expect(check('PUT', path, [{ ...command, default_member_permissions: 'manage' }])).not.toEqual([]);
  });

  it('accepts every slash command the bot registers, globally and per guild', () => {
    const body = definitions();
    expect(body.length).toBeGreaterThan(0);
    expect(check('PUT', `/applications/${CHANNEL}/commands`, body)).toEqual([]);
    expect(check('PUT', `/applications/${CHANNEL}/guilds/${CHANNEL}/commands`, body)).toEqual([]);
  });
});

describe("the fake's own limits beside the spec", () => {
  it('takes 130 commands in all as the spec does, at most 100 chat-input and 15 of each menu type', () => {
    const make = (type: number, n: number): object[] => Array.from({ length: n }, (_, i) => ({ type, name: `c${type}x${i}`, ...(type === 1 ? { description: 'd' } : {}) }));
    const full = [...make(1, 100), ...make(2, 15), ...make(3, 15)];
    expect(check('PUT', `/applications/${CHANNEL}/commands`, full)).toEqual([]);
    expect(checkCommands(full)).toBeNull();
    expect(checkCommands([...make(1, 101)])?.body).toMatchObject({ code: 30032 });
    expect(checkCommands([...full, ...make(2, 1).map((c) => ({ ...c, name: 'extra' }))])?.body).toMatchObject({ code: 50035 });
  });
});
