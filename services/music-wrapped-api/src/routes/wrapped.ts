import { AppError, type DataBankClient, type PlatformApp, requestUser } from '@platform/core';
import { jobStatus, JobStatusDocument, type JobStatus } from '@platform/workers';
import type { Queue } from 'bullmq';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { WrappedRequest, WrappedResultFiles } from '../models/wrapped.js';
import type { ImportStore } from '../services/import-store.js';
import type { TokenStore } from '../services/token-store.js';
import type { createWrappedJob } from '../workers/wrapped.js';

export interface WrappedRoutesOptions {
  queue: Queue;
  job: Pick<ReturnType<typeof createWrappedJob>, 'enqueue'>;
  imports: ImportStore;
  tokens: TokenStore;
  dataBank: DataBankClient;
}

const Params = z.object({ job_id: z.string().min(1).max(200) });

/** The job when it exists and belongs to the caller; someone else's job reads as missing. */
async function ownedJob(queue: Queue, jobId: string, userId: string): Promise<JobStatus> {
  const status = await jobStatus(queue, jobId);
  if (status?.user_id !== userId) throw new AppError('JOB_NOT_FOUND', `No job ${jobId}`);
  return status;
}

async function resultFiles(queue: Queue, jobId: string, userId: string): Promise<WrappedResultFiles> {
  const status = await ownedJob(queue, jobId, userId);
  if (status.status === 'failed') throw new AppError('JOB_FAILED', status.error?.message ?? 'the job failed');
  if (status.status !== 'completed')
    throw new AppError('JOB_NOT_READY', `the job is ${status.status}`, { headers: { 'retry-after': '5' } });
  return WrappedResultFiles.parse(status.result?.files);
}

async function sendFile(
  reply: FastifyReply,
  dataBank: DataBankClient,
  fileId: string,
  contentType: string,
): Promise<FastifyReply> {
  const stream = await dataBank.stream(fileId);
  return reply
    .type(contentType)
    .header('cache-control', 'private, max-age=86400')
    .send(Readable.fromWeb(stream as Parameters<typeof Readable.fromWeb>[0]));
}

export function wrappedRoutes(app: PlatformApp, options: WrappedRoutesOptions): void {
  const { queue, dataBank } = options;
  /** Streams one file of the caller's completed report. */
  const sendResultFile = async (
    request: FastifyRequest,
    jobId: string,
    reply: FastifyReply,
    pick: (files: WrappedResultFiles) => string,
    contentType: string,
  ) => {
    const files = await resultFiles(queue, jobId, requestUser(request));
    return sendFile(reply, dataBank, pick(files), contentType);
  };

  app.post(
    '/v1/wrapped',
    {
      config: { auth: 'api', user: true },
      schema: {
        summary: 'Start a year-in-music report from imported exports and connected accounts',
        body: WrappedRequest,
        response: {
          202: z.object({
            job_id: z.string(),
            status: z.literal('queued'),
            user_id: z.string(),
            year: z.number(),
          }),
        },
      },
    },
    async (request, reply) => {
      const userId = requestUser(request);
      const body = request.body;
      const apple = body.sources.filter((source) => source.service === 'apple_music');
      if (apple.some((source) => 'live' in source) && apple.some((source) => 'import_id' in source)) {
        // Live plays have estimated times, so their overlap with the export cannot be found: both would count.
        throw new AppError(
          'INVALID_INPUT',
          'use either an Apple Music export or the live Apple Music account, not both',
        );
      }
      for (const source of body.sources) {
        if ('import_id' in source) {
          const record = await options.imports.get(source.import_id, userId);
          if (!record) throw new AppError('NOT_FOUND', `no import ${source.import_id}`);
          if (record.service !== source.service)
            throw new AppError(
              'INVALID_INPUT',
              `import ${source.import_id} is a ${record.service} export, not ${source.service}`,
            );
        } else if (!(await options.tokens.get(source.service, userId))) {
          const how =
            source.service === 'apple_music'
              ? 'PUT /v1/auth/apple_music'
              : `/v1/auth/${source.service}/start`;
          throw new AppError(
            'INVALID_INPUT',
            `no connected ${source.service} account: connect it through ${how} first`,
          );
        }
      }
      const jobId = await options.job.enqueue(queue, { user_id: userId, ...body });
      return reply.status(202).send({ job_id: jobId, status: 'queued', user_id: userId, year: body.year });
    },
  );

  app.get(
    '/v1/wrapped/:job_id',
    {
      config: { auth: 'api', user: true },
      schema: { summary: 'Status of a report job', params: Params, response: { 200: JobStatusDocument } },
    },
    async (request) => ownedJob(queue, request.params.job_id, requestUser(request)),
  );

  app.get(
    '/v1/wrapped/:job_id/result',
    { config: { auth: 'api', user: true }, schema: { summary: 'The report as JSON', params: Params } },
    (request, reply) =>
      sendResultFile(request, request.params.job_id, reply, (files) => files.report, 'application/json'),
  );

  app.get(
    '/v1/wrapped/:job_id/card.png',
    {
      config: { auth: 'api', user: true },
      schema: {
        summary: 'The shareable card',
        params: Params,
        querystring: z.object({ layout: z.enum(['story', 'landscape']).default('story') }),
      },
    },
    (request, reply) =>
      sendResultFile(
        request,
        request.params.job_id,
        reply,
        (files) => (request.query.layout === 'story' ? files.card_story : files.card_landscape),
        'image/png',
      ),
  );

  app.get(
    '/v1/wrapped/:job_id/report.html',
    { config: { auth: 'api', user: true }, schema: { summary: 'The report as a web page', params: Params } },
    (request, reply) =>
      sendResultFile(
        request,
        request.params.job_id,
        reply,
        (files) => files.html,
        'text/html; charset=utf-8',
      ),
  );
}
