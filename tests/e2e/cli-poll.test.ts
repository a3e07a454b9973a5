// The `xiangxun` bin as an operator runs it, against the fault catalog on a local server.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAULT_ROUTES, installFaultCatalog } from '../fakes/fault-catalog.js';
import { startFeedServer, type FeedServer } from '../fakes/feed-server.js';

const run = promisify(execFile);
let server: FeedServer;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  server = await startFeedServer();
  const dir = mkdtempSync(join(tmpdir(), 'xiangxun-cli-'));
  installFaultCatalog(server, join(dir, 'feeds.json'));
  env = { ...process.env, FEEDS_FILE: join(dir, 'feeds.json'), DATABASE_PATH: join(dir, 'cli.db'), ALLOW_PRIVATE_NETWORK: 'true', FETCH_TIMEOUT_MS: '1500', FETCH_MAX_BYTES: '1048576', LOG_LEVEL: 'silent' };
});
afterAll(async () => {
  await server.close();
});

const cli = (...args: string[]) => run(process.execPath, ['bin/xiangxun.js', ...args], { env, timeout: 60_000 });

describe('xiangxun poll --once --dry-run', () => {
  it('shows every fault on its own feed while the healthy feeds ingest, and stores nothing', async () => {
    const { stdout } = await cli('poll', '--once', '--dry-run');
    for (const id of Object.keys(FAULT_ROUTES).filter((k) => !['empty', 'odd-items'].includes(k))) {
      expect(stdout, id).toMatch(new RegExp(`✗ ${id}: error \\(\\w[\\w-]*\\) .+`));
    }
    expect(stdout).toMatch(/✓ healthy-utf8: fetched 2 items, 2 new/);
    expect(stdout).toMatch(/✓ healthy-gbk: fetched 1 items, 1 new[\s\S]*桐乡市乌镇迎来冬季旅游旺季/);
    expect(stdout).toMatch(/✓ empty: fetched 0 items[\s\S]*! the feed has no items/);
    expect(stdout).toMatch(/✓ odd-items: fetched/);
    expect(stdout).toMatch(/dry run: nothing stored/);
    const list = await cli('feeds', 'list', '--json');
    const feeds = JSON.parse(list.stdout) as Array<{ id: string; lastFetchAt: number | null; itemCount: number }>;
    expect(feeds.every((f) => f.lastFetchAt === null && f.itemCount === 0)).toBe(true);
  });

  it('then a real poll records the faults on each feed for `feeds list`', async () => {
    await cli('poll', '--once');
    const { stdout } = await cli('feeds', 'list');
    expect(stdout).toMatch(/timeout[\s\S]*health: failing ×1: 127\.0\.0\.1 did not answer/);
    expect(stdout).toMatch(/healthy-utf8[\s\S]*health: ok/);
  });

  it('explains bad usage and unknown feeds', async () => {
    await expect(cli('poll')).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/--once/) });
    await expect(cli('poll', '--once', '--feed', 'nope')).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/No feed with id "nope"/) });
    await expect(cli('frobnicate')).rejects.toMatchObject({ code: 2 });
  });

  it('exits 1 naming a bad variable, never its value', async () => {
    const bad = run(process.execPath, ['bin/xiangxun.js', 'feeds', 'list'], { env: { ...env, TZ_DEFAULT: 'Mars/Olympus_Secret' } });
    await expect(bad).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/TZ_DEFAULT/) });
    await expect(bad).rejects.toMatchObject({ stderr: expect.not.stringMatching(/Olympus_Secret/) });
  });
});
