import { AppError, type PlatformApp } from '@platform/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ChatBody, ChatView, GenerateBody, Generated, ScoreBody, ScoreView } from '../models/inference.js';
import { generate, generateText, type SamplingOptions } from '../services/generate.js';
import { chatTurn, publicSamples, servedModel, type InferenceDeps } from '../services/inference.js';
import type { LanguageModel } from '../services/language-model.js';
import { scoreText } from '../services/score.js';
import { RunParams } from './runs.js';

export interface InferenceRouteDeps extends InferenceDeps {
  maxGenerateTokens: number;
  maxScoreChars: number;
}

const SamplesQuery = z.object({
  prompt: z.string().max(1000).default(''),
  n: z.coerce.number().int().min(1).max(5).default(3),
  max_tokens: z.coerce.number().int().min(1).max(200).default(100),
  seed: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(0),
});

const wantsEvents = (request: FastifyRequest) => (request.headers.accept ?? '').includes('text/event-stream');
const sse = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/** Server-sent events: one `token` event per token, then `done` (the JSON answer) or `error`. */
async function streamGeneration(
  request: FastifyRequest,
  reply: FastifyReply,
  runId: string,
  model: LanguageModel,
  prompt: string,
  options: SamplingOptions,
) {
  // The response's close (not the request's, which fires once the body is read): the client has gone.
  const client = { gone: false };
  reply.raw.on('close', () => (client.gone = true));
  reply.hijack();
  const headers: Record<string, string> = {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  };
  for (const [name, value] of Object.entries(reply.getHeaders())) if (typeof value === 'string') headers[name] ??= value;
  reply.raw.writeHead(200, headers);
  try {
    const steps = generate(model, prompt, options);
    while (!client.gone) {
      const next = await steps.next();
      if (next.done) {
        reply.raw.write(sse('done', { run_id: runId, ...next.value }));
        break;
      }
      reply.raw.write(sse('token', next.value));
    }
  } catch (error) {
    request.log.error({ err: error }, 'generation failed mid-stream');
    reply.raw.write(sse('error', { code: 'INTERNAL_ERROR', message: 'generation failed', request_id: request.id }));
  } finally {
    reply.raw.end();
  }
}

export function inferenceRoutes(app: PlatformApp, deps: InferenceRouteDeps): void {
  app.post(
    '/v1/runs/:id/generate',
    {
      config: { auth: 'trainer' },
      schema: {
        summary: "Generate text from a run's model (JSON, or server-sent events with Accept: text/event-stream)",
        params: RunParams,
        body: GenerateBody(deps.maxGenerateTokens),
        response: { 200: Generated },
      },
    },
    async (request, reply) => {
      const model = await servedModel(deps, request.params.id);
      const { prompt, ...options } = request.body;
      if (wantsEvents(request)) {
        await streamGeneration(request, reply, request.params.id, model, prompt, options);
        return reply;
      }
      return { run_id: request.params.id, ...(await generateText(model, prompt, options)) };
    },
  );
  app.post(
    '/v1/runs/:id/chat',
    {
      config: { auth: 'trainer' },
      schema: {
        summary: 'One chat turn: the session (kept in Redis with a TTL) is the prompt; the answer stops at a blank line',
        params: RunParams,
        body: ChatBody(deps.maxGenerateTokens),
        response: { 200: ChatView },
      },
    },
    async (request) => {
      const { session_id: sessionId, message, ...options } = request.body;
      const { session, reply } = await chatTurn(deps, request.params.id, { sessionId, message, options });
      return { session_id: session.session_id, run_id: request.params.id, reply, turns: session.turns };
    },
  );
  app.post(
    '/v1/runs/:id/score',
    {
      config: { auth: 'trainer' },
      schema: {
        summary: 'Loss, perplexity, per-token surprisal and top-k alternatives of a text',
        params: RunParams,
        body: ScoreBody(deps.maxScoreChars),
        response: { 200: ScoreView },
      },
    },
    async (request) => {
      const model = await servedModel(deps, request.params.id);
      const score = await scoreText(model, request.body.text, request.body.top_k).catch((error: unknown) => {
        throw error instanceof RangeError ? new AppError('INVALID_INPUT', error.message) : error;
      });
      return { run_id: request.params.id, ...score };
    },
  );
  app.get(
    '/v1/runs/:id/samples',
    {
      // Public: anyone may read samples of a run its owner made public; any other run is a 404.
      config: { auth: 'public' },
      schema: { summary: 'Seeded samples from a public run', params: RunParams, querystring: SamplesQuery },
    },
    async (request) => {
      const samples = await publicSamples(deps, request.params.id, request.query);
      return { run_id: request.params.id, prompt: request.query.prompt, samples };
    },
  );
}
