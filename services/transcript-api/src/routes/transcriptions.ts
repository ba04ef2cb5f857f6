import { AppError, type PlatformApp, type ScratchArea } from '@platform/core';
import { IdempotencyKeyHeaders, idempotencyKeyOf, jobStatus, registerJobRoutes } from '@platform/workers';
import type { Queue } from 'bullmq';
import { z } from 'zod';
import { TranscriptionJobResult, type TranscriptionJobData } from '../models/jobs.js';
import { OutputFormat, TranscriptionResult } from '../models/transcript.js';
import type { FileStore } from '../models/files.js';
import { CONTENT_TYPES, render } from '../services/formats.js';
import type { transcriptionJob } from '../workers/transcribe.js';
import { jsonSource, readStoredTranscript, uploadSource } from './sources.js';

export interface TranscriptionRouteDeps {
  queue: Queue;
  job: ReturnType<typeof transcriptionJob>;
  store: FileStore;
  scratch: ScratchArea;
  maxUploadBytes: number;
  uploadTimeoutMs: number;
}

/** txt, srt and vtt answers (sent as text, not serialised as JSON). */
const TextBody = z.string().describe('the transcript as txt, srt or vtt when format is not json');

const Accepted = z.object({ job_id: z.string(), status: z.literal('queued'), source: z.string() });
const JobParams = z.object({ job_id: z.string().min(1).max(200) });

export function registerTranscriptionRoutes(app: PlatformApp, deps: TranscriptionRouteDeps): void {
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
      const idempotencyKey = idempotencyKeyOf(request.headers);
      const { source, options } = request.isMultipart()
        ? await uploadSource(request, deps)
        : await jsonSource(request.body, deps.store);
      const data: TranscriptionJobData = { ...options, source };
      const jobId = await deps.job.enqueue(deps.queue, data, { idempotencyKey });
      return reply.status(202).send({ job_id: jobId, status: 'queued' as const, source: source.kind });
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
      const status = await jobStatus(deps.queue, request.params.job_id);
      if (!status) throw new AppError('JOB_NOT_FOUND', 'No such job');
      if (status.status === 'failed')
        throw new AppError('JOB_FAILED', `The job failed: ${status.error?.message ?? 'unknown error'}`);
      if (status.status !== 'completed') throw new AppError('JOB_NOT_READY', `The job is ${status.status}`);
      // The status document's result is the job's outcome: { result_id, result_bytes, result }.
      const result = TranscriptionJobResult.parse(status.result);
      const format = request.query.format ?? result.format;
      const stored = await readStoredTranscript(deps.store, result.files.json);
      if (format === 'json') return stored;
      return reply.type(CONTENT_TYPES[format]).send(render(format, stored.segments));
    },
  );
}
