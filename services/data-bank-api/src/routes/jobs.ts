import type { PlatformApp } from '@platform/core';
import { IdempotencyKeyHeaders, idempotencyKeyOf, registerJobStatusRoute } from '@platform/workers';
import type { Queue } from 'bullmq';
import { z } from 'zod';
import { gcJob } from '../jobs/gc.js';
import { SYSTEM_USER } from '../jobs/queue.js';
import { verifyJob } from '../jobs/verify.js';

const MAINTENANCE = { verify: verifyJob, gc: gcJob };
const MAINTENANCE_JOBS = ['verify', 'gc'] as const;

const Accepted = z.object({
  job_id: z.string(),
  status: z.literal('queued'),
  name: z.enum(MAINTENANCE_JOBS),
});

/**
 * `POST /v1/maintenance/{verify|gc}` queues a maintenance run now (delete permission: both can remove
 * files); a retry with the same `Idempotency-Key` returns the run the first request queued.
 * `GET /v1/jobs/{id}` reports any data_bank job (read permission). Both answer 503 while Redis is out.
 */
export function jobRoutes(app: PlatformApp, queue: Queue): void {
  const security = [{ apiKey: [] }];
  app.post(
    '/v1/maintenance/:name',
    {
      config: { auth: 'delete' },
      schema: {
        summary: 'Queue a maintenance job (verify: integrity scrub, gc: temp and TTL cleanup)',
        security,
        params: z.object({ name: z.enum(MAINTENANCE_JOBS) }),
        headers: IdempotencyKeyHeaders,
        response: { 202: Accepted },
      },
    },
    async (request, reply) => {
      const jobId = await MAINTENANCE[request.params.name].enqueue(
        queue,
        { user_id: SYSTEM_USER },
        { idempotencyKey: idempotencyKeyOf(request.headers) },
      );
      return reply.status(202).send({ job_id: jobId, status: 'queued' as const, name: request.params.name });
    },
  );
  registerJobStatusRoute(app, queue, 'read');
}
