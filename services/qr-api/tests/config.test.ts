import { ConfigError } from '@platform/core';
import { describe, expect, it } from 'vitest';
import { loadQrConfig } from '../src/config.js';

describe('loadQrConfig', () => {
  it('has defaults that need no environment', () => {
    expect(loadQrConfig({})).toMatchObject({
      PORT: 8002,
      QR_DEFAULT_ECC: 'M',
      QR_DEFAULT_SCALE: 10,
      QR_DEFAULT_MARGIN: 4,
      QR_DEFAULT_DARK: '#000000',
      QR_DEFAULT_LIGHT: '#FFFFFF',
      QR_MAX_DECODE_BYTES: 10 * 1024 * 1024,
      RATE_LIMIT_MAX: 600,
      RATE_LIMIT_STORE: 'memory',
    });
  });

  it('accepts a lowercase ECC level and treats empty values as unset', () => {
    expect(loadQrConfig({ QR_DEFAULT_ECC: 'q', QR_DEFAULT_SCALE: '' })).toMatchObject({ QR_DEFAULT_ECC: 'Q', QR_DEFAULT_SCALE: 10 });
  });

  it('lists every problem at once', () => {
    const env = { QR_DEFAULT_ECC: 'X', QR_DEFAULT_SCALE: '0', QR_DEFAULT_MARGIN: '1.5', QR_DEFAULT_LIGHT: 'white', RATE_LIMIT_STORE: 'disk' };
    let problems: string[] = [];
    try {
      loadQrConfig(env);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems = error.problems;
    }
    expect(problems.map((problem) => problem.split(':')[0])).toEqual(
      expect.arrayContaining(['QR_DEFAULT_ECC', 'QR_DEFAULT_SCALE', 'QR_DEFAULT_MARGIN', 'QR_DEFAULT_LIGHT', 'RATE_LIMIT_STORE']),
    );
  });

  it('refuses default colours that scanners could not read', () => {
    expect(() => loadQrConfig({ QR_DEFAULT_DARK: '#999999' })).toThrow(/QR_DEFAULT_DARK: contrast with QR_DEFAULT_LIGHT is 2\.\d+:1/);
  });
});
