// Issue #4 acceptance: search on a real SQLite database, through the public API and the CLI.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageFile } from '../../src/app/paths.js';
import { createServices } from '../../src/app/services.js';
import { command as searchCommand } from '../../src/cli/commands/search.js';
import { command as optimizeCommand } from '../../src/cli/commands/db-optimize.js';
import type { CliContext } from '../../src/cli/context.js';
import type { Script } from '../../src/domain/types.js';
import { startSampleServer } from '../../src/cli/sample-server.js';
import { loadConfig } from '../../src/config/config.js';
import { pollMany } from '../../src/ingest/poll-many.js';
import { createSearch, type SearchRequest, type SearchResponse } from '../../src/store/sqlite-search/query.js';
import { createArticlesRepo } from '../../src/store/articles-repo.js';
import { silentLogger } from '../../src/shared/logger.js';
import { createTestStore, T0, type TestStore } from '../helpers/articles.js';

const DAY = 86_400_000;
let store: TestStore;
let search: (q: SearchRequest) => SearchResponse;
const ids: Record<string, number> = {};

beforeAll(() => {
  store = createTestStore();
  store.addFeed('jiaxing-trad', '嘉興新聞');
  store.addFeed('hangzhou', '杭州新闻', '330100');
  ids.jiaxingTrad = store.add({
    feedId: 'jiaxing-trad',
    title: '嘉興市舉行2022年度第一次“互學互比互賽”',
    body: '立夏一過，萬物自此走向繁茂。秀洲區天鵝湖畔的浙江（嘉興）長三角智慧産業園一期南區項目，是此次活動的第一站。',
    regions: ['330411'],
    publishedAt: T0 - 3 * DAY,
  }).articleId;
  ids.haining = store.add({ title: '海宁市召开经济工作会议', body: '海宁市部署全年工作，iPhone 15 产业链项目签约，投资2022万元。', regions: ['330481'], publishedAt: T0 - 2 * DAY }).articleId;
  ids.xiuzhou = store.add({ title: '秀洲区新闻', body: '秀洲区开展垃圾分类行动。', regions: ['330411'], publishedAt: T0 - DAY }).articleId;
  ids.hangzhou = store.add({ feedId: 'hangzhou', title: '杭州地铁新线开通', body: '市民乘坐地铁出行，嘉善也在规划。', regions: ['330100'], publishedAt: T0 }).articleId;
  ids.operators = store.add({ title: 'Operators', body: 'NEAR(x) "OR" a:b ^c title:body', regions: ['330100'], publishedAt: T0 - 5 * DAY }).articleId;
  search = createSearch(store.db, { now: () => T0 + DAY, knownRegion: (c) => c !== '990000' }).search;
});
afterAll(() => store.close());

const found = (q: SearchRequest): number[] => {
  const res = search({ limit: 25, ...q });
  if (!res.ok) throw new Error(`${q.query}: ${res.message}`);
  return res.items.map((h) => h.articleId);
};

describe('matching', () => {
  it('嘉兴 finds 嘉興, and 嘉興 finds the same', () => {
    expect(found({ query: '嘉兴' })).toEqual([ids.jiaxingTrad]);
    expect(found({ query: '嘉興' })).toEqual([ids.jiaxingTrad]);
  });

  it('海寧 finds 海宁市 and 秀洲 finds 秀洲区', () => {
    expect(found({ query: '海寧' })).toEqual([ids.haining]);
    expect(found({ query: '秀洲' })).toEqual([ids.xiuzhou, ids.jiaxingTrad]);
  });

  it('a single character matches as a prefix, at the end of a run too', () => {
    expect(found({ query: '嘉' }).sort()).toEqual([ids.jiaxingTrad, ids.hangzhou].sort());
    expect(found({ query: '宁' })).toEqual([ids.haining]);
  });

  it('single characters next to longer terms are required or excluded', () => {
    expect(found({ query: '秀洲 區' })).toEqual([ids.xiuzhou, ids.jiaxingTrad]);
    expect(found({ query: '秀洲 湖' })).toEqual([ids.jiaxingTrad]);
    expect(found({ query: '秀洲 -湖' })).toEqual([ids.xiuzhou]);
    expect(found({ query: '市 -海宁' })).toEqual([ids.hangzhou, ids.jiaxingTrad]);
  });

  it('gives the same answers when common characters are looked up per candidate', () => {
    const lookup = createSearch(store.db, { now: () => T0 + DAY, inlineCharDocs: 0 }).search;
    for (const query of ['秀洲 區', '秀洲 湖', '秀洲 -湖', '嘉兴 长 -湖', '海宁 市 部']) {
      const viaLookup = lookup({ query, limit: 25 });
      expect(viaLookup.ok && viaLookup.items.map((h) => h.articleId)).toEqual(found({ query }));
    }
    expect(found({ query: '海宁 市 部' })).toEqual([ids.haining]);
  });

  it('ASCII words and numbers survive', () => {
    expect(found({ query: 'iphone' })).toEqual([ids.haining]);
    expect(found({ query: 'IPHONE 15' })).toEqual([ids.haining]);
    expect(found({ query: '2022' }).sort()).toEqual([ids.jiaxingTrad, ids.haining].sort());
  });

  it('quoted phrases and -words', () => {
    expect(found({ query: '"长三角智慧"' })).toEqual([ids.jiaxingTrad]);
    expect(found({ query: '"智慧长三角"' })).toEqual([]);
    expect(found({ query: '秀洲 -垃圾' })).toEqual([ids.jiaxingTrad]);
  });

  it.each(['"', '*', 'NEAR(', 'OR', ':', '^', '(', ')', '"OR"', 'a:b', 'title:body', 'NEAR(x', '^c', '嘉兴"', '"嘉兴', '((嘉兴', 'AND NOT', '-'])(
    'the operator string %j never throws',
    (query) => {
      const res = search({ query });
      if (!res.ok) expect(['no-terms', 'empty-query']).toContain(res.error);
    },
  );

  it('operators in the text are found as words', () => {
    expect(found({ query: 'NEAR(x) "OR"' })).toEqual([ids.operators]);
  });
});

describe('filters and order', () => {
  it('a region filter on 浙江 finds a 海宁 article', () => {
    expect(found({ query: '海宁', regions: ['330000'] })).toEqual([ids.haining]);
    expect(found({ query: '海宁', regions: ['330400'] })).toEqual([ids.haining]);
    expect(found({ query: '海宁', regions: ['330100'] })).toEqual([]);
  });

  it('filters by feed and date range, inclusive', () => {
    expect(found({ query: '地铁', feedIds: ['hangzhou'] })).toEqual([ids.hangzhou]);
    expect(found({ query: '地铁', feedIds: ['jiaxing-daily'] })).toEqual([]);
    expect(found({ query: '秀洲', since: T0 - DAY })).toEqual([ids.xiuzhou]);
    expect(found({ query: '秀洲', until: T0 - 3 * DAY })).toEqual([ids.jiaxingTrad]);
    expect(found({ query: '秀洲', since: T0 - 3 * DAY, until: T0 - DAY })).toEqual([ids.xiuzhou, ids.jiaxingTrad]);
  });

  it('orders newest first by default, and by relevance on request', () => {
    // bm25 needs a corpus where the term is not in most documents.
    for (let i = 0; i < 20; i++) store.add({ title: `其他新闻 ${i}`, body: '与查询无关的内容。', publishedAt: T0 - 40 * DAY });
    store.add({ title: '秀洲 秀洲 秀洲', body: '秀洲区，秀洲。', publishedAt: T0 - 30 * DAY });
    const newest = found({ query: '秀洲' });
    expect(newest[0]).toBe(ids.xiuzhou);
    const res = search({ query: '秀洲', sort: 'relevance', limit: 25 });
    expect(res.ok && res.items[0]!.title).toBe('秀洲 秀洲 秀洲');
    expect(res.ok && res.items.every((h) => typeof h.score === 'number')).toBe(true);
  });

  it('pages by a stable cursor in both orders', () => {
    for (const sort of ['newest', 'relevance'] as const) {
      const all = found({ query: '秀洲', sort });
      const seen: number[] = [];
      let cursor: string | null = null;
      do {
        const res = search({ query: '秀洲', sort, limit: 1, cursor });
        if (!res.ok) throw new Error(res.message);
        seen.push(...res.items.map((h) => h.articleId));
        cursor = res.nextCursor;
      } while (cursor);
      expect(seen).toEqual(all);
    }
  });

  it('a deleted article is gone from results', () => {
    const { articleId } = store.add({ title: '临时稿件乌镇', body: '乌镇' });
    expect(found({ query: '乌镇' })).toEqual([articleId]);
    store.db.prepare('DELETE FROM articles WHERE id = ?').run(articleId);
    expect(found({ query: '乌镇' })).toEqual([]);
    expect(found({ query: '乌' })).toEqual([]);
  });

  it('a region added to a story later is searchable', () => {
    const { storyId, articleId } = store.add({ title: '南湖新闻', body: '南湖', regions: ['330402'] });
    expect(found({ query: '南湖', regions: ['320000'] })).toEqual([]);
    createArticlesRepo(store.db).addRegions(storyId, [{ code: '320000', confidence: 0.4, source: 'body' }]);
    expect(found({ query: '南湖', regions: ['320000'] })).toEqual([articleId]);
  });
});

describe('results', () => {
  it('carry title, source, time, regions and a snippet in the original script', () => {
    const res = search({ query: '嘉兴' });
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    const h = res.items[0]!;
    expect(h).toMatchObject({ title: '嘉興市舉行2022年度第一次“互學互比互賽”', feedId: 'jiaxing-trad', feedName: '嘉興新聞', publishedAt: T0 - 3 * DAY });
    expect(h.regions.sort()).toEqual(['330000', '330400', '330411']);
    expect(h.snippet).toContain('**嘉興**');
    expect(h.url).toMatch(/^https:/u);
  });

  it('render title and snippet in the requested script', () => {
    const res = search({ query: '嘉兴', script: 'cn' });
    expect(res.ok && res.items[0]!.title).toBe('嘉兴市举行2022年度第一次“互学互比互赛”');
    expect(res.ok && res.items[0]!.snippet).toContain('**嘉兴**');
    const tw = search({ query: '海宁', script: 'tw' });
    expect(tw.ok && tw.items[0]!.snippet).toContain('**海寧**');
  });
});

describe('bad input gets a message or an empty result, never an exception', () => {
  it.each<[string, SearchRequest, string | null]>([
    ['empty query', { query: '' }, 'empty-query'],
    ['1,000-character query', { query: '嘉兴'.repeat(500) }, 'too-long'],
    ['only punctuation', { query: '，。！？、…' }, 'no-terms'],
    ['only operators', { query: '" * ^ : ( ) -' }, 'no-terms'],
    ['unbalanced quotes', { query: '"嘉兴 长三角' }, null],
    ['emoji', { query: '😀🚇' }, 'no-terms'],
    ['emoji around a word', { query: '😀嘉兴😀' }, null],
    ['zero-width characters', { query: '\u200b\u200c\u200d\ufeff' }, 'no-terms'],
    ['control characters', { query: '\u0000\u0007嘉兴\u001b' }, null],
    ['malformed region code', { query: '嘉兴', regions: ['浙江'] }, 'bad-region'],
    ['region code that does not exist', { query: '嘉兴', regions: ['990000'] }, 'bad-region'],
    ['feed that does not exist', { query: '嘉兴', feedIds: ['nope'] }, 'bad-feed'],
    ['date range backwards', { query: '嘉兴', since: T0, until: T0 - DAY }, 'bad-range'],
    ['date that is not a number', { query: '嘉兴', since: Number.NaN }, 'bad-range'],
    ['cursor that is garbage', { query: '嘉兴', cursor: '!!!' }, 'bad-cursor'],
    ['unknown script', { query: '嘉兴', script: 'klingon' as Script }, 'bad-script'],
    ['query that is not a string', { query: 42 as unknown as string }, 'empty-query'],
    ['limit out of range', { query: '嘉兴', limit: 10_000 }, null],
  ])('%s', (_label, req, error) => {
    const res = search(req);
    if (error === null) expect(res.ok).toBe(true);
    else {
      expect(res).toMatchObject({ ok: false, error });
      if (!res.ok) expect(res.message).toMatch(/\w/u);
    }
  });

  it('a cursor from another sort order is refused', () => {
    const first = search({ query: '秀洲', limit: 1 });
    expect(first.ok && first.nextCursor).toBeTruthy();
    const res = search({ query: '秀洲', sort: 'relevance', cursor: first.ok ? first.nextCursor : null });
    expect(res).toMatchObject({ ok: false, error: 'bad-cursor' });
  });
});

describe('the CLI on the demo feeds', () => {
  let dir: string;
  let ctx: CliContext;
  const out: string[] = [];
  const err: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'xiangxun-search-cli-'));
    const server = await startSampleServer(packageFile('data/samples'), packageFile('tests/fixtures/pages'));
    const config = loadConfig({
      DATABASE_PATH: join(dir, 'demo.db'),
      FEEDS_FILE: packageFile('data/samples/feeds.json'),
      RSSHUB_BASE: server.base,
      FIRST_POLL_BACKLOG: '1000',
      MAX_ITEM_AGE_HOURS: '0',
      ALLOW_PRIVATE_NETWORK: 'true',
    });
    const s = createServices(config, silentLogger);
    try {
      const feeds = await s.syncCatalog();
      expect(feeds.length).toBeGreaterThan(0);
      await pollMany(s.ingestDeps(), feeds.map((id) => s.feeds.get(id)!), { concurrency: 1 });
    } finally {
      s.close();
      await server.close();
    }
    ctx = { config, logger: silentLogger, out: (l) => out.push(l), err: (l) => err.push(l) };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('`search 嘉兴 --json` returns the demo’s Jiaxing items, in either script', async () => {
    out.length = 0;
    expect(await searchCommand.run(['嘉兴', '--json'], ctx)).toBe(0);
    const hits = JSON.parse(out.join('\n')) as { feedId: string; title: string; regions: string[] }[];
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.some((h) => h.feedId === 'demo-jiaxing-trad')).toBe(true);
    expect(hits.some((h) => h.feedId === 'demo-jiaxing-simp')).toBe(true);
  });

  it('prints a readable list, and a clear message for bad input', async () => {
    out.length = 0;
    expect(await searchCommand.run(['嘉兴', '--since', '36500d', '--script', 'tw', '--limit', '2'], ctx)).toBe(0);
    expect(out.join('\n')).toMatch(/^ 1\. /mu);
    err.length = 0;
    expect(await searchCommand.run(['😀'], ctx)).toBe(1);
    expect(err.join('\n')).toMatch(/no letters/u);
    await expect(searchCommand.run(['嘉兴', '--since', 'yesterday-ish'], ctx)).rejects.toThrow(/--since/u);
  });

  it('`db optimize` reports each step', async () => {
    out.length = 0;
    expect(await optimizeCommand.run(['--retain', '36500d'], ctx)).toBe(0);
    expect(out.join('\n')).toMatch(/\[5\/5\] VACUUM: done/u);
  });
});
