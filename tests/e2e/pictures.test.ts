// The article's picture end to end (issue #15): a feed item's image travels from the feed
// through ingest to the embed Discord receives, in a text channel and a forum post; a
// picture that may not be shown is left out and the story is posted anyway. Every request
// body is checked against Discord's spec by the fake (close() throws on a violation).
// Item links are on an invented public name and never fetched (the bot env reads feeds
// with fullText "never"), so the picker judges public addresses while nothing leaves 127.0.0.1.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord, type StoredMessage } from '../fakes/fake-discord.js';
import { escapeXml, startFeedServer, type FeedServer } from '../fakes/feed-server.js';
import { makeChannel, startBotEnv, waitPosted, type BotEnv, type ChannelKind } from '../helpers/bot-env.js';

let feeds: FeedServer;
let fake: FakeDiscord;
let env: BotEnv | null = null;

beforeAll(async () => {
  feeds = await startFeedServer();
});
afterAll(async () => {
  await feeds.close();
});
beforeEach(async () => {
  fake = await startFakeDiscord();
});
afterEach(async () => {
  await env?.close();
  env = null;
  await fake.close();
});

const SITE = 'https://www.lakeside-daily.cn';

/** One RSS item of an invented local paper; `extra` is its media or picture markup. */
const item = (n: number, title: string, extra: { media?: string; html?: string } = {}) =>
  `<item><title>${title}</title><link>${SITE}/n/${n}.html</link><guid>pic-${n}</guid><pubDate>${new Date(Date.now() - n * 60_000).toUTCString()}</pubDate>` +
  `<description>${escapeXml(`${extra.html ?? ''}<p>${title}。镇政府表示，相关工作将按计划推进。</p>`)}</description>${extra.media ?? ''}</item>`;

const rss = (items: string[]) =>
  `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>湖畔日报</title><link>${SITE}/</link>${items.join('')}</channel></rss>`;

const embedOf = (m: StoredMessage) => (m.body.embeds as Array<{ title?: string; image?: { url: string } }>)[0]!;

describe.each(['text', 'forum'] as ChannelKind[])('pictures in posts (%s channel)', (kind) => {
  it("posts the item's picture as the embed image, and a story whose picture is unsafe without one", async () => {
    const ch = await makeChannel(fake, kind, 'jx');
    env = await startBotEnv(fake);
    env.subscribe(ch, '330400');
    const path = `/pictures-${kind}.xml`;
    feeds.setRoute(path, {
      body: rss([
        item(1, '嘉兴湖畔镇图书馆开馆', { media: `<media:content url="${SITE}/upload/2026/lib.jpg" medium="image" width="1200" height="800"/>` }),
        item(2, '嘉兴湖畔镇老街完成改造', { html: '<p><img src="/upload/2026/street.jpg" width="800" height="533" alt="改造后的老街"></p>' }),
        item(3, '嘉兴湖畔镇举办农民运动会', { media: '<enclosure url="http://10.0.0.8/photos/games.jpg" type="image/jpeg" length="90000"/>' }),
        item(4, '嘉兴湖畔镇广播节目改版', { media: `<enclosure url="${SITE}/audio/show.mp3" type="audio/mpeg" length="4000000"/>` }),
      ]),
      contentType: 'application/rss+xml',
    });
    env.writeFeeds([{ id: 'lake', url: feeds.url(path), region: '330400' }]);
    await env.poll();
    const posts = await waitPosted(fake, ch, 4);
    const images = new Map(posts.map((m) => [embedOf(m).title, embedOf(m).image?.url ?? null]));
    expect(images).toEqual(
      new Map([
        ['嘉兴湖畔镇图书馆开馆', `${SITE}/upload/2026/lib.jpg`],
        ['嘉兴湖畔镇老街完成改造', `${SITE}/upload/2026/street.jpg`],
        ['嘉兴湖畔镇举办农民运动会', null],
        ['嘉兴湖畔镇广播节目改版', null],
      ]),
    );
    // Never an upload: the picture is an address in the embed, no attachments or files.
    for (const m of posts) expect(m.body.attachments ?? []).toEqual([]);
    expect(fake.specViolations).toEqual([]);
    expect([...fake.specChecked.values()].reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(4);
  });
});
