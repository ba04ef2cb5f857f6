import type { Multipart } from '@fastify/multipart';
import { AppError, UserId, type PlatformApp } from '@platform/core';
import { jobStatus, registerJobStatusRoute } from '@platform/workers';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import {
  Language,
  TranscriptionJobResult,
  type TranscriptionJobData,
  type TranscriptionSource,
} from '../models/jobs.js';
import { OutputFormat, TranscriptionResult } from '../models/transcript.js';
import { parseYouTubeUrl } from '../models/youtube-url.js';
import { FileId, type FileStore } from '../models/files.js';
import { CONTENT_TYPES, render } from '../services/formats.js';
import type { transcriptionJob } from '../workers/transcribe.js';

export interface TranscriptionRouteDeps {
  queue: Queue;
  job: ReturnType<typeof transcriptionJob>;
  store: FileStore;
  redis: Redis;
  cancelKey: (jobId: string) => string;
  maxUploadBytes: number;
}

/** txt, srt and vtt answers (sent as text, not serialised as JSON). */
const TextBody = z.string().describe('the transcript as txt, srt or vtt when format is not json');

const Options = z.object({
  language: Language.optional(),
  prompt: z.string().max(2000).optional(),
  format: OutputFormat.default('json'),
  user_id: UserId.default('0'),
});
const JsonBody = Options.extend({
  youtube_url: z.string().max(2048).optional(),
  data_bank_file_id: FileId.optional(),
});

const UPLOAD_TYPES = /^(audio|video)\/|^application\/(octet-stream|ogg|mp4)$/;
const Accepted = z.object({ job_id: z.string(), status: z.literal('queued'), source: z.string() });
const JobParams = z.object({ job_id: z.string().min(1).max(200) });

function invalid(error: z.ZodError): AppError {
  const details = error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  return new AppError(
    'INVALID_INPUT',
    `Invalid request: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`,
    { details },
  );
}

export function registerTranscriptionRoutes(app: PlatformApp, deps: TranscriptionRouteDeps): void {
  const enqueue = async (source: TranscriptionSource, options: z.output<typeof Options>) => {
    const data: TranscriptionJobData = { ...options, source };
    const jobId = await deps.job.enqueue(deps.queue, data);
    return { job_id: jobId, status: 'queued' as const, source: source.kind };
  };

  /** Streams the `file` part to a temp file, then into data-bank; the other parts are the options. */
  const fromUpload = async (parts: AsyncIterable<Multipart>) => {
    const dir = await mkdtemp(join(tmpdir(), 'transcript-upload-'));
    try {
      const fields: Record<string, string> = {};
      let upload: { path: string; filename: string; mimetype: string } | undefined;
      for await (const part of parts) {
        if (part.type === 'field') {
          fields[part.fieldname] = String(part.value);
          continue;
        }
        if (part.fieldname !== 'file' || upload) {
          part.file.resume();
          continue;
        }
        const path = join(dir, 'upload');
        await pipeline(part.file, createWriteStream(path));
        if (part.file.truncated)
          throw new AppError('PAYLOAD_TOO_LARGE', `The upload exceeds ${deps.maxUploadBytes} bytes`);
        upload = { path, filename: part.filename, mimetype: part.mimetype };
      }
      if (!upload) throw new AppError('INVALID_INPUT', 'The multipart body has no "file" part');
      if (!UPLOAD_TYPES.test(upload.mimetype)) {
        throw new AppError(
          'UNSUPPORTED_MEDIA_TYPE',
          `Expected an audio or video file, got ${upload.mimetype}`,
        );
      }
      const options = Options.safeParse(fields);
      if (!options.success) throw invalid(options.error);
      const stored = await deps.store.upload(
        { kind: 'path', path: upload.path },
        { contentType: upload.mimetype },
      );
      const filename = upload.filename.slice(0, 255);
      return {
        source: { kind: 'data_bank' as const, file_id: stored.file_id, ...(filename !== '' && { filename }) },
        options: options.data,
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };

  const fromJson = async (body: unknown) => {
    const parsed = JsonBody.safeParse(body ?? {});
    if (!parsed.success) throw invalid(parsed.error);
    const { youtube_url: youtubeUrl, data_bank_file_id: fileId, ...options } = parsed.data;
    if ((youtubeUrl === undefined) === (fileId === undefined)) {
      throw new AppError(
        'INVALID_INPUT',
        'Give exactly one source: youtube_url, data_bank_file_id, or a multipart upload',
      );
    }
    if (youtubeUrl !== undefined)
      return { source: { kind: 'youtube' as const, video_id: parseYouTubeUrl(youtubeUrl) }, options };
    const fileIdValue = fileId ?? '';
    if (!(await deps.store.head(fileIdValue)))
      throw new AppError('NOT_FOUND', `data-bank has no file ${fileIdValue}`);
    return { source: { kind: 'data_bank' as const, file_id: fileIdValue }, options };
  };

  app.post(
    '/v1/transcriptions',
    {
      config: { auth: 'api' },
      schema: {
        summary: 'Start a speech-to-text job',
        description:
          'JSON `{youtube_url | data_bank_file_id, language?, prompt?, format?, user_id?}` or multipart with a `file` part and the options as fields.',
        response: { 202: Accepted },
      },
    },
    async (request, reply) => {
      const { source, options } = request.isMultipart()
        ? await fromUpload(request.parts({ limits: { fileSize: deps.maxUploadBytes, files: 1 } }))
        : await fromJson(request.body);
      return reply.status(202).send(await enqueue(source, options));
    },
  );

  registerJobStatusRoute(app, deps.queue, 'api', '/v1/transcriptions');

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
      if (!status) throw new AppError('JOB_NOT_FOUND', `No job ${request.params.job_id}`);
      if (status.status === 'failed')
        throw new AppError('JOB_FAILED', `The job failed: ${status.error?.message ?? 'unknown error'}`);
      if (status.status !== 'completed') throw new AppError('JOB_NOT_READY', `The job is ${status.status}`);
      // The status document's result is the job's outcome: { result_id, result_bytes, result }.
      const result = TranscriptionJobResult.parse(status.result);
      const format = request.query.format ?? result.format;
      const stored = TranscriptionResult.parse(await readJson(deps.store, result.files.json));
      if (format === 'json') return stored;
      return reply.type(CONTENT_TYPES[format]).send(render(format, stored.segments));
    },
  );

  app.delete(
    '/v1/transcriptions/:job_id',
    {
      config: { auth: 'api' },
      schema: {
        summary: 'Cancel a job',
        params: JobParams,
        response: { 200: z.object({ job_id: z.string(), status: z.enum(['cancelled', 'cancelling']) }) },
      },
    },
    async (request) => {
      const { job_id: jobId } = request.params;
      const job = await deps.queue.getJob(jobId);
      if (!job) throw new AppError('JOB_NOT_FOUND', `No job ${jobId}`);
      const state = await job.getState();
      if (state === 'completed' || state === 'failed')
        throw new AppError('CONFLICT', `The job has already ${state === 'failed' ? 'failed' : 'completed'}`);
      if (state !== 'active') {
        try {
          await job.remove();
          return { job_id: jobId, status: 'cancelled' as const };
        } catch {
          // A worker took it in the meantime: cancel it like a running job.
        }
      }
      await deps.redis.set(deps.cancelKey(jobId), '1', 'EX', 24 * 60 * 60);
      return { job_id: jobId, status: 'cancelling' as const };
    },
  );
}

async function readJson(store: FileStore, fileId: string): Promise<unknown> {
  const dir = await mkdtemp(join(tmpdir(), 'transcript-result-'));
  try {
    const path = join(dir, 'result.json');
    await store.download(fileId, path);
    return JSON.parse(await readFile(path, 'utf8')) as unknown;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
