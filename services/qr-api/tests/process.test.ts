import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const serviceDir = fileURLToPath(new URL('..', import.meta.url));

function start(env: Record<string, string>): { child: ChildProcessByStdio<null, Readable, Readable>; output: () => string } {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'src/main.ts'], {
    cwd: serviceDir,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  return { child, output: () => output };
}

async function listeningUrl(output: () => string): Promise<string> {
  for (let waited = 0; waited < 15_000; waited += 50) {
    const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output());
    if (match?.[1]) return match[1];
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the service did not start:\n${output()}`);
}

describe('the real process', () => {
  it('serves, then stops cleanly on SIGTERM', async () => {
    const { child, output } = start({ LOG_LEVEL: 'info' });
    const base = await listeningUrl(output);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const response = await fetch(`${base}/v1/qr`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/plain' },
      body: JSON.stringify({ url: 'example.com' }),
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('█');
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect(output()).toContain('"msg":"stopped"');
  });

  it('refuses to start with a bad configuration, listing every problem', async () => {
    const { child, output } = start({ QR_DEFAULT_ECC: 'Z', QR_DEFAULT_MARGIN: '99' });
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(78);
    expect(output()).toContain('QR_DEFAULT_ECC');
    expect(output()).toContain('QR_DEFAULT_MARGIN');
    expect(output()).not.toContain('    at '); // no stack trace
  });
});
