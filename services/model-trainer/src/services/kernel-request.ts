import type { RunRequest } from '../models/run.js';
import type { PreparedCorpus } from './corpus/prepare.js';

/** The kernel's train request for a run (python/trainer_kernel/request.py). */
export function kernelTrainRequest(request: RunRequest, corpus: PreparedCorpus, outputDir: string, resumeFrom?: string) {
  const optional = <K extends keyof RunRequest>(key: K) => (request[key] === undefined ? {} : { [key]: request[key] });
  return {
    family: request.family,
    size: request.size,
    vocab_size: corpus.tokenizer.vocabSize,
    train_tokens: corpus.files.train,
    val_tokens: corpus.files.val,
    token_dtype: corpus.dtype,
    output_dir: outputDir,
    context_length: request.context_length,
    batch_size: request.batch_size,
    grad_accum: request.grad_accum,
    ...optional('epochs'),
    ...optional('max_tokens'),
    ...optional('time_budget_s'),
    ...optional('max_steps'),
    ...optional('dropout'),
    ...optional('early_stopping_patience'),
    lr: request.lr,
    warmup_steps: request.warmup_steps,
    weight_decay: request.weight_decay,
    grad_clip: request.grad_clip,
    precision: request.precision,
    device: request.device,
    threads: request.threads,
    seed: request.seed,
    eval_interval_s: request.eval_interval_s,
    eval_batches: request.eval_batches,
    ...(resumeFrom === undefined ? {} : { resume_from: resumeFrom }),
  };
}
