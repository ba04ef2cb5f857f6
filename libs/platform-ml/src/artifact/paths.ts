import { posix } from 'node:path';

/**
 * Whether `path` is a plain relative path that stays inside the artifact: no leading slash, no drive
 * or backslash tricks, no `.`/`..`/empty segments, no NUL.
 */
export function isSafeRelativePath(path: string): boolean {
  if (path.length === 0 || path.length > 1024 || path.includes('\0') || path.includes('\\')) return false;
  if (posix.isAbsolute(path) || /^[a-zA-Z]:/.test(path)) return false;
  return path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}
