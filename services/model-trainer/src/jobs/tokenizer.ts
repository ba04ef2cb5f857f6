import { defineJob } from '@platform/workers';
import { TokenizerRequest } from '../models/tokenizer.js';
import { TRAINER_DOMAIN, TRAINER_QUEUE } from './queue.js';

/** `tokenizer`: trains a byte-level BPE or char tokenizer; its job id is the tokenizer id. */
export const tokenizerJob = defineJob({
  domain: TRAINER_DOMAIN,
  queue: TRAINER_QUEUE,
  name: 'tokenizer',
  schema: TokenizerRequest,
  attempts: 2,
  timeoutMs: 6 * 60 * 60 * 1000,
});
