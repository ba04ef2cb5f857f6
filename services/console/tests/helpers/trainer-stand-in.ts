// A local model-trainer that speaks the fields issue 17 fixes (POST /v1/runs, GET /v1/runs/{id},
// /metrics, generate with server-sent events) while the real service is being built. Its runs learn a
// made-up curve, one step event every 200 ms, published on the real Redis like the trainer's worker.
import { metricsEventType } from '@platform/core';
import { EventPublisher } from '@platform/workers';
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { readBody, sendJson, startFakeHttpServer } from '@platform/testing';
import type { IncomingMessage } from 'node:http';

interface Point {
  step: number;
  train_loss: number;
  val_loss: number | null;
}
interface Run {
  run_id: string;
  job_id: string;
  status: 'queued' | 'processing' | 'completed' | 'cancelled';
  family: string;
  size: string;
  points: Point[];
  created_at: string;
  updated_at: string;
  timer?: NodeJS.Timeout;
}

const STEPS = 1500;
const STEP = 10;

export interface TrainerStandIn {
  url: string;
  stop(): Promise<void>;
}

async function json(request: IncomingMessage): Promise<Record<string, unknown>> {
  return JSON.parse((await readBody(request)).toString() || '{}') as Record<string, unknown>;
}

function view(run: Run) {
  const last = run.points.at(-1);
  const vals = run.points.flatMap((point) => (point.val_loss === null ? [] : [point.val_loss]));
  return {
    run_id: run.run_id,
    status: run.status,
    progress: Math.min(100, ((last?.step ?? 0) / STEPS) * 100),
    family: run.family,
    size: run.size,
    metrics: {
      step: last?.step ?? 0,
      train_loss: last?.train_loss ?? null,
      val_loss: vals.at(-1) ?? null,
      best_val_loss: vals.length > 0 ? Math.min(...vals) : null,
      tokens_per_s: run.status === 'processing' ? 12_345 : null,
    },
    created_at: run.created_at,
    updated_at: run.updated_at,
    error: null,
  };
}

export async function startTrainerStandIn(options: { apiKey: string; redis: Redis; namespace: string; userId: string }): Promise<TrainerStandIn> {
  const runs = new Map<string, Run>();
  const publisher = new EventPublisher(options.redis, { namespace: options.namespace });
  const advance = (run: Run) => {
    const step = (run.points.at(-1)?.step ?? 0) + STEP;
    const point = { step, train_loss: 1 + 3 * Math.exp(-step / 120), val_loss: step % 50 === 0 ? 1.2 + 3 * Math.exp(-step / 140) : null };
    run.points.push(point);
    run.status = step >= STEPS ? 'completed' : 'processing';
    run.updated_at = new Date().toISOString();
    if (run.status === 'completed') clearInterval(run.timer);
    void publisher.publish({
      type: metricsEventType('trainer', 'step'),
      domain: 'trainer',
      job_id: run.job_id,
      user_id: options.userId,
      ts: run.updated_at,
      metrics: { step, train_loss: point.train_loss, ...(point.val_loss !== null && { val_loss: point.val_loss }), tokens_per_s: 12_345 },
    });
  };

  const server = await startFakeHttpServer(async (request, response) => {
    if (request.url === '/healthz' || request.url === '/readyz') { sendJson(response, 200, { status: 'ready', checks: { kernel: 'ok' } }); return; }
    if (request.url === '/openapi.json') { sendJson(response, 200, { info: { title: 'model-trainer (stand-in)', version: '0.0.0-stand-in' } }); return; }
    if (request.headers['x-api-key'] !== options.apiKey) { sendJson(response, 401, { code: 'UNAUTHORIZED', message: 'the X-API-Key is not valid', request_id: '' }); return; }
    const url = new URL(request.url ?? '/', 'http://stand-in');
    const [, version, collection, id, action] = url.pathname.split('/');
    const run = id === undefined ? undefined : runs.get(id);
    if (version !== 'v1' || collection !== 'runs') { sendJson(response, 404, { code: 'NOT_FOUND', message: 'no such route', request_id: '' }); return; }
    if (request.method === 'GET' && id === undefined) {
      sendJson(response, 200, { runs: [...runs.values()].reverse().map(view) });
      return;
    }
    if (request.method === 'POST' && id === undefined) {
      const body = await json(request);
      if (typeof body.corpus_file_id !== 'string' || !/^[0-9a-f]{64}$/.test(body.corpus_file_id)) {
        sendJson(response, 400, { code: 'INVALID_INPUT', message: 'corpus_file_id must be a data-bank file id', request_id: '', details: [{ path: 'corpus_file_id', message: 'invalid' }] }); return;
      }
      const now = new Date().toISOString();
      const id = randomUUID(); // model-trainer's run id is its job id
      const started: Run = { run_id: id, job_id: id, status: 'queued', family: String(body.family), size: String(body.size), points: [], created_at: now, updated_at: now };
      started.timer = setInterval(() => { advance(started); }, 200);
      runs.set(started.run_id, started);
      sendJson(response, 202, { run_id: started.run_id, job_id: started.job_id, status: 'queued' }); return;
    }
    if (!run) { sendJson(response, 404, { code: 'NOT_FOUND', message: `no run ${id ?? ''}`, request_id: '' }); return; }
    if (request.method === 'GET' && action === undefined) { sendJson(response, 200, view(run)); return; }
    if (request.method === 'GET' && action === 'metrics') { sendJson(response, 200, { run_id: run.run_id, points: run.points }); return; }
    if (request.method === 'DELETE' && action === undefined) {
      clearInterval(run.timer);
      run.status = 'cancelled';
      sendJson(response, 200, view(run)); return;
    }
    if (request.method === 'POST' && action === 'generate') {
      const body = await json(request);
      const text = ` to be, or not to be${'!'.repeat(Math.max(0, Number(body.max_tokens ?? 0) - 20))}`.slice(0, Number(body.max_tokens ?? 20));
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      // As model-trainer streams: one `token` event per token ({token: id, delta: text}), then `done`.
      for (let index = 0; index < text.length; index++) response.write(`event: token\ndata: ${JSON.stringify({ token: index, delta: text[index] })}\n\n`);
      response.end(`event: done\ndata: ${JSON.stringify({ run_id: run.run_id, text, tokens: text.length })}\n\n`);
      return undefined;
    }
    sendJson(response, 405, { code: 'METHOD_NOT_ALLOWED', message: 'method not allowed', request_id: '' });
  });
  return {
    url: server.url,
    stop: async () => {
      for (const run of runs.values()) clearInterval(run.timer);
      await server.close();
    },
  };
}
