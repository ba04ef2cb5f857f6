import { ConfigError } from '@platform/core';
import { describe, expect, it } from 'vitest';
import { loadConsoleConfig } from '../src/config.js';
import { serviceKey } from '../src/models/catalog.js';

describe('loadConsoleConfig', () => {
  it('runs on one machine with no variables: port 8080, services on their local ports, nobody can log in', () => {
    const config = loadConsoleConfig({});
    expect(config.PORT).toBe(8080);
    expect(config.CONSOLE_ADMIN_KEYS).toEqual([]);
    expect(config.upstreams['qr-api']).toBe('http://127.0.0.1:8002');
    expect(config.upstreams['model-trainer']).toBe('http://127.0.0.1:8005');
  });

  it('reaches services through the gateway unless a URL of their own is set', () => {
    const config = loadConsoleConfig({ API_GATEWAY_URL: 'http://gateway:80/', QR_API_URL: 'http://qr:9000' });
    expect(config.upstreams['data-bank-api']).toBe('http://gateway:80/data-bank');
    expect(config.upstreams['qr-api']).toBe('http://qr:9000');
    const own = loadConsoleConfig({ HANDWRITING_AI_URL: 'http://hw:1', MODEL_TRAINER_URL: 'http://mt:2', MUSIC_WRAPPED_API_URL: 'http://mw:3', DATA_BANK_URL: 'http://db:4' });
    expect([own.upstreams['handwriting-ai'], own.upstreams['model-trainer'], own.upstreams['music-wrapped-api'], own.upstreams['data-bank-api']]).toEqual([
      'http://hw:1',
      'http://mt:2',
      'http://mw:3',
      'http://db:4',
    ]);
  });

  it("sends the first key of each service's own list, and handwriting-ai's read key for reading", () => {
    const config = loadConsoleConfig({ TURKIC_API_KEYS: 'a, b', HANDWRITING_API_KEYS: 'models', HANDWRITING_READ_KEYS: 'reader', DATA_BANK_API_KEY: 'bank' });
    expect(serviceKey(config, 'turkic-api', 'api')).toBe('a');
    expect(serviceKey(config, 'handwriting-ai', 'read')).toBe('reader');
    expect(serviceKey(config, 'handwriting-ai', 'api')).toBe('models');
    expect(serviceKey(config, 'data-bank-api', 'api')).toBe('bank');
    expect(serviceKey(config, 'qr-api', 'api')).toBeUndefined();
  });

  it('lists every bad value in one error', () => {
    expect(() => loadConsoleConfig({ CONSOLE_USER_ID: 'me', CONSOLE_SESSION_SECRET: 'short', PORT: 'x' })).toThrow(ConfigError);
    try {
      loadConsoleConfig({ CONSOLE_USER_ID: 'me', CONSOLE_SESSION_SECRET: 'short' });
    } catch (error) {
      expect(String(error)).toContain('CONSOLE_USER_ID');
      expect(String(error)).toContain('CONSOLE_SESSION_SECRET');
    }
  });
});
