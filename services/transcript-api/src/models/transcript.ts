import { z } from 'zod';

export const Segment = z.object({ start: z.number(), end: z.number(), text: z.string() });
export type Segment = z.infer<typeof Segment>;

export const OutputFormat = z.enum(['json', 'txt', 'srt', 'vtt']);
export type OutputFormat = z.infer<typeof OutputFormat>;

/** The stored result of a transcription job (the JSON file in data-bank). */
export const TranscriptionResult = z.object({
  language: z.string().nullable(),
  duration_s: z.number(),
  provider: z.string(),
  segments: z.array(Segment),
  text: z.string(),
});
export type TranscriptionResult = z.infer<typeof TranscriptionResult>;
