import { defineJob, JobBase } from '@platform/workers';
import { z } from 'zod';

export const QUEUE = 'example';

export const WordCountData = JobBase.extend({ text: z.string() });

/**
 * What the API enqueues and the worker validates: queue, name, schema and options, no processor. The
 * handler (src/workers/word-count.ts) is built by the worker process only.
 */
export const wordCountJob = defineJob({
  domain: 'example',
  queue: QUEUE,
  name: 'word_count',
  schema: WordCountData,
  attempts: 2,
  timeoutMs: 60_000,
});
