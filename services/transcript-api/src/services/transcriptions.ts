import { AppError, dataBankFailure, DataBankNotFoundError } from '@platform/core';
import { jobStatus } from '@platform/workers';
import type { Queue } from 'bullmq';
import type { FastifyRequest } from 'fastify';
import { transcriptionJob } from '../jobs/transcribe.js';
import { TranscriptionJobResult, type TranscriptionSource } from '../models/jobs.js';
import type { FileStore } from '../models/files.js';
import { TranscriptionResult, type OutputFormat } from '../models/transcript.js';
import { parseJsonOrUndefined } from './json.js';
import { jsonSource, uploadSource, type SourceDeps } from './sources.js';

export interface TranscriptionsDeps extends SourceDeps {
  queue: Queue;
}

export interface QueuedTranscription {
  jobId: string;
  source: TranscriptionSource['kind'];
}

/**
 * Queues a transcription of what the request names: a multipart upload (stored in data-bank first) or a
 * JSON body's YouTube URL or data-bank file.
 */
export async function startTranscription(
  deps: TranscriptionsDeps,
  request: FastifyRequest,
  idempotencyKey: string | undefined,
): Promise<QueuedTranscription> {
  const { source, options } = request.isMultipart() ? await uploadSource(request, deps) : await jsonSource(request.body, deps.store);
  const jobId = await transcriptionJob.enqueue(deps.queue, { ...options, source }, { idempotencyKey });
  return { jobId, source: source.kind };
}

export interface FinishedTranscript {
  /** The format asked for, else the one the job was queued with. */
  format: OutputFormat;
  transcript: TranscriptionResult;
}

/** The transcript of a completed job; a missing, failed or unfinished job is a 4xx. */
export async function finishedTranscript(
  deps: { queue: Queue; store: FileStore },
  jobId: string,
  format: OutputFormat | undefined,
): Promise<FinishedTranscript> {
  const status = await jobStatus(deps.queue, jobId);
  if (!status) throw new AppError('JOB_NOT_FOUND', 'No such job');
  if (status.status === 'failed') throw new AppError('JOB_FAILED', `The job failed: ${status.error?.message ?? 'unknown error'}`);
  if (status.status !== 'completed') throw new AppError('JOB_NOT_READY', `The job is ${status.status}`);
  // The status document's result is the job's outcome: { result_id, result_bytes, result }.
  const result = TranscriptionJobResult.parse(status.result);
  const transcript = await readStoredTranscript(deps.store, result.files.json);
  return { format: format ?? result.format, transcript };
}

/** The stored transcript document; a file gone from data-bank is 404, data-bank down 503, a bad one 502. */
async function readStoredTranscript(store: FileStore, fileId: string): Promise<TranscriptionResult> {
  let text: string;
  try {
    text = await new Response(await store.stream(fileId)).text();
  } catch (error) {
    if (error instanceof DataBankNotFoundError) throw new AppError('NOT_FOUND', 'The transcript is no longer stored in data-bank');
    throw dataBankFailure(error);
  }
  const stored = TranscriptionResult.safeParse(parseJsonOrUndefined(text));
  if (!stored.success) throw new AppError('EXTERNAL_SERVICE_ERROR', 'data-bank returned an unreadable transcript');
  return stored.data;
}
