// Plain-text rendering of poll reports and posts for the terminal.
import type { PollReport } from '../ingest/poll-feed.js';

export function formatReport(r: PollReport): string[] {
  const lines: string[] = [];
  const ms = `${Math.round(r.ms)} ms`;
  if (r.status === 'error') {
    lines.push(`✗ ${r.feedId}: error (${r.errorKind}) ${r.error}${r.paused ? ' — feed paused' : ''} [${ms}]`);
  } else if (r.status !== 'fetched') {
    lines.push(`· ${r.feedId}: ${r.status} [${ms}]`);
  } else {
    const fresh = r.items.filter((i) => i.newStory).length;
    const dup = r.items.length - fresh;
    lines.push(`✓ ${r.feedId}: fetched ${r.itemsInFeed} items, ${r.items.length} new (${fresh} new stories, ${dup} also reported elsewhere) [${ms}]`);
  }
  for (const w of r.warnings) lines.push(`    ! ${w}`);
  for (const i of r.items) {
    const tag = i.newStory ? (i.postable ? '+ post' : `+ hold (${i.holdReason})`) : '= known story';
    lines.push(`    ${tag}: ${i.title}${i.url ? `  <${i.url}>` : ''}`);
  }
  return lines;
}

export function summarizeReports(reports: readonly PollReport[]): string {
  const count = (s: PollReport['status']) => reports.filter((r) => r.status === s).length;
  const items = reports.reduce((n, r) => n + r.items.length, 0);
  return `${reports.length} feeds: ${count('fetched')} fetched, ${count('not-modified')} not modified, ${count('unchanged')} unchanged, ${count('error')} errors; ${items} new items`;
}
