import { createHash } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import type { StorageBackend } from '../storage/backend.js';

interface CorruptEntry {
  id: string;
  problem: string;
}

export interface VerifyReport {
  checked: number;
  bytes: number;
  corrupt: CorruptEntry[];
  quarantined: number;
}

export interface VerifyOptions {
  /** Move corrupt entries to quarantine instead of only reporting them. */
  quarantine: boolean;
  signal?: AbortSignal;
  /** Called after each entry with the report so far, and the entry's problem when it is corrupt. */
  onEntry?: (report: VerifyReport, corrupt?: CorruptEntry) => Promise<void> | void;
}

async function hashOf(backend: StorageBackend, id: string, size: number): Promise<string> {
  const hash = createHash('sha256');
  if (size > 0) {
    const stream = await backend.openRange(id, 0, size - 1);
    if (!stream) throw new Error('blob vanished');
    await pipeline(stream, hash);
  }
  return hash.digest('hex');
}

/** What is wrong with a committed entry's bytes, or undefined when they hash to its id. */
async function contentProblem(backend: StorageBackend, id: string, size: number): Promise<string | undefined> {
  let actual: string;
  try {
    actual = await hashOf(backend, id, size);
  } catch (error) {
    return `unreadable: ${error instanceof Error ? error.message : String(error)}`;
  }
  return actual === id ? undefined : `content hashes to ${actual}`;
}

/** Re-hashes every stored file and reports (or quarantines) entries whose bytes or record are wrong. */
export async function verifyStore(backend: StorageBackend, options: VerifyOptions): Promise<VerifyReport> {
  const report: VerifyReport = { checked: 0, bytes: 0, corrupt: [], quarantined: 0 };
  for await (const entry of backend.scan()) {
    options.signal?.throwIfAborted();
    let problem = entry.problem;
    if (problem === undefined && entry.record) {
      problem = await contentProblem(backend, entry.id, entry.record.size);
      report.bytes += entry.record.size;
    }
    report.checked++;
    const corrupt = problem === undefined ? undefined : { id: entry.id, problem };
    if (corrupt) {
      report.corrupt.push(corrupt);
      if (options.quarantine) {
        await backend.quarantine(entry.id, corrupt.problem);
        report.quarantined++;
      }
    }
    await options.onEntry?.(report, corrupt);
  }
  return report;
}
