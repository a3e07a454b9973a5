// The real bot process (`node src/index.ts` via tsx), killed with SIGKILL in the middle of a
// burst and started again: every story must reach every subscribed channel exactly once.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.js';
import { createSubscriptionsRepo } from '../../src/store/subscriptions-repo.js';
import { startFakeDiscord, type FakeDiscord } from '../fakes/fake-discord.js';
import { rssFeed, startFeedServer, type FeedServer } from '../fakes/feed-server.js';
import { botProcessEnv, startBotProcess } from '../helpers/bot-process.js';

const STORIES = 12;
let fake: FakeDiscord;
let feeds: FeedServer;
let child: ChildProcess | null = null;

afterAll(async () => {
  child?.kill('SIGKILL');
  await fake?.close();
  await feeds?.close();
});

const startBot = startBotProcess;

describe('npm start without Discord credentials', () => {
  it('exits 1 with a message that names the variables and points to the demo', async () => {
    const env = { ...process.env, DISCORD_TOKEN: '', DISCORD_APPLICATION_ID: '' };
    const proc = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise((r) => proc.once('exit', r));
    expect(code).toBe(1);
    expect(stderr).toMatch(/DISCORD_TOKEN and DISCORD_APPLICATION_ID/);
    expect(stderr).toMatch(/npm run demo/);
  });
});

describe('crash safety', () => {
  it('loses nothing and posts nothing twice when the bot is killed mid-burst and restarted', async () => {
    fake = await startFakeDiscord({ rateLimit: { perChannel: 5, windowMs: 1000 } });
    feeds = await startFeedServer();
    const dir = mkdtempSync(join(tmpdir(), 'xiangxun-crash-'));
    const items = Array.from({ length: STORIES }, (_, i) => ({
      title: `嘉兴市第${i + 1}号重点项目开工`,
      link: `https://news.example.cn/crash/${i + 1}.html`,
      guid: `crash-${i + 1}`,
      date: new Date().toUTCString(),
      description: `<p>嘉兴市第${i + 1}号重点项目今天开工，总投资约${i + 3}亿元。</p>`,
    }));
    feeds.setRoute('/crash.xml', { body: rssFeed(items, { title: 'crash' }) });
    writeFileSync(join(dir, 'feeds.json'), JSON.stringify({ feeds: [{ id: 'crash', name: '嘉兴测试', url: feeds.url('/crash.xml'), region: '330400', fullText: 'never' }] }));
    const channels = [fake.channels.news, fake.channels.general, fake.channels.announcements];
    // Moderators' subscriptions, stored before the bot starts (the slash commands come later).
    const db = openDatabase(join(dir, 'bot.db'));
    const subs = createSubscriptionsRepo(db);
    for (const ch of channels) subs.subscribe({ guildId: fake.guildId, channelId: ch, regionCode: '330000', mode: 'instant', include: [], exclude: [], createdBy: fake.users.moderator }, Date.now());
    db.close();

    const env = botProcessEnv(fake, dir);
    const first = startBot(env);
    child = first.proc;
    await fake.waitFor(() => fake.allMessages().length >= 7, 30_000);
    first.proc.kill('SIGKILL');
    await new Promise((r) => first.proc.once('exit', r));
    const atKill = fake.allMessages().length;

    const second = startBot(env);
    child = second.proc;
    await fake.waitFor(() => channels.every((ch) => fake.messages(ch).length >= STORIES), 60_000).catch((e) => {
      console.log(second.log.join('').slice(-3000));
      throw e;
    });
    await new Promise((r) => setTimeout(r, 1500)); // anything extra would show up now

    const counts = channels.map((ch) => {
      const titles = fake.messages(ch).map((m) => (m.body.embeds as Array<{ title: string }>)[0]!.title);
      return { total: titles.length, distinct: new Set(titles).size };
    });
    const lost = channels.length * STORIES - counts.reduce((n, c) => n + c.distinct, 0);
    const duplicates = counts.reduce((n, c) => n + c.total - c.distinct, 0);
    console.log(`crash test: ${atKill} messages before SIGKILL, ${fake.allMessages().length} after restart; lost ${lost}, duplicates ${duplicates}, nonce replays ${fake.nonceReplays}`);
    expect(atKill).toBeLessThan(channels.length * STORIES);
    expect(lost).toBe(0);
    expect(duplicates).toBe(0);
    second.proc.kill('SIGTERM');
    const code = await new Promise((r) => second.proc.once('exit', r));
    expect(code).toBe(0); // graceful shutdown on SIGTERM
  }, 120_000);
});
