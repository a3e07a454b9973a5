import { describe, expect, it } from 'vitest';
import { matchForumTags, placeKeys, threadName } from '../../../src/presentation/forum.js';

const county = { name: '海宁市', nameTw: '海寧市', short: '海宁', aliases: [], kind: 'county' as const };
const city = { name: '嘉兴市', nameTw: '嘉興市', short: '嘉兴', aliases: [], kind: 'prefecture' as const };
const province = { name: '浙江省', nameTw: '浙江省', short: '浙江', aliases: [], kind: 'province' as const };

describe('forum tags', () => {
  it('matches tags by place name in either script, with or without the suffix, most specific first', () => {
    const tags = [
      { id: '1', name: '浙江' },
      { id: '2', name: '海寧' },
      { id: '3', name: '天气' },
      { id: '4', name: '嘉興市' },
    ];
    expect(matchForumTags(tags, placeKeys([province, city, county]))).toEqual(['2', '4', '1']);
  });

  it('applies no tag when none names a place, and leaves moderated tags to moderators', () => {
    expect(matchForumTags([{ id: '9', name: '体育' }], placeKeys([county]))).toEqual([]);
    expect(matchForumTags([{ id: '2', name: '海宁', moderated: true }], placeKeys([county]))).toEqual([]);
    expect(matchForumTags([{ id: '2', name: '海宁', moderated: true }], placeKeys([county]), true)).toEqual(['2']);
  });

  it('applies at most five tags', () => {
    const tags = Array.from({ length: 8 }, (_, i) => ({ id: String(i), name: i % 2 ? '海宁' : '海寧市' }));
    expect(matchForumTags(tags, placeKeys([county]))).toHaveLength(5);
  });

  it('keeps a post title within 100 UTF-16 units without splitting a character', () => {
    expect(threadName('  嘉兴  发布\n预警 ', 'x')).toBe('嘉兴 发布 预警');
    expect(threadName('', '新闻')).toBe('新闻');
    const long = threadName('𠀀'.repeat(80), 'x');
    expect(long.length).toBeLessThanOrEqual(100);
    expect(long.endsWith('…')).toBe(true);
    expect(long.slice(0, -1).length % 2).toBe(0);
  });
});
