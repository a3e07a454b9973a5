// Fan-out plans a story's outbox rows in SQL (issue #14). These tests hold it to the rule the
// router states in JS (decide() + judge(), grouped by channel), over many generated cases:
// ancestors, include/exclude words in either script, digest beside instant in one channel,
// paused channels, and stories only from feeds a server added.
import { beforeEach, describe, expect, it } from 'vitest';
import { createRouter, type RouteDecision } from '../../../src/delivery/route.js';
import { createArticlesRepo } from '../../../src/store/articles-repo.js';
import { openDatabase, type Db } from '../../../src/store/database.js';
import { createFeedsRepo } from '../../../src/store/feeds-repo.js';
import { createOutboxRepo } from '../../../src/store/outbox-repo.js';
import { createSubscriptionsRepo } from '../../../src/store/subscriptions-repo.js';
import { regionsWithAncestors } from '../../helpers/stories.js';

let db: Db;
beforeEach(() => {
  db = openDatabase(':memory:');
});

const GUILDS = ['100000000000000001', '100000000000000002', '100000000000000003', '100000000000000004'];
const channelOf = (i: number) => `2000000000000000${String(i).padStart(2, '0')}`;
const guildOf = (i: number) => GUILDS[i % GUILDS.length]!;

function setup() {
  const feeds = createFeedsRepo(db);
  const articles = createArticlesRepo(db);
  const subscriptions = createSubscriptionsRepo(db);
  const outbox = createOutboxRepo(db);
  const router = createRouter({ subscriptions, outbox, articles });
  feeds.sync(['catalog-a', 'guild-a', 'guild-b'].map((id) => ({ id, name: id, url: `https://example.cn/${id}.xml`, region: '330400', intervalMinutes: null, fullText: 'never' as const })), 0);
  // Feeds servers added (issue #13): marked and listed directly, so this test depends only on
  // the schema, not on how the feed commands create them.
  db.prepare("UPDATE feeds SET origin = 'guild' WHERE id LIKE 'guild-%'").run();
  const addGuildFeed = db.prepare("INSERT INTO guild_feeds (guild_id, feed_id, name, region, added_by, added_at) VALUES (?, ?, 'n', '330400', 'u', 0)");
  addGuildFeed.run(GUILDS[0], 'guild-a');
  addGuildFeed.run(GUILDS[1], 'guild-a');
  addGuildFeed.run(GUILDS[2], 'guild-b');
  let n = 0;
  /** A story seen in the given feeds (the first is its primary article). */
  const story = (title: string, text: string, regions: readonly string[], feedIds: readonly string[] = ['catalog-a']) =>
    db.transaction(() => {
      n++;
      const storyId = articles.insertStory({ titleKey: `k${n}`, publishedAt: 0, firstSeenAt: 0, postable: true, holdReason: null });
      for (const feedId of feedIds) {
        articles.insertArticle({ feedId, storyId, itemKey: `i${n}`, guid: String(n), url: null, canonicalUrl: null, title, html: '', text, body: null, author: null, sourceOutlet: null, breadcrumb: [], publishedAt: 0, firstSeenAt: 0, script: 'simplified', summary: null });
      }
      const codes = new Set(regions.flatMap(regionsWithAncestors));
      articles.addRegions(storyId, [...codes].map((code) => ({ code, confidence: 1, source: 'body' as const })));
      return storyId;
    })();
  const subscribe = (i: number, regionCode: string, mode: 'instant' | 'digest', include: string[] = [], exclude: string[] = []) =>
    subscriptions.subscribe({ guildId: guildOf(i), channelId: channelOf(i), regionCode, mode, include, exclude, createdBy: 'u' }, 0);
  return { router, outbox, subscriptions, story, subscribe };
}

/** The routing rule as the router states it in JS: per channel, the first instant match, else the first match; a paused channel gets a skipped row. */
function expected(decisions: readonly RouteDecision[]) {
  const byChannel = new Map<string, RouteDecision[]>();
  for (const d of decisions) byChannel.set(d.subscription.channelId, [...(byChannel.get(d.subscription.channelId) ?? []), d]);
  const rows: string[] = [];
  for (const [channelId, list] of byChannel) {
    const matched = list.filter((d) => d.verdict === 'matched');
    const first = matched.find((d) => d.subscription.mode === 'instant') ?? matched[0];
    const paused = list.find((d) => d.verdict === 'channel-paused');
    if (!first && !paused) continue;
    const sub = (first ?? paused)!.subscription;
    const state = first ? (sub.mode === 'instant' ? 'pending' : 'queued') : 'skipped';
    rows.push([channelId, sub.guildId, sub.id, sub.mode, state, first ? null : `channel paused: ${sub.pausedReason}`].join('|'));
  }
  return rows.sort();
}

const actual = (outbox: ReturnType<typeof createOutboxRepo>, storyId: number) =>
  outbox.forStory(storyId).map((d) => [d.channelId, d.guildId, d.subscriptionId, d.mode, d.state, d.lastError].join('|')).sort();

describe('fan-out', () => {
  it('plans the same rows as the rule stated in JS, over many generated cases', () => {
    const { router, outbox, subscriptions, story, subscribe } = setup();
    let seed = 11;
    const rand = (k: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % k;
    const pick = <T,>(list: readonly T[]) => list[rand(list.length)]!;
    const codes = ['330000', '330400', '330481', '330402', '330100', '330106', '440000', '440300'];
    const words = ['地铁', '地鐵', '颱風', '台风', '广告', '廣告', '海宁', '会议', ' '];
    for (let i = 0; i < 40; i++) {
      const taken = new Set<string>();
      for (let k = 1 + rand(3); k > 0; k--) {
        const code = pick(codes);
        if (taken.has(code)) continue;
        taken.add(code);
        const include = rand(3) === 0 ? [pick(words), pick(words)] : [];
        const exclude = rand(4) === 0 ? [pick(words)] : [];
        subscribe(i, code, rand(3) === 0 ? 'digest' : 'instant', include, exclude);
      }
    }
    // Paused with a reason; paused then resumed; "paused" without a reason (judge() lets it through).
    for (const i of [3, 7, 12, 25]) subscriptions.pauseChannel(channelOf(i), guildOf(i), 50001, `missing access ${i}`, 0);
    subscriptions.pauseChannel(channelOf(30), guildOf(30), 50001, 'gone', 0);
    subscriptions.resumeChannel(channelOf(30));
    subscriptions.pauseChannel(channelOf(31), guildOf(31), 50001, '', 0);

    const texts = ['嘉兴地铁一号线开通', '海宁市召开会议，台风将至', '商场广告招商，地鐵沿线', '杭州西湖边的一天', '深圳颱風过境'];
    const feedSets = [['catalog-a'], ['guild-a'], ['guild-b'], ['guild-a', 'catalog-a'], ['guild-a', 'guild-b']];
    let routed = 0;
    for (let s = 0; s < 60; s++) {
      const regions = rand(4) === 0 ? [pick(codes), pick(codes)] : [pick(codes)];
      const id = story(`第${s}条`, pick(texts), regions, pick(feedSets));
      const want = expected(router.decide(id));
      const queued = db.transaction(() => router.route(id, 1000))();
      expect(actual(outbox, id)).toEqual(want);
      expect(queued).toBe(want.filter((r) => r.split('|')[4] !== 'skipped').length);
      expect(router.route(id, 2000)).toBe(0); // routing again changes nothing
      expect(actual(outbox, id)).toEqual(want);
      routed += want.length;
    }
    expect(routed).toBeGreaterThan(100); // the generated cases really fan out
  });

  it('prefers an instant subscription of a channel to its older digest one', () => {
    const { router, outbox, story, subscribe } = setup();
    subscribe(1, '330000', 'digest');
    const instant = subscribe(1, '330481', 'instant');
    const id = story('海宁新闻', '海宁市新闻', ['330481']);
    expect(router.route(id, 1)).toBe(1);
    expect(outbox.forStory(id).map((d) => [d.subscriptionId, d.mode, d.state])).toEqual([[instant, 'instant', 'pending']]);
  });

  it('leaves out a subscription whose words keep the story out, however the channel\'s other subscriptions judge it', () => {
    const { router, outbox, story, subscribe } = setup();
    subscribe(1, '330000', 'instant', [], ['廣告']);
    const digest = subscribe(1, '330400', 'digest');
    subscribe(2, '330400', 'instant', ['地鐵']);
    const ad = story('嘉兴广告', '嘉兴商场广告招商', ['330402']);
    expect(router.route(ad, 1)).toBe(1);
    expect(outbox.forStory(ad).map((d) => [d.channelId, d.subscriptionId, d.state])).toEqual([[channelOf(1), digest, 'queued']]);
  });

  it('sends a story only from feeds servers added to those servers', () => {
    const { router, outbox, story, subscribe } = setup();
    for (let i = 0; i < 4; i++) subscribe(i, '330400', 'instant');
    const own = story('嘉兴新闻', '嘉兴新闻', ['330400'], ['guild-b']);
    router.route(own, 1);
    expect(outbox.forStory(own).map((d) => d.guildId)).toEqual([GUILDS[2]]);
    const both = story('嘉兴要闻', '嘉兴要闻', ['330400'], ['guild-b', 'catalog-a']);
    expect(router.route(both, 1)).toBe(4);
  });

  it('writes nothing when the transaction that stores the story fails', () => {
    const { router, outbox, story, subscribe } = setup();
    subscribe(1, '330400', 'instant');
    let id = 0;
    expect(() =>
      db.transaction(() => {
        id = story('嘉兴新闻', '嘉兴新闻', ['330400']);
        router.route(id, 1);
        throw new Error('crash before commit');
      })(),
    ).toThrow('crash before commit');
    expect(outbox.forStory(id)).toEqual([]);
    expect(db.prepare('SELECT count(*) FROM stories').pluck().get()).toBe(0);
  });
});
