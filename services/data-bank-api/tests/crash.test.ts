import { startServiceProcess, waitFor } from '@platform/testing';
import { once } from 'node:events';
import { readdir, rm, stat } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { sha256, storedIds, tempDir, tempEntries } from './helpers.js';

const serviceDir = fileURLToPath(new URL('..', import.meta.url));

/** The real entry point (src/main.ts) as a child process over `root`, once it answers /healthz. */
const startProcess = (root: string) =>
  startServiceProcess({ cwd: serviceDir, env: { DATA_BANK_ROOT: root, DATA_BANK_UPLOAD_KEYS: 'k', DATA_BANK_MIN_FREE_BYTES: '0' } });

async function partialBytes(root: string): Promise<number> {
  let total = 0;
  for (const entry of await tempEntries(root)) {
    // An entry without its blob yet (the upload had not started writing) counts as 0 bytes.
    total += (await stat(join(root, '.tmp', entry, 'blob')).catch(() => undefined))?.size ?? 0;
  }
  return total;
}

describe('crash safety (real process, kill -9)', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it('leaves no partial file when killed mid-upload, and the next start sweeps the temp files', { timeout: 120_000 }, async () => {
    const root = await tempDir();
    cleanups.push(() => rm(root, { recursive: true, force: true }));
    const first = await startProcess(root);
    cleanups.push(() => first.stop(0));

    // A large upload that never finishes: 8 MiB sent, then the server is killed.
    const upload = request(`${first.url}/v1/files`, { method: 'POST', headers: { 'x-api-key': 'k' } });
    upload.on('error', () => undefined);
    const chunk = Buffer.alloc(1024 * 1024, 7);
    for (let i = 0; i < 8; i++) upload.write(chunk);
    await waitFor(async () => (await partialBytes(root)) >= 4 * 1024 * 1024, 20_000, '4 MiB of partial upload');

    const exited = once(first.child, 'exit');
    first.child.kill('SIGKILL');
    await exited;
    upload.destroy();

    expect(await storedIds(root)).toEqual([]);
    expect(await tempEntries(root)).toHaveLength(1);

    const second = await startProcess(root);
    cleanups.push(() => second.stop());
    expect(await tempEntries(root)).toEqual([]);
    expect(await readdir(join(root, '.trash'))).toEqual([]);

    const body = 'after the crash';
    const response = await fetch(`${second.url}/v1/files`, {
      method: 'POST',
      body,
      headers: { 'x-api-key': 'k' },
    });
    expect(response.status).toBe(201);
    expect(await storedIds(root)).toEqual([sha256(body)]);
  });
});
