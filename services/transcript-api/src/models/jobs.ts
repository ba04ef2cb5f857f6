import { JobBase } from '@platform/workers';
import { z } from 'zod';
import { FileId } from './files.js';
import { OutputFormat } from './transcript.js';

export const Language = z
  .string()
  .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language code such as en or pt-BR');

export const TranscriptionSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('youtube'), video_id: z.string().regex(/^[A-Za-z0-9_-]{11}$/) }),
  z.object({ kind: z.literal('data_bank'), file_id: FileId, filename: z.string().max(255).optional() }),
]);
export type TranscriptionSource = z.infer<typeof TranscriptionSource>;

export const TranscriptionJobData = JobBase.extend({
  source: TranscriptionSource,
  language: Language.optional(),
  prompt: z.string().max(2000).optional(),
  format: OutputFormat.default('json'),
});
export type TranscriptionJobData = z.infer<typeof TranscriptionJobData>;

/** The job's small result (`GET /v1/transcriptions/{id}`); the transcript itself is in data-bank. */
export const TranscriptionJobResult = z.object({
  files: z.object({ json: FileId, srt: FileId, vtt: FileId }),
  format: OutputFormat,
  language: z.string().nullable(),
  duration_s: z.number(),
  provider: z.string(),
  segments: z.number().int(),
  characters: z.number().int(),
});
export type TranscriptionJobResult = z.infer<typeof TranscriptionJobResult>;
