import { defineJob } from '@platform/workers';
import { RunRequest } from '../models/run.js';
import { TRAINER_DOMAIN, TRAINER_QUEUE } from './queue.js';

export interface TrainJobOptions {
  /** Wall-clock limit of one run (TRAINER_TRAIN_TIMEOUT_MS; default 7 days). */
  timeoutMs?: number;
}

/** `train`: a GPT-2 or char-LSTM run in the PyTorch kernel; its job id is the run id. */
export function trainJob(options: TrainJobOptions = {}) {
  return defineJob({
    domain: TRAINER_DOMAIN,
    queue: TRAINER_QUEUE,
    name: 'train',
    schema: RunRequest,
    attempts: 1,
    timeoutMs: options.timeoutMs ?? 7 * 24 * 60 * 60 * 1000,
  });
}

export type TrainJob = ReturnType<typeof trainJob>;
