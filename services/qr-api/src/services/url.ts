import { invalidInput } from '@platform/core';
import { URL_MAX_CHARS } from '../models/payload.js';

const WITH_AUTHORITY = /^[a-z][a-z0-9+.-]*:\/\//i;
/** `mailto:x`, `javascript:...`: a scheme without `//`; `example.com:8080` is a host and port instead. */
const OTHER_SCHEME = /^[a-z][a-z0-9+.-]*:(?!\d)/i;

/**
 * The URL a code will carry: http/https only (a bare host gets https://), WHATWG-normalised (lowercase
 * scheme and host, punycode, default port dropped), fragment kept, no embedded credentials.
 */
export function normaliseUrl(input: string, path: string): string {
  const fail = (rule: string) => invalidInput(`${path}: ${rule}`, [{ path, message: rule }]);
  const trimmed = input.trim();
  if (!WITH_AUTHORITY.test(trimmed) && OTHER_SCHEME.test(trimmed)) throw fail('scheme must be http or https');
  let url: URL;
  try {
    url = new URL(WITH_AUTHORITY.test(trimmed) ? trimmed : `https://${trimmed}`);
  } catch {
    throw fail('is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw fail('scheme must be http or https');
  if (url.hostname === '') throw fail('must have a host');
  if (url.username !== '' || url.password !== '') throw fail('must not contain credentials (user:password@)');
  if (url.href.length > URL_MAX_CHARS) throw fail(`must be at most ${URL_MAX_CHARS} characters once normalised`);
  return url.href;
}
