// Text figures (issue: understand Chinese news): extraction, summaries, region tagging,
// script conversion and converter start-up.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadRegionsFile } from '../src/app/services.js';
import { extractArticleFromBytes } from '../src/text/extract.js';
import { createGazetteer } from '../src/text/gazetteer.js';
import { tagRegions } from '../src/text/regions.js';
import { convert } from '../src/text/script.js';
import { extractiveSummary } from '../src/text/summary.js';
import { line, ms, pct, timeMany } from './util.js';

const root = (p: string) => fileURLToPath(new URL(`../${p}`, import.meta.url));

/** The seed article page padded the way portal pages are: scripts, styles and link lists. */
function page60k(): Buffer {
  const base = readFileSync(root('tests/fixtures/pages/jiaxing-2022-05-07.html'), 'utf8');
  const script = `<script>window.__cfg=${JSON.stringify({ ads: Array.from({ length: 40 }, (_, i) => ({ id: i, slot: `slot-${i}`, size: [300, 250] })) })};</script>`;
  const style = `<style>${'.nav li a{color:#333;padding:0 8px}.box h3{font-size:16px}'.repeat(20)}</style>`;
  const links = `<div class="side"><h3>热点新闻</h3><ul>${'<li><a href="/n/2022/0507/x.html">嘉兴市民生实事项目推进会召开</a></li>'.repeat(20)}</ul></div>`;
  let html = base.replace('</head>', `${style}${script}</head>`);
  while (Buffer.byteLength(html) < 60_000) html = html.replace('</body>', `${links}</body>`);
  return Buffer.from(html);
}

export async function benchText(): Promise<void> {
  console.log('Text');
  const startup = JSON.parse(
    execFileSync(process.execPath, ['--import', 'tsx', root('bench/text-startup.ts')], { encoding: 'utf8' }),
  ) as { matching: number; all: number; heapMB: number };
  line('converter start-up: matching (t2s), fresh process', ms(startup.matching), '≤ 150 ms');
  line('converter start-up: every target (cn, tw, twp, hk) too', ms(startup.all), '≤ 150 ms');
  line('  (heap after building them)', `${startup.heapMB.toFixed(0)} MB`, '—');

  const page = page60k();
  const extract = timeMany(100, () => extractArticleFromBytes(page));
  line(`extract a ${(page.length / 1024).toFixed(0)} KB page (median / p90)`, `${ms(pct(extract, 50))} / ${ms(pct(extract, 90))}`, '≤ 6 ms');

  const seed = extractArticleFromBytes(readFileSync(root('tests/fixtures/pages/jiaxing-2022-05-07.html')))!;
  let body = seed.text;
  while ([...body].length < 3000) body += `\n${seed.text}`;
  body = [...body].slice(0, 3000).join('');
  const summarize = timeMany(200, () => extractiveSummary({ title: seed.title, body }));
  line('summarize a 3,000-character article (median)', ms(pct(summarize, 50)), '≤ 2 ms');

  const gaz = createGazetteer(loadRegionsFile());
  const tag = timeMany(500, () => tagRegions(gaz, { title: seed.title, body, breadcrumb: seed.breadcrumb, feedRegion: '330400' }));
  line('tag regions in a 3,000-character article (median)', ms(pct(tag, 50)), '≤ 0.5 ms');

  // A 2 KB article: 2,048 bytes of UTF-8, about 680 Chinese characters.
  let article = '';
  for (const ch of seed.text) {
    if (Buffer.byteLength(article + ch) > 2048) break;
    article += ch;
  }
  const simplified = convert(article, 'cn');
  for (const [label, text] of [['Traditional', article], ['Simplified', simplified]] as const) {
    for (const target of ['cn', 'tw', 'twp', 'hk'] as const) {
      const t = timeMany(500, () => convert(text, target));
      line(`convert a 2 KB ${label} article to ${target} (median)`, ms(pct(t, 50)), '≤ 100 µs');
    }
  }
  console.log();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await benchText();
