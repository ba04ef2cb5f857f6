import { defineJob, JobBase } from '@platform/workers';
import { z } from 'zod';
import { DOMAIN, QUEUE } from './queue.js';

const VerifyJobData = JobBase.extend({
  /** Move corrupt entries out of the store (default) or only report them. */
  quarantine: z.boolean().default(true),
});

/** `verify`: the integrity scrub. Re-hashes every file; the result lists what was corrupt. */
export const verifyJob = defineJob({
  domain: DOMAIN,
  queue: QUEUE,
  name: 'verify',
  schema: VerifyJobData,
  attempts: 1,
  timeoutMs: 6 * 60 * 60_000,
});
