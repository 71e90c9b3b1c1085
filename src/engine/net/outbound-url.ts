import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

/** An outbound URL or the address it resolves to is not one we may call. */
export class OutboundUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutboundUrlError';
  }
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Every address a host name resolves to (all of them are checked, not just the first). */
export type HostResolver = (hostname: string) => Promise<ResolvedAddress[]>;

const systemResolver: HostResolver = async (hostname) =>
  (await lookup(hostname, { all: true, order: 'verbatim' })).map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));

/** The addresses we may connect to, and how host names become addresses. */
export interface AddressPolicy {
  resolve: HostResolver;
  isAllowedAddress: (address: string) => boolean;
}

const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR('2000::/3');

/**
 * True only for a globally routable unicast address: deny by default. Refuses private, loopback,
 * link-local, unique-local, CGNAT, multicast, broadcast, unspecified, documentation and other
 * reserved ranges, and IPv6 forms that embed an IPv4 address (mapped, compatible, NAT64, 6to4,
 * Teredo). An IPv4-mapped address is judged as the IPv4 address it carries.
 */
export function isPublicAddress(address: string): boolean {
  const bare = address.replace(/^\[(.*)\]$/, '$1');
  if (!ipaddr.isValid(bare)) return false;
  const parsed = ipaddr.parse(bare);
  if (parsed.kind() === 'ipv4') return parsed.range() === 'unicast';
  const v6 = parsed as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return isPublicAddress(v6.toIPv4Address().toString());
  return v6.range() === 'unicast' && v6.match(GLOBAL_UNICAST_V6);
}

export const PUBLIC_ADDRESSES_ONLY: AddressPolicy = { resolve: systemResolver, isAllowedAddress: isPublicAddress };

/** Parses a URL we are asked to call: https only, a host name, no credentials. */
export function parseOutboundUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OutboundUrlError('Not a valid URL');
  }
  if (url.protocol !== 'https:') throw new OutboundUrlError('Only https URLs are allowed');
  if (url.username || url.password) throw new OutboundUrlError('URLs with credentials are not allowed');
  if (!url.hostname) throw new OutboundUrlError('The URL has no host');
  return url;
}

/**
 * The address to connect to for `url`, after checking every address its host resolves to (an IP
 * literal is checked as is). Connect to exactly this address: resolving again could give another.
 */
export async function resolveOutboundAddress(url: URL, policy: AddressPolicy = PUBLIC_ADDRESSES_ONLY): Promise<ResolvedAddress> {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: ResolvedAddress[];
  if (ipaddr.isValid(host)) {
    addresses = [{ address: host, family: host.includes(':') ? 6 : 4 }];
  } else {
    addresses = await policy.resolve(host).catch(() => {
      throw new OutboundUrlError('The host name does not resolve');
    });
  }
  const [first] = addresses;
  if (!first) throw new OutboundUrlError('The host name does not resolve');
  const refused = addresses.find(({ address }) => !policy.isAllowedAddress(address));
  if (refused) throw new OutboundUrlError('The URL points to a private, loopback or reserved address');
  return first;
}
