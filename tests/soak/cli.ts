// `npm run soak -- --minutes 10`: the long soak, printing its invariants.
// `npm run soak -- --abuse [--minutes 3] [--articles 100000] [--without flood,searches,buttons,autocomplete]`:
// the abuse soak (issue #11); --without leaves parts out, to find which one stalls the bot;
// --cpu-prof DIR writes the bot's CPU profile there (to find which task held the loop).
import { runSoak } from './run-soak.js';

const args = process.argv.slice(2);
const arg = (name: string): number | undefined => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : undefined);

if (args.includes('--abuse')) {
  const { printAbuseReport, runAbuseSoak } = await import('./abuse-report.js');
  const minutes = arg('--minutes') ?? 3;
  const articles = arg('--articles') ?? 100_000;
  console.log(`Abuse soak: ${minutes} minutes of hostile searches, button spam, an autocomplete flood and a 100k-item feed over ${articles.toLocaleString()} articles; a bystander in another server runs a command every second…`);
  const without = new Set(args.filter((_, i) => args[i - 1] === '--without').flatMap((a) => a.split(',')) as Array<'flood' | 'searches' | 'buttons' | 'autocomplete'>);
  if (without.size) console.log(`  without: ${[...without].join(', ')}`);
  const profileDir = args.includes('--cpu-prof') ? args[args.indexOf('--cpu-prof') + 1] : undefined;
  const nodeArgs = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
  const r = await runAbuseSoak({ seconds: Math.round(minutes * 60), articles, without, nodeArgs, log: (s) => (s.startsWith('{') ? undefined : console.log(`  ${s}`)) });
  process.exitCode = printAbuseReport(r) ? 0 : 1;
} else {
  const minutes = arg('--minutes') ?? 5;
  console.log(`Soak: ${minutes} minutes, 50 feeds, 20 channels in 3 servers, faults at random…`);
  const r = await runSoak({ seconds: Math.round(minutes * 60) });
  const ok = (b: boolean) => (b ? 'holds' : 'BROKEN');
  console.log(`\nstories ${r.stories}, expected deliveries ${r.expectedDeliveries}, delivered ${r.delivered} (in ${r.posts} posts and ${r.digests} digest messages), restarts ${r.restarts}, 429s seen ${r.rateLimitHits}`);
  console.log('faults injected:', Object.entries(r.faults).map(([k, v]) => `${k} ×${v}`).join(', '));
  console.log(`every story reached every matching active channel: lost ${r.lost} — ${ok(r.lost === 0)}`);
  console.log(`no story posted twice: duplicates ${r.duplicates} — ${ok(r.duplicates === 0)}`);
  console.log(`paused channels got nothing after the pause: ${r.afterPause} — ${ok(r.afterPause === 0)}`);
  console.log(`no unhandled rejection: ${r.unhandled} — ${ok(r.unhandled === 0)}`);
  console.log(`token never in output: ${r.tokenLeaks} — ${ok(r.tokenLeaks === 0)}`);
  console.log(`memory after warm-up: ${r.rss.warmMB} MB → ${r.rss.endMB} MB (${r.rss.growth}%) — ${ok(r.rss.growth < 30)}`);
  console.log(`database integrity_check: ${r.integrity} — ${ok(r.integrity === 'ok')}`);
  const all = r.lost === 0 && r.duplicates === 0 && r.afterPause === 0 && r.unhandled === 0 && r.tokenLeaks === 0 && r.integrity === 'ok';
  process.exitCode = all ? 0 : 1;
}
