// Delivery figures (issue: post to Discord): routing against many subscriptions, planning a
// poll's worth of stories, and (with the fake Discord) throughput under Discord's real limits.
import { fileURLToPath } from 'node:url';
import { createRouter } from '../src/delivery/route.js';
import { createArticlesRepo } from '../src/store/articles-repo.js';
import { openDatabase } from '../src/store/database.js';
import { createFeedsRepo } from '../src/store/feeds-repo.js';
import { createOutboxRepo } from '../src/store/outbox-repo.js';
import { createSubscriptionsRepo } from '../src/store/subscriptions-repo.js';
import { loadRegionsFile } from '../src/app/services.js';
import { line, ms, pct } from './util.js';

// Zhejiang's prefectures and a few counties, so subscriptions spread over a real tree.
const REGIONS = ['330000', '330100', '330200', '330300', '330400', '330500', '330600', '330700', '330800', '330900', '331000', '331100', '330402', '330411', '330421', '330424', '330481', '330482', '330483'];
const ancestors = (code: string) => [...new Set([code, `${code.slice(0, 4)}00`, `${code.slice(0, 2)}0000`])];

export async function benchRouting(): Promise<void> {
  console.log('Delivery: routing');
  const db = openDatabase(':memory:');
  createFeedsRepo(db).sync([{ id: 'f', name: 'f', url: 'https://e.cn/f.xml', region: '330400', intervalMinutes: null, fullText: 'never' }], Date.now());
  const articles = createArticlesRepo(db);
  const subscriptions = createSubscriptionsRepo(db);
  const outbox = createOutboxRepo(db);
  const router = createRouter({ subscriptions, outbox, articles });
  // 10,000 subscriptions in 2,000 guilds over the whole country, a third of them in Zhejiang
  // (where the test story is), some with keywords.
  const all = loadRegionsFile().regions.filter((r) => /^\d{6}$/.test(r.code)).map((r) => r.code);
  const zhejiang = all.filter((c) => c.startsWith('33'));
  let seed = 7;
  const pick = (list: readonly string[]) => list[(seed = (seed * 1103515245 + 12345) % 2 ** 31) % list.length]!;
  const subscribeAll = (regionOf: (i: number) => string) =>
    db.transaction(() => {
      db.exec('DELETE FROM subscriptions');
      for (let i = 0; i < 10_000; i++) {
        subscriptions.subscribe({ guildId: `9${String(i % 2000).padStart(17, '0')}`, channelId: `8${String(i).padStart(17, '0')}`, regionCode: regionOf(i), mode: 'instant', include: i % 10 === 0 ? ['海宁', '地铁'] : [], exclude: i % 7 === 0 ? ['广告'] : [], createdBy: 'u' }, Date.now());
      }
    })();
  subscribeAll((i) => (i % 3 === 0 ? pick(zhejiang) : pick(all)));
  let n = 0;
  const addStory = (region: string) => {
    const now = Date.now();
    const storyId = articles.insertStory({ titleKey: `k${++n}`, publishedAt: now, firstSeenAt: now, postable: true, holdReason: null });
    articles.insertArticle({ feedId: 'f', storyId, itemKey: `g:${n}`, guid: String(n), url: null, canonicalUrl: null, title: `海宁市第${n}条新闻`, html: '', text: '海宁市今天发布消息，地铁项目进展顺利。', body: null, author: null, sourceOutlet: null, breadcrumb: [], publishedAt: now, firstSeenAt: now, script: 'simplified', summary: null });
    articles.addRegions(storyId, ancestors(region).map((code) => ({ code, confidence: 1, source: 'body' as const })));
    return storyId;
  };
  const timeRoute = (label: string, target: string) => {
    const runs: number[] = [];
    let deliveries = 0;
    for (let i = 0; i < 30; i++) {
      const id = addStory('330481');
      const t = performance.now();
      deliveries = db.transaction(() => router.route(id, Date.now()))();
      runs.push(performance.now() - t);
    }
    runs.sort((a, b) => a - b);
    line(`${label} (${deliveries} deliveries; median / p90)`, `${ms(pct(runs, 50))} / ${ms(pct(runs, 90))}`, target);
  };
  timeRoute('route a 海宁 story among 10,000 subscriptions', '≤ 50 ms');


  // A poll's 1,000 new stories over the whole province against 10,000 subscriptions:
  // most stories match few subscriptions, as in real life.
  db.exec('DELETE FROM deliveries');
  // The stories of one poll: half from Zhejiang's feeds, half from the rest of the country.
  const ids = db.transaction(() => Array.from({ length: 1000 }, (_, i) => addStory(i % 2 ? pick(all) : REGIONS[i % REGIONS.length]!)))();
  const t = performance.now();
  const cpu = process.cpuUsage();
  const queued = db.transaction(() => ids.reduce((sum, id) => sum + router.route(id, Date.now()), 0))();
  const wall = performance.now() - t;
  // CPU time beside wall time: on a busy shared machine the wall clock mostly measures waiting.
  const { user, system } = process.cpuUsage(cpu);
  line(`plan a poll's 1,000 new stories (${queued.toLocaleString('en')} deliveries; cpu ${ms((user + system) / 1000)})`, ms(wall), '≤ 200 ms');

  // The worst case: every one of the 10,000 subscriptions covers the story.
  subscribeAll((i) => ['330000', '330400', '330481'][i % 3]!);
  db.exec('DELETE FROM deliveries');
  timeRoute('worst case: all 10,000 subscriptions cover the story', '(no target)');
  db.close();
  console.log();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await benchRouting();
