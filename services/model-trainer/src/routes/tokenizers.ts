import { AppError, type PlatformApp } from '@platform/core';
import { IdempotencyKeyHeaders, idempotencyKeyOf } from '@platform/workers';
import type { Queue } from 'bullmq';
import { z } from 'zod';
import { TokenizerRequest, TokenizerView } from '../models/tokenizer.js';
import { startTokenizer } from '../services/start-jobs.js';
import type { TokenizerStore } from '../services/tokenizer-store.js';

export interface TokenizerRouteDeps {
  queue: Queue;
  tokenizers: TokenizerStore;
}

const Accepted = z.object({ tokenizer_id: z.string(), job_id: z.string(), status: z.literal('queued') });
const IdParams = z.object({ id: z.string().min(1).max(100) });

export function tokenizerRoutes(app: PlatformApp, deps: TokenizerRouteDeps): void {
  app.post(
    '/v1/tokenizers',
    {
      config: { auth: 'trainer' },
      schema: {
        summary: 'Train a byte-level BPE or char tokenizer on a corpus (a job)',
        headers: IdempotencyKeyHeaders,
        body: TokenizerRequest,
        response: { 202: Accepted },
      },
    },
    async (request, reply) => {
      const jobId = await startTokenizer(deps, request.body, idempotencyKeyOf(request.headers));
      return reply.status(202).send({ tokenizer_id: jobId, job_id: jobId, status: 'queued' as const });
    },
  );
  app.get(
    '/v1/tokenizers',
    {
      config: { auth: 'trainer' },
      schema: {
        summary: 'Tokenizers, newest first (gpt2 is built in)',
        response: { 200: z.object({ tokenizers: z.array(TokenizerView) }) },
      },
    },
    async () => ({ tokenizers: await deps.tokenizers.list() }),
  );
  app.get(
    '/v1/tokenizers/:id',
    { config: { auth: 'trainer' }, schema: { summary: 'One tokenizer', params: IdParams, response: { 200: TokenizerView } } },
    async (request) => {
      const view = await deps.tokenizers.get(request.params.id);
      if (!view) throw new AppError('NOT_FOUND', `No tokenizer ${request.params.id}`);
      return view;
    },
  );
}
