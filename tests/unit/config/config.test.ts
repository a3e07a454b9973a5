import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, requireDiscord } from '../../../src/config/config.js';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig({});
    expect(c.databasePath).toBe('data/xiangxun.db');
    expect(c.feedsFile).toBe('data/feeds.json');
    expect(c.pollCron).toBe('*/10 * * * *');
    expect(c.timeZone).toBe('Asia/Shanghai');
    expect(c.logLevel).toBe('info');
    expect(c.fetch.maxBytes).toBe(5 * 1024 * 1024);
    expect(Object.isFrozen(c) && Object.isFrozen(c.discord)).toBe(true);
  });

  it('accepts a six-field cron expression with seconds', () => {
    expect(loadConfig({ POLL_CRON: '30 */5 * * * *' }).pollCron).toBe('30 */5 * * * *');
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ DISCORD_API_BASE: '', DATABASE_PATH: ' ' }).databasePath).toBe('data/xiangxun.db');
  });

  it('names every bad variable and never its value', () => {
    const secret = 'not-a-zone-SECRET-VALUE';
    try {
      loadConfig({ TZ_DEFAULT: secret, POLL_CRON: 'every minute', DISCORD_API_BASE: 'ftp://x', LOG_LEVEL: 'loud' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const err = e as ConfigError;
      expect(err.variables).toEqual(expect.arrayContaining(['TZ_DEFAULT', 'POLL_CRON', 'DISCORD_API_BASE', 'LOG_LEVEL']));
      expect(err.message).not.toContain(secret);
      expect(err.message).not.toContain('every minute');
    }
  });

  it('selects Postgres by a postgres:// DATABASE_URL and never echoes a bad one', () => {
    expect(loadConfig({}).databaseUrl).toBeNull();
    expect(loadConfig({ DATABASE_URL: 'postgresql://bot:pw@db:5432/xiangxun' }).databaseUrl).toBe('postgresql://bot:pw@db:5432/xiangxun');
    try {
      loadConfig({ DATABASE_URL: 'mysql://bot:hunter2@db/x' });
      expect.unreachable();
    } catch (e) {
      expect((e as ConfigError).variables).toEqual(['DATABASE_URL']);
      expect((e as ConfigError).message).not.toContain('hunter2');
    }
  });

  it('requires Discord credentials only for the bot and points to the demo', () => {
    const c = loadConfig({});
    expect(() => requireDiscord(c)).toThrow(/DISCORD_TOKEN.*npm run demo/s);
    const ok = loadConfig({ DISCORD_TOKEN: 'abc.def.ghi', DISCORD_APPLICATION_ID: '123456789012345678' });
    expect(requireDiscord(ok).applicationId).toBe('123456789012345678');
  });

  it('strips a trailing slash from RSSHUB_BASE', () => {
    expect(loadConfig({ RSSHUB_BASE: 'http://127.0.0.1:1200/' }).rsshubBase).toBe('http://127.0.0.1:1200');
  });
});
