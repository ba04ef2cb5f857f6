import { spawnSource, startServiceProcess } from '@platform/testing';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const cwd = fileURLToPath(new URL('..', import.meta.url));

describe('the real process', () => {
  it('serves, then stops cleanly on SIGTERM', async () => {
    const service = await startServiceProcess({ cwd, env: { LOG_LEVEL: 'info' } });
    expect((await fetch(`${service.url}/readyz`)).status).toBe(200);
    const response = await fetch(`${service.url}/v1/qr`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/plain' },
      body: JSON.stringify({ url: 'example.com' }),
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('█');
    await service.stop();
    expect(service.child.exitCode).toBe(0);
    expect(service.output()).toContain('"msg":"stopped"');
  });

  it('refuses to start with a bad configuration, listing every problem', async () => {
    const run = spawnSource('src/main.ts', { cwd, env: { QR_DEFAULT_ECC: 'Z', QR_DEFAULT_MARGIN: '99' } });
    const [code] = (await once(run.child, 'exit')) as [number | null];
    expect(code).toBe(78);
    expect(run.output()).toContain('QR_DEFAULT_ECC');
    expect(run.output()).toContain('QR_DEFAULT_MARGIN');
    expect(run.output()).not.toContain('    at '); // no stack trace
  });
});
