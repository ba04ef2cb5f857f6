import { execFile } from 'node:child_process';
import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyStore } from '../src/services/integrity.js';
import { FsBackend } from '../src/storage/fs-backend.js';
import { sha256, tempDir } from './helpers.js';

const serviceDir = fileURLToPath(new URL('..', import.meta.url));

async function put(backend: FsBackend, content: string): Promise<string> {
  const pending = await backend.beginWrite();
  pending.sink.end(content);
  const id = sha256(content);
  const size = Buffer.byteLength(content);
  await pending.commit({
    file_id: id,
    sha256: id,
    size,
    content_type: 'text/plain',
    created_at: new Date().toISOString(),
  });
  return id;
}

const blobPath = (root: string, id: string) => join(root, id.slice(0, 2), id.slice(2, 4), id, 'blob');

/** Runs the verify command as a user would (the package script's entry), returning exit code and JSON lines. */
async function runVerify(root: string, ...args: string[]): Promise<{ code: number; lines: Record<string, unknown>[] }> {
  const run = promisify(execFile)(process.execPath, ['--import', 'tsx', '--conditions=source', 'src/verify.ts', ...args], {
    cwd: serviceDir,
    env: { ...process.env, DATA_BANK_ROOT: root },
  });
  const { stdout, code } = await run.then(
    (result) => ({ stdout: result.stdout, code: 0 }),
    (error: unknown) => error as { stdout: string; code: number },
  );
  return {
    code,
    lines: stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('verify', () => {
  let root: string;
  let backend: FsBackend;
  beforeEach(async () => {
    root = await tempDir();
    backend = await FsBackend.open(root);
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('finds nothing wrong in a healthy store', async () => {
    await put(backend, 'one');
    await put(backend, '');
    const report = await verifyStore(backend, { quarantine: false });
    expect(report).toEqual({ checked: 2, bytes: 3, corrupt: [], quarantined: 0 });
  });

  it('reports bit rot, and quarantines it when asked (CLI)', { timeout: 120_000 }, async () => {
    const good = await put(backend, 'good bytes');
    const rotten = await put(backend, 'rotten bytes');
    await writeFile(blobPath(root, rotten), 'rotten bytez'); // same size, different content

    const reported = await runVerify(root);
    expect(reported.code).toBe(1);
    expect(reported.lines).toEqual([
      { id: rotten, problem: `content hashes to ${sha256('rotten bytez')}`, quarantined: false },
      { root, checked: 2, bytes: 22, corrupt: 1, quarantined: 0 },
    ]);
    expect(await backend.stat(rotten)).toBeDefined();

    const quarantined = await runVerify(root, '--quarantine');
    expect(quarantined.code).toBe(1);
    expect(quarantined.lines.at(-1)).toMatchObject({ corrupt: 1, quarantined: 1 });
    expect(await backend.stat(rotten)).toBeUndefined();
    expect(await backend.stat(good)).toBeDefined();
    expect(await readdir(join(root, '.quarantine'))).toHaveLength(1);

    const clean = await runVerify(root);
    expect(clean).toEqual({ code: 0, lines: [{ root, checked: 1, bytes: 10, corrupt: 0, quarantined: 0 }] });
  });

  it('stops when its signal aborts', async () => {
    await put(backend, 'a');
    await expect(verifyStore(backend, { quarantine: false, signal: AbortSignal.abort() })).rejects.toThrow();
  });
});
