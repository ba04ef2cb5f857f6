// model-trainer is being built alongside the bot (issue 17): this local server speaks exactly the fields
// that issue fixes. POST /v1/runs {family, size, corpus_file_id, ...} → 202 {run_id, job_id, status};
// GET /v1/runs/{id} → {run_id, status, progress, family, size, metrics: {step, train_loss, val_loss,
// best_val_loss, tokens_per_s}, created_at, updated_at, error}; DELETE /v1/runs/{id}; POST
// /v1/runs/{id}/generate {prompt, max_tokens, temperature, ...} → server-sent events when asked for
// text/event-stream. Each step is {token, delta} as model-trainer's generator yields it; the SSE event
// names (`token`, then `done` with {text, tokens, finish_reason}) are this fake's assumption (the
// trainer's route did not exist yet); the bot also accepts `end` and a step's `text`.
import { randomUUID } from 'node:crypto';
import { readBody, startFakeHttpServer, type FakeHttpServer } from '@platform/testing';
import type { IncomingMessage, ServerResponse } from 'node:http';

interface Run {
  run_id: string;
  job_id: string;
  status: string;
  progress: number;
  family: string;
  size: string;
  metrics: Record<string, number | null>;
  created_at: string;
  updated_at: string;
  error: string | null;
}

export class FakeTrainer {
  readonly runs = new Map<string, Run>();
  readonly requests: { method: string; path: string; body: unknown; apiKey: string | undefined; accept: string | undefined }[] = [];
  private server: FakeHttpServer | undefined;

  private constructor(readonly apiKey: string, readonly tokens: string[]) {}

  static async start(apiKey = 'trainer-key', tokens = [' to', ' be', ',', ' or', ' not', ' to', ' be']): Promise<FakeTrainer> {
    const fake = new FakeTrainer(apiKey, tokens);
    fake.server = await startFakeHttpServer((request, response) => fake.respond(request, response));
    return fake;
  }

  get url(): string {
    if (!this.server) throw new Error('FakeTrainer is not started');
    return this.server.url;
  }

  async close(): Promise<void> {
    await this.server?.close();
  }

  private async respond(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const { status, body, sse } = await this.handle(request);
    if (!sse) {
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      return;
    }
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    for (const chunk of sse) {
      response.write(chunk);
      await new Promise((resolve) => setTimeout(resolve, 400));
    }
    response.end();
  }

  private async handle(request: IncomingMessage): Promise<{ status: number; body?: unknown; sse?: string[] }> {
    const text = (await readBody(request)).toString();
    const body = text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>);
    const path = new URL(request.url ?? '/', this.url).pathname;
    const apiKey = request.headers['x-api-key'] as string | undefined;
    this.requests.push({ method: request.method ?? '', path, body, apiKey, accept: request.headers.accept });
    const error = (status: number, code: string, message: string) => ({ status, body: { code, message, request_id: randomUUID() } });
    if (apiKey !== this.apiKey) return error(401, 'UNAUTHORIZED', 'missing or invalid API key');
    let match: RegExpExecArray | null;
    if (request.method === 'POST' && path === '/v1/runs') {
      const fields = body ?? {};
      if (typeof fields['family'] !== 'string' || typeof fields['size'] !== 'string' || typeof fields['corpus_file_id'] !== 'string') {
        return error(400, 'INVALID_INPUT', 'family, size and corpus_file_id are required');
      }
      const now = new Date().toISOString();
      const run: Run = {
        run_id: `run-${randomUUID().slice(0, 8)}`, job_id: randomUUID(), status: 'queued', progress: 0,
        family: fields['family'], size: fields['size'],
        metrics: { step: null, train_loss: null, val_loss: null, best_val_loss: null, tokens_per_s: null },
        created_at: now, updated_at: now, error: null,
      };
      this.runs.set(run.run_id, run);
      return { status: 202, body: { run_id: run.run_id, job_id: run.job_id, status: run.status } };
    }
    if ((match = /^\/v1\/runs\/([^/]+)$/.exec(path))) {
      const run = this.runs.get(match[1] ?? '');
      if (!run) return error(404, 'NOT_FOUND', 'run not found');
      if (request.method === 'DELETE') {
        run.status = 'cancelling';
        return { status: 202, body: { run_id: run.run_id, status: 'cancelling' } };
      }
      return { status: 200, body: run };
    }
    if ((match = /^\/v1\/runs\/([^/]+)\/generate$/.exec(path)) && request.method === 'POST') {
      if (!this.runs.has(match[1] ?? '')) return error(404, 'NOT_FOUND', 'run not found');
      if (typeof body?.['prompt'] !== 'string') return error(400, 'INVALID_INPUT', 'prompt is required');
      const all = this.tokens.join('');
      if (request.headers.accept !== 'text/event-stream') return { status: 200, body: { text: all, tokens: this.tokens.map((_, index) => index + 10) } };
      return {
        status: 200,
        sse: [
          ...this.tokens.map((delta, index) => `event: token\ndata: ${JSON.stringify({ token: index + 10, delta })}\n\n`),
          `event: done\ndata: ${JSON.stringify({ text: all, tokens: this.tokens.map((_, index) => index + 10), finish_reason: 'length' })}\n\n`,
        ],
      };
    }
    return error(404, 'NOT_FOUND', 'no such route');
  }
}
