// Parsed items cross from the reader's worker packed into one string (read-document.ts): what
// arrives must equal what left, field by field, whatever the fields hold.
import { describe, expect, it } from 'vitest';
import type { FeedItem } from '../../../src/domain/types.js';
import { packItems, unpackItems } from '../../../src/ingest/read-document.js';

const item = (over: Partial<FeedItem>): FeedItem => ({
  guid: 'g',
  link: 'https://news.example.cn/a.html',
  title: '标题',
  html: '<p>正文</p>',
  text: '正文',
  author: null,
  publishedAt: null,
  dateRaw: null,
  ...over,
});

describe('packed items', () => {
  it('come back equal: nulls, empty strings, astral characters, dates and media', () => {
    const items: FeedItem[] = [
      item({}),
      item({ guid: null, link: null, title: '', html: '', text: '', author: '', dateRaw: '' }),
      item({ title: '𠮷野家 😀', text: '\ud842\udfb7', author: '记者 张三', publishedAt: Date.UTC(2026, 0, 9, 8), dateRaw: 'Fri, 09 Jan 2026 08:00:00 GMT' }),
      item({ media: [{ url: 'https://img.example.cn/1.jpg', kind: 'enclosure', type: 'image/jpeg', length: 1000 }] }),
      item({ publishedAt: 0, dateRaw: '1970-01-01' }),
      item({ guid: 'x'.repeat(5000), html: '<p>'.repeat(3000) }),
    ];
    const back = unpackItems(packItems(items));
    expect(back).toEqual(items);
    // No media key where the item had none (the parser leaves it out too).
    expect(back.map((i) => 'media' in i)).toEqual([false, false, false, true, false, false]);
  });

  it('an empty list packs and unpacks', () => {
    expect(unpackItems(packItems([]))).toEqual([]);
  });
});
