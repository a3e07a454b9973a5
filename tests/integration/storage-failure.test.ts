// A full disk (simulated with max_page_count) during ingest: the transaction rolls back,
// new work stops, the operator is alerted, and the database stays intact.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBot } from '../../src/app/bot.js';
import { loadConfig } from '../../src/config/config.js';
import type { Publisher } from '../../src/delivery/publisher.js';
import { rssFeed, startFeedServer, type FeedServer } from '../fakes/feed-server.js';
import { sqliteServices } from '../../src/app/services.js';

let feeds: FeedServer;
beforeAll(async () => {
  feeds = await startFeedServer();
});
afterAll(async () => {
  await feeds.close();
});

describe('storage failure', () => {
  it('stops polling and posting, alerts, and leaves the database intact', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xx-full-'));
    const big = '嘉兴市秀洲区举行重点项目集中开工活动，总投资超过一百亿元。'.repeat(40);
    feeds.setRoute('/a.xml', { body: rssFeed([{ title: '第一条', guid: 'a1', link: 'https://e.cn/a1', description: `<p>${big}</p>` }], { title: 'a' }) });
    writeFileSync(join(dir, 'feeds.json'), JSON.stringify({ feeds: [{ id: 'a', name: 'a', url: feeds.url('/a.xml'), region: '330400', fullText: 'never' }] }));
    const config = loadConfig({ DATABASE_PATH: join(dir, 'bot.db'), FEEDS_FILE: join(dir, 'feeds.json'), ALLOW_PRIVATE_NETWORK: 'true', FIRST_POLL_BACKLOG: '1000', MAX_ITEM_AGE_HOURS: '0' });
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (l: string) => void lines.push(l) });
    const publisher: Publisher = { send: async () => ({ messageId: '1' }) };
    const bot = createBot(config, logger, { publisher, fetcher: { minHostGapMs: 0 } });
    bot.services.syncCatalog();
    await bot.pollNow();
    const db = sqliteServices(bot.services).db;
    expect(db.prepare('SELECT count(*) FROM articles').pluck().get()).toBe(1);

    // The disk is "full": the database may not grow any more.
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages}`);
    feeds.setRoute('/a.xml', { body: rssFeed(Array.from({ length: 30 }, (_, i) => ({ title: `新条目${i}`, guid: `b${i}`, link: `https://e.cn/b${i}`, description: `<p>${big}</p>` })), { title: 'a' }) });
    await bot.pollNow();

    expect(bot.health().halted?.reason).toMatch(/SQLITE_FULL/);
    expect(lines.join('\n')).toMatch(/ALERT: the database cannot be written/);
    // Nothing half-written: the poll's transaction rolled back as a whole.
    expect(db.prepare('SELECT count(*) FROM articles').pluck().get()).toBe(1);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    // New work is refused while halted.
    db.pragma('max_page_count = 1073741823');
    await bot.pollNow();
    expect(db.prepare('SELECT count(*) FROM articles').pluck().get()).toBe(1);
    await bot.stop();
  });
});
