// /metrics scrape cost (issue: run it like a service): a registry with every series the bot
// exports, gauges read from a database holding a large outbox backlog. Target ≤ 5 ms a scrape.
import { createMetrics } from '../src/app/metrics.js';
import { openDatabase } from '../src/store/database.js';
import { createHealthRepo } from '../src/store/health-repo.js';

export async function benchMetrics(): Promise<void> {
  console.log('## /metrics scrape');
  const db = openDatabase(':memory:');
  // 60,000 pending deliveries and 100,000 sent ones: the gauges must not scan history.
  db.exec("INSERT INTO feeds (id, name, url, region, created_at) VALUES ('f', 'f', 'https://e.cn/f.xml', '330400', 0)");
  db.transaction(() => {
    const story = db.prepare('INSERT INTO stories (title_key, first_seen_at) VALUES (?, 0)');
    const delivery = db.prepare("INSERT INTO deliveries (story_id, guild_id, channel_id, mode, state, next_attempt_at, created_at) VALUES (?, 'g', ?, 'instant', ?, 0, 0)");
    for (let i = 0; i < 4_000; i++) {
      const id = story.run(`s${i}`).lastInsertRowid;
      for (let c = 0; c < 40; c++) delivery.run(id, `c${c}`, c < 15 ? 'pending' : 'sent');
    }
  })();
  const health = createHealthRepo(db);
  const metrics = createMetrics(health);
  for (let i = 0; i < 500; i++) {
    metrics.poll(i % 7 === 0 ? 'error' : 'fetched', i % 3);
    metrics.delivery('sent');
    metrics.postDelay((i % 600) * 1000);
  }
  for (let i = 0; i < 20; i++) await metrics.render();
  const times: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < 200; i++) {
    const t0 = performance.now();
    await metrics.render();
    times.push(performance.now() - t0);
  }
  const cpu = process.cpuUsage(cpu0);
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(2);
  // The database counts are cached for ten seconds; the uncached cost is what one in every
  // few scrapes pays.
  const uncached = createMetrics(health, { cacheMs: 0 });
  await uncached.render();
  const cpu1 = process.cpuUsage();
  for (let i = 0; i < 50; i++) await uncached.render();
  const cold = process.cpuUsage(cpu1);
  console.log(`   scrape with ${health.outboxPending()} pending deliveries: wall p50 ${q(0.5)} ms, p99 ${q(0.99)} ms; CPU ${((cpu.user + cpu.system) / 1000 / 200).toFixed(2)} ms a scrape, ${((cold.user + cold.system) / 1000 / 50).toFixed(2)} ms when the counts are re-read (target ≤ 5 ms)\n`);
  db.close();
}
