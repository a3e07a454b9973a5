import { describe, expect, it } from 'vitest';
import { canonicalUrl } from '../../../src/feeds/url.js';

describe('canonicalUrl', () => {
  it('lower-cases the host, drops the default port and the fragment, keeps path case', () => {
    expect(canonicalUrl('HTTP://News.Example.CN:80/Zj/JiaXing/2022.HTML#top')).toBe('http://news.example.cn/Zj/JiaXing/2022.HTML');
    expect(canonicalUrl('https://example.cn:443/a')).toBe('https://example.cn/a');
    expect(canonicalUrl('https://example.cn:8443/a')).toBe('https://example.cn:8443/a');
    expect(canonicalUrl('https://example.cn')).toBe('https://example.cn/');
  });

  it('drops tracking parameters and sorts the rest', () => {
    const raw = 'https://m.example.cn/a.html?utm_source=wx&id=9&spm=a.b&from=timeline&fbclid=x&gclid=y&share_token=s&ref=home&isappinstalled=0&UTM_Medium=m&cat=2';
    expect(canonicalUrl(raw)).toBe('https://m.example.cn/a.html?cat=2&id=9');
    expect(canonicalUrl('https://example.cn/a?utm_source=x')).toBe('https://example.cn/a');
    expect(canonicalUrl('https://example.cn/a?')).toBe('https://example.cn/a');
  });

  it('keeps repeated keys in their order and the original encoding of values', () => {
    expect(canonicalUrl('https://example.cn/s?z=1&tag=b&tag=a&q=%E5%98%89%E5%85%B4')).toBe(
      'https://example.cn/s?q=%E5%98%89%E5%85%B4&tag=b&tag=a&z=1',
    );
  });

  it('keeps the parameters that identify a WeChat article and drops the share ones', () => {
    const raw = 'https://mp.weixin.qq.com/s?__biz=MzA&mid=265&idx=1&sn=abc&chksm=84&scene=21#wechat_redirect';
    expect(canonicalUrl(raw)).toBe('https://mp.weixin.qq.com/s?__biz=MzA&idx=1&mid=265&sn=abc');
  });

  it('resolves relative links against a base', () => {
    expect(canonicalUrl('../b/c.html?utm_campaign=x', 'https://Example.cn/a/index.html')).toBe('https://example.cn/b/c.html');
    expect(canonicalUrl('//cdn.example.cn/x', 'https://example.cn/')).toBe('https://cdn.example.cn/x');
  });

  it('encodes a Chinese path consistently', () => {
    expect(canonicalUrl('https://example.cn/新闻/嘉兴.html')).toBe(canonicalUrl('https://example.cn/%E6%96%B0%E9%97%BB/%E5%98%89%E5%85%B4.html'));
  });

  it('removes credentials', () => {
    expect(canonicalUrl('https://user:secret@example.cn/a')).toBe('https://example.cn/a');
  });

  it.each(['', '   ', 'not a url', '/relative/only', 'javascript:alert(1)', 'mailto:a@example.cn', 'ftp://example.cn/x', 'data:text/html,hi', 'http://'])(
    'returns null for %j',
    (raw) => {
      expect(canonicalUrl(raw)).toBeNull();
    },
  );

  it('returns null for javascript: even with a base', () => {
    expect(canonicalUrl('javascript:void(0)', 'https://example.cn/')).toBeNull();
  });

  it('is idempotent', () => {
    const once = canonicalUrl('https://Example.cn:443/a/B?b=2&a=1&utm_x=1#f')!;
    expect(canonicalUrl(once)).toBe(once);
  });

  it('rejects a link whose encoded form is over the length bound (found by fuzzing)', () => {
    // 1000 Han characters are 1000 units raw but 9000 percent-encoded: the canonical form
    // must obey the bound as well, or it would not survive being canonicalised again.
    const raw = `https://example.cn/${'嘉'.repeat(1000)}`;
    expect(canonicalUrl(raw)).toBeNull();
    expect(canonicalUrl(`https://example.cn/${'嘉'.repeat(900)}`)).toMatch(/^https:\/\/example\.cn\/(%E5%98%89){900}$/);
  });
});
