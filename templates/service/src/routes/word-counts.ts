import { requestUser, type PlatformApp } from '@platform/core';
import { IdempotencyKeyHeaders, idempotencyKeyOf, registerJobRoutes } from '@platform/workers';
import { z } from 'zod';
import { startWordCount, type WordCountsDeps } from '../services/word-counts.js';

const Accepted = z.object({ job_id: z.string(), status: z.literal('queued') });

/** A thin handler: parse (the schemas), call one service function, map its result. */
export function registerWordCountRoutes(app: PlatformApp, deps: WordCountsDeps): void {
  app.post(
    '/v1/word-counts',
    {
      // The permission (its keys are in createApp's auth) and the user it acts for (X-User-Id).
      config: { auth: 'api', user: true },
      schema: {
        summary: 'Count the words of a text (a job)',
        headers: IdempotencyKeyHeaders,
        body: z.object({ text: z.string().min(1) }).strict(),
        response: { 202: Accepted },
      },
    },
    async (request, reply) => {
      const jobId = await startWordCount(deps, requestUser(request), request.body.text, idempotencyKeyOf(request.headers));
      return reply.status(202).send({ job_id: jobId, status: 'queued' as const });
    },
  );

  // GET /v1/jobs/{id} (status) and DELETE /v1/jobs/{id} (cancel), under the same permission.
  registerJobRoutes(app, deps.queue, 'api');
}
