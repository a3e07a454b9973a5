// `npm run soak -- --minutes 10`: the long soak, printing its invariants.
// `npm run soak -- --abuse [--minutes 3] [--articles 100000] [--without flood,searches,buttons,autocomplete]`:
// the abuse soak (issue #11); --without leaves parts out, to find which one stalls the bot;
// --cpu-prof DIR writes the bot's CPU profile there (to find which task held the loop).
// `npm run soak -- --postgres [--minutes 3]`: the multi-process soak (issue #16): a gateway, 2
// pollers and 2 deliverers over a real Postgres server (TEST_DATABASE_URL's, else one started for
// the run), the same world and faults, and SIGKILLs of every role.
import { runSoak } from './run-soak.js';

const args = process.argv.slice(2);
const arg = (name: string): number | undefined => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : undefined);

if (args.includes('--postgres')) {
  const { printPostgresReport, runPostgresSoak } = await import('./postgres-report.js');
  const minutes = arg('--minutes') ?? 3;
  console.log(`Multi-process soak on Postgres: ${minutes} minutes, a gateway, 2 pollers and 2 deliverers, 50 feeds, 20 channels (text, announcement, forum) in 3 servers, corrections, faults and SIGKILLs of every role at random…`);
  const r = await runPostgresSoak({ seconds: Math.round(minutes * 60), log: (s) => (s.startsWith('{') ? undefined : console.log(`  ${s}`)) });
  process.exitCode = printPostgresReport(r) ? 0 : 1;
} else if (args.includes('--abuse')) {
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
  console.log(`Soak: ${minutes} minutes, 50 feeds, 20 channels (text, announcement, forum) in 3 servers, corrections and faults at random…`);
  const r = await runSoak({ seconds: Math.round(minutes * 60) });
  const ok = (b: boolean) => (b ? 'holds' : 'BROKEN');
  console.log(`\nstories ${r.stories}, expected deliveries ${r.expectedDeliveries}, delivered ${r.delivered} (in ${r.posts} posts and ${r.digests} digest messages), restarts ${r.restarts}, 429s seen ${r.rateLimitHits}`);
  const k = r.corrections;
  console.log(`channels: ${Object.entries(r.channelKinds).map(([kind, x]) => `${x} ${kind}`).join(', ')}; forum posts ${r.forumPosts}`);
  console.log(`corrections injected ${k.injected} (${k.stories} stories), trivial changes ${k.trivial}; edits made ${k.edits}, edit repeats with an identical body ${k.editRepeats} (harmless), corrected posts left alone: ${k.leftAlone.deleted} deleted by a moderator, ${k.leftAlone.paused} in paused channels, ${k.leftAlone.digest} listed in digests; edits table: ${JSON.stringify(k.editStates)}`);
  console.log('faults injected:', Object.entries(r.faults).map(([k, v]) => `${k} ×${v}`).join(', '));
  console.log(`every story reached every matching active channel: lost ${r.lost} — ${ok(r.lost === 0)}`);
  console.log(`no story posted twice: duplicates ${r.duplicates} — ${ok(r.duplicates === 0)}`);
  console.log(`a second source first seen after a correction is not posted again: reposts ${r.lateReposts} — ${r.lateReposts === 0 ? 'holds' : 'BROKEN (bot: the story is still matched by its first headline only)'}`);
  console.log(`a story is not both posted and listed in a digest: ${r.postedAndDigested} — ${r.postedAndDigested === 0 ? 'holds' : 'BROKEN (bot: a post whose answer was lost is rolled into a burst digest instead of retried with its nonce)'}`);
  for (const e of r.duplicateExamples) console.log(`  ! ${e}`);
  console.log(`corrected posts show the last correction: stale ${k.stale}, forum titles stale ${k.staleForumTitles} — ${ok(k.stale === 0 && k.staleForumTitles === 0)}`);
  console.log(`trivial changes edited nothing: ${k.editsOfTrivial}; uncorrected stories edited: ${k.editsOfUncorrected} — ${ok(k.editsOfTrivial === 0 && k.editsOfUncorrected === 0)}`);
  console.log(`no post edited into another story: ${k.wrongStory}; no message added inside a forum post: ${k.extraThreadMessages} — ${ok(k.wrongStory === 0 && k.extraThreadMessages === 0)}`);
  console.log(`forum posts tagged with their places' tags: mismatches ${k.tagMismatches} — ${ok(k.tagMismatches === 0)}`);
  for (const e of k.examples) console.log(`  ! ${e}`);
  console.log(`paused channels got nothing after the pause: ${r.afterPause} — ${ok(r.afterPause === 0)}`);
  console.log(`no unhandled rejection: ${r.unhandled} — ${ok(r.unhandled === 0)}`);
  console.log(`token never in output: ${r.tokenLeaks} — ${ok(r.tokenLeaks === 0)}`);
  console.log(`memory after warm-up: ${r.rss.warmMB} MB → ${r.rss.endMB} MB (${r.rss.growth}%) — ${ok(r.rss.growth < 30)}`);
  console.log(`database integrity_check: ${r.integrity} — ${ok(r.integrity === 'ok')}`);
  const corrected = k.stale === 0 && k.staleForumTitles === 0 && k.editsOfTrivial === 0 && k.editsOfUncorrected === 0 && k.wrongStory === 0 && k.extraThreadMessages === 0 && k.tagMismatches === 0;
  const all = corrected && r.lost === 0 && r.duplicates === 0 && r.lateReposts === 0 && r.postedAndDigested === 0 && r.afterPause === 0 && r.unhandled === 0 && r.tokenLeaks === 0 && r.integrity === 'ok';
  process.exitCode = all ? 0 : 1;
}
