// Where the bot may connect for URLs its operator did not write down (article links found in
// feeds, redirects): a feed must not be able to point the bot at its own machine, the LAN or a
// cloud metadata service. A check of the name before connecting is not enough on its own, since
// DNS may answer differently a moment later (rebinding), so the same rule runs again inside the
// socket's own lookup: the connection can only ever dial an address that passed it.
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { Agent, fetch as undiciFetch } from 'undici';
import { classifyAddress, classifyHostname, type AddressKind } from '../shared/addresses.js';
import { FeedError } from './errors.js';

export { classifyAddress, classifyHostname, parseIPv4, parseIPv6, type AddressKind } from '../shared/addresses.js';

const LABEL: Record<AddressKind, string> = {
  unspecified: 'an unspecified',
  loopback: 'a loopback',
  private: 'a private',
  shared: 'a carrier-grade NAT',
  'link-local': 'a link-local',
  metadata: 'a cloud metadata',
  multicast: 'a multicast',
  broadcast: 'a broadcast',
  reserved: 'a reserved',
  invalid: 'an invalid',
};

export interface UrlGuardOptions {
  /** ALLOW_PRIVATE_NETWORK: lifts every rule except metadata, which no news page needs. */
  allowPrivateNetwork: boolean;
  /** Resolves a name to its addresses; the system resolver unless a test injects one. */
  lookup?: (host: string) => Promise<string[]>;
}

export interface UrlGuard {
  /** Throws FeedError('blocked') for a URL that must not be contacted. */
  check(url: URL): Promise<void>;
  /** fetch whose sockets re-apply the rule to the addresses they are about to dial. */
  readonly fetch: typeof fetch;
  /**
   * For the operator's own URL (a configured feed, `xiangxun extract URL`): private networks
   * are allowed there (RSSHub on 127.0.0.1), cloud metadata never, since a feed URL copied from
   * somewhere or a name that resolves there must not reach the instance's credentials.
   */
  checkTrusted(url: URL): Promise<void>;
  /** fetch for a trusted first hop: its sockets refuse metadata addresses only. */
  readonly trustedFetch: typeof fetch;
  /** Closes kept-alive connections. */
  close(): Promise<void>;
}

const systemLookup = async (host: string): Promise<string[]> =>
  (await dnsLookup(host, { all: true, verbatim: true })).map((a) => a.address);

const notFound = (host: string): Error => Object.assign(new Error(`could not resolve host ${host}`), { code: 'ENOTFOUND' });

type Refused = (kind: AddressKind | null | undefined) => kind is AddressKind;

/** An undici Agent whose sockets dial only addresses that `refused` lets through. */
function guardedAgent(resolve: (host: string) => Promise<string[]>, refused: Refused): Agent {
  // Runs inside net.connect for every new socket (IP literals skip it, but the checks have
  // judged those already and they cannot change). Any refused address refuses the whole
  // answer: a name that mixes public and private addresses is not one we want to be near.
  const connectLookup: LookupFunction = (host, options, callback) => {
    void (async () => {
      let picked: Array<{ address: string; family: number }>;
      try {
        const addresses = await resolve(host);
        vet(refused, host, addresses);
        const want = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : (options.family ?? 0);
        picked = addresses.map((address) => ({ address, family: isIP(address) })).filter((a) => a.family !== 0 && (!want || a.family === want));
        if (!picked.length) throw notFound(host);
      } catch (e) {
        callback(e as NodeJS.ErrnoException, '', 0);
        return;
      }
      if (options.all) callback(null, picked);
      else callback(null, picked[0]!.address, picked[0]!.family);
    })();
  };
  return new Agent({ connect: { lookup: connectLookup } });
}

function vet(refused: Refused, host: string, addresses: readonly string[]): void {
  for (const address of addresses) {
    const kind = classifyAddress(address);
    if (refused(kind)) throw new FeedError('blocked', `${host} resolves to ${LABEL[kind]} address`);
  }
}

function checkScheme(url: URL): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FeedError('blocked', `only http and https URLs can be fetched, not ${url.protocol.slice(0, 20)}`);
  }
}

export function createUrlGuard(opts: UrlGuardOptions): UrlGuard {
  const resolve = opts.lookup ?? systemLookup;
  const refused: Refused = (kind): kind is AddressKind => kind != null && (!opts.allowPrivateNetwork || kind === 'metadata' || kind === 'invalid');
  const refusedTrusted: Refused = (kind): kind is AddressKind => kind === 'metadata';
  const agent = guardedAgent(resolve, refused);
  const trustedAgent = guardedAgent(resolve, refusedTrusted);
  // npm undici's fetch and Agent go together (Node's built-in fetch is an older undici); its
  // Response has the shape the fetcher reads (status, headers, a web ReadableStream body).
  const fetchWith = (dispatcher: Agent) =>
    ((input: URL | string, init?: RequestInit) => undiciFetch(input, { ...(init as object), dispatcher })) as unknown as typeof fetch;

  return {
    async check(url) {
      checkScheme(url);
      const host = url.hostname.replace(/^\[|\]$/g, '');
      const literal = classifyHostname(host);
      if (literal !== undefined) {
        if (refused(literal)) throw new FeedError('blocked', `${host} is ${LABEL[literal]} address`);
        return;
      }
      // With private addresses allowed only metadata is refused, and the connect-time lookup
      // sees every address anyway: no second DNS query for that.
      if (opts.allowPrivateNetwork) return;
      let addresses: string[];
      try {
        addresses = await resolve(host);
      } catch {
        throw new FeedError('network', `could not resolve host ${host}`);
      }
      if (!addresses.length) throw new FeedError('network', `could not resolve host ${host}`);
      vet(refused, host, addresses);
    },
    async checkTrusted(url) {
      checkScheme(url);
      const host = url.hostname.replace(/^\[|\]$/g, '');
      const literal = classifyHostname(host);
      // Names are judged by the trusted fetch's own lookup, at connect time.
      if (refusedTrusted(literal)) throw new FeedError('blocked', `${host} is ${LABEL[literal]} address`);
    },
    fetch: fetchWith(agent),
    trustedFetch: fetchWith(trustedAgent),
    close: async () => {
      await Promise.all([agent.close(), trustedAgent.close()]);
    },
  };
}
