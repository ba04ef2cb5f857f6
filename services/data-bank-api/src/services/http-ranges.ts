/**
 * RFC 9110 conditional requests and byte ranges for immutable, strongly validated files.
 * Pure functions of header values, so every rule is unit tested without HTTP.
 */

export type RangeDecision = { kind: 'full' } | { kind: 'partial'; start: number; end: number } | { kind: 'unsatisfiable' };

const RANGE_SPEC = /^(?:(\d+)-(\d*)|-(\d+))$/;
const MAX_RANGES = 100;

/**
 * Decides how to answer a Range header (section 14.2). Anything that is not a valid `bytes` range set is
 * ignored (full answer), as the RFC allows. One satisfiable range gives a partial answer; several are
 * answered with the whole file (allowed by the RFC), and none with 416. A zero-byte file has no
 * satisfiable range except a suffix one, which cannot be expressed in Content-Range, so it is sent whole.
 */
export function evaluateRange(header: string | undefined, size: number): RangeDecision {
  if (header === undefined || size === 0) return { kind: 'full' };
  const equals = header.indexOf('=');
  if (equals < 0 || header.slice(0, equals).trim().toLowerCase() !== 'bytes') return { kind: 'full' };
  const specs = header
    .slice(equals + 1)
    .split(',')
    .map((spec) => spec.trim())
    .filter((spec) => spec.length > 0);
  if (specs.length === 0 || specs.length > MAX_RANGES) return { kind: 'full' };

  const satisfiable: { start: number; end: number }[] = [];
  for (const spec of specs) {
    const match = RANGE_SPEC.exec(spec);
    if (!match) return { kind: 'full' };
    const [, first, last, suffix] = match;
    if (suffix !== undefined) {
      const length = Number(suffix);
      if (length > 0) satisfiable.push({ start: Math.max(0, size - length), end: size - 1 });
      continue;
    }
    const start = Number(first);
    const end = last === '' || last === undefined ? Infinity : Number(last);
    if (end < start) return { kind: 'full' }; // invalid range-spec: the whole header is ignored
    if (start < size) satisfiable.push({ start, end: Math.min(end, size - 1) });
  }
  if (satisfiable.length === 0) return { kind: 'unsatisfiable' };
  const [only] = satisfiable;
  if (satisfiable.length > 1 || only === undefined) return { kind: 'full' };
  return { kind: 'partial', ...only };
}

/** Entity tags in an If-None-Match / If-Range list, with their weakness. */
function entityTags(header: string): { weak: boolean; tag: string }[] {
  return [...header.matchAll(/(W\/)?("[^"]*")/g)].map((match) => ({
    weak: match[1] !== undefined,
    tag: match[2] ?? '',
  }));
}

/** HTTP dates have second precision; validators compare at that precision. */
const seconds = (date: Date): number => Math.floor(date.getTime() / 1000);

/** Whether a GET/HEAD is answered 304 (section 13.1.2, then 13.1.3 when If-None-Match is absent). */
export function notModified(
  headers: { ifNoneMatch?: string | undefined; ifModifiedSince?: string | undefined },
  etag: string,
  lastModified: Date,
): boolean {
  if (headers.ifNoneMatch !== undefined) {
    if (headers.ifNoneMatch.trim() === '*') return true;
    return entityTags(headers.ifNoneMatch).some(({ tag }) => tag === etag); // weak comparison
  }
  if (headers.ifModifiedSince !== undefined) {
    const since = Date.parse(headers.ifModifiedSince);
    return !Number.isNaN(since) && seconds(lastModified) <= Math.floor(since / 1000);
  }
  return false;
}

/** Whether the Range header still applies given If-Range (section 13.1.5): strong ETag or exact date. */
export function rangeStillValid(ifRange: string | undefined, etag: string, lastModified: Date): boolean {
  if (ifRange === undefined) return true;
  const value = ifRange.trim();
  if (value.startsWith('"') || value.startsWith('W/')) {
    const [tag] = entityTags(value);
    return tag !== undefined && !tag.weak && tag.tag === etag;
  }
  const date = Date.parse(value);
  return !Number.isNaN(date) && Math.floor(date / 1000) === seconds(lastModified);
}
