// Rate limits for people: a sliding window per member and per server, on an injected clock.
import { describe, expect, it } from 'vitest';
import { createCooldowns, DEFAULT_RULES, type CooldownRules } from '../../../commands/cooldown.js';

const RULES: CooldownRules = {
  user: { ...DEFAULT_RULES.user, search: { limit: 3, windowMs: 10_000 } },
  guild: { ...DEFAULT_RULES.guild, search: { limit: 5, windowMs: 10_000 } },
};

describe('cooldowns', () => {
  it('admit a member’s first requests, then say how long to wait, then admit again as the window slides', () => {
    let now = 1_000_000;
    const c = createCooldowns(() => now, RULES);
    for (let i = 0; i < 3; i++, now += 1000) expect(c.take('search', 'u1', 'g1')).toEqual({ ok: true });
    expect(c.take('search', 'u1', 'g1')).toEqual({ ok: false, scope: 'user', retryAfterMs: 7000 });
    // Refused attempts are not counted: hammering does not push the wait further out.
    for (let i = 0; i < 50; i++) c.take('search', 'u1', 'g1');
    now += 6999;
    expect(c.take('search', 'u1', 'g1')).toMatchObject({ ok: false, retryAfterMs: 1 });
    now += 1;
    expect(c.take('search', 'u1', 'g1')).toEqual({ ok: true });
  });

  it('keep kinds, members and servers apart', () => {
    const now = 5_000;
    const c = createCooldowns(() => now, RULES);
    for (let i = 0; i < 3; i++) c.take('search', 'u1', 'g1');
    expect(c.take('search', 'u1', 'g1').ok).toBe(false);
    expect(c.take('button', 'u1', 'g1').ok).toBe(true);
    expect(c.take('autocomplete', 'u1', 'g1').ok).toBe(true);
    expect(c.take('search', 'u2', 'g2').ok).toBe(true);
    // In a DM only the member's own window applies.
    expect(c.take('search', 'u3', null).ok).toBe(true);
  });

  it('limit a whole server, whoever asks', () => {
    const now = 0;
    const c = createCooldowns(() => now, RULES);
    expect(c.take('search', 'a', 'g').ok).toBe(true);
    expect(c.take('search', 'b', 'g').ok).toBe(true);
    expect(c.take('search', 'c', 'g').ok).toBe(true);
    expect(c.take('search', 'd', 'g').ok).toBe(true);
    expect(c.take('search', 'e', 'g').ok).toBe(true);
    expect(c.take('search', 'f', 'g')).toEqual({ ok: false, scope: 'guild', retryAfterMs: 10_000 });
    // Another server is not held up by this one.
    expect(c.take('search', 'f', 'other').ok).toBe(true);
  });

  it('forget idle members, so memory follows active use only', () => {
    let now = 0;
    const c = createCooldowns(() => now, RULES);
    for (let i = 0; i < 5000; i++) c.take('autocomplete', `user${i}`, null);
    now += 3_600_000;
    for (let i = 0; i < 1000; i++) c.take('autocomplete', 'one', null);
    // Everyone from an hour ago is admitted afresh (nothing left to hold them).
    expect(c.take('autocomplete', 'user1', null).ok).toBe(true);
  });
});
