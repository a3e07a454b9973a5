// Roles (issue #16): parsing `--role`, what each role runs, and SQLite refusing all but `all`.
import { describe, expect, it } from 'vitest';
import { checkRole, needsDiscord, parseRole, RoleError, roleParts, ROLES } from '../../../src/app/roles.js';
import { ConfigError } from '../../../src/config/config.js';

describe('parseRole', () => {
  it('defaults to all and reads each role, whatever its case', () => {
    expect(parseRole(undefined)).toBe('all');
    expect(parseRole('')).toBe('all');
    expect(ROLES.map((r) => parseRole(r))).toEqual(['all', 'poller', 'deliverer', 'gateway']);
    expect(parseRole(' Deliverer ')).toBe('deliverer');
  });

  it('refuses anything else and names the roles', () => {
    expect(() => parseRole('worker')).toThrow(RoleError);
    expect(() => parseRole('worker')).toThrow('unknown role "worker": use one of all, poller, deliverer, gateway');
  });
});

describe('what each role runs', () => {
  it('all runs every part on the one-process delivery path', () => {
    expect(roleParts('all')).toEqual({ polling: true, retention: true, delivery: true, claims: false, digestPlanning: true, gateway: true, rest: true });
  });

  it('splits the parts between poller, deliverer and gateway, each part run by one of them', () => {
    const split = (['poller', 'deliverer', 'gateway'] as const).map(roleParts);
    for (const part of ['polling', 'retention', 'delivery', 'digestPlanning', 'gateway'] as const) {
      expect(split.filter((p) => p[part]).length, part).toBe(1);
    }
    expect(roleParts('poller')).toMatchObject({ gateway: false, rest: false });
    expect(roleParts('deliverer')).toMatchObject({ claims: true, gateway: false, rest: true });
    expect(roleParts('gateway')).toMatchObject({ polling: false, delivery: false });
    expect(ROLES.filter(needsDiscord)).toEqual(['all', 'deliverer', 'gateway']);
  });
});

describe('checkRole', () => {
  const sqlite = { databaseUrl: null };
  const postgres = { databaseUrl: 'postgres://bot@db.internal/xiangxun' };

  it('lets SQLite run all only, and says why and what to set for the others', () => {
    expect(() => checkRole('all', sqlite)).not.toThrow();
    for (const role of ['poller', 'deliverer', 'gateway'] as const) {
      let error: unknown;
      try {
        checkRole(role, sqlite);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).variables).toEqual(['DATABASE_URL']);
      expect((error as Error).message).toContain(`The ${role} role needs the Postgres store`);
      expect((error as Error).message).toContain('only --role all can run');
      expect((error as Error).message).toContain('DATABASE_URL=postgres://');
    }
  });

  it('lets Postgres run every role', () => {
    for (const role of ROLES) expect(() => checkRole(role, postgres)).not.toThrow();
  });
});
