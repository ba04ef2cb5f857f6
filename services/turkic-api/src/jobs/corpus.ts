import { defineJob } from '@platform/workers';
import { CorpusRequest } from '../models/corpus.js';

export const CORPUS_QUEUE = 'turkic';

export interface CorpusJobOptions {
  /** Wall-clock limit of one try (TURKIC_JOB_TIMEOUT_MS; default 4 h). */
  timeoutMs?: number;
  attempts?: number;
  backoffMs?: number;
}

/** `corpus`: builds a corpus file from a source and stores it in data-bank (the result's `result_id`). */
export function corpusJob(options: CorpusJobOptions = {}) {
  return defineJob({
    domain: 'turkic',
    queue: CORPUS_QUEUE,
    name: 'corpus',
    schema: CorpusRequest,
    timeoutMs: options.timeoutMs ?? 4 * 60 * 60 * 1000,
    attempts: options.attempts ?? 2,
    backoffMs: options.backoffMs ?? 30_000,
  });
}

export type CorpusJob = ReturnType<typeof corpusJob>;
