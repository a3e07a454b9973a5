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

/** The query's parameters that stay, each with its decoded key; `same` when none was dropped and they are in key order. */
function keptParams(search: string): { parts: { p: string; key: string }[]; same: boolean } {
  const parts: { p: string; key: string }[] = [];
  let same = true;
  for (const p of search.slice(1).split('&')) {
    if (p === '') continue;
    const key = decodedKey(p);
    if (isTracking(key)) same = false;
    else {
      if (same && parts.length > 0 && parts[parts.length - 1]!.key > key) same = false;
      parts.push({ p, key });
    }
  }
  // An empty parameter (a&&b, a&, ?&a) is dropped by rejoining: the query changes.
  if (same && search.length > 1 && parts.map(({ p }) => p).join('&') !== search.slice(1)) same = false;
  return { parts, same };
}

// A link with a scheme and authority ignores the base; `new URL(link, base)` still parses
// the base every call (and fails on a bad one), so its validity is remembered per base.
const ABSOLUTE = /^https?:\/\//i;
let lastBase: string | undefined;
let lastBaseOk = false;

/**
 * Canonical absolute http(s) URL, or null for anything that is not one (relative without a
 * base, javascript:, mailto:, junk). `base` resolves relative links found in feeds.
 */
export function canonicalUrl(raw: string, base?: string): string | null {
  const trimmed = raw.trim();
  if (!trimmed || trimmed.length > MAX_URL_LENGTH) return null;
  let url: URL;
  try {
    if (base !== undefined && base !== lastBase) {
      lastBaseOk = URL.canParse(base);
      lastBase = base;
    }
    if (base !== undefined && !lastBaseOk) return null;
    url = base === undefined || ABSOLUTE.test(trimmed) ? new URL(trimmed) : new URL(trimmed, base);
  } catch {
    return null;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) return null;

  // Most links are canonical already: then no setter runs (each re-serialises the whole URL).
  // An empty fragment or query (a trailing # or ?) reads back as '' but is still in href.
  const search = url.search;
  const kept = keptParams(search);
  const href = url.href;
  const clean = kept.same && !url.username && !url.password && !href.includes('#') && !url.hostname.endsWith('.') && (search !== '' || !href.includes('?'));
  if (clean) return href.length <= MAX_URL_LENGTH ? href : null;

  // Credentials in a link are either a mistake or a secret: never part of the identity.
  // Only the parts that change are set (a tracking parameter alone needs one setter).
  if (url.username) url.username = '';
  if (url.password) url.password = '';
  if (href.includes('#')) url.hash = '';
  if (url.hostname.endsWith('.')) url.hostname = url.hostname.slice(0, -1);

  if (!kept.same || search === '') {
    const parts = kept.parts;
    // Stable sort by key: repeated keys keep their relative order, which some servers read as a list.
    parts.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    url.search = parts.length ? `?${parts.map(({ p }) => p).join('&')}` : '';
  }
  // Percent-encoding can grow a link ninefold (one Han character, nine bytes): the bound
  // holds for the canonical form too, or canonicalising the result again would reject it.
  return url.href.length <= MAX_URL_LENGTH ? url.href : null;
}
