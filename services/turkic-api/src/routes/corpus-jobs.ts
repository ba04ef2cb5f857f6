import { AppError, checkTarget, DataBankNotFoundError, dataBankFailure, invalidInput, quoted, type PlatformApp } from '@platform/core';
import { IdempotencyKeyHeaders, idempotencyKeyOf, jobStatus, registerJobRoutes } from '@platform/workers';
import type { Queue } from 'bullmq';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { CorpusRequest } from '../models/corpus.js';
import type { DataBank } from '../services/data-bank.js';
import type { Catalog } from '../transliteration/catalog.js';
import type { JobDefinition } from '@platform/workers';

export interface CorpusRouteDeps {
  queue: Queue;
  job: JobDefinition<typeof CorpusRequest>;
  catalog: Catalog;
  dataBank: DataBank;
  /** FETCH_ALLOW_LIST: a url source's target is checked against it before the job is queued. */
  fetchAllowList: readonly string[];
}

const Params = z.object({ job_id: z.string().min(1).max(200) });
const Accepted = z.object({ job_id: z.string(), user_id: z.string(), status: z.string() });

async function statusOf(queue: Queue, jobId: string) {
  const status = await jobStatus(queue, jobId);
  if (!status) throw new AppError('JOB_NOT_FOUND', `No corpus job ${quoted(jobId)}`);
  return status;
}

/** What the schema cannot say: the language and transform exist, and a url source's target may be fetched. */
function checkCorpusRequest(body: CorpusRequest, catalog: Catalog, fetchAllowList: readonly string[]): void {
  // What needs no DNS (scheme, credentials, IP-literal hosts in any spelling) is refused before queueing.
  if (body.source === 'url') checkTarget(body.url ?? '', { allowList: fetchAllowList });
  if (!catalog.languages.includes(body.language)) {
    throw invalidInput(`unknown language ${quoted(body.language)}; supported: ${catalog.languages.join(', ')}`);
  }
  if (body.transform !== 'none' && !catalog.conversion(body.language, body.transform)) {
    const offered = ['none', ...catalog.targetsOf(body.language)].join(', ');
    throw invalidInput(`language ${body.language} has no transform ${quoted(body.transform)}; supported: ${offered}`);
  }
}

export function registerCorpusJobRoutes(app: PlatformApp, deps: CorpusRouteDeps): void {
  const { queue, catalog } = deps;
  registerJobRoutes(app, queue, 'api');
  // The corpus-job aliases of the same status and cancel routes (README).
  registerJobRoutes(app, queue, 'api', '/v1/corpus-jobs');

  app.post(
    '/v1/corpus-jobs',
    {
      config: { auth: 'api' },
      schema: { summary: 'Start building a corpus', headers: IdempotencyKeyHeaders, body: CorpusRequest, response: { 202: Accepted } },
    },
    async (request, reply) => {
      const body = request.body;
      checkCorpusRequest(body, catalog, deps.fetchAllowList);
      const jobId = await deps.job.enqueue(queue, body, { idempotencyKey: idempotencyKeyOf(request.headers) });
      return reply.status(202).send({ job_id: jobId, user_id: body.user_id, status: 'queued' });
    },
  );

  app.get(
    '/v1/corpus-jobs/:job_id/result',
    { config: { auth: 'api' }, schema: { summary: 'The corpus text (streamed from data-bank)', params: Params } },
    async (request, reply) => {
      const status = await statusOf(queue, request.params.job_id);
      if (status.status === 'failed') {
        throw new AppError('JOB_FAILED', `corpus job failed: ${status.error?.message ?? 'unknown error'}`);
      }
      if (status.status !== 'completed') throw new AppError('JOB_NOT_READY', `corpus job is ${status.status}`);
      const fileId = status.result_id;
      if (fileId === null) throw new AppError('JOB_FAILED', 'corpus job has no stored result');
      let body: ReadableStream<Uint8Array>;
      try {
        body = await deps.dataBank.stream(fileId);
      } catch (error) {
        if (error instanceof DataBankNotFoundError) throw new AppError('JOB_FAILED', 'corpus result has expired from data-bank');
        throw dataBankFailure(error);
      }
      return reply
        .type('text/plain; charset=utf-8')
        .header('content-disposition', `attachment; filename="corpus_${status.job_id}.txt"`)
        .send(Readable.fromWeb(body));
    },
  );
}
