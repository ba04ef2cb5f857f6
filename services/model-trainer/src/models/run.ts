import { JobBase } from '@platform/workers';
import { z } from 'zod';

const GPT2_SIZES = ['tiny', 'mini', 'small', 'medium', 'large', 'xl'] as const;
const CHAR_LSTM_SIZES = ['small', 'medium', 'large'] as const;
const FileId = z.string().regex(/^[0-9a-f]{64}$/, 'a data-bank file id (64 lowercase hex characters)');
const RunId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

export const CorpusOptions = {
  corpus_file_id: FileId,
  corpus_format: z.enum(['auto', 'text', 'lines', 'jsonl']).default('auto'),
  /** The jsonl field that holds each document's text. */
  corpus_field: z.string().min(1).max(100).default('text'),
  val_fraction: z.number().min(0.001).max(0.5).default(0.1),
  test_fraction: z.number().min(0).max(0.5).default(0),
};

/** `POST /v1/runs` (field names fixed by the issue; python/trainer_kernel/request.py checks them again). */
export const RunRequest = JobBase.extend({
  family: z.enum(['gpt2', 'char_lstm']),
  size: z.string(),
  ...CorpusOptions,
  /** A tokenizer of this service; absent: char-level, trained on the train split. */
  tokenizer_id: z.string().max(100).optional(),
  context_length: z.number().int().min(8).max(8192).default(256),
  batch_size: z.number().int().min(1).max(4096).default(32),
  grad_accum: z.number().int().min(1).max(1024).default(1),
  epochs: z.number().positive().max(1000).optional(),
  max_tokens: z.number().int().positive().optional(),
  time_budget_s: z.number().positive().max(7 * 24 * 3600).optional(),
  max_steps: z.number().int().positive().optional(),
  lr: z.number().positive().max(1).default(3e-4),
  warmup_steps: z.number().int().min(0).default(100),
  weight_decay: z.number().min(0).max(10).default(0.1),
  grad_clip: z.number().min(0).max(1000).default(1),
  dropout: z.number().min(0).max(0.9).optional(),
  precision: z.enum(['auto', 'fp32', 'bf16', 'fp16']).default('auto'),
  device: z.enum(['auto', 'cpu', 'cuda']).default('auto'),
  threads: z.number().int().min(1).max(256).default(1),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
  eval_interval_s: z.number().positive().max(86_400).default(30),
  eval_batches: z.number().int().min(1).max(10_000).default(20),
  early_stopping_patience: z.number().int().min(1).optional(),
  /** A finished or cancelled run of this service: training continues from its last checkpoint. */
  resume_from: RunId.optional(),
  /** Anyone may generate from and score a public run's model (GET of its samples needs no key). */
  public: z.boolean().default(false),
}).superRefine((request, context) => {
  const sizes: readonly string[] = request.family === 'gpt2' ? GPT2_SIZES : CHAR_LSTM_SIZES;
  if (!sizes.includes(request.size)) {
    context.addIssue({ code: 'custom', path: ['size'], message: `size of ${request.family} must be one of ${sizes.join(', ')}` });
  }
  if (request.family === 'char_lstm' && request.tokenizer_id !== undefined) {
    context.addIssue({ code: 'custom', path: ['tokenizer_id'], message: 'char_lstm trains on characters: leave tokenizer_id out' });
  }
});
export type RunRequest = z.output<typeof RunRequest>;

export const RunStatus = z.enum(['queued', 'processing', 'completed', 'failed', 'cancelled']);
export type RunStatus = z.output<typeof RunStatus>;

export const RunMetrics = z.object({
  step: z.number().nullable(),
  train_loss: z.number().nullable(),
  val_loss: z.number().nullable(),
  best_val_loss: z.number().nullable(),
  tokens_per_s: z.number().nullable(),
});
export type RunMetrics = z.output<typeof RunMetrics>;
