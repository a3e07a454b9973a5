// The multi-process soak's report (`npm run soak -- --postgres`), in the one-process soak's form;
// returns whether every invariant held.
import { integrityHolds } from './postgres-db.js';
import type { PostgresSoakReport } from './postgres-soak.js';

export { runPostgresSoak } from './postgres-soak.js';

export function printPostgresReport(r: PostgresSoakReport): boolean {
  const ok = (b: boolean) => (b ? 'holds' : 'BROKEN');
  const line = (s: string) => console.log(s);
  const k = r.corrections;
  const i = r.integrity;
  line(`\nprocesses: ${Object.entries(r.processes).map(([role, n]) => `${n} ${role}${n > 1 ? 's' : ''}`).join(', ')} on Postgres (${r.database}); ${r.seconds} s`);
  line(`stories ${r.stories}, expected deliveries ${r.expectedDeliveries}, delivered ${r.delivered} (in ${r.posts} posts and ${r.digests} digest messages)`);
  line(`SIGKILLs (each restarted): ${Object.entries(r.kills).map(([role, n]) => `${role} ×${n}`).join(', ')}`);
  line(`429s the deliverers met: ${r.rateLimits.answered} (${r.rateLimits.injected} injected by the soak, ${r.rateLimits.earned} earned by exceeding a limit)`);
  line(`channels: ${Object.entries(r.channelKinds).map(([kind, x]) => `${x} ${kind}`).join(', ')}; forum posts ${r.forumPosts}`);
  line(`corrections injected ${k.injected} (${k.stories} stories), trivial changes ${k.trivial}; edits made ${k.edits}, edit repeats with an identical body ${k.editRepeats} (harmless), corrected posts left alone: ${k.leftAlone.deleted} deleted by a moderator, ${k.leftAlone.paused} in paused channels, ${k.leftAlone.digest} listed in digests`);
  line('faults injected: ' + Object.entries(r.faults).map(([name, v]) => `${name} ×${v}`).join(', '));
  line(`rows after the run: deliveries ${JSON.stringify(r.states.deliveries)}, edits ${JSON.stringify(r.states.edits)}, digests ${JSON.stringify(r.states.digests)}`);
  line(`gateway: /news search asked ${r.commands.asked} times, answered ${r.commands.answered}, interrupted by a gateway kill ${r.commands.interrupted}, unanswered ${r.commands.unanswered}`);
  line(`memory (MB) peak ${JSON.stringify(r.rssMB.peak)}, end ${JSON.stringify(r.rssMB.end)}`);
  line(`every story reached every matching active channel: lost ${r.lost} — ${ok(r.lost === 0)}${r.lost ? ` (in the outbox: ${JSON.stringify(r.lostWhy)})` : ''}`);
  line(`no story posted twice: duplicates ${r.duplicates} — ${ok(r.duplicates === 0)}`);
  line(`a second source first seen after a correction is not posted again: reposts ${r.lateReposts} — ${ok(r.lateReposts === 0)}`);
  line(`a story is not both posted and listed in a digest: ${r.postedAndDigested} — ${ok(r.postedAndDigested === 0)}`);
  for (const e of r.duplicateExamples) line(`  ! ${e}`);
  line(`corrected posts show the last correction: stale ${k.stale}, forum titles stale ${k.staleForumTitles} — ${ok(k.stale === 0 && k.staleForumTitles === 0)}`);
  line(`trivial changes edited nothing: ${k.editsOfTrivial}; uncorrected stories edited: ${k.editsOfUncorrected} — ${ok(k.editsOfTrivial === 0 && k.editsOfUncorrected === 0)}`);
  line(`no post edited into another story: ${k.wrongStory}; no message added inside a forum post: ${k.extraThreadMessages} — ${ok(k.wrongStory === 0 && k.extraThreadMessages === 0)}`);
  line(`forum posts tagged with their places' tags: mismatches ${k.tagMismatches} — ${ok(k.tagMismatches === 0)}`);
  for (const e of k.examples) line(`  ! ${e}`);
  line(`paused channels got nothing after the pause: ${r.afterPause} — ${ok(r.afterPause === 0)}`);
  const strayFailures = Object.values(r.failedDigests.elsewhere).reduce((a, b) => a + b, 0);
  line(`digests fail only in channels paused on purpose: ${r.failedDigests.inPausedChannels} there, ${strayFailures} elsewhere — ${ok(strayFailures === 0)}${strayFailures ? ` (${JSON.stringify(r.failedDigests.elsewhere)})` : ''}`);
  line(`the outbox drained (nothing pending or sending at the end): ${ok(r.drained)}`);
  line(`Postgres integrity: amcheck ${i.amcheck}; foreign keys broken ${Object.values(i.orphans).reduce((a, b) => a + b, 0)} (of ${Object.keys(i.orphans).length} checked); stories without their article ${i.storiesWithoutArticle} — ${ok(integrityHolds({ ...i, sentWithoutMessage: 0, digestsWithoutMessage: 0, sharedMessages: 0, unrecordedPosts: 0, stuckSending: 0 }))}`);
  line(`every 'sent' delivery names a message Discord holds: ${i.sentWithoutMessage} without; digests ${i.digestsWithoutMessage}; two deliveries naming one message ${i.sharedMessages}; posts no delivery records ${i.unrecordedPosts} — ${ok(i.sentWithoutMessage === 0 && i.digestsWithoutMessage === 0 && i.sharedMessages === 0 && i.unrecordedPosts === 0)}`);
  line(`nothing stuck 'sending' after the drain: ${i.stuckSending} — ${ok(i.stuckSending === 0)} (leases and heartbeats left to lapse: ${i.leftLeases})`);
  for (const e of i.examples) line(`  ! ${e}`);
  line(`no process exited on its own: ${r.unexpectedExits.length} — ${ok(r.unexpectedExits.length === 0)}`);
  for (const x of r.unexpectedExits.slice(0, 3)) line(`  ! ${x.name} exited (code ${x.code}, signal ${x.signal}); its last output:\n${x.tail.split('\n').slice(-12).map((l) => `      ${l}`).join('\n')}`);
  line(`every process stopped on SIGTERM: ${r.forcedStops.length ? `not ${r.forcedStops.join(', ')}` : 'all'} — ${ok(r.forcedStops.length === 0)}`);
  line(`no SQLite file written with DATABASE_URL set: ${ok(!r.sqliteWritten)}`);
  line(`no unhandled rejection: ${r.unhandled} — ${ok(r.unhandled === 0)} (log lines: fatal ${r.fatalLogs}, error ${r.errorLogs})`);
  line(`token never in output: ${r.tokenLeaks} — ${ok(r.tokenLeaks === 0)}`);
  line(`every process's output: ${r.logFile}`);
  const corrected = k.stale === 0 && k.staleForumTitles === 0 && k.editsOfTrivial === 0 && k.editsOfUncorrected === 0 && k.wrongStory === 0 && k.extraThreadMessages === 0 && k.tagMismatches === 0;
  return (
    corrected && r.lost === 0 && r.duplicates === 0 && r.lateReposts === 0 && r.postedAndDigested === 0 && r.afterPause === 0 && strayFailures === 0 && r.drained && integrityHolds(i) &&
    r.unexpectedExits.length === 0 && r.forcedStops.length === 0 && !r.sqliteWritten && r.unhandled === 0 && r.tokenLeaks === 0
  );
}
