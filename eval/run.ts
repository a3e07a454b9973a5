// `npm run eval`: scores the extractor on the fixture pages (always) and on the shared
// development sets (eval/extraction.ts), runs the founding-example checks, and exits
// non-zero below the targets.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRegionsFile } from '../src/app/services.js';
import { createGazetteer } from '../src/text/gazetteer.js';
import { homePlaces } from '../src/text/references.js';
import { tagRegions } from '../src/text/regions.js';
import { extractiveSummary } from '../src/text/summary.js';
import { type ExtractedArticle, extractArticleFromBytes, extractFromText } from '../src/text/extract.js';
import { convert, warmConverters } from '../src/text/script.js';
import { evalExtraction } from './extraction.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURES = join(ROOT, 'tests/fixtures/pages');
const SHARED = resolve(ROOT, '../shared');
const SEED_TEXT = join(SHARED, 'seed/jiaxing-daily-2022-05-07.txt');
const SEED_HTML = join(FIXTURES, 'jiaxing-2022-05-07.html');

const SEED_FORBIDDEN = ['推薦', '最新原創', '您的位置', '發佈時間', '(原文標題', '來源:', '撰稿:', '責編:', '審核:', '新聞投稿', '新聞熱線', '184042016@qq.com', '13157110107'];
const SEED_EPOCH = Date.UTC(2022, 4, 7, 1, 23, 18);

/** The founding example's expectations; returns the failures. */
async function seedChecks(label: string, article: ExtractedArticle | null): Promise<string[]> {
  const fail: string[] = [];
  if (!article) return [`${label}: no article`];
  const check = (ok: boolean, what: string): void => {
    if (!ok) fail.push(`${label}: ${what}`);
  };
  check(article.title === '嘉興市舉行2022年度第一次“互學互比互賽”', `title ${JSON.stringify(article.title)}`);
  check(article.paragraphs.length === 31, `${article.paragraphs.length} paragraphs, want 31`);
  check(article.paragraphs[0]?.startsWith('立夏一過') ?? false, 'body does not start with 立夏一過');
  check(article.paragraphs.at(-1)?.endsWith('部分投産運營。') ?? false, 'body does not end with 部分投産運營。');
  for (const f of SEED_FORBIDDEN) check(!article.text.includes(f), `body contains ${f}`);
  check(article.author === '裘建鋒', `author ${article.author}`);
  check(article.source === '嘉興日報', `source ${article.source}`);
  check(article.publishedAt === SEED_EPOCH, `publishedAt ${article.publishedAt}`);
  check(article.breadcrumb.join(' > ') === '首頁 > 浙江 > 嘉興 > 要聞', `breadcrumb ${article.breadcrumb.join(' > ')}`);
  check(article.script === 'traditional', `script ${article.script}`);
  await optionalChecks(label, article, fail);
  return fail;
}

const SEED_PLACES = ['秀洲', '海盐', '海宁', '平湖', '桐乡', '南湖'];

/** Summary and regions of the seed, made as the pipeline makes them (see `xiangxun extract`). */
async function optionalChecks(label: string, article: ExtractedArticle, fail: string[]): Promise<void> {
  const gaz = createGazetteer(loadRegionsFile());
  const tags = tagRegions(gaz, { title: article.title, body: article.text, breadcrumb: article.breadcrumb, feedRegion: null });
  const places = homePlaces(gaz, tags, article.script === 'traditional');
  const summary = extractiveSummary({ title: article.title, body: article.text, context: { publishedAt: article.publishedAt, timeZone: 'Asia/Shanghai', places } });
  const length = [...summary].length;
  if (length === 0 || length > 160) fail.push(`${label}: summary ${length} chars`);
  // "What happened": the city-wide inspection, dated (昨天 → 5月6日) and placed (我市 → 嘉興市).
  if (!/5月6日/.test(summary) || !/嘉興市/.test(summary) || !/互學互比互賽/.test(summary)) fail.push(`${label}: summary does not say what happened: ${summary}`);
  console.log(`  summary (${length} chars): ${summary}`);
  console.log(`  summary, --script cn: ${convert(summary, 'cn')}`);
  const names = tags.map((t) => gaz.get(t.code)?.name ?? t.code);
  if (!tags.some((t) => t.code === '330400')) fail.push(`${label}: regions ${tags.map((t) => t.code).join(',')} lack 嘉兴市 330400`);
  const missing = SEED_PLACES.filter((p) => !names.some((n) => n.startsWith(p)));
  if (missing.length > 0) fail.push(`${label}: regions lack ${missing.join(', ')}`);
  const wrong = ['温州', '绍兴', '衢州', '淳安', '岱山', '桐庐'].filter((p) => names.some((n) => n.startsWith(p)));
  if (wrong.length > 0) fail.push(`${label}: regions include navigation places ${wrong.join(', ')}`);
  console.log(`  regions: ${names.join(' ')}`);
}

/**
 * Time on a 60 KB page (the modern fixture padded with sidebar link lists): wall-clock
 * best and median of 50 warm runs, and CPU time per run, which other processes on a shared
 * machine do not inflate.
 */
function timing60k(): void {
  const base = readFileSync(join(FIXTURES, 'haining-changan-renovation.html'), 'utf8');
  const filler = `<div class="box"><ul>${'<li><a href="/n/x.html">侧栏新闻标题链接文字示例</a></li>'.repeat(12)}</ul></div>`;
  let html = base;
  while (Buffer.byteLength(html) < 60_000) html = html.replace('<div class="footer">', `${filler}<div class="footer">`);
  const bytes = Buffer.byteLength(html);
  for (let i = 0; i < 10; i++) extractArticleFromBytes(Buffer.from(html));
  const wall: number[] = [];
  const cpu0 = process.cpuUsage();
  const runs = 50;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    extractArticleFromBytes(Buffer.from(html));
    wall.push(performance.now() - t0);
  }
  const cpu = process.cpuUsage(cpu0);
  wall.sort((a, b) => a - b);
  console.log(
    `\n## speed\n\n60 KB page (${(bytes / 1024).toFixed(0)} KiB, ${html.length} chars): best ${wall[0]!.toFixed(2)} ms, median ${wall[runs >> 1]!.toFixed(2)} ms, CPU ${((cpu.user + cpu.system) / 1000 / runs).toFixed(2)} ms per page`,
  );
}

async function main(): Promise<void> {
  const failures: string[] = [];
  // The bot builds its script converters at start-up; do the same so times are per page.
  warmConverters(['t2s', 'tw']);
  failures.push(...(await evalExtraction()));
  failures.push(...(await (await import('./feeds.js')).evalFeeds()));
  failures.push(...(await (await import('./summaries.js')).evalSummaries()));
  failures.push(...(await (await import('./regions.js')).evalRegions()));

  timing60k();

  console.log('\n## founding example\n');
  if (existsSync(SEED_HTML)) failures.push(...(await seedChecks('seed html', extractArticleFromBytes(readFileSync(SEED_HTML)))));
  else failures.push(`missing ${SEED_HTML}`);
  if (existsSync(SEED_TEXT)) failures.push(...(await seedChecks('seed text', extractFromText(readFileSync(SEED_TEXT, 'utf8')))));
  else console.log(`(seed text not found at ${SEED_TEXT}: skipped)`);

  if (failures.length > 0) {
    console.log(`\nFAILED:\n${failures.map((f) => `  - ${f}`).join('\n')}`);
    process.exitCode = 1;
  } else console.log('\nAll targets met.');
}

await main();
