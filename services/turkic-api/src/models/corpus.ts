import { UserId } from '@platform/core';
import { z } from 'zod';

export const SOURCES = ['wikipedia', 'huggingface', 'url', 'data_bank'] as const;
export const TRANSFORMS = ['none', 'ipa', 'latin'] as const;

/** The body of POST /v1/corpus-jobs; the same fields travel as the job's data. */
export const CorpusRequest = z
  .object({
    user_id: UserId.default('0'),
    source: z.enum(SOURCES),
    language: z.string().min(1).max(8),
    script: z.enum(['Latn', 'Cyrl', 'Arab']).optional(),
    max_sentences: z.int().min(1).max(1_000_000).default(1000),
    min_confidence: z.number().min(0).max(1).default(0.9),
    transform: z.enum(TRANSFORMS).default('none'),
    dedupe: z.boolean().default(true),
    /** huggingface: the dataset repository, e.g. uonlp/CulturaX; config defaults to the language. */
    dataset: z.string().max(200).regex(/^[\w.-]+(\/[\w.-]+)?$/, 'dataset must look like owner/name').optional(),
    config: z.string().min(1).max(100).optional(),
    split: z.string().min(1).max(100).default('train'),
    /** url: an http(s) URL of .txt, .txt.gz, .bz2 or .jsonl; fetched only through the guarded fetcher. */
    url: z.url({ protocol: /^https?$/ }).max(4096).optional(),
    /** The text field of jsonl lines and parquet rows. */
    field: z.string().min(1).max(100).default('text'),
    /** data_bank: the id of a stored text file. */
    file_id: z.string().regex(/^[0-9a-f]{64}$/, 'file_id must be a data-bank file id (64 hex digits)').optional(),
  })
  .superRefine((value, context) => {
    const need = { huggingface: 'dataset', url: 'url', data_bank: 'file_id', wikipedia: undefined }[value.source];
    if (need !== undefined && value[need as 'dataset' | 'url' | 'file_id'] === undefined) {
      context.addIssue({ code: 'custom', path: [need], message: `${need} is required when source is ${value.source}` });
    }
  });
export type CorpusRequest = z.output<typeof CorpusRequest>;

export interface CorpusCounts {
  seen: number;
  kept: number;
  rejected: { language: number; script: number; confidence: number; duplicate: number; empty: number };
}
