// `npm run soak -- --minutes 10`: the long soak, printing its invariants.
import { runSoak } from './run-soak.js';

const args = process.argv.slice(2);
const minutes = args.includes('--minutes') ? Number(args[args.indexOf('--minutes') + 1]) : 5;
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
