import { type PlatformApp, requestUser } from '@platform/core';
import { IdempotencyKeyHeaders, idempotencyKeyOf, JobStatusDocument } from '@platform/workers';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { WrappedRequest } from '../models/wrapped.js';
import { ownedReport, reportFile, startReport, type ReportsDeps } from '../services/wrapped.js';

const Params = z.object({ job_id: z.string().min(1).max(200) });

const Accepted = z.object({
  job_id: z.string(),
  status: z.literal('queued'),
  user_id: z.string(),
  year: z.number(),
});

/** A report file as the answer: cached by the browser, which only the report's user can read. */
function sendFile(reply: FastifyReply, file: ReadableStream<Uint8Array>, contentType: string): FastifyReply {
  return reply
    .type(contentType)
    .header('cache-control', 'private, max-age=86400')
    .send(Readable.fromWeb(file as Parameters<typeof Readable.fromWeb>[0]));
}

export function wrappedRoutes(app: PlatformApp, deps: ReportsDeps): void {
  app.post(
    '/v1/wrapped',
    {
      config: { auth: 'api', user: true },
      schema: {
        summary: 'Start a year-in-music report from imported exports and connected accounts',
        headers: IdempotencyKeyHeaders,
        body: WrappedRequest,
        response: { 202: Accepted },
      },
    },
    async (request, reply) => {
      const userId = requestUser(request);
      const jobId = await startReport(deps, userId, request.body, idempotencyKeyOf(request.headers));
      return reply.status(202).send({ job_id: jobId, status: 'queued', user_id: userId, year: request.body.year });
    },
  );

  app.get(
    '/v1/wrapped/:job_id',
    {
      config: { auth: 'api', user: true },
      schema: { summary: 'Status of a report job', params: Params, response: { 200: JobStatusDocument } },
    },
    (request) => ownedReport(deps.queue, request.params.job_id, requestUser(request)),
  );

  app.get(
    '/v1/wrapped/:job_id/result',
    { config: { auth: 'api', user: true }, schema: { summary: 'The report as JSON', params: Params } },
    async (request, reply) => {
      const file = await reportFile(deps, request.params.job_id, requestUser(request), (files) => files.report);
      return sendFile(reply, file, 'application/json');
    },
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
    async (request, reply) => {
      const { layout } = request.query;
      const file = await reportFile(deps, request.params.job_id, requestUser(request), (files) =>
        layout === 'story' ? files.card_story : files.card_landscape,
      );
      return sendFile(reply, file, 'image/png');
    },
  );

  app.get(
    '/v1/wrapped/:job_id/report.html',
    { config: { auth: 'api', user: true }, schema: { summary: 'The report as a web page', params: Params } },
    async (request, reply) => {
      const file = await reportFile(deps, request.params.job_id, requestUser(request), (files) => files.html);
      return sendFile(reply, file, 'text/html; charset=utf-8');
    },
  );
}
