import { UserId } from '@platform/core';
import { ServiceName } from '@platform/music';
import { JobBase } from '@platform/workers';
import { z } from 'zod';

export const DOMAIN = 'music_wrapped';
export const QUEUE = 'music_wrapped';

const ImportId = z.string().regex(/^imp_[0-9a-f]{32}$/, 'an import id from POST /v1/imports');

export const SourceSpec = z.union([
  z.object({ service: ServiceName, import_id: ImportId }).strict(),
  z.object({ service: z.enum(['lastfm', 'spotify', 'apple_music']), live: z.literal(true) }).strict(),
]);
export type SourceSpec = z.infer<typeof SourceSpec>;

const TimeZone = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch (error) {
    if (error instanceof RangeError) return false; // not a zone Intl knows
    throw error;
  }
}, 'an IANA time zone such as Europe/Berlin');

const sourceKey = (source: SourceSpec) => ('import_id' in source ? source.import_id : `live:${source.service}`);

/** The same source listed twice would count its plays twice: refused rather than silently merged. */
const Sources = z
  .array(SourceSpec)
  .min(1)
  .max(8)
  .superRefine((sources, ctx) => {
    const seen = new Set<string>();
    for (const [index, source] of sources.entries()) {
      const key = sourceKey(source);
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [index], message: 'lists a source that is already listed' });
      seen.add(key);
    }
  });

export const WrappedRequest = z.object({
  year: z.number().int().min(2000).max(2100),
  time_zone: TimeZone.default('UTC'),
  sources: Sources,
});
export type WrappedRequest = z.output<typeof WrappedRequest>;

export const WrappedJobData = JobBase.extend(WrappedRequest.shape);
export type WrappedJobData = z.infer<typeof WrappedJobData>;

/** What a finished job returns: the data-bank ids of its files and a short summary. */
export const WrappedResultFiles = z.object({
  report: z.string(),
  card_story: z.string(),
  card_landscape: z.string(),
  html: z.string(),
});
export type WrappedResultFiles = z.infer<typeof WrappedResultFiles>;

export const ImportRecord = z.object({
  import_id: ImportId,
  user_id: UserId,
  service: ServiceName,
  file_id: z.string(),
  filename: z.string(),
  size: z.number().int(),
  files: z.array(z.string()),
  created_at: z.string(),
});
export type ImportRecord = z.infer<typeof ImportRecord>;
