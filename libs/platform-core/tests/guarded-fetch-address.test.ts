import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, loadConfig } from '../src/config.js';
import { checkTarget, guardedFetchEnv, isPublicAddress, parseAllowList } from '../src/index.js';

const REFUSED_ADDRESSES = [
  '127.0.0.1',
  '127.255.255.254',
  '0.0.0.0',
  '0.1.2.3',
  '10.0.0.1',
  '172.16.0.1',
  '172.31.255.255',
  '192.168.1.1',
  '169.254.169.254',
  '100.64.0.1',
  '100.127.255.255',
  '224.0.0.1',
  '239.255.255.250',
  '255.255.255.255',
  '240.0.0.1',
  '192.0.0.1',
  '192.0.2.1',
  '198.51.100.7',
  '203.0.113.9',
  '198.18.0.1',
  '::1',
  '::',
  'fc00::1',
  'fd12:3456::1',
  'fe80::1',
  'fe80::1%eth0',
  'ff02::1',
  '2001:db8::1',
  'fec0::1',
  '::ffff:127.0.0.1',
  '::ffff:7f00:1',
  '::ffff:10.0.0.1',
  '::ffff:169.254.169.254',
  '::7f00:1',
  '::10.0.0.1',
  '64:ff9b::7f00:1',
  '64:ff9b::8.8.8.8',
  '2002:7f00:1::',
  '2001::1',
  '[::1]',
  '0x7f.1',
  '0177.0.0.1',
  '2130706433',
  '127.1',
  'localhost',
  '',
  'not-an-ip',
];
const PUBLIC_ADDRESSES = [
  '8.8.8.8',
  '1.1.1.1',
  '93.184.216.34',
  '172.32.0.1',
  '100.128.0.1',
  '2606:4700::1111',
  '::ffff:8.8.8.8',
  '[2a00:1450::1]',
];

describe('isPublicAddress', () => {
  it.each(REFUSED_ADDRESSES)('refuses %j', (ip) => {
    expect(isPublicAddress(ip)).toBe(false);
  });

  it.each(PUBLIC_ADDRESSES)('accepts %j', (ip) => {
    expect(isPublicAddress(ip)).toBe(true);
  });

  it('judges an IPv4-mapped IPv6 address exactly as the IPv4 it carries', () => {
    fc.assert(
      fc.property(fc.ipV4(), (ip) => {
        expect(isPublicAddress(`::ffff:${ip}`)).toBe(isPublicAddress(ip));
      }),
    );
  });
});

describe('parseAllowList', () => {
  const allowList = parseAllowList(['10.1.0.0/16', '192.168.5.5', 'fd00::/8', 'MinIO.Internal.']);

  it('matches CIDRs, single addresses (also IPv4-mapped) and exact hostnames', () => {
    expect(allowList.allowsAddress('10.1.2.3')).toBe(true);
    expect(allowList.allowsAddress('::ffff:10.1.2.3')).toBe(true);
    expect(allowList.allowsAddress('10.2.0.1')).toBe(false);
    expect(allowList.allowsAddress('192.168.5.5')).toBe(true);
    expect(allowList.allowsAddress('192.168.5.6')).toBe(false);
    expect(allowList.allowsAddress('fd00::1')).toBe(true);
    expect(allowList.allowsHost('minio.internal')).toBe(true);
    expect(allowList.allowsHost('other.minio.internal')).toBe(false);
  });

  it.each(['10.0.0.0/33', '300.1.1.1/8', 'bad host!', '*.internal', 'http://x'])('rejects the entry %j', (entry) => {
    expect(() => parseAllowList([entry])).toThrow(entry);
  });
});

describe('guardedFetchEnv', () => {
  const schema = z.object(guardedFetchEnv);

  it('parses a comma-separated FETCH_ALLOW_LIST, empty by default', () => {
    expect(loadConfig(schema, { FETCH_ALLOW_LIST: ' 10.0.0.0/8, minio.internal ,' }).FETCH_ALLOW_LIST).toEqual([
      '10.0.0.0/8',
      'minio.internal',
    ]);
    expect(loadConfig(schema, {}).FETCH_ALLOW_LIST).toEqual([]);
  });

  it('stops start-up naming a bad entry', () => {
    expect(() => loadConfig(schema, { FETCH_ALLOW_LIST: '10.0.0.0/8,not valid' })).toThrow(ConfigError);
    expect(() => loadConfig(schema, { FETCH_ALLOW_LIST: '10.0.0.0/8,not valid' })).toThrow('not valid');
  });
});

describe('checkTarget', () => {
  it('returns the parsed URL of a public target and of a hostname (whose DNS is checked at fetch time)', () => {
    expect(checkTarget('https://example.com/a?b=1').href).toBe('https://example.com/a?b=1');
    expect(checkTarget(new URL('http://8.8.8.8:8080/')).port).toBe('8080');
  });

  it('lets an allow-listed literal through', () => {
    expect(checkTarget('http://10.1.2.3/', { allowList: ['10.1.0.0/16'] }).hostname).toBe('10.1.2.3');
  });

  it.each([
    ['http://127.0.0.1/', 'blocked_address'],
    ['http://[::ffff:10.0.0.1]/', 'blocked_address'],
    ['file:///etc/passwd', 'scheme'],
    ['http://user:pw@example.com/', 'credentials'],
    ['http://[fe80::1%25eth0]/', 'invalid_url'],
    ['nonsense', 'invalid_url'],
  ])('refuses %s (%s) with the generic error', (url, reason) => {
    expect(() => checkTarget(url)).toThrow(
      expect.objectContaining({ reason, status: 400, code: 'URL_NOT_FETCHABLE', message: 'The URL could not be fetched' }),
    );
  });
});
