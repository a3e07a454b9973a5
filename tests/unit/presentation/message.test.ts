import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  LIMITS,
  clipText,
  embedLength,
  escapeMarkdown,
  fitEscaped,
  fitList,
  isLinkUrl,
  messageLength,
  validateMessage,
  type Embed,
  type OutgoingMessage,
} from '../../../src/presentation/message.js';
import { codePointLength } from '../../../src/text/length.js';

const msg = (...embeds: Embed[]): OutgoingMessage => ({ embeds, allowed_mentions: { parse: [] } });
const HIGH = /[\ud800-\udbff]$/;
const LOW = /^[\udc00-\udfff]/;

describe('embedLength / messageLength', () => {
  it('adds up what Discord counts, in UTF-16 units', () => {
    const e: Embed = {
      title: 'ab',
      description: '😀', // two units
      fields: [{ name: 'n', value: 'vv' }],
      footer: { text: 'fff' },
      author: { name: 'aaaa' },
      url: 'https://example.com/not-counted',
      timestamp: '2022-05-07T01:23:18.000Z',
    };
    expect(embedLength(e)).toBe(2 + 2 + 1 + 2 + 3 + 4);
    expect(messageLength(msg(e, { description: 'x' }))).toBe(15);
  });
});

describe('validateMessage', () => {
  it('accepts a normal message', () => {
    expect(validateMessage(msg({ title: 't', url: 'https://example.com/a?b=c', color: 0xffffff, timestamp: new Date(0).toISOString() }))).toEqual([]);
  });

  it.each<[string, OutgoingMessage]>([
    ['empty message', msg()],
    ['mentions on', { embeds: [{ title: 't' }], allowed_mentions: { parse: ['everyone'] } } as unknown as OutgoingMessage],
    ['long content', { content: 'x'.repeat(LIMITS.content + 1), embeds: [], allowed_mentions: { parse: [] } }],
    ['11 embeds', msg(...Array.from({ length: 11 }, () => ({ title: 't' })))],
    ['long title', msg({ title: 'x'.repeat(257) })],
    ['long title by astral units', msg({ title: '😀'.repeat(129) })],
    ['long description', msg({ description: 'x'.repeat(4097) })],
    ['26 fields', msg({ fields: Array.from({ length: 26 }, () => ({ name: 'n', value: 'v' })) })],
    ['long field name', msg({ fields: [{ name: 'x'.repeat(257), value: 'v' }] })],
    ['long field value', msg({ fields: [{ name: 'n', value: 'x'.repeat(1025) }] })],
    ['blank field value', msg({ title: 't', fields: [{ name: 'n', value: ' \n' }] })],
    ['long footer', msg({ footer: { text: 'x'.repeat(2049) } })],
    ['long author', msg({ author: { name: 'x'.repeat(257) } })],
    ['over 6000 in total', msg({ description: 'x'.repeat(4000) }, { description: 'x'.repeat(2001) })],
    ['embed without text', msg({ color: 1 })],
    ['javascript url', msg({ title: 't', url: 'javascript:alert(1)' })],
    ['relative url', msg({ title: 't', url: '/a/b' })],
    ['bad color', msg({ title: 't', color: 0x1000000 })],
    ['bad timestamp', msg({ title: 't', timestamp: '2022-05-07' })],
    ['lone surrogate', msg({ title: 'a\ud800b' })],
  ])('rejects %s', (_name, m) => {
    expect(validateMessage(m).length).toBeGreaterThan(0);
  });

  it('counts 6000 across embeds even when each is within its own limits', () => {
    const e: Embed = { title: 'x'.repeat(256), description: 'x'.repeat(2000) };
    expect(validateMessage(msg(e, e))).toEqual([]);
    expect(validateMessage(msg(e, e, e))).toEqual([expect.stringContaining('6000')]);
  });

  it('isLinkUrl takes only absolute web links', () => {
    expect(isLinkUrl('https://例子.测试/路径?q=1')).toBe(true);
    expect(isLinkUrl('http://example.com')).toBe(true);
    for (const bad of ['ftp://example.com/f', 'data:text/html,hi', '//example.com', 'http://', 'https://a b.com', 'mailto:a@b.c', '']) {
      expect(isLinkUrl(bad)).toBe(false);
    }
  });
});

describe('clipText', () => {
  it('leaves text that fits alone', () => {
    expect(clipText('你好。', 3)).toBe('你好。');
    expect(clipText('', 0)).toBe('');
  });

  it('ends on the last sentence when one is close enough', () => {
    const text = '第一句话说完了。第二句话也说完了！第三句话很长很长很长很长很长很长很长';
    expect(clipText(text, 20)).toBe('第一句话说完了。第二句话也说完了！…');
  });

  it('keeps closing quotes with their sentence', () => {
    expect(clipText('他说：“我们来了。”然后大家一起走向远方的山丘和田野', 14)).toBe('他说：“我们来了。”…');
  });

  it('falls back to a clause mark, dropping the mark', () => {
    const text = '没有句号的一段很长的文字，中间只有逗号，后面还有很多很多内容';
    expect(clipText(text, 22)).toBe('没有句号的一段很长的文字，中间只有逗号…');
  });

  it('falls back to a character boundary and never splits a pair, ZWJ sequence or combining mark', () => {
    expect(clipText('𠀀'.repeat(10), 6)).toBe('𠀀𠀀…'); // 2 units each: 5 units of room hold two
    const family = '👨‍👩‍👧';
    expect(clipText(`${family}${family}${family}`, 10)).toBe(`${family}…`);
    expect(clipText('e\u0301'.repeat(10), 6)).toBe('e\u0301e\u0301…');
  });

  it('counts code points when asked', () => {
    const text = '𠀀'.repeat(10);
    expect(clipText(text, 5, 'codePoint')).toBe('𠀀𠀀𠀀𠀀…');
    expect(codePointLength(clipText(text, 5, 'codePoint'))).toBe(5);
  });

  it('does not count a decimal point or a URL dot as a sentence end', () => {
    const text = '增长了3.5个百分点详见https://example.com/a.html后面还有更多的内容需要截断';
    const out = clipText(text, 30);
    expect(out.endsWith('…')).toBe(true);
    expect(out).not.toBe('增长了3.…');
  });

  const anyText = fc.string({
    unit: fc.oneof(
      fc.constantFrom('。', '，', '！', '…', '”', '、', '\n', ' ', '‍', '\u0301', '😀', '👨‍👩‍👧', '𠀀', '[', '*', '.', '1'),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
      fc.constantFrom('嘉', '兴', '市', 'a', 'Z'),
    ),
    maxLength: 400,
  });

  it('always fits, marks cuts with …, and never leaves half a surrogate pair', () => {
    fc.assert(
      fc.property(anyText, fc.integer({ min: 0, max: 300 }), fc.constantFrom('utf16' as const, 'codePoint' as const), (text, max, unit) => {
        const out = clipText(text, max, unit);
        const size = unit === 'utf16' ? out.length : codePointLength(out);
        expect(size).toBeLessThanOrEqual(max);
        if (out === text) return;
        if (max > 0) expect(out.endsWith('…')).toBe(true);
        const head = out.slice(0, -1);
        expect(text.startsWith(head)).toBe(true);
        expect(HIGH.test(head) && LOW.test(text.slice(head.length))).toBe(false);
      }),
      { numRuns: 400 },
    );
  });
});

describe('markdown', () => {
  it('escapes what could break a link or format text, and defuses mass mentions', () => {
    expect(escapeMarkdown('a]b(c) *d* _e_ ~f~ `g` |h| \\i <@1>')).toBe('a\\]b\\(c\\) \\*d\\* \\_e\\_ \\~f\\~ \\`g\\` \\|h\\| \\\\i \\<@1\\>');
    expect(escapeMarkdown('@everyone @here')).toBe('@\u200beveryone @\u200bhere');
    expect(escapeMarkdown('# 标题\n- 列表\n1. 一')).toBe('\\# 标题\n\\- 列表\n1\\. 一');
    expect(escapeMarkdown('中文（全角）不变')).toBe('中文（全角）不变');
  });

  it('fitEscaped fits after escaping', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('*', '_', '[', '字', '😀', '。'), maxLength: 200 }), fc.integer({ min: 0, max: 120 }), (s, max) => {
        expect(fitEscaped(s, max).length).toBeLessThanOrEqual(max);
      }),
    );
  });

  it('fitList counts what did not fit', () => {
    const more = (n: number) => `+${n}`;
    expect(fitList(['aa', 'bb', 'cc'], ',', 100, more)).toBe('aa,bb,cc');
    expect(fitList(['aa', 'bb', 'cc'], ',', 6, more)).toBe('aa,+2');
    expect(fitList(['aa'], ',', 100, more, 3)).toBe('aa,+3');
    expect(fitList(['a'.repeat(50)], ',', 10, more)).toBe('+1');
  });
});
