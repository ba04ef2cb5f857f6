import { AppError, FileList, FileRecord } from '@platform/core';
import { z } from 'zod';

export { FileList, FileRecord };

/** A file id in a path: 64 hex characters, normalised to lowercase. */
export const FileIdParams = z.object({
  id: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'file id must be 64 hex characters (a SHA-256)')
    .transform((id) => id.toLowerCase()),
});

export const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().max(200).optional(),
  prefix: z
    .string()
    .regex(/^[0-9a-fA-F]{0,64}$/, 'prefix must be hex')
    .transform((prefix) => prefix.toLowerCase())
    .optional(),
});

// The cursor is opaque to clients: base64url of the last id of the previous page, versioned.
const CURSOR_VERSION = 'v1:';

export function encodeCursor(lastId: string): string {
  return Buffer.from(CURSOR_VERSION + lastId).toString('base64url');
}

export function decodeCursor(cursor: string): string {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const id = text.slice(CURSOR_VERSION.length);
  if (!text.startsWith(CURSOR_VERSION) || !/^[0-9a-f]{64}$/.test(id)) {
    throw new AppError('INVALID_INPUT', 'invalid cursor', {
      details: [{ path: 'querystring.cursor', message: 'not a cursor of this service' }],
    });
  }
  return id;
}

const VISIBLE_ASCII = /^[\x20-\x7e]{1,255}$/;

/** The stored Content-Type is echoed in response headers, so it must be a valid header value. */
export function checkContentType(value: string | undefined): string {
  if (value === undefined || value.trim() === '') return 'application/octet-stream';
  if (!VISIBLE_ASCII.test(value))
    throw new AppError('INVALID_INPUT', 'Content-Type must be at most 255 visible ASCII characters');
  return value.trim();
}

const SHA256 = /^[0-9a-fA-F]{64}$/;

/** The optional X-Content-SHA256 header. */
export function declaredSha256(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || !SHA256.test(value.trim()))
    throw new AppError('INVALID_INPUT', 'X-Content-SHA256 must be 64 hex characters');
  return value.trim().toLowerCase();
}
