import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** The deprecated IPv4-compatible IPv6 block (`::a.b.c.d`); ipaddr.js counts it as unicast. */
const IPV4_COMPATIBLE = ipaddr.parseCIDR('::/96');

export type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;

/**
 * Parses one canonical IP literal, as DNS answers and WHATWG URL hostnames spell them (brackets allowed);
 * IPv4-mapped IPv6 comes back as the IPv4 it carries. Anything else, including an address with a zone
 * id, is not an address we connect to: undefined.
 */
export function parseAddress(ip: string): IpAddress | undefined {
  const bare = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  if (bare.includes('%') || isIP(bare) === 0) return undefined;
  return ipaddr.process(bare);
}

/**
 * Whether an address is ordinary public unicast. Loopback, unspecified, private, unique-local,
 * link-local, CGNAT, multicast, broadcast, reserved and documentation ranges are not, nor are the IPv6
 * forms that embed an IPv4 (mapped ones are judged by that IPv4; compatible, NAT64, 6to4 and Teredo are
 * refused outright), nor anything that is not a canonical IP literal.
 */
export function isPublicAddress(ip: string): boolean {
  const address = parseAddress(ip);
  if (address === undefined) return false;
  if (address instanceof ipaddr.IPv6 && address.match(IPV4_COMPATIBLE)) return false;
  return address.range() === 'unicast';
}
