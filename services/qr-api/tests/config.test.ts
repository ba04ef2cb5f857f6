import { ConfigError } from '@platform/core';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../src/config.js';

describe('readConfig', () => {
  it('has defaults that need no environment', () => {
    expect(readConfig({})).toMatchObject({
      port: 8002,
      defaults: { ecc: 'M', scale: 10, margin: 4, dark: '#000000', light: '#FFFFFF', minContrast: 3 },
      maxDecodeBytes: 10 * 1024 * 1024,
      rateLimit: { max: 600, windowMs: 60_000, store: 'memory' },
    });
  });

  it('accepts a lowercase ECC level and treats empty values as unset', () => {
    expect(readConfig({ QR_DEFAULT_ECC: 'q', QR_DEFAULT_SCALE: '' })).toMatchObject({ defaults: { ecc: 'Q', scale: 10 } });
  });

  it('lists every problem at once', () => {
    const env = {
      QR_DEFAULT_ECC: 'X',
      QR_DEFAULT_SCALE: '0',
      QR_DEFAULT_MARGIN: '1.5',
      QR_DEFAULT_LIGHT: 'white',
      RATE_LIMIT_STORE: 'disk',
    };
    let problems: string[] = [];
    try {
      readConfig(env);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems = error.problems;
    }
    expect(problems.map((problem) => problem.split(':')[0])).toEqual(
      expect.arrayContaining(['QR_DEFAULT_ECC', 'QR_DEFAULT_SCALE', 'QR_DEFAULT_MARGIN', 'QR_DEFAULT_LIGHT', 'RATE_LIMIT_STORE']),
    );
  });

  it('refuses default colours that scanners could not read', () => {
    expect(() => readConfig({ QR_DEFAULT_DARK: '#999999' })).toThrow(/QR_DEFAULT_DARK: contrast with QR_DEFAULT_LIGHT is 2\.\d+:1/);
  });
});
