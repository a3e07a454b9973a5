// `npm run demo`: the whole pipeline, offline, on the bundled samples, into data/demo.db,
// printing each post the bot would send. A second run prints no new posts.
import { createServices, type Services } from '../app/services.js';
import { packageFile } from '../app/paths.js';
import { ConfigError } from '../config/config.js';
import { configFromProcess } from '../config/env.js';
import { pollMany } from '../ingest/poll-many.js';
import { createLogger } from '../shared/logger.js';
import { formatReport, summarizeReports } from './format.js';
import { startSampleServer } from './sample-server.js';

const DEMO_PORT = 47_231;

function formatTime(ms: number | null, timeZone: string): string {
  if (ms === null) return '—';
  return new Intl.DateTimeFormat('sv-SE', { timeZone, dateStyle: 'short', timeStyle: 'short' }).format(ms) + ` (${timeZone})`;
}

export async function printPost(s: Services, storyId: number, out: (l: string) => void): Promise<void> {
  const story = await s.store.articles.story(storyId);
  if (!story) return;
  const gaz = s.gazetteer;
  const own = story.regions.filter((r) => r.source !== 'ancestor');
  const deepest = own.filter((r) => !own.some((o) => o.code !== r.code && gaz.isWithin(o.code, r.code)));
  const paths = deepest.map((r) => gaz.path(r.code).map((p) => p.name).join(' › '));
  const also = [...new Set(story.alsoReportedBy.filter((a) => a.feedId !== story.feedId).map((a) => a.feedName))];
  out(`━━ ${story.title}`);
  out(`   Source:    ${story.feedName}${story.sourceOutlet ? ` (${story.sourceOutlet})` : ''}${also.length ? ` · also reported by ${also.join(', ')}` : ''}`);
  out(`   Regions:   ${paths.join('; ') || '—'}`);
  out(`   Published: ${formatTime(story.publishedAt, s.config.timeZone)}`);
  out(`   Summary:   ${story.summary ?? '—'}`);
  out(`   Link:      ${story.url ?? '—'}`);
  out('');
}

async function demo(): Promise<number> {
  const out = (l: string) => process.stdout.write(`${l}\n`);
  const server = await startSampleServer(packageFile('data/samples'), packageFile('tests/fixtures/pages'), DEMO_PORT);
  let services: Services | null = null;
  try {
    const config = configFromProcess({
      DATABASE_PATH: 'data/demo.db',
      FEEDS_FILE: packageFile('data/samples/feeds.json'),
      RSSHUB_BASE: server.base,
      FIRST_POLL_BACKLOG: '1000', // show every sample on the first run
      MAX_ITEM_AGE_HOURS: '0', // the samples are not all from this week
      ALLOW_PRIVATE_NETWORK: 'true', // the sample server is on 127.0.0.1
    });
    services = createServices(config, createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel));
    const ids = await services.syncCatalog();
    out(`Polling ${ids.length} sample feeds from ${server.base} into ${config.databasePath}\n`);
    const stories: number[] = [];
    const reports = await pollMany(services.ingestDeps({ onNewStory: (id, f) => void (f.postable && stories.push(id)) }), (await services.store.feeds.list()).filter((f) => ids.includes(f.id)).sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id)), {
      concurrency: 1, // one at a time, so the first source of a shared story is always the same
    });
    for (const r of reports) for (const line of formatReport(r)) out(line);
    out(`\n${summarizeReports(reports)}\n`);
    if (stories.length === 0) {
      out('No new posts: every sample item is already stored (delete data/demo.db to start over).');
      return 0;
    }
    out(`${stories.length} posts would be sent:\n`);
    for (const id of stories) await printPost(services, id, out);
    return 0;
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      return 1;
    }
    throw e;
  } finally {
    await services?.close();
    await server.close();
  }
}

process.exitCode = await demo();
