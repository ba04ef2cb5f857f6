import { AppError, checkTarget, DataBankNotFoundError, dataBankFailure, invalidInput, quoted } from '@platform/core';
import { jobStatus } from '@platform/workers';
import type { Queue } from 'bullmq';
import type { CorpusJob } from '../jobs/corpus.js';
import type { CorpusRequest } from '../models/corpus.js';
import type { Catalog } from '../transliteration/catalog.js';
import { checkLanguage } from './conversion.js';
import type { DataBank } from './data-bank.js';

export interface CorpusJobsDeps {
  queue: Queue;
  job: CorpusJob;
  catalog: Catalog;
  dataBank: DataBank;
  /** FETCH_ALLOW_LIST: a url source's target is checked against it before the job is queued. */
  fetchAllowList: readonly string[];
}

/** What the schema cannot say: the language and transform exist, and a url source's target may be fetched. */
function checkCorpusRequest(body: CorpusRequest, catalog: Catalog, fetchAllowList: readonly string[]): void {
  // What needs no DNS (scheme, credentials, IP-literal hosts in any spelling) is refused before queueing.
  if (body.source === 'url') checkTarget(body.url ?? '', { allowList: fetchAllowList });
  checkLanguage(catalog, body.language);
  if (body.transform !== 'none' && !catalog.conversion(body.language, body.transform)) {
    const offered = ['none', ...catalog.targetsOf(body.language)].join(', ');
    throw invalidInput(`language ${body.language} has no transform ${quoted(body.transform)}; supported: ${offered}`);
  }
}

/** Checks the request and queues the job; returns its id. */
export async function startCorpusJob(deps: CorpusJobsDeps, body: CorpusRequest, idempotencyKey: string | undefined): Promise<string> {
  checkCorpusRequest(body, deps.catalog, deps.fetchAllowList);
  return deps.job.enqueue(deps.queue, body, { idempotencyKey });
}

/** The corpus text of a completed job, streamed from data-bank; a 4xx while it is not there. */
export async function openCorpusResult(deps: CorpusJobsDeps, jobId: string): Promise<ReadableStream<Uint8Array>> {
  const status = await jobStatus(deps.queue, jobId);
  if (!status) throw new AppError('JOB_NOT_FOUND', `No corpus job ${quoted(jobId)}`);
  if (status.status === 'failed') {
    throw new AppError('JOB_FAILED', `corpus job failed: ${status.error?.message ?? 'unknown error'}`);
  }
  if (status.status !== 'completed') throw new AppError('JOB_NOT_READY', `corpus job is ${status.status}`);
  const fileId = status.result_id;
  if (fileId === null) throw new AppError('JOB_FAILED', 'corpus job has no stored result');
  try {
    return await deps.dataBank.stream(fileId);
  } catch (error) {
    if (error instanceof DataBankNotFoundError) throw new AppError('JOB_FAILED', 'corpus result has expired from data-bank');
    throw dataBankFailure(error);
  }
}
