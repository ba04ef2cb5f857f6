import { defineJob } from '@platform/workers';
import { DOMAIN, QUEUE, WrappedJobData } from '../models/wrapped.js';

/** One year-in-music report: what the API enqueues (the worker runs it: workers/wrapped.ts). */
export const wrappedJob = defineJob({
  domain: DOMAIN,
  queue: QUEUE,
  name: 'wrapped',
  schema: WrappedJobData,
  attempts: 2,
  timeoutMs: 30 * 60_000,
});
