// Run in a fresh process by bench/text.ts: the cost of building the script converters.
import { warmConverters } from '../src/text/script.js';

// What every process needs (matching and search use t2s), then every rendering target.
const t0 = performance.now();
warmConverters(['t2s']);
const matching = performance.now() - t0;
const t1 = performance.now();
warmConverters();
const all = performance.now() - t0;
process.stdout.write(JSON.stringify({ matching, rest: performance.now() - t1, all, heapMB: process.memoryUsage().heapUsed / 1048576 }));
