import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, boolFlag, csvList, loadConfig, port, serviceUrl, sharedEnv } from '../src/config.js';

const schema = z.object({
  ...sharedEnv,
  PORT: port(8001),
  MAX_BYTES: z.coerce.number().int().positive(),
  SECRET: z.string().min(8),
  DEBUG: boolFlag(false),
  KEYS: csvList(),
});

describe('loadConfig', () => {
  it('applies defaults and coerces values', () => {
    const config = loadConfig(schema, { MAX_BYTES: '10', SECRET: 'long-enough', DEBUG: 'yes', KEYS: ' a, ,b ' });
    expect(config).toMatchObject({
      REDIS_URL: 'redis://127.0.0.1:6379/0',
      PORT: 8001,
      MAX_BYTES: 10,
      DEBUG: true,
      KEYS: ['a', 'b'],
      LOG_LEVEL: 'info',
    });
  });

  it('lists every bad or missing variable in one error', () => {
    let caught: unknown;
    try {
      loadConfig(schema, { PORT: '99999', SECRET: 'short', REDIS_URL: 'not a url', LOG_LEVEL: 'loud' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const problems = (caught as ConfigError).problems.join('\n');
    expect(problems).toContain('MAX_BYTES: required but not set');
    expect(problems).toMatch(/PORT: .*65535/);
    expect(problems).toContain('SECRET:');
    expect(problems).toContain('REDIS_URL:');
    expect(problems).toContain('LOG_LEVEL:');
    expect((caught as ConfigError).problems).toHaveLength(5);
  });

  it('treats empty strings as unset', () => {
    expect(() => loadConfig(schema, { MAX_BYTES: '', SECRET: 'long-enough' })).toThrow(/MAX_BYTES: required but not set/);
  });
});

describe('serviceUrl', () => {
  it('prefers an explicit URL, then the gateway prefix, then the local port', () => {
    expect(serviceUrl('data-bank-api', { explicit: 'http://db:8000/' })).toBe('http://db:8000');
    expect(serviceUrl('data-bank-api', { gateway: 'https://api.example.org/' })).toBe('https://api.example.org/data-bank');
    expect(serviceUrl('qr-api', {})).toBe('http://127.0.0.1:8002');
  });
});

describe('loadConfigOrExit', () => {
  it('ends the process with the readable message and no stack trace', async () => {
    const script = `
      import { loadConfigOrExit, loadConfig } from '@platform/core';
      import { z } from 'zod';
      loadConfigOrExit(() => loadConfig(z.object({ NEEDED: z.string() }), {}));
    `;
    const run = promisify(execFile)(process.execPath, ['--conditions=source', '--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: new URL('..', import.meta.url).pathname,
    });
    await expect(run).rejects.toMatchObject({ code: 78, stderr: 'Invalid configuration:\n  - NEEDED: required but not set\n' });
  });
});
