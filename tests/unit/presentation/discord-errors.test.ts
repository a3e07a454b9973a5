import { describe, expect, it } from 'vitest';
import { classifyDiscordError } from '../../../src/delivery/publisher.js';
import { CHANNEL_GONE, discordErrorKind, isChannelGone } from '../../../src/presentation/discord-errors.js';
import { discordTime, discordTimestamp } from '../../../src/presentation/time.js';

describe('Discord error codes', () => {
  it('a deleted, hidden or forbidden channel is gone until a moderator acts', () => {
    for (const code of [10003, 50001, 50013]) {
      expect(isChannelGone(code)).toBe(true);
      expect(discordErrorKind(code, 403)).toBe('permanent');
      expect(classifyDiscordError(code, 403, 'raw').message).toBe(CHANNEL_GONE[code]);
    }
    expect(isChannelGone(null)).toBe(false);
  });

  it('an invalid body may pass smaller; other 4xx are permanent; 408, 429, 5xx and network errors retry', () => {
    expect(discordErrorKind(50035, 400)).toBe('invalid');
    expect(discordErrorKind(50006, 400)).toBe('invalid');
    expect(discordErrorKind(null, 404)).toBe('permanent');
    for (const status of [408, 429, 500, 503, null]) expect(discordErrorKind(null, status)).toBe('retryable');
    expect(classifyDiscordError(50035, 400, 'Invalid Form Body')).toMatchObject({ kind: 'invalid', message: 'Invalid Form Body', code: 50035, status: 400 });
  });
});

describe('Discord timestamp markup', () => {
  it('writes whole seconds in the styles Discord renders', () => {
    expect(discordTimestamp(Date.UTC(2022, 4, 7, 1, 23, 18, 999))).toBe('<t:1651886598:f>');
    expect(discordTimestamp(0, 'R')).toBe('<t:0:R>');
    expect(discordTime(1_000)).toBe('<t:1:f> (<t:1:R>)');
  });
});
