import type { PlatformApp } from '@platform/core';
import { IdempotencyKeyHeaders, idempotencyKeyOf, registerJobRoutes } from '@platform/workers';
import { z } from 'zod';
import { OutputFormat, TranscriptionResult } from '../models/transcript.js';
import { CONTENT_TYPES, render } from '../services/formats.js';
import { finishedTranscript, startTranscription, type TranscriptionsDeps } from '../services/transcriptions.js';

/** txt, srt and vtt answers (sent as text, not serialised as JSON). */
const TextBody = z.string().describe('the transcript as txt, srt or vtt when format is not json');

const Accepted = z.object({ job_id: z.string(), status: z.literal('queued'), source: z.string() });
const JobParams = z.object({ job_id: z.string().min(1).max(200) });

export function registerTranscriptionRoutes(app: PlatformApp, deps: TranscriptionsDeps): void {
  app.post(
    '/v1/transcriptions',
    {
      config: { auth: 'api' },
      schema: {
        summary: 'Start a speech-to-text job',
        description:
          'JSON `{youtube_url | data_bank_file_id, language?, prompt?, format?, user_id?}` or multipart with a `file` part and the options as fields.',
        headers: IdempotencyKeyHeaders,
        response: { 202: Accepted },
      },
    },
    async (request, reply) => {
      const queued = await startTranscription(deps, request, idempotencyKeyOf(request.headers));
      return reply.status(202).send({ job_id: queued.jobId, status: 'queued' as const, source: queued.source });
    },
  );

  registerJobRoutes(app, deps.queue, 'api');
  // The transcription aliases of the same status and cancel routes (README).
  registerJobRoutes(app, deps.queue, 'api', '/v1/transcriptions');

  app.get(
    '/v1/transcriptions/:job_id/result',
    {
      config: { auth: 'api' },
      schema: {
        summary: 'Transcript of a completed job',
        params: JobParams,
        querystring: z.object({ format: OutputFormat.optional() }),
        response: { 200: TranscriptionResult.or(TextBody) },
      },
    },
    async (request, reply) => {
      const { format, transcript } = await finishedTranscript(deps, request.params.job_id, request.query.format);
      if (format === 'json') return transcript;
      return reply.type(CONTENT_TYPES[format]).send(render(format, transcript.segments));
    },
  );
}
