import { randomUUID } from 'node:crypto';

const VALID_REQUEST_ID = /^[\x21-\x7e]{1,128}$/;

/** The caller's X-Request-ID when it is 1..128 visible ASCII characters, else a new UUID v4. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && VALID_REQUEST_ID.test(value) ? value : randomUUID();
}
