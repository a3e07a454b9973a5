// The real bot process killed with SIGKILL mid-burst and started again, posting into a text,
// an announcement and a forum channel at once (issue #15): every story reaches each channel
// exactly once. A forum post cannot carry a nonce, so there the bot must find the post an
// interrupted attempt made instead of posting it again.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.js';
import { createSubscriptionsRepo } from '../../src/store/subscriptions-repo.js';
import { defaultGuildSeed, snowflake, startFakeDiscord, type FakeDiscord, type StoredMessage } from '../fakes/fake-discord.js';
import { rssFeed, startFeedServer, type FeedServer } from '../fakes/feed-server.js';
import { botProcessEnv, startBotProcess } from '../helpers/bot-process.js';
import { CHANNEL_KINDS, FORUM_TAGS, posted, type ChannelKind } from '../helpers/bot-env.js';

const STORIES = 12;
let fake: FakeDiscord | undefined;
let feeds: FeedServer | undefined;
let child: ChildProcess | null = null;

afterAll(async () => {
  child?.kill('SIGKILL');
  await fake?.close();
  await feeds?.close();
});

const startBot = startBotProcess;

const titleOf = (m: StoredMessage) => (m.body.embeds as Array<{ title?: string }> | undefined)?.[0]?.title ?? '';

describe('crash safety in every kind of channel', () => {
  it('loses nothing and posts nothing twice in a text, an announcement and a forum channel', async () => {
    // The forum is in the seed: the process learns it at login, as a forum made long before.
    const seed = defaultGuildSeed();
    const forum = { id: snowflake(), name: 'news-forum', type: 15 as const, tags: FORUM_TAGS.map((name) => ({ id: snowflake(), name })) };
    fake = await startFakeDiscord({ guilds: [{ ...seed, channels: [...seed.channels, forum] }], rateLimit: { perChannel: 5, windowMs: 1000 } });
    feeds = await startFeedServer();
    const channels: Record<ChannelKind, string> = { text: fake.channels.news, announcement: fake.channels.announcements, forum: forum.id };
    const dir = mkdtempSync(join(tmpdir(), 'xiangxun-crash-kinds-'));
    // Headlines unlike each other: numbered ones alike but for the number would be one story.
    const places = ['南湖区', '秀洲区', '嘉善县', '平湖市', '海盐县', '海宁市', '桐乡市', '乌镇', '西塘', '王店镇', '新塍镇', '濮院镇'];
    const works = ['图书馆', '体育馆', '公交站', '菜市场', '公园', '学校', '医院', '码头', '桥梁', '养老院', '博物馆', '剧院'];
    const items = places.slice(0, STORIES).map((place, i) => ({
      title: `${place}${works[i]}项目今天动工`,
      link: `https://news.example.cn/crash-kinds/${i + 1}.html`,
      guid: `crash-kinds-${i + 1}`,
      date: new Date().toUTCString(),
      description: `<p>嘉兴市${place}${works[i]}项目今天动工，总投资约${i + 3}亿元。</p>`,
    }));
    feeds.setRoute('/crash.xml', { body: rssFeed(items, { title: 'crash' }) });
    writeFileSync(join(dir, 'feeds.json'), JSON.stringify({ feeds: [{ id: 'crash', name: '嘉兴测试', url: feeds.url('/crash.xml'), region: '330400', fullText: 'never' }] }));
    const db = openDatabase(join(dir, 'bot.db'));
    const subs = createSubscriptionsRepo(db);
    for (const ch of Object.values(channels)) subs.subscribe({ guildId: fake.guildId, channelId: ch, regionCode: '330000', mode: 'instant', include: [], exclude: [], createdBy: fake.users.moderator }, Date.now());
    db.close();

    const env = botProcessEnv(fake, dir);
    const total = () => CHANNEL_KINDS.reduce((n, k) => n + posted(fake!, channels[k]).length, 0);
    const first = startBot(env);
    child = first.proc;
    await fake.waitFor(() => total() >= 7, 30_000, 'seven posts before the kill');
    first.proc.kill('SIGKILL');
    await new Promise((r) => first.proc.once('exit', r));
    const atKill = total();

    const second = startBot(env);
    child = second.proc;
    await fake.waitFor(() => CHANNEL_KINDS.every((k) => posted(fake!, channels[k]).length >= STORIES), 60_000, 'every story everywhere').catch((e) => {
      console.log(second.log.join('').slice(-3000));
      throw e;
    });
    await new Promise((r) => setTimeout(r, 1500)); // anything extra would show up now

    const report = CHANNEL_KINDS.map((k) => {
      const titles = posted(fake!, channels[k]).map(titleOf);
      return { kind: k, total: titles.length, distinct: new Set(titles).size };
    });
    console.log(`crash test (3 kinds): ${atKill} posts before SIGKILL; ${report.map((r) => `${r.kind} ${r.total}/${r.distinct}`).join(', ')}; nonce replays ${fake.nonceReplays}`);
    for (const r of report) {
      expect(r.distinct, `${r.kind}: lost`).toBe(STORIES);
      expect(r.total, `${r.kind}: duplicates`).toBe(STORIES);
    }
    expect(atKill).toBeLessThan(CHANNEL_KINDS.length * STORIES);
    // Each forum post is titled by its headline, as its starter message is.
    for (const t of fake.threads(channels.forum)) expect(t.name).toBe(titleOf(fake.message(t.id)!));
    second.proc.kill('SIGTERM');
    expect(await new Promise((r) => second.proc.once('exit', r))).toBe(0);
  }, 120_000);
});
