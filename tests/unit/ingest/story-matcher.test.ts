// Near-identical titles are one story across feeds, unless they name different places: every
// county issues the same notices, and each county's subscribers must get their own.
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { createStoryMatcher, placesDiffer } from '../../../src/ingest/story-matcher.js';
import { titleKey } from '../../../src/ingest/identity.js';
import { createArticlesRepo } from '../../../src/store/articles-repo.js';
import { openDatabase, type Db } from '../../../src/store/database.js';
import { createFeedsRepo } from '../../../src/store/feeds-repo.js';
import { createSqliteStore } from '../../../src/store/sqlite-store.js';
import { createGazetteer } from '../../../src/text/gazetteer.js';
import { validateRegionsFile } from '../../../src/text/regions-schema.js';

const gaz = createGazetteer(validateRegionsFile(JSON.parse(readFileSync('data/regions.json', 'utf8'))));

describe('placesDiffer', () => {
  it('tells apart titles naming different places, not nested ones or titles without places', () => {
    expect(placesDiffer(gaz, titleKey('海宁气象台发布暴雨蓝色预警'), titleKey('海盐气象台发布暴雨蓝色预警'))).toBe(true);
    expect(placesDiffer(gaz, titleKey('杭州市发布大风预警信号'), titleKey('宁波市发布大风预警信号'))).toBe(true);
    expect(placesDiffer(gaz, titleKey('嘉兴海宁发布暴雨预警'), titleKey('海宁发布暴雨预警'))).toBe(false);
    expect(placesDiffer(gaz, titleKey('海寧氣象台發布暴雨藍色預警'), titleKey('海宁气象台发布暴雨蓝色预警'))).toBe(false);
    expect(placesDiffer(gaz, titleKey('气象台发布暴雨蓝色预警信号'), titleKey('海宁气象台发布暴雨蓝色预警'))).toBe(false);
  });
});

describe('story matcher', () => {
  let db: Db;
  beforeEach(() => {
    db = openDatabase(':memory:');
  });

  it('keeps one county notice per county apart, and still joins the same notice from two feeds', async () => {
    const feeds = createFeedsRepo(db);
    const articles = createArticlesRepo(db);
    feeds.sync(['a', 'b', 'c'].map((id) => ({ id, name: id, url: `https://example.cn/${id}.xml`, region: '330400', intervalMinutes: null, fullText: 'never' as const })), 0);
    const now = Date.UTC(2026, 11, 5);
    const key = titleKey('海宁气象台发布暴雨蓝色预警');
    const storyId = articles.insertStory({ titleKey: key, publishedAt: now, firstSeenAt: now, postable: true, holdReason: null });
    const matcher = createStoryMatcher(createSqliteStore(db).articles, now, gaz);
    matcher.remember({ id: storyId, feedId: 'a', titleKey: key, publishedAt: now, firstSeenAt: now });
    expect(await matcher.match({ feedId: 'b', titleKey: titleKey('海盐气象台发布暴雨蓝色预警'), canonicalUrl: null, time: now })).toBeNull();
    expect(await matcher.match({ feedId: 'c', titleKey: titleKey('海宁气象台发布暴雨蓝色预警信号'), canonicalUrl: null, time: now })).toBe(storyId);
  });
});
