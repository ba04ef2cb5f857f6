import { AppError, type PlatformApp } from '@platform/core';
import type { Queue } from 'bullmq';
import { z } from 'zod';
import { withRedisDeadline } from './availability.js';
import { requestCancel } from './cancel.js';
import { jobStatus } from './status.js';

export const JobStatusDocument = z.object({
  job_id: z.string(),
  user_id: z.string(),
  status: z.enum(['queued', 'processing', 'completed', 'failed']),
  progress: z.number(),
  message: z.string().nullable(),
  result: z.record(z.string(), z.unknown()).nullable(),
  result_id: z.string().nullable(),
  result_bytes: z.number().nullable(),
  error: z.object({ kind: z.enum(['user', 'system']), message: z.string() }).nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});

/**
 * `GET {path}/:job_id` answering the job status document, or 404 JOB_NOT_FOUND; `auth` is what the
 * route needs (see @platform/core's auth).
 */
export function registerJobStatusRoute(app: PlatformApp, queue: Queue, auth: string, path = '/v1/jobs'): void {
  app.get(
    `${path}/:job_id`,
    {
      config: { auth },
      schema: {
        summary: 'Status of a job',
        params: z.object({ job_id: z.string().min(1).max(200) }),
        response: { 200: JobStatusDocument },
      },
    },
    async (request) => {
      const status = await jobStatus(queue, request.params.job_id);
      if (!status) throw new AppError('JOB_NOT_FOUND', `No job ${request.params.job_id}`);
      return status;
    },
  );
}

export const CancelAccepted = z.object({ job_id: z.string(), user_id: z.string(), status: z.literal('cancelling') });

/**
 * `DELETE {path}/:job_id`: cancels a queued or running job (202 `cancelling`; the job then fails as a
 * `user` error "cancelled by the user", with its failed event), 404 for an unknown job, 409 for one
 * that has already ended. A running job stops at its processor's next look at its signal.
 */
export function registerJobCancelRoute(app: PlatformApp, queue: Queue, auth: string, path = '/v1/jobs'): void {
  app.delete(
    `${path}/:job_id`,
    {
      config: { auth },
      schema: {
        summary: 'Cancel a job',
        params: z.object({ job_id: z.string().min(1).max(200) }),
        response: { 202: CancelAccepted },
      },
    },
    async (request, reply) => {
      const status = await jobStatus(queue, request.params.job_id);
      if (!status) throw new AppError('JOB_NOT_FOUND', `No job ${request.params.job_id}`);
      if (status.status === 'completed' || status.status === 'failed') {
        throw new AppError('CONFLICT', `Job ${status.job_id} has already ${status.status === 'completed' ? 'completed' : 'failed'}`);
      }
      await withRedisDeadline(() => requestCancel(queue, status.job_id));
      return reply.status(202).send({ job_id: status.job_id, user_id: status.user_id, status: 'cancelling' as const });
    },
  );
}

/** The job status route and the cancel route under the same path and permission. */
export function registerJobRoutes(app: PlatformApp, queue: Queue, auth: string, path = '/v1/jobs'): void {
  registerJobStatusRoute(app, queue, auth, path);
  registerJobCancelRoute(app, queue, auth, path);
}
