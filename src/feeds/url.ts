// One spelling per article URL, so the same story reached through a share button, a feed
// and a tracking redirect dedupes to one row. Only changes that never alter which page a
// server returns are made: host case, default port, fragment, known tracking parameters and
// parameter order. Path case and the original percent-encoding of values are kept, because
// many Chinese CMSs route on case-sensitive paths and re-encoding can break signed links.

const TRACKING_EXACT = new Set([
  'spm',
  'from',
  'ref',
  'ref_src',
  'fbclid',
  'gclid',
  'dclid',
  'msclkid',
  'yclid',
  'igshid',
  'mc_cid',
  'mc_eid',
  '_hsenc',
  '_hsmi',
  '_ga',
  '_gl',
  'share_token',
  'share_source',
  'share_medium',
  'share_from',
  'share_plat',
  'share_app_id',
  'isappinstalled',
  // WeChat article links: __biz/mid/idx/sn identify the article, these only describe the share.
  'scene',
  'chksm',
  'clicktime',
  'enterid',
  'sharer_sharetime',
  'sharer_shareid',
  'mpshare',
  'wfr',
  'vd_source',
  'tt_from',
]);

const isTracking = (key: string): boolean => key.startsWith('utm_') || TRACKING_EXACT.has(key);

function decodedKey(part: string): string {
  const eq = part.indexOf('=');
  const raw = (eq < 0 ? part : part.slice(0, eq)).replace(/\+/g, ' ');
  try {
    return decodeURIComponent(raw).toLowerCase();
  } catch {
    return raw.toLowerCase();
  }
}

const MAX_URL_LENGTH = 8192;

/**
 * Canonical absolute http(s) URL, or null for anything that is not one (relative without a
 * base, javascript:, mailto:, junk). `base` resolves relative links found in feeds.
 */
export function canonicalUrl(raw: string, base?: string): string | null {
  const trimmed = raw.trim();
  if (!trimmed || trimmed.length > MAX_URL_LENGTH) return null;
  let url: URL;
  try {
    url = base === undefined ? new URL(trimmed) : new URL(trimmed, base);
  } catch {
    return null;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) return null;

  // Credentials in a link are either a mistake or a secret: never part of the identity.
  url.username = '';
  url.password = '';
  url.hash = '';
  if (url.hostname.endsWith('.')) url.hostname = url.hostname.slice(0, -1);

  const parts = url.search
    .slice(1)
    .split('&')
    .filter((p) => p !== '')
    .map((p) => ({ p, key: decodedKey(p) }))
    .filter(({ key }) => !isTracking(key));
  // Stable sort by key: repeated keys keep their relative order, which some servers read as a list.
  parts.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  url.search = parts.length ? `?${parts.map(({ p }) => p).join('&')}` : '';
  // Percent-encoding can grow a link ninefold (one Han character, nine bytes): the bound
  // holds for the canonical form too, or canonicalising the result again would reject it.
  return url.href.length <= MAX_URL_LENGTH ? url.href : null;
}
