import { AppError, type DataBankClient, type PlatformApp, quoted, requestUser } from '@platform/core';
import { IdempotencyKeyHeaders, idempotencyKeyOf, jobStatus, JobStatusDocument, type JobStatus } from '@platform/workers';
import type { Queue } from 'bullmq';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { wrappedJob } from '../jobs/wrapped.js';
import { WrappedRequest, WrappedResultFiles } from '../models/wrapped.js';
import { viaDataBank } from '../services/data-bank-errors.js';
import type { ImportStore } from '../services/import-store.js';
import type { TokenStore } from '../services/token-store.js';
import { checkSources } from '../services/wrapped-sources.js';

export interface WrappedRoutesOptions {
  queue: Queue;
  imports: ImportStore;
  tokens: TokenStore;
  dataBank: DataBankClient;
}

const Params = z.object({ job_id: z.string().min(1).max(200) });

/** The job when it exists and belongs to the caller; someone else's job reads as missing. */
async function ownedJob(queue: Queue, jobId: string, userId: string): Promise<JobStatus> {
  const status = await jobStatus(queue, jobId);
  if (status?.user_id !== userId) throw new AppError('JOB_NOT_FOUND', `No job ${quoted(jobId)}`);
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
  const stream = await viaDataBank(() => dataBank.stream(fileId));
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
        headers: IdempotencyKeyHeaders,
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
      await checkSources(body.sources, userId, options);
      const jobId = await wrappedJob.enqueue(queue, { user_id: userId, ...body }, { idempotencyKey: idempotencyKeyOf(request.headers) });
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
