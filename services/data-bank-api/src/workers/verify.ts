import { handleJob } from '@platform/workers';
import { verifyJob } from '../jobs/verify.js';
import { verifyStore } from '../services/integrity.js';
import type { StorageBackend } from '../storage/backend.js';

const PROGRESS_EVERY = 100;

async function countEntries(backend: StorageBackend): Promise<number> {
  const entries = backend.scan()[Symbol.asyncIterator]();
  let count = 0;
  while (!(await entries.next()).done) count++;
  return count;
}

/** Runs `verify` on the worker's storage, reporting progress every hundred files. */
export function verifyHandler(backend: StorageBackend) {
  return handleJob(verifyJob, async (data, context) => {
    const total = await countEntries(backend);
    const report = await verifyStore(backend, {
      quarantine: data.quarantine,
      signal: context.signal,
      onEntry: async ({ checked, corrupt }) => {
        if (checked % PROGRESS_EVERY !== 0) return;
        const pct = Math.min(99, Math.floor((checked / Math.max(total, 1)) * 100));
        await context.progress(pct, `checked ${checked} of ${total}`, { checked, corrupt: corrupt.length });
      },
    });
    if (report.corrupt.length > 0) context.logger.warn({ corrupt: report.corrupt }, 'verify found corrupt files');
    return {
      result: {
        checked: report.checked,
        bytes: report.bytes,
        corrupt: report.corrupt.slice(0, 100),
        corrupt_count: report.corrupt.length,
        quarantined: report.quarantined,
      },
    };
  });
}
