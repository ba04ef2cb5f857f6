import { AppError, quoted, type DataBankClient } from '@platform/core';
import { jobStatus, type JobStatus } from '@platform/workers';
import type { Queue } from 'bullmq';
import { wrappedJob } from '../jobs/wrapped.js';
import { WrappedResultFiles, type WrappedRequest } from '../models/wrapped.js';
import { viaDataBank } from './data-bank-errors.js';
import type { ImportStore } from './import-store.js';
import type { TokenStore } from './token-store.js';
import { checkSources } from './wrapped-sources.js';

export interface ReportsDeps {
  queue: Queue;
  imports: ImportStore;
  tokens: TokenStore;
  dataBank: DataBankClient;
}

/** Checks the report's sources for the user, then queues the report; returns the job id. */
export async function startReport(
  deps: ReportsDeps,
  userId: string,
  request: WrappedRequest,
  idempotencyKey: string | undefined,
): Promise<string> {
  await checkSources(request.sources, userId, deps);
  return wrappedJob.enqueue(deps.queue, { user_id: userId, ...request }, { idempotencyKey });
}

/** The job when it exists and belongs to the user; someone else's job reads as missing. */
export async function ownedReport(queue: Queue, jobId: string, userId: string): Promise<JobStatus> {
  const status = await jobStatus(queue, jobId);
  if (status?.user_id !== userId) throw new AppError('JOB_NOT_FOUND', `No job ${quoted(jobId)}`);
  return status;
}

/** One file of the user's completed report, streamed from data-bank; 425 while it runs, 410 when it failed. */
export async function reportFile(
  deps: Pick<ReportsDeps, 'queue' | 'dataBank'>,
  jobId: string,
  userId: string,
  pick: (files: WrappedResultFiles) => string,
): Promise<ReadableStream<Uint8Array>> {
  const status = await ownedReport(deps.queue, jobId, userId);
  if (status.status === 'failed') throw new AppError('JOB_FAILED', status.error?.message ?? 'the job failed');
  if (status.status !== 'completed')
    throw new AppError('JOB_NOT_READY', `the job is ${status.status}`, { headers: { 'retry-after': '5' } });
  const files = WrappedResultFiles.parse(status.result?.files);
  return viaDataBank(() => deps.dataBank.stream(pick(files)));
}
