// canonicalUrl returns a link untouched when it is canonical already (no setter runs). This
// compares it with the plain form of the rule, every setter always applied, on varied links.
import { describe, expect, it } from 'vitest';
import { canonicalUrl } from '../../../src/feeds/url.js';

const TRACKING = new Set(['spm', 'from', 'ref', 'fbclid', 'gclid', 'scene', 'chksm', 'vd_source']);

function reference(raw: string, base?: string): string | null {
  const trimmed = raw.trim();
  if (!trimmed || trimmed.length > 8192) return null;
  let url: URL;
  try {
    url = base === undefined ? new URL(trimmed) : new URL(trimmed, base);
  } catch {
    return null;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) return null;
  url.username = '';
  url.password = '';
  url.hash = '';
  if (url.hostname.endsWith('.')) url.hostname = url.hostname.slice(0, -1);
  const key = (p: string): string => {
    const eq = p.indexOf('=');
    const k = (eq < 0 ? p : p.slice(0, eq)).replace(/\+/g, ' ');
    try {
      return decodeURIComponent(k).toLowerCase();
    } catch {
      return k.toLowerCase();
    }
  };
  const parts = url.search
    .slice(1)
    .split('&')
    .filter((p) => p !== '')
    .map((p) => ({ p, key: key(p) }))
    .filter(({ key: k }) => !k.startsWith('utm_') && !TRACKING.has(k));
  parts.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  url.search = parts.length ? `?${parts.map(({ p }) => p).join('&')}` : '';
  return url.href.length <= 8192 ? url.href : null;
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const pick = <T>(next: () => number, xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;

const SCHEMES = ['https://', 'http://', 'HTTP://', 'Https://', 'ftp://', 'javascript:', 'http:', '//', '', 'mailto:'];
const AUTH = ['', 'user@', 'user:pw@', ':@', '@', 'u:@'];
const HOSTS = ['news.example.cn', 'NEWS.Example.CN', 'example.cn.', '127.0.0.1', '[::1]', 'xn--fiqs8s.cn', '中国.cn', 'a..b', ''];
const PORTS = ['', ':80', ':443', ':8080', ':'];
const PATHS = ['', '/', '/a/1.html', '/A/B', '/a b/%E4%B8%AD', '/中文/页', '/./x/../y', "/q'\"<>", '/a?', '\\back\\slash'];
const PARAMS = ['id=5', 'b=2', 'a=1', 'A=1', 'utm_source=rss', 'UTM_Medium=x', 'spm=a.b', 'from=timeline', 'x', '', 'c=%E4%B8%AD',
  'd=中', 'e=a b', 'f=%zz', '%7a=1', 'g=1+2', 'h+i=3', 'scene=1', 'k="q"', "l='", 'm=<>', 'fbclid=abc', 'a=0'];
const HASHES = ['', '#', '#top', '#中'];

function link(next: () => number): string {
  let q = '';
  const n = Math.floor(next() * 5);
  if (n > 0 || next() < 0.1) q = `?${Array.from({ length: n }, () => pick(next, PARAMS)).join('&')}`;
  const lead = next() < 0.05 ? '  ' : '';
  return lead + pick(next, SCHEMES) + pick(next, AUTH) + pick(next, HOSTS) + pick(next, PORTS) + pick(next, PATHS) + q + pick(next, HASHES);
}

describe('canonicalUrl fast path', () => {
  it('gives what applying every rule gives, on varied links, with and without a base', () => {
    const next = rng(7);
    const bases = [undefined, 'https://news.example.cn/feed/rss.xml', 'http://example.cn/a/b/', 'not a url', 'https://base.example/dir/?q=1#h'];
    for (let i = 0; i < 5000; i++) {
      const raw = next() < 0.3 ? pick(next, PATHS) + (next() < 0.5 ? `?${pick(next, PARAMS)}&${pick(next, PARAMS)}` : '') : link(next);
      const base = pick(next, bases);
      expect(canonicalUrl(raw, base), `${raw} @ ${base}`).toBe(reference(raw, base));
    }
  });

  it('gives the same on a base that changes between calls and on edge shapes', () => {
    for (const [raw, base] of [
      ['http://a.cn/x?', undefined], ['http://a.cn/x#', undefined], ['http://a.cn/x?&', undefined], ['http://a.cn/x?a=1&', undefined],
      ['http://a.cn/x?b=1&a=1', 'junk'], ['https://a.cn/', 'junk'], ['https://a.cn/', 'https://b.cn/'], ['http:rel', 'http://b.cn/d/'],
      ['https:rel', 'http://b.cn/d/'], ['HTTP://A.CN./X?Z=1&y=2', undefined], [`http://a.cn/${'中'.repeat(1000)}`, undefined],
    ] as const) {
      expect(canonicalUrl(raw, base), `${raw} @ ${base}`).toBe(reference(raw, base));
    }
  });
});
