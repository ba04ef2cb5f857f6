import type { PlatformApp } from '@platform/core';
import { IdempotencyKeyHeaders, idempotencyKeyOf, registerJobRoutes } from '@platform/workers';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { CorpusRequest } from '../models/corpus.js';
import { openCorpusResult, startCorpusJob, type CorpusJobsDeps } from '../services/corpus-jobs.js';

const Params = z.object({ job_id: z.string().min(1).max(200) });
const Accepted = z.object({ job_id: z.string(), user_id: z.string(), status: z.string() });

export function registerCorpusJobRoutes(app: PlatformApp, deps: CorpusJobsDeps): void {
  registerJobRoutes(app, deps.queue, 'api');
  // The corpus-job aliases of the same status and cancel routes (README).
  registerJobRoutes(app, deps.queue, 'api', '/v1/corpus-jobs');

  app.post(
    '/v1/corpus-jobs',
    {
      config: { auth: 'api' },
      schema: { summary: 'Start building a corpus', headers: IdempotencyKeyHeaders, body: CorpusRequest, response: { 202: Accepted } },
    },
    async (request, reply) => {
      const jobId = await startCorpusJob(deps, request.body, idempotencyKeyOf(request.headers));
      return reply.status(202).send({ job_id: jobId, user_id: request.body.user_id, status: 'queued' });
    },
  );

  app.get(
    '/v1/corpus-jobs/:job_id/result',
    { config: { auth: 'api' }, schema: { summary: 'The corpus text (streamed from data-bank)', params: Params } },
    async (request, reply) => {
      const { job_id: jobId } = request.params;
      const body = await openCorpusResult(deps, jobId);
      return reply
        .type('text/plain; charset=utf-8')
        .header('content-disposition', `attachment; filename="corpus_${jobId}.txt"`)
        .send(Readable.fromWeb(body));
    },
  );
}
