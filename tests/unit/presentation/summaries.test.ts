import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createLongSummaries, MAX_SUMMARY_BUDGET } from '../../../src/presentation/summaries.js';
import type { StoryView } from '../../../src/store/articles-repo.js';
import { createGazetteer } from '../../../src/text/gazetteer.js';
import { validateRegionsFile } from '../../../src/text/regions-schema.js';
import { DEFAULT_SUMMARY_BUDGET, type SummaryInput } from '../../../src/text/summary.js';

const gazetteer = createGazetteer(validateRegionsFile(JSON.parse(readFileSync('data/regions.json', 'utf8'))));

const story = (over: Partial<StoryView> = {}): StoryView => ({
  storyId: 7, articleId: 9, feedId: 'f', feedName: '某报', title: '某市开通新的公交线路', url: null,
  summary: '某市开通新的公交线路。', text: '某市今天开通新的公交线路。线路全长十二公里。沿途设站十个。', body: null,
  author: null, sourceOutlet: null, publishedAt: Date.UTC(2024, 0, 2), firstSeenAt: Date.UTC(2024, 0, 2),
  script: 'simplified', postable: true, holdReason: null, regions: [], alsoReportedBy: [], ...over,
});

function counting(answer: (input: SummaryInput) => Promise<string>) {
  const calls: SummaryInput[] = [];
  return { calls, summarizer: { summarize: (input: SummaryInput) => (calls.push(input), answer(input)) } };
}

describe('long summaries through the Summarizer port', () => {
  it('asks nothing for a budget the stored summary covers, or for a story without text', async () => {
    const { calls, summarizer } = counting(async () => 'x');
    const s = createLongSummaries({ summarizer, gazetteer });
    expect(await s.forStory(story(), DEFAULT_SUMMARY_BUDGET)).toBeNull();
    expect(await s.forStory(story(), 60)).toBeNull();
    expect(await s.forStory(story({ text: '  ', body: null }), 300)).toBeNull();
    expect(calls).toHaveLength(0);
  });

  it('asks once per story at the largest budget, however many servers and lengths want it', async () => {
    const { calls, summarizer } = counting(async (i) => `摘要：${i.title}。`);
    const s = createLongSummaries({ summarizer, gazetteer });
    const got = await Promise.all([300, 400, 200, 300].map((b) => s.forStory(story(), b)));
    expect(got).toEqual(Array(4).fill('摘要：某市开通新的公交线路。'));
    expect(calls).toHaveLength(1);
    expect(calls[0]!.budget).toBe(MAX_SUMMARY_BUDGET);
    expect(calls[0]!.body).toBe(story().text);
    expect(calls[0]!.context?.publishedAt).toBe(story().publishedAt);
    // A corrected article (new title or text) is summarised again.
    await s.forStory(story({ title: '某市开通两条新的公交线路' }), 300);
    expect(calls).toHaveLength(2);
  });

  it('prefers the full body to the feed text', async () => {
    const { calls, summarizer } = counting(async () => 'ok');
    await createLongSummaries({ summarizer, gazetteer }).forStory(story({ body: '正文第一段。\n正文第二段。' }), 300);
    expect(calls[0]!.body).toBe('正文第一段。\n正文第二段。');
  });

  it('a failing summarizer yields null (the stored summary is used) and is asked again next time', async () => {
    let fail = true;
    const { calls, summarizer } = counting(async () => {
      if (fail) throw new Error('model offline');
      return '好了。';
    });
    const s = createLongSummaries({ summarizer, gazetteer });
    expect(await s.forStory(story(), 300)).toBeNull();
    fail = false;
    await Promise.resolve();
    expect(await s.forStory(story(), 300)).toBe('好了。');
    expect(calls).toHaveLength(2);
  });

  it('keeps a bounded number of stories', async () => {
    const { calls, summarizer } = counting(async () => 'x');
    const s = createLongSummaries({ summarizer, gazetteer, cacheSize: 2 });
    for (const id of [1, 2, 3, 1]) await s.forStory(story({ storyId: id }), 300);
    expect(calls).toHaveLength(4);
  });
});
