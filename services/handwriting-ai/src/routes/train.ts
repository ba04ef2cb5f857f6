import type { PlatformApp } from '@platform/core';
import { IdempotencyKeyHeaders, idempotencyKeyOf, registerJobRoutes } from '@platform/workers';
import type { Queue } from 'bullmq';
import { z } from 'zod';
import type { TrainJob } from '../jobs/train.js';
import { TrainRequest } from '../models/train.js';

export interface TrainRouteDeps {
  queue: Queue;
  job: TrainJob;
}

const Accepted = z.object({ job_id: z.string(), user_id: z.string(), status: z.literal('queued') });

export function trainRoutes(app: PlatformApp, deps: TrainRouteDeps): void {
  registerJobRoutes(app, deps.queue, 'models');
  app.post(
    '/v1/models/train',
    {
      config: { auth: 'models' },
      schema: {
        summary: 'Train a digits model (a job on queue digits)',
        headers: IdempotencyKeyHeaders,
        body: TrainRequest,
        response: { 202: Accepted },
      },
    },
    async (request, reply) => {
      const jobId = await deps.job.enqueue(deps.queue, request.body, { idempotencyKey: idempotencyKeyOf(request.headers) });
      return reply.status(202).send({ job_id: jobId, user_id: request.body.user_id, status: 'queued' as const });
    },
  );
}
