import { defineJob, JobBase } from '@platform/workers';
import { z } from 'zod';
import type { StorageBackend } from '../storage/backend.js';
import { DOMAIN, QUEUE } from './queue.js';

const GcJobData = JobBase.extend({
  /** Unfinished writes older than this are abandoned (another process may still be writing newer ones). */
  temp_age_seconds: z
    .number()
    .int()
    .positive()
    .default(60 * 60),
});

/**
 * `gc`: removes abandoned temp writes and, when a TTL is configured, files older than it. A file is
 * deleted like through the API, so readers that have it open finish.
 */
export function gcJob(
  backend: StorageBackend,
  ttlSeconds: number | undefined,
  now: () => Date = () => new Date(),
) {
  return defineJob({
    domain: DOMAIN,
    queue: QUEUE,
    name: 'gc',
    schema: GcJobData,
    attempts: 3,
    timeoutMs: 60 * 60_000,
    process: async (data, context) => {
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
    },
  });
}
