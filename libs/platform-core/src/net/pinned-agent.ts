import { promises as dns } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import { Agent } from 'undici';
import type { AllowList } from './allow-list.js';
import { refuse, UrlNotFetchableError } from './fetch-error.js';
import { addressPermitted, ipLiteral } from './target.js';

/** Resolves a hostname to its addresses (the system resolver by default). */
export type HostLookup = (hostname: string) => Promise<readonly { address: string }[]>;

export const systemLookup: HostLookup = (hostname) => dns.lookup(hostname, { all: true });

interface PinnedAddress {
  address: string;
  family: 4 | 6;
}

const pinned = (address: string): PinnedAddress => ({ address, family: isIP(address) === 6 ? 6 : 4 });

/**
 * The addresses one hop may connect to: the IP literal itself, or the hostname resolved once, every
 * answer checked (an allow-listed hostname skips the check). Throws when any answer is refused.
 */
export async function resolveHop(url: URL, lookup: HostLookup, allowList: AllowList): Promise<PinnedAddress[]> {
  const literal = ipLiteral(url.hostname);
  if (literal !== undefined) return [pinned(literal)];
  let answers: readonly { address: string }[];
  try {
    answers = await lookup(url.hostname);
  } catch (error) {
    throw new UrlNotFetchableError('dns', error);
  }
  if (answers.length === 0) throw refuse('dns', `no address for ${url.hostname}`);
  if (!allowList.allowsHost(url.hostname)) {
    const blocked = answers.find(({ address }) => !addressPermitted(address, allowList));
    if (blocked !== undefined) throw refuse('blocked_address', `${url.hostname} resolves to ${blocked.address}, which is not public`);
  }
  return answers.map(({ address }) => pinned(address));
}

/** A lookup for the socket that answers only the checked addresses, so a second DNS answer never counts. */
function pinnedLookup(addresses: readonly PinnedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const ofFamily = addresses.filter(({ family }) => family === options.family);
    const answer = ofFamily.length > 0 ? ofFamily : addresses;
    const [first] = answer;
    if (options.all === true) callback(null, [...answer]);
    else if (first !== undefined) callback(null, first.address, first.family);
  };
}

/**
 * A dispatcher for one hop whose connections go only to the checked addresses. The URL keeps the
 * hostname, so Host and TLS SNI (and certificate checks) are still the hostname's.
 */
export const pinnedAgent = (addresses: readonly PinnedAddress[]) =>
  new Agent({ connect: { lookup: pinnedLookup(addresses) }, connections: 1, pipelining: 0 });
