import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { spawnSource, startServiceProcess } from '../src/index.js';

const cwd = fileURLToPath(new URL('fixtures/', import.meta.url));

describe('startServiceProcess', () => {
  it('starts a TypeScript entry on a free port, waits for /healthz and stops it with SIGTERM', async () => {
    const service = await startServiceProcess({ cwd, entry: 'service.ts' });
    try {
      const body = (await (await fetch(`${service.url}/healthz`)).json()) as { port: string; host: string };
      expect(body).toEqual({ port: String(service.port), host: '127.0.0.1' });
      expect(service.output()).toContain('fixture: listening');
    } finally {
      await service.stop();
    }
    expect(service.child.exitCode).toBe(0);
  });

  it('fails with the exit code and the process output when the entry exits first', async () => {
    await expect(startServiceProcess({ cwd, entry: 'service.ts', env: { FIXTURE_MODE: 'crash' } })).rejects.toThrow(
      /exited \(3\) before answering[\s\S]*fixture: refusing to start/,
    );
  });
});

describe('spawnSource', () => {
  it('runs an entry without waiting for a port and collects what it writes', async () => {
    const run = spawnSource('service.ts', { cwd, env: { FIXTURE_MODE: 'crash' } });
    await new Promise((resolve) => run.child.once('exit', resolve));
    expect(run.child.exitCode).toBe(3);
    expect(run.output()).toBe('fixture: refusing to start\n');
    await run.stop();
  });
});
