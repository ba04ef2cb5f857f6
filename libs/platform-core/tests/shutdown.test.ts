import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';

describe('installGracefulShutdown', () => {
  it('finishes in-flight requests on SIGTERM, refuses new ones, then exits 0', async () => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'tests/fixtures/slow-server.ts'], {
      cwd: new URL('..', import.meta.url).pathname,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
    const address = chunk.toString().trim();
    const exited = once(child, 'exit') as Promise<[number | null]>;

    const inFlight = fetch(`${address}/slow`);
    await once(child.stdout, 'data'); // the request has reached the handler
    child.kill('SIGTERM');
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ finished: true });
    const [code] = await exited;
    expect(code).toBe(0);
    await expect(fetch(`${address}/slow`)).rejects.toThrow();
  });
});
