import { beforeEach, describe, expect, it } from 'vitest';
import { createRouter } from '../../../src/delivery/route.js';
import { openDatabase, type Db } from '../../../src/store/database.js';
import { createOutboxRepo } from '../../../src/store/outbox-repo.js';
import { createSubscriptionsRepo } from '../../../src/store/subscriptions-repo.js';
import { createStoryWriter } from '../../helpers/stories.js';

const G = '100000000000000001';
const NEWS = '200000000000000001';
const OTHER = '200000000000000002';
let db: Db;

beforeEach(() => {
  db = openDatabase(':memory:');
});

function setup() {
  const subscriptions = createSubscriptionsRepo(db);
  const outbox = createOutboxRepo(db);
  const writer = createStoryWriter(db);
  const router = createRouter({ subscriptions, outbox, articles: writer.articles });
  const sub = (channelId: string, regionCode: string, extra: Partial<{ include: string[]; exclude: string[]; mode: 'instant' | 'digest' }> = {}) =>
    subscriptions.subscribe({ guildId: G, channelId, regionCode, mode: 'instant', include: [], exclude: [], createdBy: 'u', ...extra }, Date.now());
  return { subscriptions, outbox, writer, router, sub };
}

describe('routing', () => {
  it('routes a county story to a subscription of its province (ancestor)', () => {
    const { writer, router, sub, outbox } = setup();
    sub(NEWS, '330000');
    const id = writer.add({ title: '海宁市推出联办服务', region: '330481' });
    expect(router.route(id, Date.now())).toBe(1);
    expect(outbox.forStory(id).map((d) => [d.channelId, d.state])).toEqual([[NEWS, 'pending']]);
  });

  it('posts a story once per channel however many of its subscriptions match', () => {
    const { writer, router, sub, outbox } = setup();
    sub(NEWS, '330000');
    sub(NEWS, '330400');
    sub(NEWS, '330481');
    sub(OTHER, '330481');
    const id = writer.add({ title: '海宁市推出联办服务', region: '330481' });
    expect(router.route(id, Date.now())).toBe(2);
    expect(router.route(id, Date.now())).toBe(0); // routing again adds nothing
    expect(outbox.forStory(id)).toHaveLength(2);
  });

  it('does not route stories of other regions', () => {
    const { writer, router, sub } = setup();
    sub(NEWS, '330100');
    expect(router.route(writer.add({ title: '海宁市新闻', region: '330481' }), Date.now())).toBe(0);
  });

  it('applies include and exclude words in either script', () => {
    const { writer, router, sub, outbox } = setup();
    sub(NEWS, '330400', { include: ['地鐵', '台風'] });
    sub(OTHER, '330400', { exclude: ['廣告'] });
    const metro = writer.add({ title: '嘉兴地铁一号线开通', region: '330400' });
    const ad = writer.add({ title: '嘉兴商场广告招商', region: '330400' });
    router.route(metro, Date.now());
    router.route(ad, Date.now());
    expect(outbox.forStory(metro).map((d) => d.channelId).sort()).toEqual([NEWS, OTHER]);
    expect(outbox.forStory(ad).map((d) => d.channelId)).toEqual([]);
    const decisions = router.decide(ad).map((d) => [d.subscription.channelId, d.verdict, d.word ?? null]);
    expect(decisions).toEqual([
      [NEWS, 'no-include-word', null],
      [OTHER, 'excluded-word', '廣告'],
    ]);
  });

  it('queues digest subscriptions and records paused channels as skipped', () => {
    const { writer, router, sub, outbox, subscriptions } = setup();
    sub(NEWS, '330400', { mode: 'digest' });
    sub(OTHER, '330400');
    subscriptions.pauseChannel(OTHER, G, 50013, 'the bot lacks permission', Date.now());
    const id = writer.add({ title: '嘉兴新闻', region: '330400' });
    expect(router.route(id, Date.now())).toBe(1);
    const states = Object.fromEntries(outbox.forStory(id).map((d) => [d.channelId, [d.state, d.lastError]]));
    expect(states[NEWS]).toEqual(['queued', null]);
    expect(states[OTHER]?.[0]).toBe('skipped');
    expect(states[OTHER]?.[1]).toMatch(/channel paused/);
  });

  it('treats subscribing twice as one subscription', () => {
    const { sub, subscriptions } = setup();
    const a = sub(NEWS, '330400');
    const b = sub(NEWS, '330400', { mode: 'digest' });
    expect(a).toBe(b);
    expect(subscriptions.listForGuild(G)).toHaveLength(1);
    expect(subscriptions.listForGuild(G)[0]?.mode).toBe('digest');
  });
});
