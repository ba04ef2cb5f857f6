import type { PlatformApp } from '@platform/core';
import { registerJobStatusRoute, type JobDefinition } from '@platform/workers';
import type { Queue } from 'bullmq';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Authorizer } from '../services/auth.js';
import { SYSTEM_USER } from '../workers/queue.js';

export const MAINTENANCE_JOBS = ['verify', 'gc'] as const;
export type MaintenanceJobs = Record<(typeof MAINTENANCE_JOBS)[number], JobDefinition>;

const Accepted = z.object({
  job_id: z.string(),
  status: z.literal('queued'),
  name: z.enum(MAINTENANCE_JOBS),
});

/**
 * `POST /v1/maintenance/{verify|gc}` queues a maintenance run now (delete permission: both can remove
 * files); `GET /v1/jobs/{id}` reports any data_bank job (read permission).
 */
export function jobRoutes(
  app: PlatformApp,
  deps: { queue: Queue; jobs: MaintenanceJobs; authorize: Authorizer },
): void {
  const { queue, jobs, authorize } = deps;
  const requires = (permission: 'read' | 'delete') => (request: FastifyRequest) => {
    authorize(permission, request.headers['x-api-key']);
    return Promise.resolve();
  };
  const security = [{ apiKey: [] }];
  app.post(
    '/v1/maintenance/:name',
    {
      onRequest: requires('delete'),
      schema: {
        summary: 'Queue a maintenance job (verify: integrity scrub, gc: temp and TTL cleanup)',
        security,
        params: z.object({ name: z.enum(MAINTENANCE_JOBS) }),
        response: { 202: Accepted },
      },
    },
    async (request, reply) => {
      const jobId = await jobs[request.params.name].enqueue(queue, { user_id: SYSTEM_USER });
      return reply.status(202).send({ job_id: jobId, status: 'queued' as const, name: request.params.name });
    },
  );
  void app.register((scope, _options, done) => {
    scope.addHook('onRequest', requires('read'));
    registerJobStatusRoute(scope, queue);
    done();
  });
}
