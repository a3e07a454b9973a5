// Prints the abuse soak's figures against the issue #11 targets; true when every one is met.
import { runAbuseSoak, TARGETS, type AbuseReport } from './run-abuse.js';

export { runAbuseSoak };

export function printAbuseReport(r: AbuseReport): boolean {
  const mark = (ok: boolean) => (ok ? 'met' : 'MISSED');
  const checks = {
    loopP99: r.loop.p99 <= TARGETS.loopP99,
    loopMax: r.loop.max <= TARGETS.loopMax,
    acked: r.bystander.percent >= TARGETS.bystanderPercent,
    latency: r.bystander.p99 <= TARGETS.bystanderP99,
    leaks: r.tokenLeaks === 0,
    unhandled: r.unhandled === 0,
  };
  const ms = (x: number) => (Number.isFinite(x) ? `${Math.round(x)} ms` : 'never');
  console.log(`\n${r.articles.toLocaleString()} articles stored (seeded in ${r.seedSeconds} s); abuse ran ${r.seconds} s; the 100k-item feed was fetched ${r.floodPolls} times`);
  console.log('hostile traffic:', Object.entries(r.hostile).map(([k, v]) => `${k} ${v}`).join(', '));
  console.log(`event loop (bot, ${r.loop.windows.length} monitor windows): ${r.loop.windows.map((w) => `p99 ${w.p99} / max ${w.max}`).join('; ')}`);
  console.log(`event-loop delay p99 ${r.loop.p99} ms (target ≤ ${TARGETS.loopP99}) — ${mark(checks.loopP99)}`);
  console.log(`event-loop delay max ${r.loop.max} ms (target ≤ ${TARGETS.loopMax}) — ${mark(checks.loopMax)}`);
  console.log(`bystander acked within 3 s: ${r.bystander.within3s}/${r.bystander.sent} = ${r.bystander.percent} % (target ${TARGETS.bystanderPercent} %) — ${mark(checks.acked)}`);
  console.log(`bystander latency p50 ${ms(r.bystander.p50)}, p99 ${ms(r.bystander.p99)} (target ≤ ${TARGETS.bystanderP99} ms), max ${ms(r.bystander.max)} — ${mark(checks.latency)}`);
  console.log(`tokens in the bot's output: ${r.tokenLeaks} — ${mark(checks.leaks)}; unhandled rejections: ${r.unhandled} — ${mark(checks.unhandled)}`);
  return Object.values(checks).every(Boolean);
}
