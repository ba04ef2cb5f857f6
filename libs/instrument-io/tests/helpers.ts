import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'vitest';

const run = promisify(execFile);
export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
export const REFERENCE = fileURLToPath(new URL('./reference/', import.meta.url));
export const PYTHON = '/usr/bin/python3';

export function fixture(...parts: string[]): string {
  return join(FIXTURES, ...parts);
}

export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'instrument-io-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Runs a reference program and parses its stdout as JSON lines. */
export async function jsonLines<T>(file: string, args: string[]): Promise<T[]> {
  const { stdout } = await run(file, args, { maxBuffer: 256 << 20 });
  return stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
}

export async function exec(file: string, args: string[]): Promise<string> {
  return (await run(file, args, { maxBuffer: 64 << 20 })).stdout;
}

export interface PymzmlSpectrum {
  index: number;
  id: string;
  ms_level: number;
  rt_seconds: number | null;
  precursor_mz: number[];
  peaks: number;
  mz: number[];
  intensity: number[];
}

export function pymzml(file: string): Promise<PymzmlSpectrum[]> {
  return jsonLines<PymzmlSpectrum>(PYTHON, [join(REFERENCE, 'pymzml_dump.py'), file, '--arrays']);
}

/** Element-wise comparison: |a-b| <= rel * |b| + abs. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rel: number, abs = 0): void {
  expect(actual.length).toBe(expected.length);
  let worst = -1;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] ?? Number.NaN;
    const b = expected[i] ?? Number.NaN;
    if (!(Math.abs(a - b) <= rel * Math.abs(b) + abs)) {
      worst = i;
      break;
    }
  }
  if (worst >= 0) {
    expect.fail(`element ${String(worst)}: ${String(actual[worst])} vs expected ${String(expected[worst])}`);
  }
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
