// What kind of address a host is, without the network: IP literals in every form a URL
// parser accepts, and the names that need no DNS to judge (localhost, metadata services).
// Shared by the fetcher's guard (src/feeds/network-guard.ts) and by rendering, which must
// not publish a link to a private address found in a feed.
import { isIP } from 'node:net';

export type AddressKind =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'shared' // 100.64.0.0/10, carrier-grade NAT: often the provider's own network
  | 'link-local'
  | 'metadata'
  | 'multicast'
  | 'broadcast'
  | 'reserved'
  | 'invalid';

/**
 * An IPv4 host in any form the WHATWG URL parser or inet_aton accepts: 1 to 4 parts, each
 * decimal, octal (leading 0) or hex (0x), the last one filling the remaining bytes, so
 * 2130706433, 0177.0.0.1, 0x7f.1 and 127.1 are all 127.0.0.1. Null when it is not one.
 */
export function parseIPv4(host: string): number | null {
  const parts = host.split('.');
  if (parts.length > 1 && parts.at(-1) === '') parts.pop(); // "127.0.0.1." is the same host
  if (parts.length > 4) return null;
  const nums: number[] = [];
  for (const raw of parts) {
    let digits = raw;
    let radix = 10;
    if (/^0x/i.test(raw)) [digits, radix] = [raw.slice(2), 16];
    else if (raw.length > 1 && raw.startsWith('0')) [digits, radix] = [raw.slice(1), 8];
    const ok = radix === 16 ? /^[0-9a-f]*$/i : radix === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
    digits = digits.replace(/^0+(?=.)/, ''); // padding zeros are legal and must not look like an overflow
    if (!ok.test(digits) || digits.length > 12) return null;
    nums.push(digits === '' ? 0 : parseInt(digits, radix));
  }
  const last = nums.pop()!;
  if (nums.some((n) => n > 255) || last >= 256 ** (4 - nums.length)) return null;
  return nums.reduce((sum, n, i) => sum + n * 256 ** (3 - i), last);
}

/** An IPv6 address (brackets and zone allowed, dotted IPv4 tail too) as a 128-bit number. */
export function parseIPv6(host: string): bigint | null {
  let h = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const zone = h.indexOf('%');
  if (zone >= 0) h = h.slice(0, zone);
  if (isIP(h) !== 6) return null;
  const dotted = /^(.*:)(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(h);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(2).map(Number) as [number, number, number, number];
    h = `${dotted[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const groups = (s: string | undefined): string[] => (s ? s.split(':') : []);
  const [head, tail] = h.split('::');
  const hi = groups(head);
  const lo = groups(tail);
  const all = tail === undefined ? hi : [...hi, ...Array<string>(8 - hi.length - lo.length).fill('0'), ...lo];
  return all.reduce((n, g) => (n << 16n) | BigInt(parseInt(g, 16)), 0n);
}

const cidr4 = (base: string, bits: number, kind: AddressKind) => ({ base: parseIPv4(base)!, bits, kind });
// Most specific first: the metadata endpoints of the clouds a Chinese bot is likely to run in
// (AWS, GCP, Azure, Alibaba, Tencent, ECS/EKS task credentials) sit inside the wider ranges.
const V4 = [
  cidr4('169.254.169.254', 32, 'metadata'),
  cidr4('169.254.170.2', 32, 'metadata'),
  cidr4('169.254.170.23', 32, 'metadata'),
  cidr4('169.254.0.23', 32, 'metadata'),
  cidr4('100.100.100.200', 32, 'metadata'),
  cidr4('168.63.129.16', 32, 'metadata'), // Azure's wire server (VM agent, DNS, health probes)
  cidr4('0.0.0.0', 8, 'unspecified'),
  cidr4('10.0.0.0', 8, 'private'),
  cidr4('100.64.0.0', 10, 'shared'),
  cidr4('127.0.0.0', 8, 'loopback'),
  cidr4('169.254.0.0', 16, 'link-local'),
  cidr4('172.16.0.0', 12, 'private'),
  cidr4('192.0.0.0', 24, 'reserved'),
  cidr4('192.0.2.0', 24, 'reserved'),
  cidr4('192.88.99.0', 24, 'reserved'),
  cidr4('192.168.0.0', 16, 'private'),
  cidr4('198.18.0.0', 15, 'reserved'),
  cidr4('198.51.100.0', 24, 'reserved'),
  cidr4('203.0.113.0', 24, 'reserved'),
  cidr4('224.0.0.0', 4, 'multicast'),
  cidr4('255.255.255.255', 32, 'broadcast'),
  cidr4('240.0.0.0', 4, 'reserved'),
];

function classifyIPv4(ip: number): AddressKind | null {
  for (const r of V4) if (Math.floor(ip / 2 ** (32 - r.bits)) === Math.floor(r.base / 2 ** (32 - r.bits))) return r.kind;
  return null;
}

const cidr6 = (base: string, bits: number, kind: AddressKind) => ({ base: parseIPv6(base)!, bits: BigInt(128 - bits), kind });
const inRange = (ip: bigint, r: { base: bigint; bits: bigint }): boolean => ip >> r.bits === r.base >> r.bits;
const V6 = [
  cidr6('fd00:ec2::254', 128, 'metadata'),
  cidr6('fd00:ec2::23', 128, 'metadata'),
  cidr6('64:ff9b:1::', 48, 'private'),
  cidr6('100::', 64, 'reserved'),
  cidr6('2001:2::', 48, 'reserved'),
  cidr6('2001:db8::', 32, 'reserved'),
  cidr6('3fff::', 20, 'reserved'),
  cidr6('fc00::', 7, 'private'),
  cidr6('fe80::', 10, 'link-local'),
  cidr6('fec0::', 10, 'private'),
  cidr6('ff00::', 8, 'multicast'),
];
const MAPPED = cidr6('::ffff:0:0', 96, 'reserved');
const TRANSLATED = cidr6('::ffff:0:0:0', 96, 'reserved');
const COMPATIBLE = cidr6('::', 96, 'reserved');
const NAT64 = cidr6('64:ff9b::', 96, 'reserved');
const SIX_TO_FOUR = cidr6('2002::', 16, 'reserved');
const TEREDO = cidr6('2001::', 32, 'reserved');
const GLOBAL_UNICAST = cidr6('2000::', 3, 'reserved');

function classifyIPv6(ip: bigint): AddressKind | null {
  // Forms that carry an IPv4 address reach that address, so they are judged by it.
  const v4 = (shift: bigint, flip = 0n): AddressKind | null => classifyIPv4(Number(((ip >> shift) & 0xffffffffn) ^ flip));
  if (ip === 0n) return 'unspecified';
  if (ip === 1n) return 'loopback';
  if (inRange(ip, MAPPED) || inRange(ip, NAT64)) return v4(0n);
  if (inRange(ip, COMPATIBLE) || inRange(ip, TRANSLATED)) return v4(0n) ?? 'reserved';
  if (inRange(ip, SIX_TO_FOUR)) return v4(80n);
  if (inRange(ip, TEREDO)) return v4(0n, 0xffffffffn) ?? v4(64n); // client (inverted), then server
  for (const r of V6) if (inRange(ip, r)) return r.kind;
  return inRange(ip, GLOBAL_UNICAST) ? null : 'reserved';
}

/** What kind of non-public address `ip` is, or null for a public one; 'invalid' if not an IP. */
export function classifyAddress(ip: string): AddressKind | null {
  const v4 = parseIPv4(ip);
  if (v4 !== null) return classifyIPv4(v4);
  const v6 = parseIPv6(ip);
  return v6 === null ? 'invalid' : classifyIPv6(v6);
}

const METADATA_NAMES = new Set(['metadata.google.internal', 'metadata.goog', 'metadata']);

/**
 * The kind of a URL host that needs no DNS to judge (an IP literal, localhost, a metadata
 * name): a kind or null (public literal); undefined for an ordinary name, which must be resolved.
 */
export function classifyHostname(hostname: string): AddressKind | null | undefined {
  const host = hostname.toLowerCase().replace(/\.+$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return 'loopback';
  if (METADATA_NAMES.has(host)) return 'metadata';
  if (parseIPv4(host) === null && parseIPv6(host) === null) return undefined;
  return classifyAddress(host);
}

// Names that only ever mean a private network (RFC 6761, 6762 appendix G, 8375; ICANN's .internal).
const PRIVATE_SUFFIXES = ['local', 'localhost', 'internal', 'home.arpa', 'lan', 'intranet', 'corp', 'private'];

/**
 * Whether a URL host can be a public web server, judged without DNS: public IP literals, and
 * names with a dot that are not in a private-use domain. For links shown to readers, where a
 * lookup is neither possible nor meaningful (each reader resolves it themselves).
 */
export function isPublicHostname(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.+$/, '');
  if (!host) return false;
  const kind = classifyHostname(host);
  if (kind !== undefined) return kind === null;
  if (!host.includes('.')) return false;
  return !PRIVATE_SUFFIXES.some((s) => host === s || host.endsWith(`.${s}`));
}
