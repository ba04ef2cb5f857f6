import { JobBase } from '@platform/workers';
import { z } from 'zod';
import { CorpusOptions } from './run.js';

/** `POST /v1/tokenizers`: trained on the corpus's train split (the same seeded document split as a run's). */
export const TokenizerRequest = JobBase.extend({
  kind: z.enum(['bpe', 'char']),
  ...CorpusOptions,
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
  /** bpe: specials + 256 bytes + merges. */
  vocab_size: z.number().int().min(257).max(65_536).default(8192),
  special_tokens: z.array(z.string().min(1).max(64)).max(64).default(['<|endoftext|>']),
  min_frequency: z.number().int().min(1).max(1_000_000).default(2),
});
export type TokenizerRequest = z.output<typeof TokenizerRequest>;

export const TokenizerView = z.object({
  tokenizer_id: z.string(),
  kind: z.enum(['bpe', 'char']),
  status: z.enum(['queued', 'processing', 'completed', 'failed']),
  vocab_size: z.number().nullable(),
  special_tokens: z.array(z.string()),
  file_id: z.string().nullable(),
  stats: z.record(z.string(), z.unknown()).nullable(),
  builtin: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
  error: z.string().nullable(),
});
export type TokenizerView = z.output<typeof TokenizerView>;
