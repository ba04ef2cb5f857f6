import { AppError, type PlatformApp } from '@platform/core';
import type { Queue } from 'bullmq';
import { z } from 'zod';
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
