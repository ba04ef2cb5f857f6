import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { csvList } from '../config.js';
import { parseAddress } from './address.js';

/** Targets an operator lets through although their addresses are not public. */
export interface AllowList {
  allowsHost(hostname: string): boolean;
  allowsAddress(ip: string): boolean;
}

const HOSTNAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

const normaliseHostname = (hostname: string) => hostname.toLowerCase().replace(/\.$/, '');

function parseCidr(entry: string): [ipaddr.IPv4 | ipaddr.IPv6, number] {
  if (entry.includes('/')) return ipaddr.parseCIDR(entry);
  const address = ipaddr.parse(entry);
  return [address, address.kind() === 'ipv4' ? 32 : 128];
}

/**
 * Builds an allow-list from entries that are CIDRs (`10.1.0.0/16`, `fd00::/8`), single addresses, or
 * exact hostnames (`minio.internal`, matched case-insensitively, no wildcards). Throws on an entry that is
 * none of these, naming it (an operator's configuration mistake).
 */
export function parseAllowList(entries: readonly string[]): AllowList {
  const hostnames = new Set<string>();
  const ranges: [ipaddr.IPv4 | ipaddr.IPv6, number][] = [];
  for (const raw of entries) {
    const entry = raw.trim();
    if (entry.includes('/') || isIP(entry) !== 0) {
      try {
        ranges.push(parseCidr(entry));
      } catch {
        throw new Error(`invalid allow-list entry "${entry}": not a CIDR or address`);
      }
    } else if (HOSTNAME.test(normaliseHostname(entry))) {
      hostnames.add(normaliseHostname(entry));
    } else {
      throw new Error(`invalid allow-list entry "${entry}": not a CIDR, address or hostname`);
    }
  }
  return {
    allowsHost: (hostname) => hostnames.has(normaliseHostname(hostname)),
    allowsAddress: (ip) => {
      const address = parseAddress(ip);
      return address !== undefined && ranges.some(([base, bits]) => base.kind() === address.kind() && address.match(base, bits));
    },
  };
}

/**
 * Config building block for the operator allow-list: a comma-separated env value such as
 * `FETCH_ALLOW_LIST=10.1.0.0/16,minio.internal`, validated at start, parsed into the entries that
 * `createGuardedFetcher({ allowList })` and `checkTarget(url, { allowList })` take.
 */
export const fetchAllowList = () =>
  csvList().superRefine((entries, context) => {
    for (const entry of entries) {
      try {
        parseAllowList([entry]);
      } catch (error) {
        context.addIssue({ code: 'custom', message: (error as Error).message });
      }
    }
  });

/** `FETCH_ALLOW_LIST` for a service schema: `...guardedFetchEnv`. Empty by default (nothing internal). */
export const guardedFetchEnv = { FETCH_ALLOW_LIST: fetchAllowList() };
