// `npm run bench [-- --only ingest,text,delivery,metrics,schedule,search] [--articles N]`: prints the figures each issue
// names as targets. Figures, not pass/fail: compare them with the targets printed beside them.
const args = process.argv.slice(2);
const only = args.includes('--only') ? new Set(args[args.indexOf('--only') + 1]!.split(',')) : null;
const articlesArg = args.includes('--articles') ? Number(args[args.indexOf('--articles') + 1]) : 1_000_000;
const want = (name: string) => !only || only.has(name);

console.log(`xiangxun benchmarks — node ${process.version}, ${new Date().toISOString()}\n`);
if (want('ingest')) await (await import('./ingest.js')).benchIngest();
if (want('text')) await (await import('./text.js')).benchText();
if (want('delivery')) {
  await (await import('./delivery.js')).benchRouting();
  await (await import('./delivery-fake.js')).benchDeliveryThroughput();
  await (await import('./delivery-deliverers.js')).benchTwoDeliverers();
}
if (want('metrics')) await (await import('./metrics.js')).benchMetrics();
if (want('schedule')) await (await import('./schedule-replay.js')).benchScheduleReplay();
if (want('search')) await (await import('./search.js')).benchSearch({ articles: articlesArg });
if (only?.has('search-pg') || args.includes('--postgres')) await (await import('./search-pg.js')).benchSearchPg({ articles: articlesArg });
