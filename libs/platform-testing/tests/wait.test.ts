import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { freePort, waitFor, waitForHealthy } from '../src/index.js';

describe('waitFor', () => {
  it('resolves once an async predicate holds, treating throws as not yet', async () => {
    let calls = 0;
    await waitFor(() => {
      calls++;
      if (calls < 3) throw new Error('not listening');
      return Promise.resolve(calls >= 4);
    });
    expect(calls).toBe(4);
  });

  it('names what it waited for and the last error when time runs out', async () => {
    await expect(
      waitFor(
        () => {
          throw new Error('ECONNREFUSED');
        },
        60,
        'the server',
      ),
    ).rejects.toThrow(/timed out after 60 ms waiting for the server \(last error: ECONNREFUSED\)/);
  });
});

describe('waitForHealthy', () => {
  it('waits for a process to answer 2xx, and fails at once when it exits first', async () => {
    const script = "require('node:http').createServer((q, s) => s.end('ok')).listen(Number(process.argv[1]), '127.0.0.1')";
    const port = await freePort();
    const server = spawn(process.execPath, ['-e', script, String(port)], { stdio: 'ignore' });
    try {
      await waitForHealthy(`http://127.0.0.1:${port}/healthz`, server, 10_000);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    } finally {
      server.kill('SIGKILL');
    }

    const crashing = spawn(process.execPath, ['-e', 'process.exit(3)'], { stdio: 'ignore' });
    const started = Date.now();
    await expect(waitForHealthy(`http://127.0.0.1:${await freePort()}/healthz`, crashing, 10_000)).rejects.toThrow(
      /exited \(3\) before answering/,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
