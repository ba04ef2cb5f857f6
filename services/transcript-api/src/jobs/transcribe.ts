import { defineJob } from '@platform/workers';
import { TranscriptionJobData } from '../models/jobs.js';

export const TRANSCRIPT_QUEUE = 'transcript';

/** Speech-to-text of one source: what the API enqueues (the worker runs it: workers/transcribe.ts). */
export const transcriptionJob = defineJob({
  domain: 'transcript',
  queue: TRANSCRIPT_QUEUE,
  name: 'transcribe',
  schema: TranscriptionJobData,
  // Provider outages are retried per chunk inside the job; a second try of the whole job rarely helps.
  attempts: 2,
  backoffMs: 30_000,
  // The worker's TRANSCRIPT_JOB_TIMEOUT_S replaces this (only the worker enforces it).
  timeoutMs: 2 * 60 * 60_000,
});
