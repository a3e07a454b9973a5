// `xiangxun db copy`, `db migrate` and `db backup` on a real Postgres server (skipped
// without TEST_DATABASE_URL): every record reads back the same through the ports of either
// store, ids included; the search index is rebuilt; a non-empty target is refused.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore, openSqliteStore } from '../../src/app/store-open.js';
import type { Store } from '../../src/store/ports.js';
import { source, storyWith, subscribe, T0 } from '../contract/fixtures.js';
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from '../helpers/postgres.js';

const run = promisify(execFile);
const cli = (...args: string[]) => run(process.execPath, ['bin/xiangxun.js', ...args], { env: { ...process.env, LOG_LEVEL: 'silent', DATABASE_URL: '' } });

async function snapshot(store: Store, storyIds: number[]) {
  return {
    feeds: await store.feeds.list(),
    stories: await Promise.all(storyIds.map((id) => store.articles.story(id))),
    deliveries: await Promise.all(storyIds.map((id) => store.outbox.forStory(id))),
    subscriptions: await store.subscriptions.listForGuild('g1'),
    settings: await store.settings.settings('g1'),
    latest: await store.articles.latestInRegion('330000', 10),
    facts: await Promise.all(storyIds.map((id) => store.posting.postFacts(id))),
  };
}

describe.skipIf(!TEST_DATABASE_URL)('db copy from SQLite to Postgres', () => {
  let target: TestDatabase;
  beforeAll(async () => void (target = await createTestDatabase()));
  afterAll(async () => target?.drop());

  it('copies every record with its id, rebuilds the index, and refuses to copy twice', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'xx-copy-')), 'bot.db');
    const { store: sqlite } = openSqliteStore(file);
    await sqlite.feeds.sync([source('a'), source('b')], T0);
    await subscribe(sqlite, 'g1', 'c1', '330000');
    await subscribe(sqlite, 'g1', 'c2', '330400', { mode: 'digest', include: ['嘉兴'] });
    await sqlite.settings.updateSettings('g1', { script: 'tw', summaryLength: 120 }, T0);
    const ids: number[] = [];
    for (let n = 1; n <= 30; n++) {
      const { storyId, articleId } = await storyWith(sqlite, n % 2 ? 'a' : 'b', n);
      await sqlite.index.indexArticle({ id: articleId, title: `嘉兴新闻第${n}条`, body: `正文${n}` });
      await sqlite.outbox.fanOut(storyId, [], T0);
      ids.push(storyId);
    }
    const [first] = await sqlite.outbox.due(T0, 1);
    await sqlite.outbox.markSent(first!.id, 'm-1', T0 + 5, { messageChannelId: null, revision: 0 });
    await sqlite.posting.reviseStory(first!.storyId, T0 + 9);
    const before = await snapshot(sqlite, ids);
    await sqlite.close();

    const { stdout } = await cli('db', 'copy', '--from', `sqlite:${file}`, '--to', target.url);
    expect(stdout).toMatch(/Copied .* 30 articles indexed/u);
    const pg = await openPostgresStore(target.url);
    try {
      expect(await snapshot(pg, ids)).toEqual(before);
      expect(await pg.posting.dueEdits(T0 + 10, 10)).toHaveLength(1);
      // New rows continue after the copied ids.
      const next = await storyWith(pg, 'a', 99);
      expect(next.storyId).toBeGreaterThan(Math.max(...ids));
    } finally {
      await pg.close();
    }
    const again = await cli('db', 'copy', '--from', `sqlite:${file}`, '--to', target.url).catch((e: { code: number; stderr: string }) => e);
    expect((again as { code: number }).code).toBe(1);
    expect((again as { stderr: string }).stderr).toMatch(/Not copied: the target database already holds/u);
  });

  it('names DATABASE_URL and hides the password when the target cannot be reached', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'xx-copy-')), 'bot.db');
    openSqliteStore(file).db.close();
    const failed = await cli('db', 'copy', '--from', `sqlite:${file}`, '--to', 'postgres://bot:s3cret-pw@127.0.0.1:1/none').catch((e: { code: number; stderr: string }) => e);
    expect((failed as { code: number }).code).toBe(1);
    expect((failed as { stderr: string }).stderr).toMatch(/DATABASE_URL: cannot reach a Postgres server at 127\.0\.0\.1:1/u);
    expect((failed as { stderr: string }).stderr).not.toContain('s3cret-pw');
  }, 120_000);
});

describe.skipIf(!TEST_DATABASE_URL)('db migrate and db backup on Postgres', () => {
  let target: TestDatabase;
  beforeAll(async () => void (target = await createTestDatabase()));
  afterAll(async () => target?.drop());
  const withUrl = (...args: string[]) => run(process.execPath, ['bin/xiangxun.js', ...args], { env: { ...process.env, LOG_LEVEL: 'silent', DATABASE_URL: target.url } });

  it('migrates, says so once, backs up with pg_dump, and doctor reads it', async () => {
    const first = await withUrl('db', 'migrate');
    expect(first.stdout).toMatch(/applied 001 .*schema 0 → \d+/su);
    expect((await withUrl('db', 'migrate')).stdout).toMatch(/schema \d+, up to date/u);
    const file = join(mkdtempSync(join(tmpdir(), 'xx-dump-')), 'bot.dump');
    const backup = await withUrl('db', 'backup', file);
    expect(backup.stdout).toMatch(/Backed up postgres:\/\/.* to .*bot\.dump \(pg_dump custom format/u);
    const doctor = await withUrl('doctor').catch((e: { stdout: string }) => e);
    expect((doctor as { stdout: string }).stdout).toMatch(/✓ database +postgres:\/\/.*: answers, schema \d+/u);
    const restore = await withUrl('db', 'restore', file).catch((e: { code: number; stderr: string }) => e);
    expect((restore as { code: number }).code).toBe(1);
    expect((restore as { stderr: string }).stderr).toMatch(/pg_restore/u);
  }, 120_000);
});
