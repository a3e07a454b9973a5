// `npm run fake-feeds`: serves the fault catalog on 127.0.0.1 until Ctrl-C, for trying the CLI:
//   FEEDS_FILE=<printed path> ALLOW_PRIVATE_NETWORK=true FETCH_MAX_BYTES=1048576 npx xiangxun poll --once --dry-run
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installFaultCatalog } from './fault-catalog.js';
import { startFeedServer } from './feed-server.js';

const server = await startFeedServer();
const feedsFile = join(mkdtempSync(join(tmpdir(), 'xiangxun-faults-')), 'feeds.json');
const ids = installFaultCatalog(server, feedsFile);
console.log(`Serving ${ids.length} feeds on ${server.url('/')} (Ctrl-C to stop)`);
console.log(`FEEDS_FILE=${feedsFile} ALLOW_PRIVATE_NETWORK=true FETCH_TIMEOUT_MS=2000 FETCH_MAX_BYTES=1048576 npx xiangxun poll --once --dry-run`);
process.once('SIGINT', () => void server.close().then(() => process.exit(0)));
