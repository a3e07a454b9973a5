// `xiangxun extract` on the founding example (the seed article wrapped as a page).
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const SEED = 'tests/fixtures/pages/jiaxing-2022-05-07.html';
const extract = async (...args: string[]) =>
  JSON.parse((await run(process.execPath, ['bin/xiangxun.js', 'extract', SEED, '--json', ...args], { env: { ...process.env, LOG_LEVEL: 'silent' } })).stdout);
const codePoints = (s: string) => [...s].length;

describe('xiangxun extract on the seed page', () => {
  it('prints the expected article facts, regions and a Traditional summary', async () => {
    const r = await extract();
    expect(r.title).toBe('嘉興市舉行2022年度第一次“互學互比互賽”');
    expect(r.author).toBe('裘建鋒');
    expect(r.source).toBe('嘉興日報');
    expect(r.published).toBe('2022-05-07 09:23:18 +08:00');
    expect(r.script).toBe('traditional');
    expect(r.body.startsWith('立夏一過')).toBe(true);
    expect(r.body.endsWith('部分投産運營。')).toBe(true);
    for (const junk of ['推薦', '最新原創', '您的位置', '發佈時間', '原文標題', '來源:', '撰稿', '責編', '審核', '新聞投稿', '新聞熱線', '184042016', '13157110107']) {
      expect(r.body, junk).not.toContain(junk);
    }
    const codes = (r.regions as Array<{ code: string }>).map((x) => x.code);
    expect(codes).toEqual(expect.arrayContaining(['330000', '330400', '330402', '330411', '330424', '330482', '330481', '330483']));
    for (const wrong of ['330300', '330600', '330800', '330127', '330921', '330122']) expect(codes, wrong).not.toContain(wrong);
    expect(codePoints(r.summary)).toBeLessThanOrEqual(160);
    expect(r.summary).toMatch(/^5月6日,嘉興市舉行2022年度第一次“互學互比互賽”活動/);
  });

  it('renders everything in Simplified with --script cn', async () => {
    const r = await extract('--script', 'cn');
    expect(r.title).toBe('嘉兴市举行2022年度第一次“互学互比互赛”');
    expect(r.author).toBe('裘建锋');
    expect(r.summary).toMatch(/^5月6日,嘉兴市举行2022年度第一次“互学互比互赛”活动/);
    expect(codePoints(r.summary)).toBeLessThanOrEqual(160);
  });

  it('says clearly when a file is missing or holds no article', async () => {
    await expect(run(process.execPath, ['bin/xiangxun.js', 'extract', '/nonexistent.html'])).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/Cannot read/) });
    const empty = join(mkdtempSync(join(tmpdir(), 'xx-extract-')), 'empty.html');
    writeFileSync(empty, '<html><body><p>。。。！！！</p></body></html>');
    await expect(run(process.execPath, ['bin/xiangxun.js', 'extract', empty])).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/No article found/) });
    await expect(run(process.execPath, ['bin/xiangxun.js', 'extract', SEED, '--script', 'klingon'])).rejects.toMatchObject({ code: 2 });
  });
});
