// Readiness from inside the process, where no file-system trick is needed: a database that
// refuses writes (read-only, or locked by another writer) and a halted bot, as /readyz reports them.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createBot } from '../../src/app/bot.js';
import { loadConfig } from '../../src/config/config.js';
import type { Publisher } from '../../src/delivery/publisher.js';
import { silentLogger } from '../../src/shared/logger.js';
import { sqliteServices } from '../../src/app/services.js';

function makeBot() {
  const dir = mkdtempSync(join(tmpdir(), 'xx-ready-'));
  writeFileSync(join(dir, 'feeds.json'), JSON.stringify({ feeds: [] }));
  const config = loadConfig({ DATABASE_PATH: join(dir, 'bot.db'), FEEDS_FILE: join(dir, 'feeds.json') });
  const publisher: Publisher = { send: async () => ({ messageId: '1' }) };
  return { bot: createBot(config, silentLogger, { publisher, defaultMetrics: false }), path: join(dir, 'bot.db') };
}

describe('readiness', () => {
  it('is ready while the database takes writes', async () => {
    const { bot } = makeBot();
    expect(await bot.readiness()).toEqual({ ready: true, reasons: [] });
    await bot.stop();
  });

  it('is not ready when the database refuses writes, and says why without secrets or paths', async () => {
    const { bot, path } = makeBot();
    sqliteServices(bot.services).db.pragma('query_only = 1');
    const r = await bot.readiness();
    expect(r.ready).toBe(false);
    expect(r.reasons.join(' ')).toMatch(/database not writable: SQLITE_READONLY/);
    expect(r.reasons.join(' ')).not.toContain(path);
    sqliteServices(bot.services).db.pragma('query_only = 0');
    expect((await bot.readiness()).ready).toBe(true);
    await bot.stop();
  });

  it('answers at once, and ready, while another connection holds the write lock', async () => {
    const { bot, path } = makeBot();
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    try {
      // The probe does not wait out the busy timeout: someone else writing proves the file is writable.
      expect((await bot.readiness()).ready).toBe(true);
      expect(sqliteServices(bot.services).db.pragma('busy_timeout', { simple: true })).toBe(5000);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    await bot.stop();
  });
});
