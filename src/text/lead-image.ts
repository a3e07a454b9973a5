// The article's picture for its post: the page's share image (og:image, twitter:image), else
// the first content image of sufficient size in the article's body, else the feed item's
// own media. Only pictures the article's site serves itself: http(s), no credentials, a
// public host that is the page's host or its CDN (see sameOwner). Never a data: URI, an
// icon, a logo, a QR code, a spacer or an avatar — recognised by how such images are made
// (a tiny or strip-shaped declared size, furniture words in the file name or alt text).
// Pure: no I/O, never throws; the caller passes the page it already fetched.
import { getDomain, getDomainWithoutSuffix, parse } from 'tldts';
import type { FeedMedia } from '../domain/types.js';
import { isPublicHostname } from '../shared/addresses.js';
import { articleSpan, MAX_SCAN_CHARS, type PageImage, scanPage } from './lead-image-page.js';

export type LeadImageSource = 'meta' | 'body' | 'feed';

export interface LeadImage {
  /** Absolute http(s) address, at most MAX_URL_LENGTH characters. */
  readonly url: string;
  readonly width?: number;
  readonly height?: number;
  readonly source: LeadImageSource;
}

export type { FeedMedia };

export interface LeadImageInput {
  /** The article's address after redirects: resolves relative addresses and names the site. */
  readonly pageUrl: string | null | undefined;
  /** The fetched article page, decoded. */
  readonly pageHtml?: string | null;
  /** The extracted body's paragraphs (ExtractedArticle.paragraphs): where the article sits in the page. */
  readonly bodyParagraphs?: readonly string[] | null;
  /** The headline: images between it and the body belong to the article. */
  readonly title?: string | null;
  /** The feed item's HTML (content:encoded or description): all of it is article body. */
  readonly itemHtml?: string | null;
  readonly feedMedia?: readonly FeedMedia[] | null;
}

/** Discord's limit for an embed image address (RichEmbedImage.url maxLength). */
export const MAX_URL_LENGTH = 2048;
/** Below this many pixels on a side a picture is an icon, a button or a spacer. */
export const MIN_SIDE = 100;
/** Longer than this times its height (or the reverse) it is a divider, a banner strip or a ribbon. */
export const MAX_ASPECT = 4;
/** Above this many pixels on a side it is a print original or a poster, not something to embed. */
export const MAX_SIDE = 10_000;
/** Declared files above this are not pictures Discord will show in an embed. */
export const MAX_BYTES = 10 * 1024 * 1024;

const META_KEYS = ['og:image', 'og:image:url', 'og:image:secure_url', 'twitter:image', 'twitter:image:src'];
const IMAGE_EXT = /\.(?:jpe?g|png|gif|webp|avif|bmp)$/i;
// Never an embeddable picture: vector art (Discord does not render it), favicons, documents, media, pages.
const NOT_IMAGE_EXT = /\.(?:svg|svgz|ico|cur|pdf|docx?|xlsx?|pptx?|zip|rar|7z|gz|exe|apk|swf|mp[34]|m4[av]|m3u8|flv|avi|mov|wmv|webm|ogg|wav|aac|flac|s?html?|php|aspx?|jsp|js|css|json|xml|txt)$/i;
// Page furniture as it is named: inside a file name or class (siteLogo, icon-share, qrcode_wx).
const FURNITURE_PART = /logo|icon|sprite|spacer|favicon|avatar|qrcode|erweima|touxiang|emoji|emotion|smiley|placeholder|nopic|noimage|nophoto|loading|blank|transparent|pixel|tracking|beacon/;
// …and as whole words only, where a substring would hit ordinary names (ad, qr, wx, bg).
const FURNITURE_WORD = /(?:^|[^a-z])(?:ad|ads|advert|qr|ewm|gzh|arrow|badge|bg|dot|spacer|stat|tongji|count|counter|pv|default|banner)(?=[^a-z]|$)/;
// Share buttons in a page; but a share image named in the meta tags is the article's picture.
const SHARE_WORD = /(?:^|[^a-z])(?:share|wx|weixin|wechat|btn|button)(?=[^a-z]|$)/;
// A declared 1×1 in the name (pixel_1x1.gif), but not the digits of 201x150.
const ONE_BY_ONE = /(?:^|[^a-z0-9])1x1(?=[^a-z0-9]|$)/;
// The same furniture in Chinese alt or title text, in both scripts.
const FURNITURE_ZH = /二维码|二維碼|扫码|掃碼|扫一扫|掃一掃|头像|頭像|图标|圖標|徽标|徽標|公众号|公眾號|分享到|广告|廣告/;

const brandOf = (host: string): string | null => getDomainWithoutSuffix(host, { allowPrivateDomains: true });
const siteOf = (host: string): string | null => getDomain(host, { allowPrivateDomains: true });
// Words a site adds to its name for the host that serves its pictures (e.g. newsimg, news-cdn, imgnews).
const CDN_WORDS = ['img', 'image', 'images', 'pic', 'pics', 'photo', 'photos', 'static', 'cdn', 'media', 'res', 'assets', 'file', 'files', 'upload'];

/**
 * Whether `imageHost` belongs to the site at `pageHost`. Three ways, all read from the
 * Public Suffix List (its private section included, so each tenant of a hosting platform
 * is a site of its own):
 *  1. the same registrable domain (img.x.com.cn for www.x.com.cn);
 *  2. a registrable domain whose name is the site's name, under another suffix (x.cn for x.com);
 *  3. the site's name joined to a picture-hosting word, either order, with or without a
 *     hyphen (ximg.com, x-cdn.cn, static-x.net for x.com).
 * A name shorter than three letters only ever matches by rule 1: two letters say too little
 * about who owns a domain. IP literals match only themselves. Anything else — a shared CDN
 * or object store not in the list, an ad network, another outlet — is not the site's.
 */
export function sameOwner(imageHost: string, pageHost: string): boolean {
  const img = imageHost.toLowerCase().replace(/\.+$/, '');
  const page = pageHost.toLowerCase().replace(/\.+$/, '');
  if (img === page) return true;
  const imgSite = siteOf(img);
  const pageSite = siteOf(page);
  if (!imgSite || !pageSite) return false; // an IP literal or a bare name: exact match only
  if (imgSite === pageSite) return true;
  // Rules 2 and 3 need a name bought from a registry: anyone can claim a tenant name on a
  // hosting platform (the list's private section), so there only rule 1 holds.
  if (!parse(img, { allowPrivateDomains: true }).isIcann) return false;
  const brand = brandOf(page);
  const other = brandOf(img);
  if (!brand || !other || brand.length < 3) return false;
  if (other === brand) return true;
  return CDN_WORDS.some((w) => [`${brand}${w}`, `${brand}-${w}`, `${w}${brand}`, `${w}-${brand}`].includes(other));
}

/** The address as an absolute URL the post may show, or null when it is unsafe or not the site's. */
export function safeImageUrl(raw: string | null | undefined, base: URL): URL | null {
  if (typeof raw !== 'string') return null;
  const s = raw.trim();
  if (!s || s.length > MAX_URL_LENGTH * 2 || /^data:/i.test(s)) return null;
  let url: URL;
  try {
    url = new URL(s, base);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username || url.password || url.href.length > MAX_URL_LENGTH) return null;
  if (!isPublicHostname(url.hostname) || !sameOwner(url.hostname, base.hostname)) return null;
  if (NOT_IMAGE_EXT.test(url.pathname)) return null;
  return url;
}

/** Furniture by its name: the file name and its folder, or the image's class, id and alt text. */
export function looksLikeFurniture(url: URL, labels = '', source: LeadImageSource = 'body'): boolean {
  const segments = url.pathname.toLowerCase().split('/').filter(Boolean);
  const name = decodeSafely(segments.slice(-2).join('/'));
  const words = `${name} ${labels.toLowerCase()}`;
  if (source !== 'meta' && SHARE_WORD.test(words)) return true;
  return FURNITURE_PART.test(words) || FURNITURE_WORD.test(words) || ONE_BY_ONE.test(words) || FURNITURE_ZH.test(labels);
}

function decodeSafely(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * Sizes written into the address by image servers and CMSs: "_120x90.jpg", "/300x200/",
 * "w=640", "resize,w_100", "/w/100/h/100". Null for a side not given.
 */
export function sizeHint(url: URL): { width: number | null; height: number | null } {
  const path = url.pathname;
  const q = url.searchParams;
  const num = (v: string | null | undefined): number | null => (v && /^\d{1,5}$/.test(v) ? Number(v) : null);
  const pair = /(?:^|[_\-/.=,])(\d{2,5})[x×*](\d{2,5})(?=[_\-/.,?]|$)/i.exec(`${path}${url.search}`);
  if (pair) return { width: Number(pair[1]), height: Number(pair[2]) };
  const side = (letter: 'w' | 'h'): number | null => {
    const m = new RegExp(`(?:^|[/,_?&])${letter}[_/=](\\d{2,5})(?=[/,_&.]|$)`, 'i').exec(`${path}${url.search}`);
    return m ? Number(m[1]) : null;
  };
  return {
    width: num(q.get('width')) ?? num(q.get('w')) ?? side('w'),
    height: num(q.get('height')) ?? num(q.get('h')) ?? side('h'),
  };
}

/** 'small' for icons, spacers and strips; 'huge' beyond MAX_SIDE; 'ok' otherwise (or when unknown). */
export function sizeVerdict(width: number | null | undefined, height: number | null | undefined): 'small' | 'huge' | 'ok' {
  const w = typeof width === 'number' && Number.isFinite(width) ? width : null;
  const h = typeof height === 'number' && Number.isFinite(height) ? height : null;
  if ((w !== null && w > MAX_SIDE) || (h !== null && h > MAX_SIDE)) return 'huge';
  if ((w !== null && w < MIN_SIDE) || (h !== null && h < MIN_SIDE)) return 'small';
  if (w !== null && h !== null && Math.max(w, h) > MAX_ASPECT * Math.min(w, h)) return 'small';
  return 'ok';
}

function accept(url: URL, width: number | null, height: number | null, source: LeadImageSource, labels = ''): LeadImage | null {
  if (looksLikeFurniture(url, labels, source)) return null;
  const hint = sizeHint(url);
  const w = width ?? hint.width;
  const h = height ?? hint.height;
  if (sizeVerdict(w, h) !== 'ok') return null;
  return { url: url.href, ...(w !== null ? { width: w } : {}), ...(h !== null ? { height: h } : {}), source };
}

function fromMeta(meta: Map<string, string[]>, base: URL): LeadImage | null {
  const dim = (key: string): number | null => {
    const v = meta.get(key)?.[0];
    return v && /^\d{1,6}$/.test(v.trim()) ? Number(v) : null;
  };
  for (const key of META_KEYS) {
    for (const raw of meta.get(key) ?? []) {
      const url = safeImageUrl(raw, base);
      if (!url) continue;
      // og:image:width/height describe the og:image, not a twitter:image.
      const og = key.startsWith('og:');
      const found = accept(url, og ? dim('og:image:width') : null, og ? dim('og:image:height') : null, 'meta');
      if (found) return found;
    }
  }
  return null;
}

function fromImages(images: readonly PageImage[], base: URL, span: [number, number] | null): LeadImage | null {
  for (const img of images) {
    if (span && (img.at < span[0] || img.at > span[1])) continue;
    // A picture that links to another site is an advert, whatever it shows.
    if (img.linkHref && /^(?:https?:)?\/\//i.test(img.linkHref) && !safeImageUrl(img.linkHref, base)) continue;
    for (const src of img.sources) {
      const url = safeImageUrl(src, base);
      if (!url) continue;
      const found = accept(url, img.width, img.height, 'body', img.labels);
      if (found) return found;
      break; // the image's best address is furniture or too small: so is the image
    }
  }
  return null;
}

function isPictureMedia(m: FeedMedia, url: URL): boolean {
  const type = typeof m.type === 'string' ? m.type.trim().toLowerCase() : '';
  const medium = typeof m.medium === 'string' ? m.medium.trim().toLowerCase() : '';
  if (type) return type.startsWith('image/') && type !== 'image/svg+xml' && !type.startsWith('image/x-icon') && type !== 'image/vnd.microsoft.icon';
  if (medium) return medium === 'image';
  return m.kind === 'thumbnail' || IMAGE_EXT.test(url.pathname);
}

function fromFeed(media: readonly FeedMedia[], base: URL): LeadImage | null {
  // Full pictures before thumbnails of the same item.
  const ordered = [...media.filter((m) => m?.kind !== 'thumbnail'), ...media.filter((m) => m?.kind === 'thumbnail')];
  for (const m of ordered.slice(0, 50)) {
    if (!m || typeof m !== 'object') continue;
    const url = safeImageUrl(m.url, base);
    if (!url || !isPictureMedia(m, url)) continue;
    if (typeof m.length === 'number' && m.length > MAX_BYTES) continue;
    const found = accept(url, m.width ?? null, m.height ?? null, 'feed');
    if (found) return found;
  }
  return null;
}

function pageBase(pageUrl: string | null | undefined): URL | null {
  if (typeof pageUrl !== 'string' || pageUrl.length > MAX_URL_LENGTH * 2) return null;
  try {
    const url = new URL(pageUrl);
    return (url.protocol === 'http:' || url.protocol === 'https:') && isPublicHostname(url.hostname) ? url : null;
  } catch {
    return null;
  }
}

/**
 * The article's lead image, or null when it has none that is safe to show. In order: the
 * page's og:image / twitter:image; the first content image in the article's span of the
 * page (or anywhere in the feed item's HTML); the feed item's image media.
 */
export function pickLeadImage(input: LeadImageInput): LeadImage | null {
  try {
    const base = pageBase(input?.pageUrl);
    if (!base) return null;
    const html = typeof input.pageHtml === 'string' && input.pageHtml.trim() ? input.pageHtml : null;
    if (html) {
      const page = scanPage(html);
      const meta = fromMeta(page.meta, base);
      if (meta) return meta;
      const paras = Array.isArray(input.bodyParagraphs) ? input.bodyParagraphs.filter((p): p is string => typeof p === 'string') : [];
      const span = paras.length ? articleSpan(page.text, paras, typeof input.title === 'string' ? input.title : null) : null;
      // Without the body found in the page, content cannot be told from the page around it.
      const body = span ? fromImages(page.images, base, span) : null;
      if (body) return body;
    }
    if (typeof input.itemHtml === 'string' && input.itemHtml.trim()) {
      const item = fromImages(scanPage(input.itemHtml.slice(0, MAX_SCAN_CHARS)).images, base, null);
      if (item) return item;
    }
    return Array.isArray(input.feedMedia) ? fromFeed(input.feedMedia, base) : null;
  } catch {
    // A malformed page costs the picture, never the post.
    return null;
  }
}
