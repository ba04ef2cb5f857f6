import { isPublicAddress, parseAddress } from './address.js';
import { parseAllowList, type AllowList } from './allow-list.js';
import { refuse, UrlNotFetchableError } from './fetch-error.js';

const SCHEMES = new Set(['http:', 'https:']);

/** Whether an address may be connected to: public, or inside an operator-allowed range. */
export const addressPermitted = (ip: string, allowList: AllowList) => isPublicAddress(ip) || allowList.allowsAddress(ip);

/** The URL parsed and checked against everything that needs no DNS: scheme, userinfo, host, IP literals. */
export function parseTarget(input: string | URL, allowList: AllowList): URL {
  let url: URL;
  try {
    url = new URL(input);
  } catch (error) {
    throw new UrlNotFetchableError('invalid_url', error);
  }
  if (!SCHEMES.has(url.protocol)) throw refuse('scheme', `scheme ${url.protocol} is not http(s)`);
  if (url.username !== '' || url.password !== '') throw refuse('credentials', 'the URL carries credentials');
  if (url.hostname === '') throw refuse('invalid_url', 'the URL has no host');
  const literal = ipLiteral(url.hostname);
  if (literal !== undefined && !addressPermitted(literal, allowList)) {
    throw refuse('blocked_address', `address ${literal} is not public`);
  }
  return url;
}

/** The address a hostname spells, when it is an IP literal (WHATWG URL has already canonicalised it). */
export function ipLiteral(hostname: string): string | undefined {
  const isLiteral = hostname.startsWith('[') || parseAddress(hostname) !== undefined;
  return isLiteral ? hostname.replace(/^\[|\]$/g, '') : undefined;
}

/**
 * Validates a URL up front, without DNS or any connection (say at request time, to answer 400 before a
 * job is queued): http(s) only, no userinfo, a host, and an IP-literal host must be public or
 * allow-listed. A hostname passes here; its addresses are checked when it is fetched. Returns the parsed
 * URL; throws the generic `UrlNotFetchableError`.
 */
export function checkTarget(url: string | URL, options: { allowList?: readonly string[] } = {}): URL {
  return parseTarget(url, parseAllowList(options.allowList ?? []));
}
