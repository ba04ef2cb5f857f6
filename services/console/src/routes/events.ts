import { AppError, type PlatformApp } from '@platform/core';
import { jobStatus, withRedisDeadline } from '@platform/workers';
import type { Queue } from 'bullmq';
import { z } from 'zod';
import { DOMAINS } from '../models/catalog.js';
import { matches, type EventFilter, type EventHub, type StreamedEvent } from '../services/event-hub.js';

const domainList = z
  .string()
  .optional()
  .transform((value) => new Set((value ?? '').split(',').filter((domain) => domain !== '')))
  .refine((domains) => [...domains].every((domain) => DOMAINS.includes(domain)), { error: `domains are ${DOMAINS.join(', ')}` });

const EventsQuery = z.object({
  domain: domainList,
  user: z
    .string()
    .regex(/^\d{1,20}$/, 'user must be a decimal user id')
    .optional(),
  job: z.string().min(1).max(200).optional(),
  backlog: z.coerce.number().int().min(0).max(500).default(100),
  /** `latest`: the backlog keeps only the last metrics event of each job and kind. */
  metrics: z.enum(['all', 'latest']).default('all'),
});

const HEARTBEAT_MS = 15_000;

const frame = ({ id, event }: StreamedEvent) =>
  `id: ${id}\nevent: ${event.type.includes('.metrics.') ? 'metrics' : 'job'}\ndata: ${JSON.stringify(event)}\n\n`;

export function eventRoutes(app: PlatformApp, hub: EventHub, queues: ReadonlyMap<string, Queue>): void {
  // Open streams never end by themselves: closing the app ends them, so close() does not wait on them.
  const open = new Set<() => void>();
  app.addHook('preClose', (done) => {
    for (const close of open) close();
    done();
  });

  app.get(
    '/api/events',
    {
      config: { access: 'viewer' },
      schema: { summary: 'Lifecycle and metrics events as server-sent events (recent ones first)', querystring: EventsQuery },
    },
    async (request, reply) => {
      const { domain, user, job, backlog, metrics } = request.query;
      const filter: EventFilter = {
        domains: domain,
        ...(user !== undefined && { userId: user }),
        ...(job !== undefined && { jobId: job }),
      };
      // Listening starts before the backlog is read, so nothing published in between is lost; what the
      // backlog already holds is not sent again.
      let early: StreamedEvent[] | null = [];
      let sent = new Set<string>();
      const send = (event: StreamedEvent) => {
        if (!sent.has(event.id)) reply.raw.write(frame(event));
      };
      const unsubscribe = hub.subscribe((event) => {
        if (!matches(filter, event)) return;
        if (early) early.push(event);
        else send(event);
      });
      let recent: StreamedEvent[];
      try {
        recent = await withRedisDeadline(() => hub.recent(filter, backlog, metrics === 'latest'));
      } catch (error) {
        unsubscribe();
        throw error;
      }
      reply.hijack();
      const out = reply.raw;
      out.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        'x-accel-buffering': 'no',
        'x-request-id': request.id,
      });
      out.write(`retry: 2000\n\n`);
      for (const event of recent) out.write(frame(event));
      sent = new Set(recent.map((event) => event.id));
      const waiting = early;
      early = null;
      for (const event of waiting) send(event);
      const heartbeat = setInterval(() => out.write(': keep-alive\n\n'), HEARTBEAT_MS);
      const end = () => {
        clearInterval(heartbeat);
        unsubscribe();
        open.delete(close);
      };
      const close = () => {
        end();
        out.end();
      };
      open.add(close);
      out.once('close', end);
    },
  );

  app.get(
    '/api/jobs/:domain/:job_id',
    {
      config: { access: 'viewer' },
      schema: {
        summary: "A job's status, read from its queue",
        params: z.object({ domain: z.enum(DOMAINS as [string, ...string[]]), job_id: z.string().min(1).max(200) }),
      },
    },
    async (request) => {
      const queue = queues.get(request.params.domain);
      if (!queue) throw new AppError('NOT_FOUND', `no queue ${request.params.domain}`);
      const status = await jobStatus(queue, request.params.job_id);
      if (!status) throw new AppError('JOB_NOT_FOUND', `No job ${request.params.job_id} on ${request.params.domain}`);
      return status;
    },
  );
}
