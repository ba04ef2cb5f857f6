import { AppError } from '@platform/core';
import type { Queue } from 'bullmq';
import { tokenizerJob } from '../jobs/tokenizer.js';
import type { TrainJob } from '../jobs/train.js';
import type { RunRequest } from '../models/run.js';
import type { TokenizerRequest } from '../models/tokenizer.js';
import type { RunStore } from './run-store.js';
import type { TokenizerStore } from './tokenizer-store.js';

export interface StartRunDeps {
  queue: Queue;
  trainJob: TrainJob;
  store: RunStore;
  tokenizers: TokenizerStore;
}

/**
 * Queues a training run after checking what the schema cannot (its tokenizer is trained, the run it
 * resumes has a checkpoint) and records it as queued; the run id is the job id.
 */
export async function startRun(deps: StartRunDeps, request: RunRequest, idempotencyKey: string | undefined): Promise<string> {
  if (request.tokenizer_id !== undefined) {
    const tokenizer = await deps.tokenizers.get(request.tokenizer_id);
    if (tokenizer?.status !== 'completed')
      throw new AppError('INVALID_INPUT', `tokenizer ${request.tokenizer_id} is not a completed tokenizer`);
  }
  if (request.resume_from !== undefined) {
    const source = await deps.store.get(request.resume_from);
    if (!source?.checkpoint) throw new AppError('INVALID_INPUT', `run ${request.resume_from} has no checkpoint to resume from`);
  }
  const jobId = await deps.trainJob.enqueue(deps.queue, request, { idempotencyKey });
  await deps.store.ensure(jobId, request);
  return jobId;
}

/** Queues a tokenizer training and records it as queued; the tokenizer id is the job id. */
export async function startTokenizer(
  deps: { queue: Queue; tokenizers: TokenizerStore },
  request: TokenizerRequest,
  idempotencyKey: string | undefined,
): Promise<string> {
  const jobId = await tokenizerJob.enqueue(deps.queue, request, { idempotencyKey });
  await deps.tokenizers.ensure(jobId, request);
  return jobId;
}
