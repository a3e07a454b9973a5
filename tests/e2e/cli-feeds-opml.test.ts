// `xiangxun feeds export --opml` and `feeds import` as an operator runs them: a server's feeds
// leave as OPML 2.0 and come back into another server with every URL, name and region.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOpml } from '../../src/feeds/opml.js';
import { rssFeed, startFeedServer, type FeedServer } from '../fakes/feed-server.js';
import { LIST_PAGES } from '../fixtures/list-pages/pages.js';
import { createIngestEnv, type IngestEnv } from '../helpers/ingest-env.js';

const run = promisify(execFile);
const FROM = '200000000000000001';
const TO = '200000000000000002';
let server: FeedServer;
let env: IngestEnv;
let cliEnv: NodeJS.ProcessEnv;
const cli = (...args: string[]) => run(process.execPath, ['bin/xiangxun.js', ...args], { env: cliEnv, timeout: 60_000 }).catch((e: { stdout: string; stderr: string; code: number }) => ({ stdout: e.stdout, stderr: e.stderr, code: e.code }));

beforeAll(async () => {
  server = await startFeedServer();
  env = createIngestEnv();
  env.writeFeeds([]);
  const item = { title: '嘉兴市新闻一则', link: 'https://news.example.cn/a/1.html', guid: '1', date: new Date().toUTCString(), description: '<p>嘉兴讯</p>' };
  server.setRoute('/a.xml', { body: rssFeed([item], { title: 'A 源' }) });
  server.setRoute('/b.xml', { body: rssFeed([item], { title: 'B & 源' }) });
  server.setRoute('/column/', { body: LIST_PAGES[1]!.html, contentType: 'text/html; charset=utf-8' });
  const admin = env.services.feedAdmin;
  for (const [url, region, name] of [['/a.xml', '330400', null], ['/b.xml', '330481', '海宁 <本地>'], ['/column/', '330000', '栏目']] as const) {
    expect((await admin.add({ guildId: FROM, url: server.url(url), region, name, addedBy: 'm' })).status).toBe('added');
  }
  env.close();
  cliEnv = { ...process.env, FEEDS_FILE: env.feedsFile, DATABASE_PATH: env.dbPath, ALLOW_PRIVATE_NETWORK: 'true', FETCH_TIMEOUT_MS: '3000', LOG_LEVEL: 'silent' };
});
afterAll(async () => {
  await server?.close();
});

describe('xiangxun feeds export / import', () => {
  it('round-trips every feed of a server with its region and name', async () => {
    const exported = await cli('feeds', 'export', '--opml', '--guild', FROM);
    expect(exported.stdout).toMatch(/^<\?xml version="1\.0" encoding="utf-8"\?>\s*<opml version="2\.0">/);
    const feeds = readOpml(exported.stdout);
    expect(feeds.map((f) => [f.url, f.region, f.name]).sort()).toEqual([
      [server.url('/a.xml'), '330400', 'A 源'],
      [server.url('/b.xml'), '330481', '海宁 <本地>'],
      [server.url('/column/'), '330000', '栏目'],
    ]);
    const file = join(env.dir, 'export.opml');
    writeFileSync(file, exported.stdout);
    const imported = await cli('feeds', 'import', file, '--guild', TO);
    expect(imported.stdout).toMatch(/3 added, 0 exist, 0 invalid/);
    const again = await cli('feeds', 'import', file, '--guild', TO);
    expect(again.stdout).toMatch(/0 added, 3 exist, 0 invalid/);
    env.restart();
    const back = readOpml(await env.services.feedAdmin.exportOpml(TO));
    env.close();
    const byUrl = (a: { url: string }, b: { url: string }) => a.url.localeCompare(b.url);
    expect(back.sort(byUrl)).toEqual(feeds.sort(byUrl));
    expect(feeds.find((f) => f.url.endsWith('/column/'))?.listPage).toBe(true);
  }, 240_000);

  it('refuses an import without a server (10,000 outlines and malformed files: tests/integration/feed-admin)', async () => {
    const file = join(env.dir, 'export.opml');
    const noGuild = await cli('feeds', 'import', file);
    expect(noGuild.stderr).toMatch(/--guild is required/);
  }, 120_000);
});

describe('xiangxun feeds list', () => {
  it('shows kind and anti-crawler of enabled catalog entries, and the disabled ones with their reason', async () => {
    const feedsFile = join(env.dir, 'catalog-with-disabled.json');
    writeFileSync(feedsFile, JSON.stringify({ feeds: [
      { id: 'on-paper', name: '某市日报', url: server.url('/a.xml'), region: '330400', kind: 'e-paper', antiCrawler: true },
      { id: 'off-browser', name: '某县政务服务', url: '{rsshub}/example/route', region: '330481', kind: 'government', needs: ['puppeteer'], enabled: false, disabledReason: 'needs an RSSHub with puppeteer' },
    ] }));
    const listed = await run(process.execPath, ['bin/xiangxun.js', 'feeds', 'list'], { env: { ...cliEnv, FEEDS_FILE: feedsFile, RSSHUB_BASE: 'http://127.0.0.1:1200' }, timeout: 60_000 });
    expect(listed.stdout).toMatch(/^on-paper +某市日报 +\[330400 浙江省 › 嘉兴市\] +\(e-paper; anti-crawler\)$/m);
    expect(listed.stdout).toMatch(/^Disabled in .*catalog-with-disabled\.json \(not polled\):$/m);
    expect(listed.stdout).toMatch(/^off-browser +某县政务服务 +\[330481 浙江省 › 嘉兴市 › 海宁市\] +\(government; needs puppeteer\)\n +http:\/\/127\.0\.0\.1:1200\/example\/route\n +disabled: needs an RSSHub with puppeteer$/m);
    expect(listed.stdout).toMatch(/1 catalog entries disabled/);
  }, 120_000);
});
