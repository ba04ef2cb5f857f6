import { ConfigError, SERVICES, type ServiceName } from '@platform/core';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../src/config.js';
import { serviceKey } from '../src/models/catalog.js';

describe('readConfig', () => {
  it('runs on one machine with no variables: port 8080, services on their local ports, nobody can log in', () => {
    const config = readConfig({});
    expect(config.port).toBe(8080);
    expect(config.adminKeys).toEqual([]);
    expect(config.upstreams['qr-api']).toBe('http://127.0.0.1:8002');
    expect(config.upstreams['model-trainer']).toBe('http://127.0.0.1:8005');
  });

  it('reaches services through the gateway unless a URL of their own is set', () => {
    const config = readConfig({ API_GATEWAY_URL: 'http://gateway:80/', QR_API_URL: 'http://qr:9000' });
    expect(config.upstreams['data-bank-api']).toBe('http://gateway:80/data-bank');
    expect(config.upstreams['qr-api']).toBe('http://qr:9000');
  });

  it("reads each service's own URL variable from @platform/core's SERVICES table", () => {
    const names = Object.keys(SERVICES) as ServiceName[];
    const own = readConfig(Object.fromEntries(names.map((name, index) => [SERVICES[name].urlVariable, `http://host-${String(index)}:1/`])));
    expect(names.map((name) => own.upstreams[name])).toEqual(names.map((_name, index) => `http://host-${String(index)}:1`));
  });

  it("sends the first key of each service's own list, and handwriting-ai's read key for reading", () => {
    const config = readConfig({
      TURKIC_API_KEYS: 'a, b',
      HANDWRITING_API_KEYS: 'models',
      HANDWRITING_READ_KEYS: 'reader',
      DATA_BANK_API_KEY: 'bank',
    });
    expect(serviceKey(config, 'turkic-api', 'api')).toBe('a');
    expect(serviceKey(config, 'handwriting-ai', 'read')).toBe('reader');
    expect(serviceKey(config, 'handwriting-ai', 'api')).toBe('models');
    expect(serviceKey(config, 'data-bank-api', 'api')).toBe('bank');
    expect(serviceKey(config, 'qr-api', 'api')).toBeUndefined();
  });

  it('lists every bad value in one error', () => {
    expect(() => readConfig({ CONSOLE_USER_ID: 'me', CONSOLE_SESSION_SECRET: 'short', PORT: 'x' })).toThrow(ConfigError);
    try {
      readConfig({ CONSOLE_USER_ID: 'me', CONSOLE_SESSION_SECRET: 'short' });
    } catch (error) {
      expect(String(error)).toContain('CONSOLE_USER_ID');
      expect(String(error)).toContain('CONSOLE_SESSION_SECRET');
    }
  });
});
