import { handleJob } from '@platform/workers';
import { gcJob } from '../jobs/gc.js';
import type { StorageBackend } from '../storage/backend.js';

/** Runs `gc` on the worker's storage; `ttlSeconds` unset keeps every committed file. */
export function gcHandler(backend: StorageBackend, ttlSeconds: number | undefined, now: () => Date = () => new Date()) {
  return handleJob(gcJob, async (data, context) => {
    const tempsRemoved = await backend.sweepTemps(data.temp_age_seconds * 1000);
    let expired = 0;
    let bytesFreed = 0;
    if (ttlSeconds !== undefined) {
      const cutoff = now().getTime() - ttlSeconds * 1000;
      for await (const entry of backend.scan()) {
        context.signal.throwIfAborted();
        if (!entry.record || Date.parse(entry.record.created_at) > cutoff) continue;
        if (await backend.delete(entry.id)) {
          expired++;
          bytesFreed += entry.record.size;
        }
      }
    }
    context.logger.info({ tempsRemoved, expired, bytesFreed }, 'gc done');
    return {
      result: {
        temps_removed: tempsRemoved,
        expired,
        bytes_freed: bytesFreed,
        ttl_seconds: ttlSeconds ?? null,
      },
    };
  });
}
