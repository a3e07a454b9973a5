// Secrets out of log data wherever they sit: URL paths, error fields, causes, nested arrays.
import { describe, expect, it } from 'vitest';
import { scrubString, scrubValue } from '../../../src/shared/redact.js';

const TOKEN = 'aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OkFCQ0RFRkdI';
const OTHER = 'Zm9vYmFyYmF6cXV4LnRva2VuLnNlY3JldA';

describe('scrubString', () => {
  it('keeps the ids and drops the tokens of interaction and webhook paths', () => {
    expect(scrubString(`https://discord.com/api/v10/interactions/1234567890123456789/${OTHER}/callback?with_response=false`))
      .toBe('https://discord.com/api/v10/interactions/1234567890123456789/[redacted]/callback?with_response=false');
    expect(scrubString(`PATCH /webhooks/111111111111111111/${OTHER}/messages/%40original`)).toBe('PATCH /webhooks/111111111111111111/[redacted]/messages/%40original');
    expect(scrubString(`https://discord.com/api/webhooks/111111111111111111/${OTHER}`)).toBe('https://discord.com/api/webhooks/111111111111111111/[redacted]');
    expect(scrubString(`token ${TOKEN} leaked`)).toBe('token [redacted] leaked');
    expect(scrubString('Authorization: Bot MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.abcdefghijklmnopqrstuvwxyz012345')).not.toMatch(/MTIzNDU2/);
    expect(scrubString('an ordinary line about /feeds/abc and 嘉兴')).toBe('an ordinary line about /feeds/abc and 嘉兴');
  });
});

describe('scrubValue', () => {
  it('turns errors into data, with their own fields and causes scrubbed', () => {
    const inner = Object.assign(new Error(`connect failed for /webhooks/1/${OTHER}`), { code: 'ECONNRESET' });
    const err = Object.assign(new Error('Unknown interaction', { cause: inner }), {
      url: `https://discord.com/api/v10/interactions/2/${OTHER}/callback`,
      requestBody: { files: undefined, json: { type: 4, data: { content: 'a reply' } } },
      status: 404,
    });
    const out = JSON.stringify(scrubValue({ err, list: [new AggregateError([err], 'many')], headers: { authorization: 'Bot x' } }));
    expect(out).not.toContain(OTHER);
    expect(out).not.toContain('a reply');
    expect(out).not.toContain('Bot x');
    expect(out).toContain('"status":404');
    expect(out).toContain('"code":"ECONNRESET"');
    expect(out).toContain('/interactions/2/[redacted]/callback');
  });

  it('survives cycles and depth', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 50; i++) deep = (deep.next = {}) as Record<string, unknown>;
    expect(() => JSON.stringify(scrubValue({ a, root }))).not.toThrow();
  });
});
