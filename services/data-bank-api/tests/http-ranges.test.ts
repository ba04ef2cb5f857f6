import { describe, expect, it } from 'vitest';
import { evaluateRange, notModified, rangeStillValid } from '../src/services/http-ranges.js';

describe('evaluateRange', () => {
  it.each([
    [undefined, 100, { kind: 'full' }],
    ['bytes=0-0', 100, { kind: 'partial', start: 0, end: 0 }],
    ['bytes=10-', 100, { kind: 'partial', start: 10, end: 99 }],
    ['bytes=-1', 100, { kind: 'partial', start: 99, end: 99 }],
    ['bytes=-100', 100, { kind: 'partial', start: 0, end: 99 }],
    ['bytes=90-1000', 100, { kind: 'partial', start: 90, end: 99 }],
    ['bytes= 1-2 , ', 100, { kind: 'partial', start: 1, end: 2 }],
    ['bytes=100-', 100, { kind: 'unsatisfiable' }],
    ['bytes=-0', 100, { kind: 'unsatisfiable' }],
    ['bytes=99999999999999999999-', 100, { kind: 'unsatisfiable' }],
    ['bytes=0-1,3-4', 100, { kind: 'full' }],
    ['bytes=0-1,200-300', 100, { kind: 'partial', start: 0, end: 1 }],
    ['bytes=2-1', 100, { kind: 'full' }],
    ['bytes=1-2,x', 100, { kind: 'full' }],
    ['bytes=+1-2', 100, { kind: 'full' }],
    ['bytes 1-2', 100, { kind: 'full' }],
    ['pages=1-2', 100, { kind: 'full' }],
    ['bytes=,', 100, { kind: 'full' }],
    [`bytes=${Array.from({ length: 101 }, (_, i) => `${i}-${i}`).join(',')}`, 1000, { kind: 'full' }],
    ['bytes=0-', 0, { kind: 'full' }],
    ['bytes=-5', 0, { kind: 'full' }],
  ])('%s on %i bytes', (header, size, expected) => {
    expect(evaluateRange(header, size)).toEqual(expected);
  });
});

describe('conditional requests', () => {
  const etag = '"abc"';
  const date = new Date('2025-01-02T03:04:05.678Z');
  const httpDate = date.toUTCString();

  it('matches If-None-Match weakly and lists', () => {
    expect(notModified({ ifNoneMatch: '"abc"' }, etag, date)).toBe(true);
    expect(notModified({ ifNoneMatch: 'W/"abc"' }, etag, date)).toBe(true);
    expect(notModified({ ifNoneMatch: '"x", W/"abc"' }, etag, date)).toBe(true);
    expect(notModified({ ifNoneMatch: ' * ' }, etag, date)).toBe(true);
    expect(notModified({ ifNoneMatch: '"abcd"' }, etag, date)).toBe(false);
    expect(notModified({ ifNoneMatch: 'abc' }, etag, date)).toBe(false);
  });

  it('uses If-Modified-Since only without If-None-Match, at second precision', () => {
    expect(notModified({ ifModifiedSince: httpDate }, etag, date)).toBe(true);
    expect(notModified({ ifModifiedSince: 'Thu, 02 Jan 2025 03:04:04 GMT' }, etag, date)).toBe(false);
    expect(notModified({ ifModifiedSince: 'not a date' }, etag, date)).toBe(false);
    expect(notModified({ ifNoneMatch: '"x"', ifModifiedSince: httpDate }, etag, date)).toBe(false);
    expect(notModified({}, etag, date)).toBe(false);
  });

  it('keeps the range for a strong matching If-Range only', () => {
    expect(rangeStillValid(undefined, etag, date)).toBe(true);
    expect(rangeStillValid('"abc"', etag, date)).toBe(true);
    expect(rangeStillValid(httpDate, etag, date)).toBe(true);
    expect(rangeStillValid('W/"abc"', etag, date)).toBe(false);
    expect(rangeStillValid('"other"', etag, date)).toBe(false);
    expect(rangeStillValid('Thu, 02 Jan 2025 03:04:06 GMT', etag, date)).toBe(false);
    expect(rangeStillValid('junk', etag, date)).toBe(false);
  });
});
