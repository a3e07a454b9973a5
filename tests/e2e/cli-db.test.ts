// `xiangxun db backup` and `db restore`, as an operator runs them.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { backupDatabase, verifyBackup } from '../../src/store/backup.js';
import { openDatabase } from '../../src/store/database.js';
import { createStoryWriter } from '../helpers/stories.js';

const run = promisify(execFile);
const cli = (env: Record<string, string>, ...args: string[]) => run(process.execPath, ['bin/xiangxun.js', ...args], { env: { ...process.env, LOG_LEVEL: 'silent', ...env } });

describe('database backup and restore', () => {
  it('backs up a database that is being written to, consistently', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xx-backup-'));
    const db = openDatabase(join(dir, 'live.db'));
    const writer = createStoryWriter(db);
    for (let i = 0; i < 200; i++) writer.add({ title: `嘉兴新闻${i}`, region: '330400' });
    // Keep writing while the backup runs in steps.
    let writing = true;
    const loop = (async () => {
      for (let i = 0; writing; i++) {
        writer.add({ title: `写入中${i}`, region: '330400' });
        await new Promise((r) => setImmediate(r));
      }
    })();
    await backupDatabase(db, join(dir, 'copy.db'));
    writing = false;
    await loop;
    const info = verifyBackup(join(dir, 'copy.db'));
    expect(info.articles).toBeGreaterThanOrEqual(200);
    db.close();
  });

  it('restores a verified backup and refuses a broken one, leaving the database unchanged', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xx-restore-'));
    const live = join(dir, 'bot.db');
    const db = openDatabase(live);
    const writer = createStoryWriter(db);
    writer.add({ title: '备份前的新闻', region: '330400' });
    db.close();
    const env = { DATABASE_PATH: live };
    const backup = await cli(env, 'db', 'backup', join(dir, 'b.db'));
    expect(backup.stdout).toMatch(/Backed up .* 1 articles, integrity ok/);
    await expect(cli(env, 'db', 'backup', join(dir, 'b.db'))).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/already exists/) });

    const db2 = openDatabase(live);
    createStoryWriter(db2).add({ title: '备份后的新闻', region: '330400' });
    db2.close();

    writeFileSync(join(dir, 'junk.db'), 'this is not a database');
    await expect(cli(env, 'db', 'restore', join(dir, 'junk.db'))).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/Not restored: .*not a readable SQLite database.*unchanged/) });
    const newer = openDatabase(join(dir, 'newer.db'));
    newer.pragma('user_version = 99');
    newer.close();
    await expect(cli(env, 'db', 'restore', join(dir, 'newer.db'))).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/newer than this program/) });

    const restored = await cli(env, 'db', 'restore', join(dir, 'b.db'));
    expect(restored.stdout).toMatch(/1 articles\. The previous database is kept/);
    expect(existsSync(`${live}.before-restore`)).toBe(true);
    const check = openDatabase(live);
    expect(check.prepare('SELECT title FROM articles').pluck().all()).toEqual(['备份前的新闻']);
    check.close();
  });
});
