// `xiangxun doctor` against the fake Discord and a fake RSSHub: healthy once, then each of
// the mistakes it is there to catch, each reported on its own line with a fix.
import { execFile } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { doctorCommand } from '../../src/cli/commands/doctor.js';
import { loadConfig } from '../../src/config/config.js';
import { silentLogger } from '../../src/shared/logger.js';
import { openDatabase } from '../../src/store/database.js';
import { createSubscriptionsRepo } from '../../src/store/subscriptions-repo.js';
import { defaultGuildSeed, Permission, startFakeDiscord, type FakeDiscord } from '../fakes/fake-discord.js';
import { rssFeed, startFeedServer, type FeedServer } from '../fakes/feed-server.js';
import { registerCommands } from '../helpers/bot-env.js';

let fake: FakeDiscord;
let rsshub: FeedServer;
let dir: string;

beforeAll(async () => {
  // The bot's role may not embed links in #general: the doctor must say so.
  const guild = defaultGuildSeed();
  const general = guild.channels.find((c) => c.name === 'general')!;
  const botRole = guild.roles.find((r) => r.managed)!;
  general.overwrites = [{ id: botRole.id, type: 'role', deny: Permission.EmbedLinks }];
  fake = await startFakeDiscord({ guilds: [guild] });
  rsshub = await startFeedServer();
  rsshub.setRoute('/', { body: '<html><body>Welcome to RSSHub!</body></html>', contentType: 'text/html; charset=utf-8' });
  rsshub.setRoute('/local/news', { body: rssFeed([{ title: '嘉兴新闻', guid: 'n1', link: 'https://news.example.cn/1.html' }], { title: '本地新闻' }) });
  rsshub.setRoute('/broken', { status: 500, body: 'oops' });
  dir = mkdtempSync(join(tmpdir(), 'xiangxun-doctor-'));
  writeFileSync(join(dir, 'feeds.json'), JSON.stringify({ feeds: [{ id: 'local', name: '本地新闻', url: '{rsshub}/local/news', region: '330400' }] }));
  const db = openDatabase(join(dir, 'bot.db'));
  createSubscriptionsRepo(db).subscribe({ guildId: fake.guildId, channelId: fake.channels.news, regionCode: '330400', mode: 'instant', include: [], exclude: [], createdBy: fake.users.moderator }, Date.now());
  db.close();
});
afterAll(async () => {
  await fake?.close();
  await rsshub?.close();
});

function env(over: Record<string, string> = {}): Record<string, string> {
  return {
    DISCORD_TOKEN: fake.token,
    DISCORD_APPLICATION_ID: fake.applicationId,
    DISCORD_API_BASE: fake.apiBase,
    DATABASE_PATH: join(dir, 'bot.db'),
    FEEDS_FILE: join(dir, 'feeds.json'),
    RSSHUB_BASE: rsshub.url('').replace(/\/$/, ''),
    ...over,
  };
}

async function doctor(over: Record<string, string> = {}, args: string[] = []): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const ctx = { config: loadConfig(env(over)), logger: silentLogger, out: (l: string) => void lines.push(l), err: (l: string) => void lines.push(l) };
  const code = await doctorCommand.run(args, ctx);
  return { code, lines };
}

const line = (lines: string[], name: string): string => lines.find((l) => l.slice(2).startsWith(name)) ?? `(no line for ${name})`;

describe('xiangxun doctor', () => {
  it('reports a healthy set-up, one line per check, and exits 0', async () => {
    await registerCommands(fake);
    const { code, lines } = await doctor({ DISCORD_DEV_GUILD_ID: fake.guildId }, ['--feeds']);
    expect(lines.join('\n')).not.toMatch(/^✗/m);
    for (const name of ['token', 'application id', 'commands', 'channel', 'rsshub', 'database', 'disk', 'feeds']) expect(line(lines, name)).toMatch(/^✓/);
    expect(line(lines, 'commands')).toMatch(/all \d+ registered in guild/);
    expect(lines.at(-1)?.trim()).toBe('All checks passed.');
    expect(code).toBe(0);
  });

  it('names each failure with its fix and exits 1', async () => {
    const wrongToken = await doctor({ DISCORD_TOKEN: 'not-the-right-token.abc.def' });
    expect(line(wrongToken.lines, 'token')).toMatch(/^✗ .*refused the token/);
    expect(wrongToken.lines.join('\n')).toMatch(/fix: reset the token/);
    expect(wrongToken.code).toBe(1);

    const wrongApp = await doctor({ DISCORD_APPLICATION_ID: '123456789012345678' });
    expect(line(wrongApp.lines, 'application id')).toMatch(/^✗ .*not DISCORD_APPLICATION_ID/);
    expect(wrongApp.code).toBe(1);

    // Registered in the dev guild only: globally, nothing is there.
    const unregistered = await doctor();
    expect(line(unregistered.lines, 'commands')).toMatch(/^✗ .*0 of \d+ registered globally/);
    expect(unregistered.lines.join('\n')).toMatch(/fix: run npm run deploy-commands/);

    const noRsshub = await doctor({ DISCORD_DEV_GUILD_ID: fake.guildId, RSSHUB_BASE: 'http://127.0.0.1:9' });
    expect(line(noRsshub.lines, 'rsshub')).toMatch(/^✗ .*not reachable/);
    expect(noRsshub.code).toBe(1);

    writeFileSync(join(dir, 'feeds-broken.json'), JSON.stringify({ feeds: [{ id: 'broken', name: '坏', url: '{rsshub}/broken', region: '330400' }] }));
    const badFeed = await doctor({ DISCORD_DEV_GUILD_ID: fake.guildId, FEEDS_FILE: join(dir, 'feeds-broken.json') }, ['--feeds']);
    expect(line(badFeed.lines, 'feed broken')).toMatch(/^✗ .*500/);
    expect(badFeed.code).toBe(1);
  });

  it('finds channels where the bot may not post, and channels that are gone', async () => {
    const db = openDatabase(join(dir, 'bot.db'));
    const subs = createSubscriptionsRepo(db);
    subs.subscribe({ guildId: fake.guildId, channelId: fake.channels.general, regionCode: '330400', mode: 'instant', include: [], exclude: [], createdBy: fake.users.moderator }, Date.now());
    subs.subscribe({ guildId: fake.guildId, channelId: fake.channels.announcements, regionCode: '330400', mode: 'instant', include: [], exclude: [], createdBy: fake.users.moderator }, Date.now());
    db.close();
    fake.deleteChannel(fake.channels.announcements);
    const { code, lines } = await doctor({ DISCORD_DEV_GUILD_ID: fake.guildId });
    const text = lines.join('\n');
    expect(text).toMatch(new RegExp(`✗ channel ${fake.channels.general}\\s+#general: missing Embed Links`));
    expect(text).toMatch(new RegExp(`✗ channel ${fake.channels.announcements}\\s+the channel no longer exists`));
    expect(text).toMatch(new RegExp(`✓ channel ${fake.channels.news}\\s+#news: may view, send and embed`));
    expect(code).toBe(1);
  });

  it('names a channel the bot cannot see', async () => {
    fake.denyAccess(fake.channels.general);
    const { lines } = await doctor({ DISCORD_DEV_GUILD_ID: fake.guildId });
    expect(lines.join('\n')).toMatch(new RegExp(`✗ channel ${fake.channels.general}\\s+the bot cannot see the channel`));
    fake.restoreChannel(fake.channels.general);
  });

  it('reports a damaged database with the way to restore it', async () => {
    const damaged = join(dir, 'damaged.db');
    const db = openDatabase(damaged);
    db.exec('CREATE TABLE junk (id INTEGER PRIMARY KEY, v TEXT); CREATE INDEX junk_v ON junk(v)');
    const insert = db.prepare('INSERT INTO junk (v) VALUES (?)');
    db.transaction(() => {
      for (let i = 0; i < 3000; i++) insert.run(`value-${i * 7919}`);
    })();
    db.close();
    // Scribble over the last pages (table and index leaves), leaving the header intact.
    const size = statSync(damaged).size;
    const fd = openSync(damaged, 'r+');
    writeSync(fd, Buffer.alloc(8192 * 3, 0x5a), 0, 8192 * 3, size - 8192 * 4);
    closeSync(fd);
    const { code, lines } = await doctor({ DATABASE_PATH: damaged, DISCORD_DEV_GUILD_ID: fake.guildId });
    expect(line(lines, 'database')).toMatch(/^✗ .*integrity check failed/);
    expect(lines.join('\n')).toMatch(/fix: stop the bot and restore a backup/);
    expect(code).toBe(1);
  });

  it('refuses a database written by a newer program', async () => {
    const newer = join(dir, 'newer.db');
    const db = openDatabase(newer);
    db.pragma('user_version = 999');
    db.close();
    const { lines } = await doctor({ DATABASE_PATH: newer, DISCORD_DEV_GUILD_ID: fake.guildId });
    expect(line(lines, 'database')).toMatch(/^✗ .*schema 999 is newer/);
  });

  it('runs the checks that need no token without one, as an operator would call it', async () => {
    const run = promisify(execFile);
    const res = await run(process.execPath, ['bin/xiangxun.js', 'doctor'], { env: { ...process.env, ...env({ DISCORD_TOKEN: '', LOG_LEVEL: 'silent' }) } }).catch((e: { code: number; stdout: string }) => e);
    const out = (res as { stdout: string }).stdout;
    expect((res as { code?: number }).code).toBe(1);
    expect(out).toMatch(/✗ token\s+DISCORD_TOKEN is not set/);
    expect(out).toMatch(/- commands\s+needs DISCORD_TOKEN/);
    expect(out).toMatch(/✓ rsshub/);
    expect(out).toMatch(/✓ database/);
    expect(out).not.toContain(fake.token);
  });
});
