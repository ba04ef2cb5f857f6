import { defineJob, JobBase } from '@platform/workers';
import { z } from 'zod';
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
export const gcJob = defineJob({
  domain: DOMAIN,
  queue: QUEUE,
  name: 'gc',
  schema: GcJobData,
  attempts: 3,
  timeoutMs: 60 * 60_000,
});
