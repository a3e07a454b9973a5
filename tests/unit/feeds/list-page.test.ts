// The list-page recogniser on synthetic pages of many shapes: which article links it finds
// (precision and recall over all pages) and that article pages and home pages are refused.
import { describe, expect, it } from 'vitest';
import { findDate, isArticleLink, sameSite, scoreLink } from '../../../src/feeds/list-page-links.js';
import { recognizeListPage } from '../../../src/feeds/list-page.js';
import { parseFeed } from '../../../src/feeds/parse.js';
import { listItemsToRss } from '../../../src/feeds/source-fetcher.js';
import { LIST_PAGES, NEGATIVES, NOW } from '../../fixtures/list-pages/pages.js';

const opts = (url: string) => ({ url, timeZone: 'Asia/Shanghai', now: NOW });

describe('recognizeListPage', () => {
  it('has at least 20 list pages of different shapes', () => {
    expect(LIST_PAGES.length).toBeGreaterThanOrEqual(20);
    expect(new Set(LIST_PAGES.map((p) => p.name)).size).toBe(LIST_PAGES.length);
  });

  it('finds the article links of every list page: precision and recall ≥ 0.9', () => {
    let found = 0;
    let right = 0;
    let expected = 0;
    const rows: string[] = [];
    for (const p of LIST_PAGES) {
      const v = recognizeListPage(p.html, opts(p.url));
      const got = v.kind === 'list' ? v.items.map((i) => i.url) : [];
      const hits = got.filter((u) => p.expected.includes(u)).length;
      found += got.length;
      right += hits;
      expected += p.expected.length;
      rows.push(`${p.name.padEnd(30)} ${v.kind === 'list' ? `list ${v.confidence.toFixed(2)}` : `${v.kind}/${v.reason}`} P ${(got.length ? hits / got.length : 0).toFixed(2)} R ${(hits / p.expected.length).toFixed(2)}`);
    }
    const precision = right / found;
    const recall = right / expected;
    console.log(`${rows.join('\n')}\nlist pages: ${LIST_PAGES.length}, links expected ${expected}, found ${found}, right ${right}: precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}`);
    expect(precision).toBeGreaterThanOrEqual(0.9);
    expect(recall).toBeGreaterThanOrEqual(0.9);
  });

  it.each(LIST_PAGES.map((p) => [p.name, p] as const))('recognises %s as a list', (_name, p) => {
    const v = recognizeListPage(p.html, opts(p.url));
    expect(v.kind).toBe('list');
  });

  it.each(NEGATIVES.map((p) => [p.name, p] as const))('refuses %s', (_name, p) => {
    const v = recognizeListPage(p.html, opts(p.url));
    expect(v.kind).toBe('not-a-list');
    if (v.kind === 'not-a-list') expect(v.reason).toBe(p.reason);
  });

  it('reads titles, full titles behind an ellipsis, and dates', () => {
    const cut = LIST_PAGES.find((p) => p.name === 'truncated-titles')!;
    const v = recognizeListPage(cut.html, opts(cut.url));
    if (v.kind !== 'list') throw new Error('not a list');
    expect(v.items[0]!.title).toBe('城东老旧小区改造项目进入收尾阶段');
    expect(v.items[0]!.title).not.toMatch(/\.\.\.$/);
    expect(v.items[0]!.publishedAt).toBe(Date.UTC(2026, 11, 4, 16, 0));
    const first = LIST_PAGES[0]!;
    const w = recognizeListPage(first.html, opts(first.url));
    if (w.kind !== 'list') throw new Error('not a list');
    expect(w.title).toBe('要闻动态 青溪县人民政府');
    expect(w.items[1]).toMatchObject({ title: '南湖新区首批人才公寓正式交付使用', dateRaw: '2026-12-04', publishedAt: Date.UTC(2026, 11, 3, 16, 0) });
  });

  it('says no list on empty, text-only and link-free input', () => {
    for (const html of ['', 'plain text', '<html><body><p>短</p></body></html>']) {
      expect(recognizeListPage(html, opts('https://x.example/')).kind).toBe('not-a-list');
    }
  });
});

describe('recognizeListPage on hostile input', () => {
  it('gives a verdict, never an exception, on deep, unclosed, huge and junk pages', () => {
    const url = 'https://x.example/list/';
    const pages = [
      `<html><body>${'<div>'.repeat(10_000)}<a href="/a/1.html">x</a>${'</div>'.repeat(10_000)}</body></html>`,
      `<ul>${'<li><a href="/a/2026/12/01/123456.html">一条很长的新闻标题在这里'.repeat(2000)}`,
      '<'.repeat(100_000),
      '<a href="javascript:alert(1)">一条很长的新闻标题在这里</a>'.repeat(50),
      `<ul>${Array.from({ length: 20 }, (_, i) => `<li><a href="http://[::1">坏链接新闻标题第${i}条在这里</a></li>`).join('')}</ul>`,
    ];
    for (const html of pages) expect(['list', 'not-a-list'], html.slice(0, 30)).toContain(recognizeListPage(html, { url, timeZone: 'Asia/Shanghai', now: NOW }).kind);
  });
});

describe('list-page link rules', () => {
  it('counts hosts as one site by their registrable domain, not their last two labels', () => {
    expect(sameSite('www.qingxi-sim.gov.cn', 'news.qingxi-sim.gov.cn')).toBe(true);
    expect(sameSite('www.qingxi-sim.gov.cn', 'www.beishan-sim.gov.cn')).toBe(false);
    expect(sameSite('a-sim.com.cn', 'b-sim.com.cn')).toBe(false);
    expect(sameSite('www.x.example', 'news.x.example')).toBe(true);
    expect(sameSite('127.0.0.1', '127.0.0.1')).toBe(true);
    expect(sameSite('127.0.0.1', '10.0.0.1')).toBe(false);
    const page = new URL('https://www.qingxi-sim.gov.cn/zwdt/');
    const sibling = scoreLink('https://www.beishan-sim.gov.cn/zwgk/zfxxgk.htm', '兄弟县人民政府信息公开专题第一栏目', page)!;
    expect(sibling.sameSite).toBe(false);
    expect(isArticleLink(sibling)).toBe(false);
    const own = scoreLink('https://news.qingxi-sim.gov.cn/zwgk/zfxxgk.htm', '青溪县人民政府信息公开专题第一栏目', page)!;
    expect(own.sameSite && isArticleLink(own)).toBe(true);
  });

  it('gives a month and day the year of the time zone passed in', () => {
    // 31 December 12:00 UTC is still 2026 in UTC+8 but already 1 January 2027 in UTC+14.
    const now = Date.UTC(2026, 11, 31, 12);
    expect(findDate('01-01', 'Pacific/Kiritimati', now)?.at).toBe(Date.UTC(2026, 11, 31, 10));
    expect(findDate('12-31', 'Asia/Shanghai', now)?.at).toBe(Date.UTC(2026, 11, 30, 16));
  });

  it('writes list items as RSS with markup characters escaped', async () => {
    const rss = listItemsToRss('A & "B"', 'https://x.example/l?a=1&b=2', [{ title: '"标题" <一> & 二', url: 'https://x.example/a/1.html?x=1&y=2', publishedAt: null, dateRaw: null }]);
    expect(rss).toContain('<title>&quot;标题&quot; &lt;一&gt; &amp; 二</title>');
    const feed = await parseFeed(rss, { timeZone: 'Asia/Shanghai', now: NOW });
    expect(feed.title).toBe('A & "B"');
    expect(feed.items.map((i) => i.link)).toEqual(['https://x.example/a/1.html?x=1&y=2']);
  });
});
