import { defineJob } from '@platform/workers';
import { TrainRequest } from '../models/train.js';

export const DIGITS_QUEUE = 'digits';
export const DIGITS_DOMAIN = 'digits';

export interface TrainJobOptions {
  /** Wall-clock limit of the training (HANDWRITING_TRAIN_TIMEOUT_MS; default 4 h). */
  timeoutMs?: number;
}

/** `train`: trains a digits model with the PyTorch kernel, checks its ONNX export and registers it. */
export function trainJob(options: TrainJobOptions = {}) {
  return defineJob({
    domain: DIGITS_DOMAIN,
    queue: DIGITS_QUEUE,
    name: 'train',
    schema: TrainRequest,
    attempts: 1,
    timeoutMs: options.timeoutMs ?? 4 * 60 * 60 * 1000,
  });
}

export type TrainJob = ReturnType<typeof trainJob>;
